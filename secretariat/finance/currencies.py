"""ISO 4217 minor units (JPY 0, USD 2, KWD 3): what an amount in a currency may carry, and how
it is written in files for banks."""

from decimal import Decimal

from secretariat.core.models import Currency

# Reference data loaded by a core migration: read once per process.
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


def amount_text(amount: Decimal, currency: str) -> str:
    """The amount with exactly the currency's decimals, as ISO 20022 files carry it."""
    places = minor_units(currency)
    if places is None or exceeds_minor_units(amount, currency):
        raise ValueError(f"{amount} is not an amount in {currency}")
    return f"{amount:.{places}f}"
