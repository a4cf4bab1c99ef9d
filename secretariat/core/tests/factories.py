import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from secretariat.core import services
from secretariat.core.models import (
    AuthorityKind,
    Country,
    Delegation,
    DutyStation,
    Entity,
    OrgUnit,
    Person,
    Role,
    RoleAssignment,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or "correct-horse-battery")
        if create:
            user.save(update_fields=["password"])


class DutyStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyStation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DS{n}")
    name = factory.LazyAttribute(lambda d: f"Station {d.code}")
    country = factory.LazyFunction(lambda: Country.objects.get(alpha2="CH"))
    city = "Geneva"
    time_zone = "Europe/Zurich"
    work_days = [1, 2, 3, 4, 5]


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ENT{n}")
    name = factory.LazyAttribute(lambda e: f"Entity {e.code}")
    kind = "office_away"
    headquarters = factory.SubFactory(DutyStationFactory)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """Units get their materialised path the way the service gives it."""

    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    entity = factory.SubFactory(EntityFactory)
    code = factory.Sequence(lambda n: f"UNIT{n}")
    name = factory.LazyAttribute(lambda u: f"Unit {u.code}")
    level = "division"
    duty_station = factory.LazyAttribute(lambda u: u.entity.headquarters)
    path = ""

    @factory.post_generation
    def set_path(unit, create, extracted, **kwargs):
        unit.path = services.org_unit_path(unit.parent, unit.pk)
        unit.save(update_fields=["path"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = "Amina"
    family_name = factory.Sequence(lambda n: f"Family{n}")
    gender = "female"
    nationality = factory.LazyFunction(lambda: Country.objects.get(alpha2="KE"))
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    org_unit = factory.SubFactory(OrgUnitFactory)
    duty_station = factory.LazyAttribute(lambda p: p.org_unit.duty_station)


def grant(user, role_code: str, scope_object=None, **dates) -> RoleAssignment:
    """A role assignment written directly: the setup of a test, not the behaviour under test."""
    from secretariat.core.scopes import Scope

    scope = Scope.of(scope_object)
    return RoleAssignment.objects.create(
        user=user, role=Role.objects.get(code=role_code), scope_kind=scope.kind, scope_id=scope.object_id,
        valid_from=dates.get("valid_from", datetime.date(2000, 1, 1)), valid_until=dates.get("valid_until"),
    )


def delegation(delegate, authority_code: str, scope_object=None, limit="1000.00", **fields) -> Delegation:
    from secretariat.core.scopes import Scope

    scope = Scope.of(scope_object)
    return Delegation.objects.create(
        authority=AuthorityKind.objects.get(code=authority_code), delegate=delegate,
        delegated_by=fields.pop("delegated_by", None) or UserFactory(username="secretary.general"),
        scope_kind=scope.kind, scope_id=scope.object_id, limit_amount=Decimal(limit) if limit else None,
        valid_from=fields.pop("valid_from", datetime.date(2000, 1, 1)), **fields,
    )
