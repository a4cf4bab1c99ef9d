"""Service-desk roles: agents work tickets, service owners keep the catalogue, managers see reports."""

from django.db import migrations

from secretariat.core.migration_support import create_roles

ROLES = [
    ("servicedesk_agent", {
        "en": "Service desk agent", "fr": "Agent du centre de services", "es": "Agente de la mesa de servicios",
        "ru": "Оператор службы поддержки", "zh-hans": "服务台坐席", "ar": "موظف مكتب الخدمات"},
     ["servicedesk.view_ticket", "servicedesk.change_ticket", "servicedesk.view_service"]),
    ("service_owner", {
        "en": "Service owner", "fr": "Responsable de service", "es": "Responsable del servicio",
        "ru": "Владелец услуги", "zh-hans": "服务负责人", "ar": "مالك الخدمة"},
     ["servicedesk.view_service", "servicedesk.add_service", "servicedesk.change_service",
      "servicedesk.change_knowledgearticle", "servicedesk.view_ticket"]),
    ("servicedesk_manager", {
        "en": "Service desk manager", "fr": "Responsable du centre de services",
        "es": "Gerente de la mesa de servicios", "ru": "Руководитель службы поддержки", "zh-hans": "服务台经理",
        "ar": "مدير مكتب الخدمات"},
     ["servicedesk.view_ticket", "servicedesk.change_ticket", "servicedesk.view_service",
      "servicedesk.change_changerequest", "servicedesk.view_subscription"]),
]


def load(apps, schema_editor):
    create_roles(apps, ROLES)


def unload(apps, schema_editor):
    apps.get_model("core", "Role").objects.filter(code__in=[code for code, _names, _perms in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_initial"), ("core", "0003_reference_data")]
    operations = [migrations.RunPython(load, unload)]
