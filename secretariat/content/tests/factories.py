"""Test data for the content app: made through the services where the behaviour matters."""

import io
import zipfile

import factory

from secretariat.content.models import DocumentType, Library, RecordClass
from secretariat.core.tests.factories import OrgUnitFactory


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library

    code = factory.Sequence(lambda n: f"library-{n}")
    name = factory.LazyAttribute(lambda library: f"Library {library.code}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    allowed_extensions = []


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentType
        django_get_or_create = ("code",)

    code = "memo"
    name = "Memorandum"
    field_rules = []


class RecordClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordClass

    code = factory.Sequence(lambda n: f"F{n}")
    title = "Finance"
    level = "function"
    retention_years = 7
    retention_trigger = "declaration"
    disposition_action = "destroy"


def minimal_pdf(text: str = "Hello") -> bytes:
    """A one-page PDF with ``text`` as real text (Latin script), made without a PDF library."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return output.getvalue()


def docx_bytes(text: str) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"))
    return output.getvalue()


def encrypted_zip_bytes() -> bytes:
    """A zip archive whose member is flagged as encrypted (traditional PKWARE encryption)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("secret.txt", "top secret")
    data = bytearray(output.getvalue())
    # Set the "encrypted" bit in the local header and the central directory entry.
    data[6] |= 0x1
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    return bytes(data)
