"""Amounts as entered: refused when they carry more decimals than their currency has."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import InvalidInput
from secretariat.finance.currencies import exceeds_minor_units, minor_units


def require_minor_units(amount: Decimal, currency: str, *, field: str = "amount") -> None:
    if exceeds_minor_units(amount, currency):
        raise InvalidInput({field: [_("%(amount)s %(currency)s has more decimals than %(currency)s allows "
                                      "(%(places)s).") % {"amount": amount, "currency": currency,
                                                          "places": minor_units(currency)}]})
