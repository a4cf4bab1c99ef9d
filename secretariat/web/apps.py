from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "secretariat.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        # Each app's ``inbox.py`` registers the work it may have waiting for a user (core/work_inbox.py).
        autodiscover_modules("inbox")
