"""Service-desk roles: agents work tickets, service owners keep the catalogue, managers see reports."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
    Role = apps.get_model("core", "Role")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("servicedesk")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    for code, names, permissions in ROLES:
        role = Role.objects.create(code=code, name=names["en"], name_translations=names)
        for permission in permissions:
            app_label, codename = permission.split(".")
            role.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def unload(apps, schema_editor):
    apps.get_model("core", "Role").objects.filter(code__in=[code for code, _names, _perms in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_initial"), ("core", "0003_reference_data")]
    operations = [migrations.RunPython(load, unload)]
