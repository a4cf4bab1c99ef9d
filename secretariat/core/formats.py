"""Numbers, amounts and dates in the reader's language (CLDR through Babel), for every page.

Amounts carry their currency's decimals (ISO 4217 minor units, ``core.currencies``: 0 for JPY, 3 for KWD)
and the locale's grouping and decimal signs, so the same figure reads 12,345.67 in English,
12 345,67 in French and 12.345,67 in Spanish. Digits stay Latin in every language, as the
Organization's documents print them.
"""

import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_decimal
from django.utils import timezone

from secretariat.core.currencies import minor_units
from secretariat.core.models.reference import current_babel_locale


def currency_decimals(currency: str | None) -> int:
    """The currency's minor units (2 when no currency is given or it is not an ISO 4217 one)."""
    places = minor_units(currency) if currency else None
    return 2 if places is None else places


def quantized(value, currency: str | None = None) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-currency_decimals(currency)), rounding=ROUND_HALF_EVEN)


def format_amount(value, currency: str | None = None) -> str:
    """``value`` with the currency's decimals and the active language's grouping ("" for None)."""
    if value is None or value == "":
        return ""
    places = currency_decimals(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(quantized(value, currency), format=pattern, locale=current_babel_locale(),
                          decimal_quantization=False)


def format_day(value: datetime.date | None, length: str = "medium") -> str:
    """A date in the active language ("medium": Dec 7, 2026 · 7 déc. 2026 · 2026年12月7日 · 07‏/12‏/2026)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return babel_format_date(value, format=length, locale=current_babel_locale())


def format_moment(value: datetime.datetime | None, length: str = "medium") -> str:
    """A date and time in the active language and the site's time zone."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return babel_format_datetime(value, format=length, locale=current_babel_locale())
