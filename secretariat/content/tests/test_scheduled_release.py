"""Release at a set time (embargo): all six languages become public together at the set minute,
and nothing of the document is visible before it. The clock is frozen and moved by the test."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from secretariat.content import selectors, services, tasks
from secretariat.content.models import OfficialDocument
from secretariat.content.services import LanguageVersionsNotFinal
from secretariat.content.tests.conftest import staff_user
from secretariat.content.tests.test_official_documents import TITLES
from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2027, 3, 8, 12, 0, tzinfo=datetime.UTC)


class Clock:
    def __init__(self, monkeypatch, now):
        self.now = now
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def move_to(self, now):
        self.now = now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, NOON)


@pytest.fixture
def officer(office):
    return staff_user("olga.documents", office.unit, "documents_officer")


@pytest.fixture
def ready(office, officer, clock):
    """A report in translation, every language final."""
    official = services.register_official_document(actor=officer, symbol="A/75/6 (Sect. 29A)", title=TITLES["en"],
                                                    org_unit=office.unit)
    for language, title in TITLES.items():
        services.add_language_version(actor=officer, official_id=official.pk, language=language, title=title,
                                      file_name=f"{language}.txt", data=f"{title}: embargoed text".encode())
    services.move_official_document(actor=officer, official_id=official.pk, to_status="review")
    services.move_official_document(actor=officer, official_id=official.pk, to_status="translation")
    for document in official.language_versions.all():
        services.mark_language_version_final(actor=officer, document_id=document.pk)
    return official


def test_all_six_languages_are_released_at_the_set_minute_and_not_before(office, officer, ready, clock):
    # given: scheduled for 15:30:45 (kept to the minute)
    release_at = NOON + datetime.timedelta(hours=3, minutes=30, seconds=45)
    services.schedule_release(actor=officer, official_id=ready.pk, release_at=release_at)
    colleague = office.colleague  # internal staff, who may read issued internal documents
    # when: the periodic task runs a minute before
    clock.move_to(NOON + datetime.timedelta(hours=3, minutes=29, seconds=59))
    assert tasks.release_scheduled_documents() == []
    # then: nothing is visible, to the public, to colleagues or in search
    assert not selectors.public_official_documents(symbol="A/75/6").exists()
    assert not selectors.public_official_documents(query="embargoed").exists()
    assert not selectors.visible_documents(actor=colleague).filter(official_document=ready).exists()
    assert selectors.search_documents(actor=colleague, query="embargoed").total == 0
    # when: the task runs at the set minute (a few seconds late)
    clock.move_to(NOON + datetime.timedelta(hours=3, minutes=30, seconds=7))
    assert tasks.release_scheduled_documents() == ["A/75/6 (Sect. 29A)"]
    # then: every language at once, published at the set minute
    published = selectors.public_official_documents(symbol="A/75/6")
    assert sorted(published.values_list("language", flat=True)) == sorted(TITLES)
    assert set(published.values_list("published_at", flat=True)) == {NOON + datetime.timedelta(hours=3, minutes=30)}
    ready.refresh_from_db()
    assert ready.status == "issued" and ready.issued_on == datetime.date(2027, 3, 8)
    event = AuditEvent.objects.filter(action="content.official.issued", target_id=str(ready.pk)).get()
    assert event.actor_id is None and event.changes["scheduled_by"] == officer.pk
    assert tasks.release_scheduled_documents() == []  # released once


def test_scheduling_is_refused_in_the_past_or_with_a_language_not_final(office, officer, clock):
    official = services.register_official_document(actor=officer, symbol="S/PV.8000", title="Record",
                                                    org_unit=office.unit, required_languages=["en", "fr"])
    services.add_language_version(actor=officer, official_id=official.pk, language="en", title="Record",
                                  file_name="en.txt", data=b"Record")
    services.move_official_document(actor=officer, official_id=official.pk, to_status="review")
    services.move_official_document(actor=officer, official_id=official.pk, to_status="translation")
    with pytest.raises(LanguageVersionsNotFinal):
        services.schedule_release(actor=officer, official_id=official.pk, release_at=NOON + datetime.timedelta(days=1))
    services.add_language_version(actor=officer, official_id=official.pk, language="fr", title="Procès-verbal",
                                  file_name="fr.txt", data=b"Proces-verbal")
    for document in official.language_versions.all():
        services.mark_language_version_final(actor=officer, document_id=document.pk)
    with pytest.raises(InvalidInput) as refusal:
        services.schedule_release(actor=officer, official_id=official.pk, release_at=NOON)
    assert refusal.value.errors == {"release_at": ["Choose a release time in the future."]}


def test_a_scheduled_document_is_fixed_until_the_release_is_cancelled(office, officer, ready, clock):
    services.schedule_release(actor=officer, official_id=ready.pk, release_at=NOON + datetime.timedelta(days=1))
    with pytest.raises(Exception, match="Scheduled for release"):
        services.move_official_document(actor=officer, official_id=ready.pk, to_status="translation")
    services.cancel_scheduled_release(actor=officer, official_id=ready.pk)
    clock.move_to(NOON + datetime.timedelta(days=2))
    assert tasks.release_scheduled_documents() == []
    ready.refresh_from_db()
    assert (ready.status, ready.release_at) == ("translation", None)


def test_scheduling_through_the_page_and_the_api(client, office, officer, ready, clock):
    # the page
    client.force_login(officer)
    page = client.get(f"/content/official/{ready.pk}/").content.decode()
    assert "Schedule release in all languages" in page
    client.post(f"/content/official/{ready.pk}/schedule/", {"release_at": "2027-03-09T09:00"})
    assert OfficialDocument.objects.get(pk=ready.pk).status == "scheduled"
    assert "Cancel the scheduled release" in client.get(f"/content/official/{ready.pk}/").content.decode()
    # the API
    api = APIClient()
    api.force_authenticate(officer)
    assert api.post(f"/api/v1/content/official-documents/{ready.pk}/cancel-release/").json()["status"] == "translation"
    scheduled = api.post(f"/api/v1/content/official-documents/{ready.pk}/schedule-release/",
                         {"release_at": "2027-03-09T10:00:00+01:00"}, format="json").json()
    assert (scheduled["status"], scheduled["release_at"]) == ("scheduled", "2027-03-09T09:00:00Z")
