"""Template filters for figures and dates in the reader's language; see core/formats.py.

``{% load locale_formats %}`` then ``{{ amount|amount:"USD" }}``, ``{{ day|local_date }}``,
``{{ moment|local_datetime }}`` (optionally ``:"short"``, ``:"long"``).
"""

from django import template

from secretariat.core.formats import format_amount, format_day, format_moment

register = template.Library()


@register.filter
def amount(value, currency=None):
    return format_amount(value, currency or None)


@register.filter
def local_date(value, length="medium"):
    return format_day(value, length)


@register.filter
def local_datetime(value, length="medium"):
    return format_moment(value, length)
