"""What a figure in a budget table is (an amount of money, a count of posts, a percentage) and
how the fascicles print it, on screen, in PDF and in the workbook's own number formats.

Amounts are ``Decimal`` US dollars, shown in thousands with one decimal; counts are ``int`` and
shown whole; percentages are ``Decimal`` with one decimal. Totals are added up only through
``add_up``, which refuses a figure of the wrong kind: a count added as money (and divided by a
thousand for display) is how 94 posts once showed as 0.1.
"""

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.formats import number_format

ONE_DECIMAL = Decimal("0.1")
DASH = "—"  # the fascicles print a dash for zero and for no figure


class Quantity(StrEnum):
    AMOUNT = "amount"
    COUNT = "count"
    PERCENTAGE = "percentage"


class MixedQuantities(TypeError):
    """A figure of one kind where another was expected (a count among amounts, or the reverse)."""


ZEROES = {Quantity.AMOUNT: Decimal("0"), Quantity.COUNT: 0, Quantity.PERCENTAGE: Decimal("0")}

# Cell number formats (positive; negative; zero): thousands with one decimal, negatives in
# parentheses, a dash for zero. The cells keep their numeric values.
XLSX_FORMATS = {
    Quantity.AMOUNT: f'#,##0.0;(#,##0.0);"{DASH}"',
    Quantity.COUNT: f'#,##0;(#,##0);"{DASH}"',
    Quantity.PERCENTAGE: f'#,##0.0;(#,##0.0);"{DASH}"',
}


def checked(value, quantity: Quantity):
    """``value`` if it is a figure of kind ``quantity`` (or None); otherwise ``MixedQuantities``."""
    if value is None:
        return None
    is_count = type(value) is int  # bool is an int too, and never a count
    if (quantity == Quantity.COUNT) != is_count or not (is_count or isinstance(value, Decimal)):
        raise MixedQuantities(f"{value!r} is not a figure of kind {quantity}")
    return value


def add_up(values, quantity: Quantity):
    """The sum of figures of one kind (None counts as zero); mixing kinds is refused."""
    total = ZEROES[quantity]
    for value in values:
        if checked(value, quantity) is not None:
            total += value
    return total


def in_thousands(value: Decimal | None) -> Decimal | None:
    """An amount as the fascicles print it: thousands of dollars, one decimal, rounded half up."""
    if value is None:
        return None
    return (checked(value, Quantity.AMOUNT) / 1000).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def displayed(value, quantity: Quantity):
    """The number a table shows for a figure (amounts in thousands), or None."""
    checked(value, quantity)
    return in_thousands(value) if quantity == Quantity.AMOUNT else value


def cell_text(value, quantity: Quantity) -> str:
    """A figure as printed: grouped thousands, negatives in parentheses, a dash for zero or none."""
    shown = displayed(value, quantity)
    if not shown:
        return DASH
    text = number_format(abs(shown), decimal_pos=0 if quantity == Quantity.COUNT else 1, force_grouping=True)
    return f"({text})" if shown < 0 else text


def cell_number(value, quantity: Quantity) -> int | float | None:
    """A figure as a workbook cell value (shown with ``XLSX_FORMATS[quantity]``)."""
    shown = displayed(value, quantity)
    if shown is None:
        return None
    return shown if quantity == Quantity.COUNT else float(shown)
