"""Amounts carry their currency's decimals and the reader's grouping; dates the reader's order."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from secretariat.core.formats import format_amount, format_day

# A currency's decimals come from the currencies reference table (core.currencies).
pytestmark = pytest.mark.django_db

CASES = {
    "en": "1,678,732,221.10", "fr": "1\u202f678\u202f732\u202f221,10", "es": "1.678.732.221,10",
    "ru": "1\xa0678\xa0732\xa0221,10", "zh-hans": "1,678,732,221.10", "ar": "1,678,732,221.10",
}


@pytest.mark.parametrize("language", CASES)
def test_a_large_amount_is_grouped_in_every_language(language):
    with translation.override(language):
        assert format_amount(Decimal("1678732221.1"), "USD") == CASES[language]


def test_decimals_follow_the_currency():
    with translation.override("en"):
        assert format_amount(Decimal("1234.5"), "JPY") == "1,234"
        assert format_amount(Decimal("1.2346"), "KWD") == "1.235"
        assert format_amount(None, "USD") == ""


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2))
def test_the_printed_amount_reads_back_as_the_amount(value):
    with translation.override("fr"):
        printed = format_amount(value, "EUR")
    assert Decimal(printed.replace("\u202f", "").replace("\xa0", "").replace(",", ".")) == value


def test_template_filters_print_dates_in_the_reader_language():
    template = Template('{% load locale_formats %}{{ day|local_date }} · {{ figure|amount:"USD" }}')
    with translation.override("fr"):
        assert template.render(Context({"day": datetime.date(2026, 12, 7), "figure": Decimal("12345.678")})) \
            == "7 déc. 2026 · 12\u202f345,68"
    with translation.override("en"):
        assert format_day(datetime.date(2026, 12, 7)) == "Dec 7, 2026"
