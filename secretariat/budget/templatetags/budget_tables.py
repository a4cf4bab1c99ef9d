from decimal import Decimal

from django import template
from django.utils.formats import number_format

from secretariat.budget.selectors import in_thousands

register = template.Library()


@register.filter
def table_cell(row, column):
    """A figure as the fascicles print it: thousands with one decimal, negatives in parentheses."""
    value = row.values.get(column.key)
    if value is None:
        return "—" if row.kind != "heading" else ""
    if not column.is_percentage and isinstance(value, Decimal):
        value = in_thousands(value)
    if value == 0:
        return "—"
    text = number_format(abs(value), decimal_pos=0 if isinstance(value, int) else 1, force_grouping=True)
    return f"({text})" if value < 0 else text


@register.filter
def money(value):
    if value is None:
        return ""
    return number_format(Decimal(value).quantize(Decimal("0.01")), decimal_pos=2, force_grouping=True)
