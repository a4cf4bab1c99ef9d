"""The organisation's structure: the org-unit tree, duty-station calendars, reference data."""

import pytest
from django.core.exceptions import ValidationError

from secretariat.core import services
from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import Country, Currency, OrgUnit
from secretariat.core.selectors import org_tree
from secretariat.core.tests.factories import DutyStationFactory


def test_units_nest_below_a_higher_level_and_keep_their_path(offices, superuser):
    # when
    unit = services.create_org_unit(actor=superuser, entity=offices.geneva, parent=offices.geneva_hr_section,
                                    code="UNOG-HR-REC-1", name="Recruitment Unit", level="unit",
                                    duty_station=offices.geneva_station)
    # then
    assert unit.path == f"{offices.geneva_hr_section.path}{unit.pk}/"
    tree = org_tree(entity=offices.geneva)
    assert [node.unit.code for node in tree] == ["UNOG-HR"]
    assert tree[0].children[0].children[0].unit.code == "UNOG-HR-REC-1"


def test_a_unit_cannot_sit_at_or_above_its_parents_level(offices, superuser):
    with pytest.raises(InvalidInput) as refusal:
        services.create_org_unit(actor=superuser, entity=offices.geneva, parent=offices.geneva_hr_section,
                                 code="X", name="Wrong", level="division", duty_station=offices.geneva_station)
    assert refusal.value.errors == {"level": ["A unit must sit at a lower level than its parent."]}
    assert not OrgUnit.objects.filter(code="X").exists()


def test_a_parent_from_another_entity_is_refused(offices, superuser):
    with pytest.raises(InvalidInput) as refusal:
        services.create_org_unit(actor=superuser, entity=offices.nairobi, parent=offices.geneva_hr,
                                 code="X", name="Wrong", level="section", duty_station=offices.nairobi_station)
    assert refusal.value.errors == {"parent": ["The parent unit belongs to another entity."]}


@pytest.mark.django_db
def test_duty_station_needs_a_real_time_zone_and_work_week():
    station = DutyStationFactory.build(code="XXX", time_zone="Mars/Olympus", work_days=[5, 6, 8])
    with pytest.raises(ValidationError) as invalid:
        station.full_clean()
    assert set(invalid.value.message_dict) == {"time_zone", "work_days"}


@pytest.mark.django_db
def test_friday_saturday_weekend_is_expressible():
    station = DutyStationFactory(code="KBL", time_zone="Asia/Kabul", work_days=[7, 1, 2, 3, 4])
    assert station.weekend_days == [5, 6]


@pytest.mark.django_db
def test_member_states_and_currencies_with_names_in_six_languages():
    from django.utils import translation

    assert Country.objects.filter(is_member_state=True).count() == 193
    assert not Country.objects.get(alpha2="VA").is_member_state  # Holy See: observer State
    france = Country.objects.get(alpha2="FR")
    names = {}
    for language in ["ar", "zh-hans", "en", "fr", "ru", "es"]:
        with translation.override(language):
            names[language] = france.name
    assert names == {"ar": "فرنسا", "zh-hans": "法国", "en": "France", "fr": "France", "ru": "Франция",
                     "es": "Francia"}
    assert Currency.objects.get(code="JPY").minor_units == 0


def test_add_public_holiday_once_per_day(offices, superuser):
    import datetime

    services.add_public_holiday(actor=superuser, duty_station=offices.geneva_station,
                                holiday_on=datetime.date(2026, 12, 25), name="Christmas Day")
    with pytest.raises(InvalidInput):
        services.add_public_holiday(actor=superuser, duty_station=offices.geneva_station,
                                    holiday_on=datetime.date(2026, 12, 25), name="Again")
    assert offices.geneva_station.public_holidays.count() == 1
