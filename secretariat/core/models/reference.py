"""Reference data: countries (Member States among them) and ISO 4217 currencies.

Names are not stored: CLDR, through Babel, carries them in all six official languages and is
kept current by its maintainers.
"""

from babel import Locale
from babel.numbers import get_currency_name
from django.db import models
from django.utils.translation import get_language, gettext_lazy as _, to_locale


def current_babel_locale() -> Locale:
    return Locale.parse(to_locale(get_language() or "en"))


class Country(models.Model):
    alpha2 = models.CharField(_("ISO 3166 alpha-2 code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166 numeric code"), max_length=3, unique=True)
    is_member_state = models.BooleanField(_("Member State"), default=False)

    class Meta:
        ordering = ["alpha3"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(condition=models.Q(alpha2__regex=r"^[A-Z]{2}$"), name="core_country_alpha2_format"),
            models.CheckConstraint(condition=models.Q(alpha3__regex=r"^[A-Z]{3}$"), name="core_country_alpha3_format"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The country's name in the active language (CLDR)."""
        return current_babel_locale().territories.get(self.alpha2, self.alpha3)


class Currency(models.Model):
    code = models.CharField(_("ISO 4217 code"), max_length=3, unique=True)
    minor_units = models.PositiveSmallIntegerField(_("minor units"), default=2)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z]{3}$"), name="core_currency_code_format"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        return get_currency_name(self.code, locale=current_babel_locale())
