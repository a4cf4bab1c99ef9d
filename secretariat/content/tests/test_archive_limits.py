"""Office files are zip archives: what text extraction unpacks from them is capped, so a small
file that unpacks to hundreds of megabytes (a zip bomb) is refused without costing the worker
that memory."""

import io
import os
import tracemalloc
import zipfile

import pytest

from secretariat.content import extraction, services
from secretariat.content.extraction import ArchiveTooCompressed, ArchiveTooLarge
from secretariat.content.models import Document

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
PARTS = {
    "docx": ("word/document.xml", '<w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>', "</w:t></w:r></w:p></w:body>"
             "</w:document>"),
    "xlsx": ("xl/sharedStrings.xml", '<sst xmlns="urn:x"><si><t>', "</t></si></sst>"),
    "odt": ("content.xml", '<office:document-content xmlns:office="urn:o"><office:text>',
            "</office:text></office:document-content>"),
}


def office_file(extension: str, body_chunks) -> bytes:
    """An office file whose text part wraps the given chunks, written member by member (streamed)."""
    part, opening, closing = PARTS[extension]
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(part, "w", force_zip64=True) as member:
            member.write(opening.encode())
            for chunk in body_chunks:
                member.write(chunk)
            member.write(closing.encode())
    return output.getvalue()


def peak_memory_of(function) -> int:
    tracemalloc.start()
    try:
        function()
    except (ArchiveTooCompressed, ArchiveTooLarge):
        pass
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize("extension", ["docx", "xlsx", "odt"])
def test_a_small_file_that_unpacks_to_300_mb_is_refused_with_bounded_memory(office, extension):
    # given: about 300 KB that unpacks to 300 MB
    bomb = office_file(extension, (b"a" * MB for _ in range(300)))
    assert len(bomb) < 400 * 1024
    # when
    with pytest.raises(ArchiveTooCompressed) as refusal:
        services.upload_document(actor=office.author, library=office.library, file_name=f"bomb.{extension}",
                                 data=bomb, title="Bomb", language="en", document_type=office.memo)
    # then
    assert str(refusal.value) == (f"“bomb.{extension}” unpacks to more than 100 times its size; "
                                  "such files are refused as they could exhaust the server.")
    assert not Document.objects.exists()
    peak = peak_memory_of(lambda: extraction.inspect_file(name=f"bomb.{extension}", data=bomb))
    assert peak < 20 * MB


def test_a_file_whose_text_exceeds_the_cap_is_refused_after_reading_at_most_the_cap(office, settings):
    # given: a cap of 1 MB and a file of 6 MB of barely compressible text
    settings.CONTENT_ARCHIVE_MAX_BYTES = MB
    text = office_file("docx", (os.urandom(MB // 2).hex().encode() for _ in range(6)))
    # when
    with pytest.raises(ArchiveTooLarge) as refusal:
        services.upload_document(actor=office.author, library=office.library, file_name="huge.docx", data=text,
                                 title="Huge", language="en", document_type=office.memo)
    # then
    assert str(refusal.value) == ("“huge.docx” holds more than 1 MB of text to index (the limit); "
                                  "split it into smaller files.")
    peak = peak_memory_of(lambda: extraction.inspect_file(name="huge.docx", data=text))
    assert peak < 4 * MB


def test_text_under_the_cap_is_extracted_in_document_order(office):
    data = office_file("docx", [b"Budget <w:b>for</w:b> the biennium", b" and its annexes"])
    assert extraction.inspect_file(name="plan.docx", data=data).text == "Budget for the biennium and its annexes"
