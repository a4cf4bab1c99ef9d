import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from secretariat.core.models import DutyStation, OrgUnit, Person, PublicHoliday
from secretariat.core.tests.factories import (
    DutyStationFactory,
    EntityFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
    grant,
)
from secretariat.servicedesk.models import Cover, Desk, Service, ServiceLevel, ServiceLevelTarget, Subscription

UTC = datetime.UTC
# Priority: (response minutes, resolution minutes)
SILVER_TARGETS = {1: (30, 240), 2: (60, 480), 3: (120, 1440), 4: (240, 2880)}
GOLD_TARGETS = {1: (15, 120), 2: (30, 240), 3: (60, 480), 4: (120, 960)}


@dataclass
class Catalogue:
    geneva: DutyStation
    new_york: DutyStation
    amman: DutyStation
    department: OrgUnit
    other_department: OrgUnit
    requester: Person
    requester_user: object
    agent: object
    owner: object
    email_service: Service
    silver: ServiceLevel
    gold: ServiceLevel
    unsubscribed_service: Service
    geneva_desk: Desk
    new_york_desk: Desk
    amman_desk: Desk


def make_level(service, code, cover, targets):
    level = ServiceLevel.objects.create(service=service, code=code, name=code.title(), cover=cover)
    for priority, (response, resolution) in targets.items():
        ServiceLevelTarget.objects.create(level=level, priority=priority, response_minutes=response,
                                          resolution_minutes=resolution)
    return level


@pytest.fixture
def catalogue(db) -> Catalogue:
    geneva = DutyStationFactory(code="GVA", name="Geneva", time_zone="Europe/Zurich")
    new_york = DutyStationFactory(code="NY", name="New York", city="New York", time_zone="America/New_York")
    amman = DutyStationFactory(code="AMM", name="Amman", city="Amman", time_zone="Asia/Amman",
                               work_days=[7, 1, 2, 3, 4], work_starts_at="08:00", work_ends_at="16:00")
    PublicHoliday.objects.create(duty_station=geneva, holiday_on=datetime.date(2026, 12, 25), name="Christmas")
    entity = EntityFactory(code="UNOG", headquarters=geneva)
    department = OrgUnitFactory(entity=entity, code="UNOG-DCM", name="Conference Management", level="division")
    other = OrgUnitFactory(entity=entity, code="UNOG-DAS", name="Administration", level="division")
    requester_user = UserFactory(username="lucia")
    requester = PersonFactory(org_unit=department, given_name="Lucía", family_name="Garcia",
                              email="lucia@example.org", user=requester_user, preferred_language="es")
    owner = UserFactory(username="owner")
    agent = UserFactory(username="ivan", email="ivan@example.org")
    grant(agent, "servicedesk_agent")
    email_service = Service.objects.create(
        code="email", name="E-mail and calendar", kind="ict", owner=owner, is_published=True,
        unit_price_amount=Decimal("42.5000"), currency="USD", is_core_ict=True,
        name_translations={"es": "Correo electrónico y calendario"})
    silver = make_level(email_service, "silver", Cover.BUSINESS_HOURS, SILVER_TARGETS)
    gold = make_level(email_service, "gold", Cover.ROUND_THE_CLOCK, GOLD_TARGETS)
    Subscription.objects.create(department=department, service=email_service, level=silver,
                                valid_from=datetime.date(2020, 1, 1))
    unsubscribed = Service.objects.create(code="video", name="Video conferencing", kind="ict", owner=owner,
                                          is_published=True)
    make_level(unsubscribed, "silver", Cover.BUSINESS_HOURS, SILVER_TARGETS)
    geneva_desk = Desk.objects.create(code="gva", name="Geneva desk", duty_station=geneva,
                                      languages=["en", "fr"], skills=["ict", "facilities"])
    new_york_desk = Desk.objects.create(code="ny", name="New York desk", duty_station=new_york,
                                        languages=["en", "es"], skills=["ict"])
    amman_desk = Desk.objects.create(code="amm", name="Amman desk", duty_station=amman,
                                     languages=["ar", "en"], skills=["ict"])
    geneva_desk.agents.add(agent)
    return Catalogue(geneva, new_york, amman, department, other, requester, requester_user, agent, owner,
                     email_service, silver, gold, unsubscribed, geneva_desk, new_york_desk, amman_desk)


def geneva_time(*args) -> datetime.datetime:
    from zoneinfo import ZoneInfo
    return datetime.datetime(*args, tzinfo=ZoneInfo("Europe/Zurich"))
