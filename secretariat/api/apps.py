from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "secretariat.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        # Registers the OpenAPI security schemes of our authentication classes before any schema
        # is generated.
        from secretariat.api import schema  # noqa: F401
