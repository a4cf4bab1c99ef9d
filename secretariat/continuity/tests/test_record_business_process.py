"""Business continuity officers record a department's processes with owner, MTD and RTO band."""

import pytest
from django.db import IntegrityError, transaction

from secretariat.continuity.models import BusinessProcess
from secretariat.continuity.services import record_business_process
from secretariat.core.exceptions import AccessDenied, InvalidInput
from secretariat.core.models import AuditEvent


def record(registry, **overrides):
    arguments = {"actor": registry.officer, "org_unit": registry.department, "name": "Meeting servicing",
                 "owner": registry.owner, "maximum_tolerable_downtime_hours": 8, "rto_band": "0-4h"}
    return record_business_process(**{**arguments, **overrides})


def test_records_a_critical_process_and_audits_it(registry):
    # when
    process = record(registry)
    # then
    assert (process.name, process.rto_band, process.is_critical) == ("Meeting servicing", "0-4h", True)
    assert process.owner == registry.owner
    event = AuditEvent.objects.get(action="continuity.business_process.recorded")
    assert event.changes["rto_band"] == "0-4h"


def test_a_process_in_24_to_72_hours_is_not_critical(registry):
    assert record(registry, rto_band="24-72h", maximum_tolerable_downtime_hours=96).is_critical is False


def test_refuses_a_process_without_an_owner(registry):
    # when
    with pytest.raises(InvalidInput) as refusal:
        record(registry, owner=None)
    # then
    assert [str(m) for m in refusal.value.errors["owner"]] == ["Every business process needs an owner."]
    assert not BusinessProcess.objects.exists()


def test_refuses_an_rto_band_outside_the_four(registry):
    with pytest.raises(InvalidInput) as refusal:
        record(registry, rto_band="1-2h")
    assert [str(m) for m in refusal.value.errors["rto_band"]] == [
        "Choose one of the four RTO bands: 0–4 hours, 4–24 hours, 24–72 hours or more than 72 hours."]
    assert not BusinessProcess.objects.exists()


def test_refuses_an_rto_band_that_ends_after_the_tolerable_downtime(registry):
    # when: the band reaches 24 hours but the process tolerates 5 (the case found in the review)
    with pytest.raises(InvalidInput) as refusal:
        record(registry, rto_band="4-24h", maximum_tolerable_downtime_hours=5)
    # then
    assert [str(m) for m in refusal.value.errors["rto_band"]] == [
        "The RTO band 4–24 hours does not fit within the maximum tolerable downtime of 5 hours: the process could "
        "still be down when the downtime is no longer tolerable. Choose a band that ends within 5 hours, or review "
        "the maximum tolerable downtime."]
    assert not BusinessProcess.objects.exists()


@pytest.mark.parametrize(("band", "mtd", "fits"), [
    ("0-4h", 1, True), ("4-24h", 23, False), ("4-24h", 24, True), ("24-72h", 71, False), ("24-72h", 72, True),
    ("72h+", 72, False), ("72h+", 73, True)])
def test_the_band_must_end_within_the_tolerable_downtime(registry, band, mtd, fits):
    try:
        record(registry, rto_band=band, maximum_tolerable_downtime_hours=mtd)
    except InvalidInput as refusal:
        assert not fits and "rto_band" in refusal.errors
    else:
        assert fits


def test_refuses_a_duplicate_name_in_the_department(registry):
    record(registry)
    with pytest.raises(InvalidInput) as refusal:
        record(registry)
    assert [str(m) for m in refusal.value.errors["name"]] == [
        "This department already has a business process with this name."]


def test_refuses_an_officer_of_another_entity(registry):
    with pytest.raises(AccessDenied):
        record(registry, actor=registry.outsider)
    assert not BusinessProcess.objects.exists()


@pytest.mark.parametrize("fields", [{"rto_band": "1-2h"}, {"rto_band": "72h+", "maximum_tolerable_downtime_hours": 10},
                                    {"rto_band": "4-24h", "maximum_tolerable_downtime_hours": 5},
                                    {"maximum_tolerable_downtime_hours": 0}])
def test_the_database_refuses_invalid_rows_written_around_the_service(registry, fields):
    row = {"org_unit": registry.department, "name": "Direct", "owner": registry.owner,
           "maximum_tolerable_downtime_hours": 8, "rto_band": "0-4h", **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessProcess.objects.create(**row)
