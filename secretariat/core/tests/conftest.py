from dataclasses import dataclass

import pytest

from secretariat.core.models import DutyStation, Entity, OrgUnit, Person
from secretariat.core.tests.factories import (
    DutyStationFactory,
    EntityFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
    grant,
)


@dataclass
class TwoOffices:
    geneva: Entity
    nairobi: Entity
    geneva_station: DutyStation
    nairobi_station: DutyStation
    geneva_hr: OrgUnit
    geneva_hr_section: OrgUnit
    nairobi_hr: OrgUnit
    geneva_person: Person
    geneva_section_person: Person
    nairobi_person: Person


@pytest.fixture
def offices(db) -> TwoOffices:
    geneva_station = DutyStationFactory(code="GVA", name="Geneva")
    nairobi_station = DutyStationFactory(code="NBO", name="Nairobi", city="Nairobi", time_zone="Africa/Nairobi")
    geneva = EntityFactory(code="UNOG", headquarters=geneva_station)
    nairobi = EntityFactory(code="UNON", headquarters=nairobi_station)
    geneva_hr = OrgUnitFactory(entity=geneva, code="UNOG-HR", level="service")
    geneva_hr_section = OrgUnitFactory(entity=geneva, code="UNOG-HR-REC", level="section", parent=geneva_hr)
    nairobi_hr = OrgUnitFactory(entity=nairobi, code="UNON-HR", level="service")
    return TwoOffices(
        geneva, nairobi, geneva_station, nairobi_station, geneva_hr, geneva_hr_section, nairobi_hr,
        PersonFactory(org_unit=geneva_hr, family_name="Dupont"),
        PersonFactory(org_unit=geneva_hr_section, family_name="Favre"),
        PersonFactory(org_unit=nairobi_hr, family_name="Otieno"),
    )


@pytest.fixture
def geneva_hr_officer(offices):
    user = UserFactory(username="hr.geneva")
    grant(user, "hr_officer", offices.geneva)
    return user


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root")
    user.is_superuser = user.is_staff = True
    user.save()
    return user
