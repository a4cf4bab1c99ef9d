"""ISO 4217 minor units (JPY 0, USD 2, KWD 3): how many decimals an amount in a currency may carry.

The one place every app asks, from the currencies reference table. Amounts are refused, never
rounded, when they carry more: a payment of 1,234.567 USD is a typing error, not 1,234.57.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import Currency

# Reference data loaded by a core migration, unchanged while the process runs: read once.
_minor_units: dict[str, int] = {}


def minor_units(currency: str) -> int | None:
    """Decimal places of ``currency``; None if it is not an ISO 4217 currency."""
    if currency not in _minor_units:
        places = Currency.objects.filter(code=currency).values_list("minor_units", flat=True).first()
        if places is None:
            return None
        _minor_units[currency] = places
    return _minor_units[currency]


def exceeds_minor_units(amount: Decimal, currency: str) -> bool:
    places = minor_units(currency)
    return places is not None and amount != amount.quantize(Decimal(1).scaleb(-places))


def too_many_decimals(amount: Decimal, currency: str) -> str:
    return _("%(amount)s %(currency)s has more decimals than %(currency)s allows (%(places)s).") % {
        "amount": f"{Decimal(amount).normalize():f}", "currency": currency, "places": minor_units(currency)}


def require_minor_units(amount: Decimal, currency: str, *, field: str = "amount") -> Decimal:
    """``amount`` unchanged, or a refusal naming ``field`` if it has more decimals than ``currency``."""
    if exceeds_minor_units(amount, currency):
        raise InvalidInput({field: [too_many_decimals(amount, currency)]})
    return amount
