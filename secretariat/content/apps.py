from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "secretariat.content"
    label = "content"
    verbose_name = _("Knowledge and records")
    # Links this app adds to the main navigation: (URL name, label). See web/navigation.py.
    navigation: list = [
        ("content:document_list", _("Documents")),
        ("content:search", _("Search")),
        ("content:official_list", _("Official documents")),
        ("content:records", _("Records")),
        ("content:workspace_list", _("Workspaces")),
    ]

    def ready(self):
        # Register the background tasks, which the services queue by name (services/queue.py)
        # without importing them: a worker and a web process both know them from the start.
        from secretariat.content import tasks  # noqa: F401
