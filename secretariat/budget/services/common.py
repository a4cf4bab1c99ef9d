"""Helpers every budget service uses: amounts, refusal of duplicates."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from secretariat.budget.exceptions import DuplicateRecord
from secretariat.core.currencies import require_minor_units
from secretariat.core.exceptions import InvalidInput

CENT = Decimal("0.01")


def amount_text(value: Decimal, currency: str = "USD") -> str:
    return f"{currency} {value.quantize(CENT):,}"


def positive_amount(amount: Decimal, currency: str, field: str = "amount") -> Decimal:
    if amount is None or amount <= 0:
        raise InvalidInput({field: [_("Enter an amount greater than zero.")]})
    return require_minor_units(Decimal(amount), currency, field=field)


def amount_not_negative(amount: Decimal, currency: str, field: str = "amount") -> Decimal:
    if amount is None or amount < 0:
        raise InvalidInput({field: [_("Enter an amount of zero or more.")]})
    return require_minor_units(Decimal(amount), currency, field=field)


def created_or_duplicate(create, what):
    """Run ``create`` in a savepoint; a unique-constraint clash becomes a clear refusal."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        raise DuplicateRecord(what=what) from None


