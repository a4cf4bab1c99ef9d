"""Follow the sun: unassigned tickets go to the desk open now that speaks the requester's
language; at the end of a shift open tickets are handed over to the next desk."""

import datetime

import pytest

from secretariat.servicedesk.services import TicketDraft, assign_ticket, hand_over_shift, raise_ticket

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def raise_at(catalogue, moment, language=""):
    return raise_ticket(actor=catalogue.requester_user, now=moment, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Printer", opened_at=moment,
        language=language))


@pytest.mark.parametrize(("moment", "language", "desk"), [
    (datetime.datetime(2026, 11, 24, 15, 0, tzinfo=UTC), "es", "ny"),  # NY 10:00 speaks Spanish
    (datetime.datetime(2026, 11, 24, 7, 0, tzinfo=UTC), "es", "amm"),  # only Amman (09:00) is open
    (datetime.datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "en", "gva"),  # home station first among open desks
    (datetime.datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "ar", "amm"),  # Amman speaks Arabic
    (datetime.datetime(2026, 11, 24, 3, 0, tzinfo=UTC), "es", "gva"),  # all closed: the home station's desk
    (datetime.datetime(2026, 11, 27, 12, 0, tzinfo=UTC), "ar", "gva"),  # Friday: Amman is on its weekend
])
def test_routes_to_the_open_desk_speaking_the_language(catalogue, moment, language, desk):
    assert raise_at(catalogue, moment, language).desk.code == desk


def test_hand_over_at_the_end_of_the_geneva_shift(catalogue):
    # given an unassigned ticket and an assigned one at the Geneva desk
    unassigned = raise_at(catalogue, datetime.datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "en")
    assigned = raise_at(catalogue, datetime.datetime(2026, 11, 24, 12, 5, tzinfo=UTC), "en")
    assign_ticket(actor=catalogue.agent, ticket_id=assigned.pk, assignee=catalogue.agent)
    # when Geneva closes (17:45 local) and New York is open
    moved = hand_over_shift(actor=catalogue.agent, desk=catalogue.geneva_desk,
                            now=datetime.datetime(2026, 11, 24, 16, 45, tzinfo=UTC))
    # then
    assert moved == 1
    unassigned.refresh_from_db()
    assigned.refresh_from_db()
    assert unassigned.desk == catalogue.new_york_desk
    assert assigned.desk == catalogue.geneva_desk
    assert unassigned.entries.filter(kind="assignment").get().body == "gva → ny"


def test_nothing_moves_when_no_other_desk_is_open(catalogue):
    raise_at(catalogue, datetime.datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "en")
    assert hand_over_shift(actor=catalogue.agent, desk=catalogue.geneva_desk,
                           now=datetime.datetime(2026, 11, 25, 3, 0, tzinfo=UTC)) == 0
