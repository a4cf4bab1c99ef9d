"""How an amount in a currency is written in files for banks: exactly the currency's minor units
(``core.currencies``: JPY 0, USD 2, KWD 3)."""

from decimal import Decimal

from secretariat.core.currencies import exceeds_minor_units, minor_units


def amount_text(amount: Decimal, currency: str) -> str:
    """The amount with exactly the currency's decimals, as ISO 20022 files carry it."""
    places = minor_units(currency)
    if places is None or exceeds_minor_units(amount, currency):
        raise ValueError(f"{amount} is not an amount in {currency}")
    return f"{amount:.{places}f}"
