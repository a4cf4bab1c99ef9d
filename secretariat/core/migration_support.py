"""Helpers for data migrations that install roles (used by every app's role migration)."""

from django.contrib.auth.management import create_permissions


def create_roles(apps, roles) -> None:
    """Create roles ``(code, {language: name}, ["app_label.codename", ...])`` with their permissions.

    Django creates permissions only after all migrations; roles need them now, so they are made
    first for every app the historical registry knows.
    """
    Role = apps.get_model("core", "Role")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    for code, names, permissions in roles:
        role = Role.objects.create(code=code, name=names["en"], name_translations=names)
        for permission in permissions:
            app_label, codename = permission.split(".")
            role.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def mark_privileged_roles(codes):
    """A data migration step flagging the app's roles whose grant needs four eyes and a second factor."""

    def mark(apps, schema_editor):
        apps.get_model("core", "Role").objects.filter(code__in=codes).update(is_privileged=True)

    def unmark(apps, schema_editor):
        apps.get_model("core", "Role").objects.filter(code__in=codes).update(is_privileged=False)

    return mark, unmark
