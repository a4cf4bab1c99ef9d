from decimal import Decimal

from django import template
from django.utils.formats import number_format

from secretariat.budget.figures import cell_text

register = template.Library()


@register.filter
def table_cell(row, column):
    """A figure as the fascicles print it (see ``figures.cell_text``); headings have no figures."""
    if row.kind == "heading":
        return ""
    return cell_text(row.values.get(column.key), column.quantity)


@register.filter
def money(value):
    if value is None:
        return ""
    return number_format(Decimal(value).quantize(Decimal("0.01")), decimal_pos=2, force_grouping=True)


@register.filter
def change_figure(change, side):
    """The figure before or after a change between versions, printed like the tables' cells."""
    return cell_text(getattr(change, side), change.quantity)
