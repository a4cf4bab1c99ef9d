from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedListView(models.Model):
    """A user's named filter, search and sort of one list page, kept as the page's query string."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_list_views")
    list_name = models.CharField(_("list"), max_length=100)
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved list view")
        verbose_name_plural = _("saved list views")
        constraints = [models.UniqueConstraint(fields=["user", "list_name", "name"], name="core_saved_view_unique")]

    def __str__(self) -> str:
        return self.name
