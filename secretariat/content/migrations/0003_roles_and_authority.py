"""Roles of the knowledge pillar and the authority to release official documents early."""

from django.db import migrations

from secretariat.core.migration_support import create_roles

ROLES = [
    ("knowledge_worker", {
        "en": "Knowledge worker", "fr": "Collaborateur documentaire", "es": "Colaborador documental",
        "ru": "Сотрудник по работе с документами", "zh-hans": "文档工作人员", "ar": "موظف إدارة المعارف"},
     ["content.view_document", "content.add_document", "content.change_document", "content.add_workspace"]),
    ("records_manager", {
        "en": "Records manager", "fr": "Gestionnaire des archives courantes", "es": "Gestor de registros",
        "ru": "Специалист по управлению документацией", "zh-hans": "档案管理员", "ar": "مدير السجلات"},
     ["content.view_document", "content.view_strictly_confidential", "content.manage_records",
      "content.view_officialdocument"]),
    ("disposition_approver", {
        "en": "Disposition approver", "fr": "Approbateur des éliminations", "es": "Aprobador de disposición",
        "ru": "Утверждающий уничтожение документов", "zh-hans": "处置审批人", "ar": "معتمد التصرف في السجلات"},
     ["content.view_document", "content.approve_disposition"]),
    ("legal_officer", {
        "en": "Legal officer", "fr": "Juriste", "es": "Oficial jurídico", "ru": "Сотрудник по правовым вопросам",
        "zh-hans": "法律干事", "ar": "موظف قانوني"},
     ["content.view_document", "content.manage_legal_holds"]),
    ("documents_officer", {
        "en": "Documents officer", "fr": "Fonctionnaire chargé de la documentation",
        "es": "Oficial de documentación", "ru": "Сотрудник по документации", "zh-hans": "文件干事",
        "ar": "موظف الوثائق"},
     ["content.view_document", "content.view_officialdocument", "content.add_officialdocument",
      "content.change_officialdocument", "content.release_official_document"]),
]
AUTHORITY = ("official_document_release", {
    "en": "Release of official documents in some languages", "fr": "Publication de documents officiels dans certaines langues",
    "es": "Publicación de documentos oficiales en algunos idiomas", "ru": "Выпуск официальных документов на части языков",
    "zh-hans": "部分语文版本正式文件的发布", "ar": "إصدار الوثائق الرسمية ببعض اللغات"})


def load(apps, schema_editor):
    AuthorityKind = apps.get_model("core", "AuthorityKind")
    create_roles(apps, ROLES)
    code, names = AUTHORITY
    AuthorityKind.objects.create(code=code, is_monetary=False, name=names["en"], name_translations=names)


def unload(apps, schema_editor):
    apps.get_model("core", "Role").objects.filter(code__in=[code for code, _names, _perms in ROLES]).delete()
    apps.get_model("core", "AuthorityKind").objects.filter(code=AUTHORITY[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0002_records_guards_and_search_index"), ("core", "0003_reference_data")]
    operations = [migrations.RunPython(load, unload)]
