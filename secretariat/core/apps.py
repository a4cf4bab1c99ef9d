from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "secretariat.core"
    label = "core"
    verbose_name = _("Organisation and access")

    def ready(self) -> None:
        # Imported for their side effects: auth signal receivers and per-connection SQL functions.
        from secretariat.core import security_events, sqlite_functions  # noqa: F401
        from secretariat.core.scopes import register_core_scope_kinds

        register_core_scope_kinds()
