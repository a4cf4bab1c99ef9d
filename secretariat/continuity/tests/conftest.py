from dataclasses import dataclass

import pytest

from secretariat.continuity.tests.factories import DataCentreFactory
from secretariat.core.models import OrgUnit, Person
from secretariat.core.tests.factories import (
    DutyStationFactory,
    EntityFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
    grant,
)


@dataclass
class Registry:
    department: OrgUnit
    other_department: OrgUnit
    owner: Person
    officer: object  # business continuity officer over the department's entity
    ict_officer: object  # ICT disaster recovery officer, global
    outsider: object  # continuity officer of another entity
    primary_site: object
    recovery_site: object


@pytest.fixture
def registry(db) -> Registry:
    geneva = EntityFactory(code="UNOG", headquarters=DutyStationFactory(code="GVA", name="Geneva"))
    nairobi = EntityFactory(code="UNON", headquarters=DutyStationFactory(code="NBO", name="Nairobi",
                                                                         time_zone="Africa/Nairobi"))
    department = OrgUnitFactory(entity=geneva, code="UNOG-DCM", name="Conference Management")
    other_department = OrgUnitFactory(entity=nairobi, code="UNON-DCM", name="Nairobi Conference Management")
    officer, ict_officer, outsider = (UserFactory(username="bc.officer"), UserFactory(username="ict.officer"),
                                      UserFactory(username="bc.nairobi"))
    grant(officer, "continuity_officer", geneva)
    grant(ict_officer, "ict_continuity_officer")
    grant(outsider, "continuity_officer", nairobi)
    primary_site = DataCentreFactory(code="EDC-1", duty_station=geneva.headquarters)
    recovery_site = DataCentreFactory(code="EDC-2", duty_station=nairobi.headquarters, recovery_site=primary_site)
    primary_site.recovery_site = recovery_site
    primary_site.save()
    return Registry(department, other_department, PersonFactory(org_unit=department, family_name="Owner"),
                    officer, ict_officer, outsider, primary_site, recovery_site)
