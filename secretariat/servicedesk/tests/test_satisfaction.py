"""The satisfaction survey after resolution, and the annual survey against its target."""

from decimal import Decimal

import pytest

from secretariat.core.tests.factories import UserFactory
from secretariat.servicedesk.models import AnnualSurveyResult
from secretariat.servicedesk.selectors import annual_survey
from secretariat.servicedesk.services import (
    NotTheRequester,
    SurveyAlreadyAnswered,
    SurveyNotOpen,
    TicketDraft,
    answer_survey,
    raise_ticket,
    resolve_ticket,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(catalogue):
    return raise_ticket(actor=catalogue.requester_user, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Calendar sync"))


def test_the_requester_answers_once_after_resolution(catalogue, ticket):
    with pytest.raises(SurveyNotOpen) as refusal:
        answer_survey(actor=catalogue.requester_user, ticket_id=ticket.pk, rating=5)
    assert str(refusal.value) == f"The survey for ticket {ticket.reference} opens when the ticket is resolved."
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Re-synced")
    # when
    response = answer_survey(actor=catalogue.requester_user, ticket_id=ticket.pk, rating=4, comment="Rápido")
    # then
    assert (response.rating, response.comment) == (4, "Rápido")
    with pytest.raises(SurveyAlreadyAnswered):
        answer_survey(actor=catalogue.requester_user, ticket_id=ticket.pk, rating=1)


def test_only_the_requester_answers(catalogue, ticket):
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Re-synced")
    with pytest.raises(NotTheRequester):
        answer_survey(actor=UserFactory(username="someone"), ticket_id=ticket.pk, rating=5)


def test_the_annual_survey_reports_against_its_target(catalogue):
    AnnualSurveyResult.objects.create(year=2009, service=catalogue.email_service, respondents=1000, satisfied=716,
                                      target_percent=Decimal("80.0"))
    [result] = annual_survey(year=2009)
    assert result.satisfied_percent == Decimal("71.6") and result.satisfied_percent < result.target_percent
