from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from secretariat.content.tests.factories import DocumentTypeFactory, LibraryFactory
from secretariat.core.models import Country, OrgUnit
from secretariat.core.tests.factories import (
    DutyStationFactory,
    EntityFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
    grant,
)


@pytest.fixture(autouse=True)
def content_store(settings, tmp_path):
    settings.CONTENT_STORE_DIR = tmp_path / "content-store"
    return settings.CONTENT_STORE_DIR


def staff_user(username: str, org_unit: OrgUnit, *roles, scope=...):
    """A staff member of ``org_unit`` holding ``roles`` in their own unit (or in ``scope``; None = everywhere)."""
    user = UserFactory(username=username)
    PersonFactory(user=user, org_unit=org_unit, family_name=username.split(".")[-1].title())
    for role in roles:
        grant(user, role, org_unit if scope is ... else scope)
    return user


def delegate_user(username: str):
    user = UserFactory(username=username)
    PersonFactory(user=user, kind="delegate", org_unit=None, duty_station=None,
                  represents=Country.objects.get(alpha2="FR"), family_name=username.split(".")[-1].title())
    return user


@dataclass
class Office:
    unit: OrgUnit
    other_unit: OrgUnit
    author: get_user_model()
    colleague: get_user_model()
    outsider: get_user_model()
    records_manager: get_user_model()
    library: object
    memo: object


@pytest.fixture
def office(db) -> Office:
    station = DutyStationFactory(code="NYC", name="New York", city="New York", time_zone="America/New_York")
    entity = EntityFactory(code="UNHQ", headquarters=station)
    unit = OrgUnitFactory(entity=entity, code="DGACM", level="department")
    other_entity = EntityFactory(code="UNON", headquarters=DutyStationFactory(code="NBO", time_zone="Africa/Nairobi"))
    other_unit = OrgUnitFactory(entity=other_entity, code="UNON-ADM", level="division")
    return Office(
        unit=unit, other_unit=other_unit,
        author=staff_user("amina.author", unit, "knowledge_worker"),
        colleague=staff_user("boris.colleague", unit, "knowledge_worker"),
        outsider=staff_user("chen.outsider", other_unit, "knowledge_worker"),
        records_manager=staff_user("rita.records", unit, "records_manager", "legal_officer"),
        library=LibraryFactory(code="dgacm", name="DGACM library", org_unit=unit),
        memo=DocumentTypeFactory(code="memo", name="Memorandum"),
    )
