"""Service owners publish services in several languages, define levels and subscribe departments."""

import datetime
from decimal import Decimal

import pytest

from secretariat.core.exceptions import AccessDenied
from secretariat.core.tests.factories import UserFactory, grant
from secretariat.servicedesk.services import (
    IncompleteTargets,
    LevelOfAnotherService,
    define_service_level,
    publish_service,
    subscribe_department,
)

pytestmark = pytest.mark.django_db
TARGETS = {1: (15, 120), 2: (30, 240), 3: (60, 480), 4: (120, 960)}


@pytest.fixture
def service_owner(db):
    user = UserFactory(username="service.owner")
    grant(user, "service_owner")
    return user


def test_publish_a_service_with_levels_and_subscribe_a_department(catalogue, service_owner):
    # when
    service = publish_service(actor=service_owner, code="moves", kind="facilities", unit_price=Decimal("150"),
                              names={"en": "Office moves", "fr": "Déménagements", "ar": "نقل المكاتب"},
                              request_fields=[{"name": "to_room", "label": "To room", "required": True}],
                              approver=catalogue.owner)
    gold = define_service_level(actor=service_owner, service=service, code="gold", name="Gold",
                                cover="round_the_clock", targets=TARGETS)
    subscription = subscribe_department(actor=service_owner, department=catalogue.department, service=service,
                                        level=gold, valid_from=datetime.date(2026, 1, 1))
    # then
    assert service.is_published and service.requires_approval and service.name_translations["ar"] == "نقل المكاتب"
    assert gold.targets.count() == 4 and subscription.level == gold


def test_a_level_needs_every_priority(catalogue, service_owner):
    with pytest.raises(IncompleteTargets) as refusal:
        define_service_level(actor=service_owner, service=catalogue.email_service, code="bronze", name="Bronze",
                             cover="business_hours", targets={1: (60, 480), 2: (120, 960)})
    assert str(refusal.value) == "A service level needs a target for every priority (1 to 4); missing: 3, 4."


def test_a_subscription_to_another_service_level_is_refused(catalogue, service_owner):
    with pytest.raises(LevelOfAnotherService):
        subscribe_department(actor=service_owner, department=catalogue.department,
                             service=catalogue.unsubscribed_service, level=catalogue.gold,
                             valid_from=datetime.date(2026, 1, 1))


def test_only_service_owners_publish(catalogue):
    with pytest.raises(AccessDenied):
        publish_service(actor=catalogue.requester_user, code="x", kind="ict", names={"en": "X"},
                        unit_price=Decimal("1"))
