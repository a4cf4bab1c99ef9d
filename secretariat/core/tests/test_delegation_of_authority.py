"""May this person exercise authority X for amount Y in scope Z today?"""

import datetime
from decimal import Decimal

import pytest

from secretariat.core import services
from secretariat.core.authority import AuthorityNotHeld, authority_refusal, may_exercise_authority, require_authority
from secretariat.core.models import AuditEvent, AuthorityKind
from secretariat.core.scopes import Scope
from secretariat.core.tests.factories import UserFactory, delegation

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def certifier(offices):
    user = UserFactory(username="certifier")
    delegation(user, "certifying_officer", offices.geneva, limit="50000.00",
               valid_from=datetime.date(2026, 1, 1), valid_until=datetime.date(2026, 12, 31))
    return user


def test_within_limit_scope_and_dates_is_allowed(offices, certifier):
    assert may_exercise_authority(user=certifier, authority="certifying_officer", amount=Decimal("50000.00"),
                                  target=offices.geneva_person, on=TODAY)


def test_one_cent_over_the_limit_is_refused(offices, certifier):
    assert authority_refusal(user=certifier, authority="certifying_officer", amount=Decimal("50000.01"),
                             target=offices.geneva_person, on=TODAY) == "the amount exceeds the delegated limit"


def test_outside_the_scope_is_refused(offices, certifier):
    assert authority_refusal(user=certifier, authority="certifying_officer", amount=Decimal("10"),
                             target=offices.nairobi_person, on=TODAY) == (
        "the transaction is outside the delegation's scope")


def test_a_unit_inside_the_scope_is_covered(offices, certifier):
    assert may_exercise_authority(user=certifier, authority="certifying_officer", amount=Decimal("10"),
                                  target=offices.geneva_hr_section, on=TODAY)


def test_expired_or_not_yet_valid_is_refused(offices, certifier):
    for day in (datetime.date(2025, 12, 31), datetime.date(2027, 1, 1)):
        assert authority_refusal(user=certifier, authority="certifying_officer", amount=Decimal("10"),
                                 target=offices.geneva_person, on=day) == (
            "the delegation is not in force on that date")


def test_another_authority_or_currency_is_refused(offices, certifier):
    assert authority_refusal(user=certifier, authority="approving_officer", amount=Decimal("10"),
                             target=offices.geneva_person, on=TODAY) == "no delegation of this authority"
    assert authority_refusal(user=certifier, authority="certifying_officer", amount=Decimal("10"), currency="EUR",
                             target=offices.geneva_person, on=TODAY) == "the delegated limit is in another currency"


def test_require_authority_raises_a_translatable_refusal(offices, certifier):
    with pytest.raises(AuthorityNotHeld) as refusal:
        require_authority(user=certifier, authority="certifying_officer", amount=Decimal("60000"),
                          target=offices.geneva_person, on=TODAY)
    assert "the amount exceeds the delegated limit" in str(refusal.value)


def test_revoked_delegation_no_longer_counts(offices, certifier, superuser):
    held = certifier.delegations_held.get()
    services.revoke_delegation(actor=superuser, delegation_id=held.pk)
    assert not may_exercise_authority(user=certifier, authority="certifying_officer", amount=Decimal("1"),
                                      target=offices.geneva_person, on=TODAY)
    assert AuditEvent.objects.filter(action="access.delegation_revoked", target_id=str(held.pk)).exists()


def test_subdelegation_within_what_one_holds_is_recorded_and_audited(offices, certifier):
    # given
    deputy = UserFactory(username="deputy")
    # when
    given = services.delegate_authority(
        actor=certifier, delegate=deputy, authority=AuthorityKind.objects.get(code="certifying_officer"),
        scope=Scope.of(offices.geneva_hr), limit_amount=Decimal("20000"), valid_from=TODAY,
    )
    # then
    assert may_exercise_authority(user=deputy, authority="certifying_officer", amount=Decimal("20000"),
                                  target=offices.geneva_hr_section, on=TODAY)
    event = AuditEvent.objects.get(action="access.authority_delegated")
    assert event.target_id == str(given.pk) and event.changes["limit_amount"] == "20000"


@pytest.mark.parametrize("limit, scope_name", [("50000.01", "geneva"), ("100", "nairobi")])
def test_cannot_delegate_more_or_wider_than_held(offices, certifier, limit, scope_name):
    deputy = UserFactory(username="deputy")
    with pytest.raises(services.CannotDelegateMore):
        services.delegate_authority(
            actor=certifier, delegate=deputy, authority=AuthorityKind.objects.get(code="certifying_officer"),
            scope=Scope.of(getattr(offices, scope_name)), limit_amount=Decimal(limit), valid_from=TODAY,
        )
    assert not deputy.delegations_held.exists()


def test_authority_check_through_the_api(offices, certifier, client):
    client.force_login(certifier)
    body = {"user": "certifier", "authority": "certifying_officer", "amount": "70000", "scope_kind": "entity",
            "scope_id": offices.geneva.pk, "on": "2026-06-15"}
    answer = client.post("/api/v1/delegations/check/", body, content_type="application/json").json()
    assert answer == {"allowed": False, "reason": "the amount exceeds the delegated limit"}
