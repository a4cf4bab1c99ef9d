"""Roles of the continuity registry (names in the six official languages)."""

from django.db import migrations

from secretariat.core.migration_support import create_roles

VIEW = ["continuity.view_businessprocess", "continuity.view_application", "continuity.view_datacentre",
        "continuity.view_infrastructurecomponent", "continuity.view_dependency",
        "continuity.view_businessimpactanalysis", "continuity.view_recoveryplan", "continuity.view_exercise"]
ROLES = [
    ("continuity_officer", {
        "en": "Business continuity officer", "fr": "Responsable de la continuité des opérations",
        "es": "Oficial de continuidad de las operaciones", "ru": "Сотрудник по обеспечению непрерывности деятельности",
        "zh-hans": "业务连续性干事", "ar": "موظف استمرارية تصريف الأعمال"},
     VIEW + ["continuity.add_businessprocess", "continuity.change_businessprocess",
             "continuity.add_businessimpactanalysis", "continuity.change_businessimpactanalysis",
             "continuity.sign_off_businessimpactanalysis", "continuity.add_recoveryplan",
             "continuity.change_recoveryplan", "continuity.add_exercise", "continuity.change_exercise"]),
    ("ict_continuity_officer", {
        "en": "ICT disaster recovery officer", "fr": "Responsable de la reprise informatique après sinistre",
        "es": "Oficial de recuperación de TIC en casos de desastre",
        "ru": "Сотрудник по аварийному восстановлению ИКТ", "zh-hans": "信通技术灾后恢复干事",
        "ar": "موظف التعافي من الكوارث في مجال تكنولوجيا المعلومات والاتصالات"},
     VIEW + ["continuity.add_application", "continuity.change_application", "continuity.add_datacentre",
             "continuity.change_datacentre", "continuity.add_infrastructurecomponent",
             "continuity.add_dependency", "continuity.delete_dependency", "continuity.add_recoveryplan",
             "continuity.change_recoveryplan", "continuity.add_exercise", "continuity.change_exercise"]),
]


def load(apps, schema_editor):
    create_roles(apps, ROLES)


def unload(apps, schema_editor):
    apps.get_model("core", "Role").objects.filter(code__in=[code for code, _names, _p in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("continuity", "0001_registry"), ("core", "0003_reference_data")]
    operations = [migrations.RunPython(load, unload)]
