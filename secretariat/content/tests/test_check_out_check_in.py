"""Versions: check out, check in with a comment, compare metadata between versions."""

import pytest

from secretariat.content import selectors, services
from secretariat.content.services import CheckedOutByOther, NotCheckedOut
from secretariat.content.tests.factories import minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(office):
    return services.upload_document(actor=office.author, library=office.library, file_name="plan.pdf",
                                    data=minimal_pdf("Plan v1"), title="Work plan", language="en",
                                    document_type=office.memo, subject_terms=["planning"])


def test_check_out_then_check_in_adds_a_version(office, document):
    # given
    services.check_out_document(actor=office.author, document_id=document.pk)
    # when
    version = services.check_in_document(actor=office.author, document_id=document.pk, file_name="plan.pdf",
                                         data=minimal_pdf("Plan v2"), comment="Added targets",
                                         title="Work plan 2025", subject_terms=["planning", "targets"])
    # then
    document.refresh_from_db()
    assert version.number == 2 and version.comment == "Added targets"
    assert document.checked_out_by is None
    assert [v.number for v in document.versions.all()] == [1, 2]
    assert "Plan v2" in version.extracted_text
    first, second = document.versions.all()
    assert selectors.compare_versions(first=first, second=second) == [
        ("subject_terms", ["planning"], ["planning", "targets"]), ("title", "Work plan", "Work plan 2025")]


def test_others_cannot_check_in_or_out_while_checked_out(office, document):
    services.check_out_document(actor=office.author, document_id=document.pk)
    with pytest.raises(CheckedOutByOther) as refusal:
        services.check_out_document(actor=office.colleague, document_id=document.pk)
    assert str(refusal.value) == "“Work plan” is checked out by amina.author."
    with pytest.raises(CheckedOutByOther):
        services.check_in_document(actor=office.colleague, document_id=document.pk, file_name="x.pdf",
                                   data=minimal_pdf("Mine"))
    assert document.versions.count() == 1


def test_check_in_needs_a_check_out(office, document):
    with pytest.raises(NotCheckedOut) as refusal:
        services.check_in_document(actor=office.author, document_id=document.pk, file_name="x.pdf",
                                   data=minimal_pdf("v2"))
    assert str(refusal.value) == "Check out “Work plan” before checking in a new version."


def test_cancel_check_out_releases_the_document(office, document):
    services.check_out_document(actor=office.author, document_id=document.pk)
    services.cancel_check_out(actor=office.author, document_id=document.pk)
    services.check_out_document(actor=office.colleague, document_id=document.pk)
    document.refresh_from_db()
    assert document.checked_out_by == office.colleague
