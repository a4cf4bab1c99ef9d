"""Helpers every budget service uses: amounts, refusal of duplicates."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from secretariat.budget.exceptions import DuplicateRecord
from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import Currency

CENT = Decimal("0.01")
STORED_PLACES = 4  # what the amount columns keep; a currency unknown to ISO 4217 may use them all

# ISO 4217 minor units, reference data that does not change while the process runs.
_places: dict[str, int] = {}


def amount_text(value: Decimal, currency: str = "USD") -> str:
    return f"{currency} {value.quantize(CENT):,}"


def currency_places(currency: str) -> int:
    """Decimals an amount in ``currency`` may carry (USD 2, JPY 0)."""
    if currency not in _places:
        places = Currency.objects.filter(code=currency).values_list("minor_units", flat=True).first()
        _places[currency] = STORED_PLACES if places is None else places
    return _places[currency]


def exact_amount(amount: Decimal, currency: str, field: str = "amount") -> Decimal:
    """The amount, refused if it carries more decimals than its currency (nothing is rounded away)."""
    places = currency_places(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise InvalidInput({field: [_("%(amount)s has more decimals than %(currency)s allows (%(places)s).") % {
            "amount": f"{amount.normalize():f}", "currency": currency, "places": places}]})
    return amount


def positive_amount(amount: Decimal, currency: str, field: str = "amount") -> Decimal:
    if amount is None or amount <= 0:
        raise InvalidInput({field: [_("Enter an amount greater than zero.")]})
    return exact_amount(Decimal(amount), currency, field)


def amount_not_negative(amount: Decimal, currency: str, field: str = "amount") -> Decimal:
    if amount is None or amount < 0:
        raise InvalidInput({field: [_("Enter an amount of zero or more.")]})
    return exact_amount(Decimal(amount), currency, field)


def created_or_duplicate(create, what):
    """Run ``create`` in a savepoint; a unique-constraint clash becomes a clear refusal."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        raise DuplicateRecord(what=what) from None


