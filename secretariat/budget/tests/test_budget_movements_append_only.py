"""The movement journal is append-only in the database itself, whatever the code does."""

import pytest
from django.db import DatabaseError, transaction

from secretariat.budget.models import BudgetMovement


def test_movements_cannot_be_updated_or_deleted(office):
    movement = BudgetMovement.objects.get(allotment=office.allotment)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        BudgetMovement.objects.filter(pk=movement.pk).update(amount=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        BudgetMovement.objects.filter(pk=movement.pk).delete()
    assert BudgetMovement.objects.get(pk=movement.pk).amount == office.allotment.amount


def test_the_database_refuses_an_overspent_allotment(office):
    from django.db import IntegrityError

    from secretariat.budget.models import Allotment

    with pytest.raises(IntegrityError), transaction.atomic():
        Allotment.objects.filter(pk=office.allotment.pk).update(available_amount=-1)
