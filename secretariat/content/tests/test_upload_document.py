"""Uploading a document: the first version in the content-addressed store, every refusal, atomicity."""

import hashlib
from unittest import mock

import pytest

from secretariat.content import services, storage
from secretariat.content.extraction import CorruptFile, EncryptedFile, FileTooLarge, UnsupportedFileType
from secretariat.content.models import Document, DocumentType, StoredFile
from secretariat.content.tests.factories import docx_bytes, encrypted_zip_bytes, minimal_pdf
from secretariat.core.exceptions import AccessDenied, InvalidInput
from secretariat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def upload(office, **overrides):
    arguments = {"actor": office.author, "library": office.library, "file_name": "note.pdf",
                 "data": minimal_pdf("Budget performance report"), "title": "Budget note", "language": "en",
                 "document_type": office.memo}
    arguments.update(overrides)
    return services.upload_document(**arguments)


def stored_blobs(content_store):
    return sorted(path.name for path in content_store.glob("??/??/*")) if content_store.exists() else []


def test_upload_stores_the_file_by_its_hash_and_extracts_text(office, content_store):
    # given
    data = minimal_pdf("Budget performance report")
    # when
    document = upload(office, data=data)
    # then
    version = document.versions.get()
    digest = hashlib.sha256(data).hexdigest()
    assert version.number == 1 and version.file.sha256 == digest
    assert storage.blob_path(digest).read_bytes() == data
    assert storage.blob_path(digest).relative_to(content_store).parts[:2] == (digest[:2], digest[2:4])
    assert "Budget performance report" in version.extracted_text
    assert version.preview is not None  # a PNG thumbnail of page 1
    assert document.classification == "internal"  # the library's default
    assert AuditEvent.objects.filter(action="content.document.uploaded", target_id=str(document.pk)).exists()


def test_identical_files_share_one_blob(office, content_store):
    upload(office, title="First")
    upload(office, title="Second")
    assert StoredFile.objects.filter(media_type="application/pdf").count() == 1


def test_office_and_email_files_give_their_text(office):
    document = upload(office, file_name="draft.docx", data=docx_bytes("Peacekeeping mandate"))
    assert "Peacekeeping mandate" in document.versions.get().extracted_text
    mail = b"From: a@example.org\r\nSubject: Fuel contract\r\n\r\nPlease review the fuel contract.\r\n"
    document = upload(office, file_name="mail.eml", data=mail, title="Mail")
    assert "Please review the fuel contract." in document.versions.get().extracted_text


@pytest.mark.parametrize(("file_name", "data", "error", "message"), [
    ("big.txt", b"x" * 2001, FileTooLarge, "The file is 2001 bytes; this library accepts files up to 2000 bytes."),
    ("tool.exe", b"MZ", UnsupportedFileType, "Files of type “exe” cannot be stored here (allowed: pdf, txt)."),
    ("broken.pdf", b"%PDF-1.4\nthis is not a pdf", CorruptFile,
     "The file “broken.pdf” is damaged or is not really a pdf file."),
    ("fake.pdf", b"GIF89a", CorruptFile, "The file “fake.pdf” is damaged or is not really a pdf file."),
])
def test_refused_files_write_nothing(office, content_store, file_name, data, error, message):
    # given
    office.library.allowed_extensions, office.library.max_file_bytes = ["pdf", "txt"], 2000
    office.library.save()
    # when
    with pytest.raises(error) as refusal:
        upload(office, file_name=file_name, data=data)
    # then
    assert str(refusal.value) == message
    assert not Document.objects.exists() and not StoredFile.objects.exists()
    assert stored_blobs(content_store) == []


def test_encrypted_archive_is_refused(office, content_store):
    with pytest.raises(EncryptedFile) as refusal:
        upload(office, file_name="secrets.zip", data=encrypted_zip_bytes())
    assert str(refusal.value) == "The file “secrets.zip” is encrypted or password-protected; upload it without protection."
    assert stored_blobs(content_store) == []


def test_metadata_must_follow_the_document_type(office, content_store):
    # given
    contract = DocumentType.objects.create(code="contract", name="Contract", field_rules=[
        {"name": "contract_number", "label": "Contract number", "type": "text", "required": True,
         "pattern": r"[A-Z]{3}/\d{4}/\d+"},
        {"name": "value", "label": "Value", "type": "integer"}])
    # when
    with pytest.raises(InvalidInput) as refusal:
        upload(office, document_type=contract, custom_fields={"contract_number": "12", "value": "many"})
    # then
    assert refusal.value.errors == {"custom_fields.contract_number": ["Contract number is not in the expected form."],
                                    "custom_fields.value": ["Value must be a whole number."]}
    assert stored_blobs(content_store) == [] and not Document.objects.exists()
    document = upload(office, document_type=contract, custom_fields={"contract_number": "PDS/2024/17", "value": "9"})
    assert document.custom_fields == {"contract_number": "PDS/2024/17", "value": 9}


def test_someone_without_the_role_in_scope_cannot_upload(office):
    with pytest.raises(AccessDenied) as refusal:
        upload(office, actor=office.outsider)
    assert str(refusal.value) == "You do not have permission to add documents to this library here."


def test_a_failure_after_the_file_was_written_leaves_no_orphan(office, content_store):
    # given: the audit write (the last step) fails
    with mock.patch("secretariat.content.services.documents.record_audit_event", side_effect=RuntimeError("disk full")):
        # when
        with pytest.raises(RuntimeError):
            upload(office)
    # then: no document, no version row, no blob on disk
    assert not Document.objects.exists() and not StoredFile.objects.exists()
    assert stored_blobs(content_store) == []
