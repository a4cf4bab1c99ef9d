from django.db import models
from django.utils.translation import get_language, gettext_lazy as _


class TranslatedNameMixin(models.Model):
    """A name in English plus optional translations keyed by language code."""

    name = models.CharField(_("name"), max_length=200)
    name_translations = models.JSONField(_("name translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    @property
    def localized_name(self) -> str:
        return self.name_translations.get(get_language() or "en") or self.name

    def __str__(self) -> str:
        return self.localized_name
