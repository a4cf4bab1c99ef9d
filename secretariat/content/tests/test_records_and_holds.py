"""Records: declaration freezes content and key metadata, retention only grows, holds beat
retention and deletion for everyone, disposition with review and a destruction certificate."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from secretariat.content import selectors, services, storage
from secretariat.content.models import DestructionCertificate, DispositionItem, Document, DocumentVersion
from secretariat.content.services import RecordIsImmutable, RetentionCannotShorten, SameApprover, UnderLegalHold
from secretariat.content.tests.conftest import staff_user
from secretariat.content.tests.factories import RecordClassFactory, minimal_pdf
from secretariat.core.exceptions import AccessDenied
from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


CLOSED_EIGHT_YEARS_AGO = timezone.localdate().replace(year=timezone.localdate().year - 8, day=1)


@pytest.fixture
def record(office):
    """A record kept 7 years from the closure of its file, closed 8 years ago: due for disposition."""
    document = services.upload_document(actor=office.author, library=office.library, file_name="contract.pdf",
                                        data=minimal_pdf("Contract"), title="Fuel contract", language="en",
                                        document_type=office.memo)
    record_class = RecordClassFactory(code="FIN", retention_years=7, retention_trigger="closure")
    return services.declare_record(actor=office.records_manager, document_id=document.pk, record_class=record_class,
                                   closed_on=CLOSED_EIGHT_YEARS_AGO)


@pytest.fixture
def current_record(office):
    """A record declared today and kept 7 years from declaration: years from its disposition."""
    document = services.upload_document(actor=office.author, library=office.library, file_name="lease.pdf",
                                        data=minimal_pdf("Lease"), title="Office lease", language="en",
                                        document_type=office.memo)
    record_class = RecordClassFactory(code="LEASE", retention_years=7, retention_trigger="declaration")
    return services.declare_record(actor=office.records_manager, document_id=document.pk, record_class=record_class)


@pytest.fixture
def approver(office):
    return staff_user("dora.approver", office.unit, "disposition_approver")


def test_declaring_sets_retention_from_the_class(record, current_record):
    assert record.is_record
    assert record.retain_until == CLOSED_EIGHT_YEARS_AGO.replace(year=CLOSED_EIGHT_YEARS_AGO.year + 7)
    assert current_record.retain_until == timezone.now().date().replace(year=timezone.now().year + 7)


def test_a_declared_record_refuses_edits_and_new_versions(office, record):
    with pytest.raises(RecordIsImmutable) as refusal:
        services.update_document_metadata(actor=office.author, document_id=record.pk, title="Changed")
    assert str(refusal.value) == "“Fuel contract” is a declared record: its content and key metadata cannot change."
    with pytest.raises(RecordIsImmutable):
        services.check_out_document(actor=office.author, document_id=record.pk)
    record.refresh_from_db()
    assert record.title == "Fuel contract"


def test_the_database_refuses_editing_a_record_even_bypassing_the_services(record):
    with pytest.raises(DatabaseError, match="key metadata is immutable"), transaction.atomic():
        Document.objects.filter(pk=record.pk).update(title="Tampered")
    with pytest.raises(DatabaseError, match="key metadata is immutable"), transaction.atomic():
        Document.objects.filter(pk=record.pk).update(declared_at=None)
    version = record.versions.get()
    with pytest.raises(DatabaseError, match="no new version"), transaction.atomic():
        DocumentVersion.objects.create(document=record, number=2, file=version.file, file_name="x.pdf",
                                       created_by=record.created_by)


def test_retention_may_be_extended_never_shortened(office, record):
    later = record.retain_until.replace(year=record.retain_until.year + 3)
    services.extend_retention(actor=office.records_manager, document_id=record.pk, retain_until=later,
                              reason="Audit finding")
    with pytest.raises(RetentionCannotShorten) as refusal:
        services.extend_retention(actor=office.records_manager, document_id=record.pk,
                                  retain_until=record.retain_until, reason="Oops")
    assert str(refusal.value) == (f"Retention of “Fuel contract” runs until {later.isoformat()}; "
                                  "it may be extended but never shortened.")
    with pytest.raises(DatabaseError, match="never shortened"), transaction.atomic():
        Document.objects.filter(pk=record.pk).update(retain_until=datetime.date(2000, 1, 1))


def test_a_hold_blocks_deletion_for_everyone_including_superusers(office, record):
    # given
    hold = services.place_legal_hold(actor=office.records_manager, name="OIOS case 12", reason="Investigation",
                                     document_ids=[record.pk])
    root = UserFactory(username="root")
    root.is_superuser = True
    root.save()
    # when / then: the service refuses
    with pytest.raises(UnderLegalHold) as refusal:
        services.delete_document(actor=root, document_id=record.pk)
    assert str(refusal.value) == ("“Fuel contract” is under the legal hold “OIOS case 12”: "
                                  "it cannot be disposed of or deleted.")
    # and the database refuses a raw delete, and refuses emptying the hold
    with pytest.raises(DatabaseError, match="legal hold"), transaction.atomic():
        DocumentVersion.objects.filter(document=record).delete()
    with pytest.raises(DatabaseError, match="active legal hold cannot change"), transaction.atomic():
        hold.items.all().delete()
    assert Document.objects.filter(pk=record.pk).exists()


def test_holds_beat_retention_in_a_disposition_run(office, record, approver):
    # given: two records past retention, one of them held
    other = services.upload_document(actor=office.author, library=office.library, file_name="old.pdf",
                                     data=minimal_pdf("Old memo"), title="Old memo", language="en",
                                     document_type=office.memo)
    other = services.declare_record(actor=office.records_manager, document_id=other.pk,
                                    record_class=record.record_class, closed_on=CLOSED_EIGHT_YEARS_AGO)
    services.place_legal_hold(actor=office.records_manager, name="Case", reason="Litigation",
                              document_ids=[record.pk])
    due_on = record.retain_until + datetime.timedelta(days=1)
    # when
    run = services.propose_disposition_run(actor=office.records_manager, due_on=due_on, reason="Retention expired")
    # then: only the unheld record is listed
    assert [item.document_id for item in run.items.all()] == [other.pk]
    assert list(selectors.records_due_for_disposition(on=due_on)) == [other]


def test_disposition_needs_review_by_someone_else_then_destroys_with_a_certificate(office, record, approver):
    # given
    digest = record.versions.get().file.sha256
    due_on = record.retain_until + datetime.timedelta(days=1)
    run = services.propose_disposition_run(actor=office.records_manager, due_on=due_on, reason="Schedule FIN")
    with pytest.raises(SameApprover):
        services.approve_disposition_run(actor=office.records_manager, run_id=run.pk)
    services.approve_disposition_run(actor=approver, run_id=run.pk)
    # when
    with transaction.atomic():
        services.execute_disposition_run(actor=office.records_manager, run_id=run.pk)
    # then
    assert not Document.objects.filter(pk=record.pk).exists()
    certificate = DestructionCertificate.objects.get()
    assert certificate.stub["title"] == "Fuel contract" and certificate.stub["record_class"] == "FIN"
    assert certificate.stub["versions"][0]["sha256"] == digest
    assert certificate.reason == "Schedule FIN" and certificate.approved_by == approver
    assert run.items.get().outcome == "destroyed"


def test_a_hold_placed_after_approval_still_stops_destruction(office, record, approver):
    run = services.propose_disposition_run(actor=office.records_manager,
                                           due_on=record.retain_until + datetime.timedelta(days=1), reason="Due")
    services.approve_disposition_run(actor=approver, run_id=run.pk)
    services.place_legal_hold(actor=office.records_manager, name="Late hold", reason="New claim",
                              document_ids=[record.pk])
    services.execute_disposition_run(actor=office.records_manager, run_id=run.pk)
    assert Document.objects.filter(pk=record.pk).exists()
    assert run.items.get().outcome == "held"


def test_released_holds_no_longer_block(office, record, approver):
    hold = services.place_legal_hold(actor=office.records_manager, name="Case", reason="Claim",
                                     document_ids=[record.pk])
    services.release_legal_hold(actor=office.records_manager, hold_id=hold.pk, reason="Settled")
    run = services.propose_disposition_run(actor=office.records_manager,
                                           due_on=record.retain_until + datetime.timedelta(days=1), reason="Due")
    assert [item.document_id for item in run.items.all()] == [record.pk]
    assert storage.blob_path(record.versions.get().file.sha256).exists()


def test_a_far_due_date_does_not_pull_in_records_still_under_retention(office, record, current_record):
    # when: a run proposed for the year 2100
    run = services.propose_disposition_run(actor=office.records_manager, due_on=datetime.date(2100, 1, 1),
                                           reason="Everything")
    # then: only the record whose retention has ended today
    assert [item.document_id for item in run.items.all()] == [record.pk]
    assert list(selectors.records_due_for_disposition(on=datetime.date(2100, 1, 1))) == [record]


def test_the_same_run_through_the_api_lists_only_records_due_today(office, record, current_record):
    client = APIClient()
    client.force_authenticate(office.records_manager)
    response = client.post("/api/v1/content/disposition-runs/", {"due_on": "2100-01-01", "reason": "Everything"},
                           format="json")
    assert response.status_code == 201
    assert [item["document"] for item in response.json()["items"]] == [record.pk]


def test_execution_rechecks_retention_and_destroys_only_what_is_due(office, record, approver):
    # given: an approved run, then the record's retention is extended before execution
    run = services.propose_disposition_run(actor=office.records_manager, due_on=timezone.localdate(), reason="Due")
    services.approve_disposition_run(actor=approver, run_id=run.pk)
    later = timezone.localdate() + datetime.timedelta(days=400)
    services.extend_retention(actor=office.records_manager, document_id=record.pk, retain_until=later,
                              reason="Audit of the fuel contract")
    # when
    services.execute_disposition_run(actor=office.records_manager, run_id=run.pk)
    # then: kept, with the reason recorded, and no certificate
    assert Document.objects.filter(pk=record.pk).exists()
    item = run.items.get()
    assert (item.outcome, item.get_outcome_display()) == ("retention_not_ended", "Kept: retention has not ended")
    assert not DestructionCertificate.objects.exists()
    event = AuditEvent.objects.get(action="content.disposition.executed")
    assert event.changes["retention_not_ended"] == {str(record.pk): later.isoformat()}


def test_the_run_still_destroys_the_due_records_beside_one_not_due(office, record, current_record, approver):
    # given: an old run that (before the fix) listed a record still under retention
    run = services.propose_disposition_run(actor=office.records_manager, due_on=timezone.localdate(), reason="Due")
    DispositionItem.objects.create(run=run, document=current_record, document_title=current_record.title,
                                   action="destroy")
    services.approve_disposition_run(actor=approver, run_id=run.pk)
    # when
    services.execute_disposition_run(actor=office.records_manager, run_id=run.pk)
    # then
    outcomes = dict(run.items.values_list("document_title", "outcome"))
    assert outcomes == {"Fuel contract": "destroyed", "Office lease": "retention_not_ended"}
    assert [certificate.stub["title"] for certificate in DestructionCertificate.objects.all()] == ["Fuel contract"]
    assert Document.objects.filter(pk=current_record.pk).exists()


def test_the_database_refuses_destroying_a_record_under_retention(record, current_record):
    with pytest.raises(DatabaseError, match="retention"), transaction.atomic():
        Document.objects.filter(pk=current_record.pk).delete()
    with pytest.raises(DatabaseError, match="retention"), transaction.atomic():
        DocumentVersion.objects.filter(document=current_record).delete()
    with pytest.raises(DatabaseError, match="retention"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM content_document WHERE id = %s", [current_record.pk])
    assert Document.objects.filter(pk=current_record.pk).exists()
    # a record whose retention has ended may go
    with transaction.atomic():
        Document.objects.filter(pk=record.pk).delete()
    assert not Document.objects.filter(pk=record.pk).exists()


def test_the_database_refuses_destroying_a_record_without_a_retention_end(office):
    document = services.upload_document(actor=office.author, library=office.library, file_name="file.pdf",
                                        data=minimal_pdf("Open file"), title="Open file", language="en",
                                        document_type=office.memo)
    record_class = RecordClassFactory(code="OPEN", retention_years=5, retention_trigger="closure")
    services.declare_record(actor=office.records_manager, document_id=document.pk, record_class=record_class)
    with pytest.raises(DatabaseError, match="retention"), transaction.atomic():
        Document.objects.filter(pk=document.pk).delete()


def test_the_legal_holds_page_lists_only_holds_in_the_reader_s_scope(client, office, record):
    # given: a hold on a record of the office, and a records manager of another unit
    services.place_legal_hold(actor=office.records_manager, name="Fuel contract investigation", reason="Claim",
                              document_ids=[record.pk])
    elsewhere = staff_user("eli.records", office.other_unit, "records_manager", "legal_officer")
    # when / then: the page and the API of the other unit do not show it, nor may it be released there
    client.force_login(elsewhere)
    assert "Fuel contract investigation" not in client.get("/content/records/").content.decode()
    api = APIClient()
    api.force_authenticate(elsewhere)
    assert api.get("/api/v1/content/legal-holds/").json()["count"] == 0
    hold = selectors.legal_holds_visible_to(actor=office.records_manager).get()
    with pytest.raises(AccessDenied):
        services.release_legal_hold(actor=elsewhere, hold_id=hold.pk, reason="Not mine")
    client.force_login(office.records_manager)
    assert "Fuel contract investigation" in client.get("/content/records/").content.decode()
