"""Budget roles and the delegable authority to redeploy funds, named in six languages."""

from django.db import migrations

from secretariat.core.migration_support import create_roles

VIEW = ["budget.view_budgetsection", "budget.view_appropriation", "budget.view_allotment",
        "budget.view_commitment", "budget.view_budgetmovement", "budget.view_resourceline"]

ROLES = [
    ("budget_officer", {
        "en": "Budget officer", "fr": "Spécialiste du budget", "es": "Oficial de presupuesto",
        "ru": "Сотрудник по бюджетным вопросам", "zh-hans": "预算干事", "ar": "موظف الميزانية"},
     VIEW + ["budget.add_budgetsection", "budget.change_budgetsection", "budget.add_appropriation",
             "budget.change_appropriation", "budget.add_allotment", "budget.add_commitment",
             "budget.add_budgetmovement", "budget.add_cashflowreconciliationitem"]),
    ("certifying_unit_officer", {
        "en": "Certifying unit officer", "fr": "Agent de l'unité certificatrice",
        "es": "Oficial de la unidad certificadora", "ru": "Сотрудник удостоверяющего подразделения",
        "zh-hans": "核证单位干事", "ar": "موظف الوحدة المصدِّقة"},
     VIEW + ["budget.add_commitment", "budget.add_budgetmovement"]),
    ("programme_manager", {
        "en": "Programme manager", "fr": "Directeur de programme", "es": "Director de programa",
        "ru": "Руководитель программы", "zh-hans": "方案主管", "ar": "مدير البرنامج"},
     VIEW + ["budget.change_budgetsection"]),
    ("budget_reader", {
        "en": "Budget reader", "fr": "Lecteur du budget", "es": "Lector del presupuesto",
        "ru": "Читатель бюджета", "zh-hans": "预算查阅者", "ar": "قارئ الميزانية"},
     VIEW),
]

AUTHORITY = ("budget_redeployment", True, {
    "en": "Redeployment of funds between object classes", "fr": "Redéploiement de fonds entre catégories de dépenses",
    "es": "Redistribución de fondos entre clases de objeto de gastos",
    "ru": "Перераспределение средств между статьями расходов", "zh-hans": "在支出用途类别之间调配资金",
    "ar": "نقل الأموال بين فئات أوجه الإنفاق"})


def load(apps, schema_editor):
    AuthorityKind = apps.get_model("core", "AuthorityKind")
    create_roles(apps, ROLES)
    code, is_monetary, names = AUTHORITY
    AuthorityKind.objects.create(code=code, is_monetary=is_monetary, name=names["en"], name_translations=names)


def unload(apps, schema_editor):
    apps.get_model("core", "Role").objects.filter(code__in=[code for code, _n, _p in ROLES]).delete()
    apps.get_model("core", "AuthorityKind").objects.filter(code=AUTHORITY[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("budget", "0002_movements_append_only"), ("core", "0003_reference_data")]
    operations = [migrations.RunPython(load, unload)]
