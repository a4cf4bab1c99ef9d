"""Load the demo organisation: duty stations with holidays, entities, org units, about 2,000
staff and one demo user per role.

A bulk import: structure and people are inserted in bulk and the load is audited as one event;
roles and delegations go through the services like any administrator's grant. Privileged roles
take four eyes, so the demo has two superusers: ``admin`` grants and ``admin2`` approves.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

import holidays as holiday_calendars
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker

from secretariat.core import services
from secretariat.core.audit import record_audit_event
from secretariat.core.demo_organisation import DUTY_STATIONS, ENTITIES, FIELD_UNITS, HEADQUARTERS_UNITS
from secretariat.core.models import (
    AuthorityKind,
    Country,
    DutyStation,
    Entity,
    Grade,
    OrgUnit,
    Person,
    PublicHoliday,
    Role,
    RoleAssignment,
)
from secretariat.core.models.access import GrantStatus
from secretariat.core.scopes import Scope

User = get_user_model()
DEMO_PASSWORD = "Secretariat-demo-2026"
SECOND_ADMIN = "admin2"
STAFF_COUNT = 2000

# Faker locales whose names are written in Latin script, with the nationality they suggest.
NAME_LOCALES = {
    "en_IN": "IN", "fr_FR": "FR", "es_MX": "MX", "pt_BR": "BR", "de_DE": "DE", "tr_TR": "TR", "id_ID": "ID",
    "vi_VN": "VN", "sw": "KE", "yo_NG": "NG", "fil_PH": "PH", "pl_PL": "PL", "it_IT": "IT", "en_GB": "GB",
    "en_US": "US", "ha_NG": "NG", "az_AZ": "AZ", "nl_NL": "NL", "es_ES": "ES", "es_CO": "CO", "fr_CA": "CA",
    "en_AU": "AU", "zh_CN": "CN", "ja_JP": "JP", "ru_RU": "RU", "ar_EG": "EG",
}
# Locales that write names in another script: use their romanised names.
ROMANISED = {"zh_CN", "ja_JP"}
ARABIC_GIVEN = {"female": ["Amira", "Fatima", "Layla", "Mariam", "Nour", "Rania", "Salma", "Yasmin", "Huda", "Dina"],
                "male": ["Ahmed", "Omar", "Khaled", "Youssef", "Karim", "Tarek", "Hassan", "Sami", "Walid", "Nabil"]}
ARABIC_FAMILY = ["El-Masri", "Haddad", "Khoury", "Mansour", "Nasser", "Saleh", "Farouk", "Aziz", "Hamdan", "Sabry"]
RUSSIAN_GIVEN = {"female": ["Anna", "Elena", "Irina", "Natalia", "Olga", "Svetlana", "Tatiana", "Yulia"],
                 "male": ["Alexei", "Dmitry", "Ivan", "Mikhail", "Nikolai", "Sergei", "Vladimir", "Yuri"]}
RUSSIAN_FAMILY = ["Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Volkov", "Morozov"]

# Grade mix of a typical Secretariat population (weights).
GRADE_WEIGHTS = {"USG": 1, "ASG": 1, "D-2": 3, "D-1": 8, "P-5": 30, "P-4": 60, "P-3": 70, "P-2": 30, "P-1": 2,
                 "GS-7": 20, "GS-6": 50, "GS-5": 60, "GS-4": 60, "GS-3": 30, "GS-2": 5, "FS-6": 15, "FS-5": 20,
                 "FS-4": 20, "NO-B": 15, "NO-C": 8, "NO-A": 5}
FIELD_KINDS = {"peacekeeping_mission", "political_mission"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    given_name: str
    family_name: str
    role: str | None
    scope_entity: str | None  # None: whole organisation
    org_unit: str


DEMO_USERS = [
    DemoUser("admin", "Ada", "Admin", None, None, "OICT"),
    DemoUser("admin2", "Idris", "Osei", None, None, "OICT"),  # the second pair of eyes on privileged grants
    DemoUser("auditor", "Olu", "Audit", "auditor", None, "DMSPC"),
    DemoUser("access.admin", "Amal", "Access", "access_administrator", None, "OICT-PPS"),
    DemoUser("hr.geneva", "Gabrielle", "Roux", "hr_officer", "UNOG", "UNOG-ADM-HR"),
    DemoUser("hr.nairobi", "Wanjiru", "Kamau", "hr_officer", "UNON", "UNON-ADM-HR"),
    DemoUser("certifier", "Chen", "Wei", "staff_directory", "UNHQ", "FD-AS"),
    DemoUser("approver", "Ana", "Morales", "staff_directory", "UNHQ", "FD"),
    DemoUser("staff", "Sam", "Staff", "staff_directory", "UNHQ", "OICT-OPS-SD-NY-L1"),
]


def person_name(faker: Faker, locale: str, gender: str, rng: random.Random) -> tuple[str, str]:
    if locale == "ar_EG":
        return rng.choice(ARABIC_GIVEN[gender]), rng.choice(ARABIC_FAMILY)
    if locale == "ru_RU":
        return rng.choice(RUSSIAN_GIVEN[gender]), rng.choice(RUSSIAN_FAMILY)
    if locale in ROMANISED:
        return faker.first_romanized_name(), faker.last_romanized_name()
    given = faker.first_name_female() if gender == "female" else faker.first_name_male()
    return given, faker.last_name()


def load_duty_stations(years: list[int]) -> dict[str, DutyStation]:
    countries = {c.alpha2: c for c in Country.objects.all()}
    stations = {}
    for code, (name, names, country, city, zone, work_days, holiday_country) in DUTY_STATIONS.items():
        stations[code] = DutyStation.objects.create(
            code=code, name=name, name_translations={"en": name, **names}, country=countries[country], city=city,
            time_zone=zone, work_days=work_days,
        )
        calendar = holiday_calendars.country_holidays(holiday_country or country, years=years)
        PublicHoliday.objects.bulk_create(
            PublicHoliday(duty_station=stations[code], holiday_on=day, name=label[:200])
            for day, label in sorted(calendar.items())
        )
    return stations


def load_units(entity: Entity, rows, prefix: str, stations: dict[str, DutyStation]) -> None:
    by_code: dict[str, OrgUnit] = {}
    for code, name, level, parent_code in rows:
        parent = by_code.get(f"{prefix}{parent_code}") if parent_code else None
        unit = OrgUnit.objects.create(
            entity=entity, parent=parent, code=f"{prefix}{code}", name=name, level=level,
            duty_station=entity.headquarters, path="",
        )
        unit.path = services.org_unit_path(parent, unit.pk)
        unit.save(update_fields=["path"])
        by_code[unit.code] = unit


def load_people(rng: random.Random, count: int) -> None:
    fakers = {locale: Faker(locale) for locale in NAME_LOCALES}
    for index, faker in enumerate(fakers.values()):
        faker.seed_instance(index)
    countries = {c.alpha2: c for c in Country.objects.filter(alpha2__in=set(NAME_LOCALES.values()))}
    grades = {g.code: g for g in Grade.objects.all()}
    units = list(OrgUnit.objects.select_related("entity"))
    grade_codes, weights = zip(*GRADE_WEIGHTS.items())
    people = []
    for number in range(1, count + 1):
        locale = rng.choice(list(NAME_LOCALES))
        gender = rng.choice(["female", "male"])
        given, family = person_name(fakers[locale], locale, gender, rng)
        unit = rng.choice(units)
        grade = rng.choices(grade_codes, weights)[0]
        if grade.startswith("FS") and unit.entity.kind not in FIELD_KINDS:
            grade = "P-3"
        people.append(Person(
            index_number=f"{100000 + number}", given_name=given, family_name=family, gender=gender,
            nationality=countries[NAME_LOCALES[locale]], email=f"staff{number}@demo.secretariat.example",
            grade=grades[grade], org_unit=unit, duty_station=unit.duty_station,
            preferred_language=rng.choice(["ar", "zh-hans", "en", "en", "en", "fr", "fr", "ru", "es"]),
        ))
    Person.objects.bulk_create(people, batch_size=500)


def grant_demo_role(*, granter, user, role: Role, scope: Scope, valid_from=None) -> RoleAssignment:
    """Grant a role as ``granter``; a privileged role's pending grant is then approved by the
    demo's second superuser, as four eyes require. For every demo loader."""
    assignment = services.grant_role(actor=granter, user=user, role=role, scope=scope, valid_from=valid_from)
    if assignment.status == GrantStatus.PENDING:
        approver = User.objects.get(username=SECOND_ADMIN, is_superuser=True)
        services.approve_role_grant(actor=approver, assignment_id=assignment.pk)
    return assignment


def load_demo_users(admin) -> None:
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[d.org_unit for d in DEMO_USERS])}
    entities = {e.code: e for e in Entity.objects.all()}
    us = Country.objects.get(alpha2="US")
    for demo in DEMO_USERS:
        user = admin if demo.username == "admin" else User.objects.create_user(
            demo.username, email=f"{demo.username}@demo.secretariat.example", password=DEMO_PASSWORD,
            first_name=demo.given_name, last_name=demo.family_name, is_superuser=demo.username == SECOND_ADMIN,
            is_staff=demo.username == SECOND_ADMIN,
        )
        unit = units[demo.org_unit]
        Person.objects.create(
            user=user, given_name=demo.given_name, family_name=demo.family_name, gender="other", nationality=us,
            email=user.email, org_unit=unit, duty_station=unit.duty_station, job_title=demo.role or "",
        )
        if demo.role:
            scope = Scope.of(entities[demo.scope_entity]) if demo.scope_entity else Scope("global")
            grant_demo_role(granter=admin, user=user, role=Role.objects.get(code=demo.role), scope=scope)
    headquarters = Scope.of(entities["UNHQ"])
    for username, authority, limit in [("certifier", "certifying_officer", "500000"),
                                       ("approver", "approving_officer", "1000000")]:
        services.delegate_authority(
            actor=admin, delegate=User.objects.get(username=username),
            authority=AuthorityKind.objects.get(code=authority), scope=headquarters,
            limit_amount=Decimal(limit), reference="ST/SGB/2019/2",
        )


@transaction.atomic
def load_demo(*, staff_count: int = STAFF_COUNT, seed: int = 2026) -> bool:
    """Load the demo organisation unless it is already there. Returns whether it loaded."""
    if Entity.objects.exists():
        return False
    rng = random.Random(seed)
    year = timezone.localdate().year
    stations = load_duty_stations([year - 1, year, year + 1])
    for code, (name, kind, headquarters, names) in ENTITIES.items():
        entity = Entity.objects.create(code=code, name=name, kind=kind, headquarters=stations[headquarters],
                                       name_translations={"en": name, **names})
        if code == "UNHQ":
            load_units(entity, HEADQUARTERS_UNITS, "", stations)
        else:
            load_units(entity, FIELD_UNITS, f"{code}-", stations)
    load_people(rng, staff_count)
    admin = User.objects.create_superuser("admin", "admin@demo.secretariat.example", DEMO_PASSWORD,
                                          first_name="Ada", last_name="Admin")
    load_demo_users(admin)
    record_audit_event(actor=admin, action="demo.loaded", changes={
        "duty_stations": len(stations), "entities": len(ENTITIES), "org_units": OrgUnit.objects.count(),
        "people": Person.objects.count(),
    })
    return True
