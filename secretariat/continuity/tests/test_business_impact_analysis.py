"""A department's BIA: questionnaire, impacts over time, resulting RTO and RPO, sign-off, history."""

from decimal import Decimal

import pytest

from secretariat.continuity.exceptions import AnalysisIncomplete, AnalysisSignedOff
from secretariat.continuity.models import ImpactCategory, ImpactHorizon
from secretariat.continuity.selectors import analysis_history
from secretariat.continuity.services import (
    record_business_impacts,
    sign_off_business_impact_analysis,
    start_business_impact_analysis,
)
from secretariat.core.exceptions import InvalidInput


def all_impacts(severity=1, **overrides):
    impacts = {(category, hours): severity for category in ImpactCategory.values for hours in ImpactHorizon.values}
    impacts.update(overrides)
    return impacts


@pytest.mark.parametrize(("major_at", "band"), [(4, "0-4h"), (24, "4-24h"), (72, "24-72h"), (168, "72h+")])
def test_the_resulting_rto_band_is_where_an_impact_first_becomes_major(registry, major_at, band):
    analysis = start_business_impact_analysis(actor=registry.officer, org_unit=registry.department)
    impacts = all_impacts()
    impacts[("legal", major_at)] = 3
    # when
    analysis = record_business_impacts(actor=registry.officer, analysis_id=analysis.pk, impacts=impacts,
                                       questionnaire={"workarounds": "Paper forms"}, rpo_hours=Decimal("2"))
    # then
    assert analysis.rto_band == band
    assert analysis.rpo_hours == Decimal("2")
    assert analysis.impacts.count() == 16


def test_no_major_impact_within_a_week_gives_more_than_72_hours(registry):
    analysis = start_business_impact_analysis(actor=registry.officer, org_unit=registry.department)
    analysis = record_business_impacts(actor=registry.officer, analysis_id=analysis.pk, impacts=all_impacts(2),
                                       questionnaire={}, rpo_hours=Decimal("24"))
    assert analysis.rto_band == "72h+"


def test_sign_off_freezes_the_analysis_and_keeps_it_in_the_history(registry):
    first = start_business_impact_analysis(actor=registry.officer, org_unit=registry.department)
    record_business_impacts(actor=registry.officer, analysis_id=first.pk, impacts=all_impacts(4), questionnaire={},
                            rpo_hours=Decimal("0.5"))
    # when
    signed = sign_off_business_impact_analysis(actor=registry.officer, analysis_id=first.pk)
    second = start_business_impact_analysis(actor=registry.officer, org_unit=registry.department)
    # then
    assert (signed.status, signed.signed_off_by) == ("signed_off", registry.officer)
    with pytest.raises(AnalysisSignedOff) as refusal:
        record_business_impacts(actor=registry.officer, analysis_id=first.pk, impacts=all_impacts(0),
                                questionnaire={}, rpo_hours=Decimal("1"))
    assert str(refusal.value) == ("Business impact analysis version 1 is signed off and can no longer be "
                                  "changed.")
    assert [(a.version, a.status, a.rto_band) for a in analysis_history(actor=registry.officer,
                                                                        org_unit=registry.department)] == [
        (2, "draft", ""), (1, "signed_off", "0-4h")]
    assert second.version == 2


def test_sign_off_refuses_an_incomplete_analysis(registry):
    analysis = start_business_impact_analysis(actor=registry.officer, org_unit=registry.department)
    record_business_impacts(actor=registry.officer, analysis_id=analysis.pk, impacts={("financial", 4): 4},
                            questionnaire={}, rpo_hours=None)
    with pytest.raises(AnalysisIncomplete) as refusal:
        sign_off_business_impact_analysis(actor=registry.officer, analysis_id=analysis.pk)
    assert str(refusal.value) == ("The business impact analysis cannot be signed off yet: impacts not rated for "
                                  "every category and horizon, no RPO.")
    analysis.refresh_from_db()
    assert analysis.status == "draft"


def test_refuses_a_second_analysis_in_progress(registry):
    start_business_impact_analysis(actor=registry.officer, org_unit=registry.department)
    with pytest.raises(InvalidInput) as refusal:
        start_business_impact_analysis(actor=registry.officer, org_unit=registry.department)
    assert [str(m) for m in refusal.value.errors["org_unit"]] == [
        "This department already has a business impact analysis in progress."]


def test_refuses_ratings_outside_the_scale(registry):
    analysis = start_business_impact_analysis(actor=registry.officer, org_unit=registry.department)
    with pytest.raises(InvalidInput) as refusal:
        record_business_impacts(actor=registry.officer, analysis_id=analysis.pk, impacts={("financial", 4): 7},
                                questionnaire={}, rpo_hours=Decimal("1"))
    assert [str(m) for m in refusal.value.errors["impacts"]] == ["A severity is between 0 (none) and 4 (severe)."]
