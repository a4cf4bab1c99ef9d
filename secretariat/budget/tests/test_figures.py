"""Counts, amounts and percentages are different kinds of figure: they add up only with their own
kind and print as the fascicles print them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secretariat.budget.figures import (
    MixedQuantities,
    Quantity,
    add_up,
    cell_number,
    cell_text,
)


def test_a_count_cannot_be_added_to_amounts():
    with pytest.raises(MixedQuantities):
        add_up([Decimal("1000.00"), 94], Quantity.AMOUNT)


def test_an_amount_cannot_be_added_to_counts():
    with pytest.raises(MixedQuantities):
        add_up([94, Decimal("89")], Quantity.COUNT)


def test_a_count_cannot_be_shown_as_money():
    with pytest.raises(MixedQuantities):
        cell_text(94, Quantity.AMOUNT)


@given(st.lists(st.integers(min_value=-10_000, max_value=10_000)))
def test_counts_add_up_to_a_whole_count_printed_whole(counts):
    total = add_up(counts, Quantity.COUNT)
    assert type(total) is int and total == sum(counts)
    assert cell_number(total, Quantity.COUNT) == total
    assert cell_text(total, Quantity.COUNT).strip("()").replace(",", "") == (str(abs(total)) if total else "—")


@pytest.mark.parametrize(("amount", "shown"), [
    (Decimal("-9700"), "(9.7)"), (Decimal("0"), "—"), (Decimal("4000"), "4.0"), (Decimal("53107900"), "53,107.9"),
    (None, "—")])
def test_amounts_print_in_thousands_with_parentheses_and_dashes(amount, shown):
    assert cell_text(amount, Quantity.AMOUNT) == shown
