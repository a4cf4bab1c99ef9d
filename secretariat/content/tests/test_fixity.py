"""Fixity: a changed byte in the store is found and reported, and the command fails."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from secretariat.content import services, storage
from secretariat.content.models import FixityCheck
from secretariat.content.tests.factories import minimal_pdf

pytestmark = pytest.mark.django_db


def test_a_changed_byte_is_detected(office, capsys):
    # given
    document = services.upload_document(actor=office.author, library=office.library, file_name="a.pdf",
                                        data=minimal_pdf("Intact"), title="A", language="en",
                                        document_type=office.memo)
    digest = document.versions.get().file.sha256
    assert services.check_fixity().damaged == []
    path = storage.blob_path(digest)
    data = bytearray(path.read_bytes())
    data[20] ^= 0x01  # flip one bit
    path.write_bytes(bytes(data))
    # when
    with pytest.raises(CommandError):
        call_command("check_fixity")
    # then
    output = capsys.readouterr().out
    assert f"CHANGED {digest}" in output
    report = FixityCheck.objects.order_by("-pk").first()
    assert report.damaged == [digest] and report.missing == []
    assert document.versions.get().file.fixity_ok is False


def test_a_missing_file_is_reported(office):
    document = services.upload_document(actor=office.author, library=office.library, file_name="b.txt",
                                        data=b"plain text", title="B", language="en", document_type=office.memo)
    storage.blob_path(document.versions.get().file.sha256).unlink()
    assert services.check_fixity().missing == [document.versions.get().file.sha256]
