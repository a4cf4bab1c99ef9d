"""What a file is, whether it is acceptable, its text and its preview.

Every check runs before anything is stored, so a refused upload writes nothing. Office files
are read from their XML parts (no office suite needed); PDFs through pypdf; e-mail through the
standard library; images and image-only PDFs are queued for OCR (``ocr.py``).
"""

import email
import email.policy
import io
import logging
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from lxml import etree

from secretariat.core.exceptions import DomainError

logger = logging.getLogger(__name__)

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "zip": "application/zip",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "eml": "message/rfc822",
    "txt": "text/plain",
    "csv": "text/csv",
}
IMAGE_TYPES = {"png", "jpg", "jpeg", "tif", "tiff"}
ZIP_TYPES = {"docx", "xlsx", "pptx", "odt", "ods", "odp", "zip"}
TEXT_TYPES = {"txt", "csv", "eml"}
XML_PARTS = {
    "docx": ("word/document.xml",),
    "xlsx": ("xl/sharedStrings.xml",),
    "pptx": ("ppt/slides/",),
    "odt": ("content.xml",),
    "ods": ("content.xml",),
    "odp": ("content.xml",),
}
MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "tif": (b"II*\x00", b"MM\x00*"),
    "tiff": (b"II*\x00", b"MM\x00*"),
}


class UnsupportedFileType(DomainError):
    message = _("Files of type “%(extension)s” cannot be stored here (allowed: %(allowed)s).")
    code = "file_type_not_allowed"
    status = 400


class FileTooLarge(DomainError):
    message = _("The file is %(size)s bytes; this library accepts files up to %(limit)s bytes.")
    code = "file_too_large"
    status = 400


class CorruptFile(DomainError):
    message = _("The file “%(name)s” is damaged or is not really a %(extension)s file.")
    code = "corrupt_file"
    status = 400


class EncryptedFile(DomainError):
    message = _("The file “%(name)s” is encrypted or password-protected; upload it without protection.")
    code = "encrypted_file"
    status = 400


class EmptyFile(DomainError):
    message = _("The file “%(name)s” is empty.")
    code = "empty_file"
    status = 400


class ArchiveTooCompressed(DomainError):
    message = _("“%(name)s” unpacks to more than %(ratio)s times its size; such files are refused as they "
                "could exhaust the server.")
    code = "archive_too_compressed"
    status = 400


class ArchiveTooLarge(DomainError):
    message = _("“%(name)s” holds more than %(limit)s MB of text to index (the limit); split it into smaller files.")
    code = "archive_too_large"
    status = 400


@dataclass(frozen=True)
class Inspection:
    extension: str
    media_type: str
    text: str
    needs_ocr: bool


def extension_of(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def inspect_file(*, name: str, data: bytes, allowed: list[str] | None = None, max_bytes: int | None = None) -> Inspection:
    """Validate ``data`` as a file called ``name`` and extract its text; refuse with a DomainError."""
    extension = extension_of(name)
    permitted = [item.lower() for item in (allowed or [])] or sorted(MEDIA_TYPES)
    if extension not in MEDIA_TYPES or extension not in permitted:
        raise UnsupportedFileType(extension=extension or "?", allowed=", ".join(permitted))
    if max_bytes is not None and len(data) > max_bytes:
        raise FileTooLarge(size=len(data), limit=max_bytes)
    if not data:
        raise EmptyFile(name=name)
    if extension in MAGIC and not data.startswith(MAGIC[extension]):
        raise CorruptFile(name=name, extension=extension)
    if extension == "pdf":
        text = pdf_text(name, data)
        return Inspection(extension, MEDIA_TYPES[extension], text, needs_ocr=not text.strip())
    if extension in ZIP_TYPES:
        return Inspection(extension, MEDIA_TYPES[extension], archive_text(name, extension, data), needs_ocr=False)
    if extension in IMAGE_TYPES:
        image_check(name, extension, data)
        return Inspection(extension, MEDIA_TYPES[extension], "", needs_ocr=True)
    if extension == "eml":
        return Inspection(extension, MEDIA_TYPES[extension], email_text(name, data), needs_ocr=False)
    return Inspection(extension, MEDIA_TYPES[extension], decode_text(data), needs_ocr=False)


def pdf_text(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EncryptedFile(name=name)
        return "\n".join((page.extract_text() or "") for page in reader.pages).replace("\x00", "")
    except DomainError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as error:
        logger.info("corrupt PDF %s: %s", name, error)
        raise CorruptFile(name=name, extension="pdf") from error


MB = 1024 * 1024
READ_CHUNK = MB


def archive_limits() -> tuple[int, int]:
    """(most bytes unpacked from one file's text parts, highest compression ratio of a part)."""
    return (getattr(settings, "CONTENT_ARCHIVE_MAX_BYTES", 50 * MB),
            getattr(settings, "CONTENT_ARCHIVE_MAX_RATIO", 100))


class TextCollector:
    """An lxml parser target keeping only the text, in document order: no tree is built, so
    memory grows with the text read, never with the markup. Each text node is one piece, as
    ``itertext()`` gives them."""

    def __init__(self):
        self.pieces: list[str] = []
        self.current: list[str] = []

    def flush(self) -> None:
        if piece := "".join(self.current).strip():
            self.pieces.append(piece)
        self.current = []

    def start(self, tag, attributes) -> None:
        self.flush()

    def end(self, tag) -> None:
        self.flush()

    def data(self, text: str) -> None:
        self.current.append(text)

    def close(self) -> str:
        self.flush()
        return " ".join(self.pieces)


def archive_text(name: str, extension: str, data: bytes) -> str:
    """The text of an office file's XML parts, unpacking at most ``CONTENT_ARCHIVE_MAX_BYTES``.

    A part compressed more than ``CONTENT_ARCHIVE_MAX_RATIO`` times (a zip bomb: 300 KB that
    unpacks to 300 MB) is refused before any of it is unpacked; parts declaring more than the cap
    in total are refused likewise, and the cap is enforced while reading too, since the declared
    sizes may lie. Parts are streamed through the parser a chunk at a time.
    """
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container: how Office stores encrypted files
        raise EncryptedFile(name=name)
    max_bytes, max_ratio = archive_limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        if any(member.flag_bits & 0x1 for member in members):
            raise EncryptedFile(name=name)
        if extension == "zip":
            return "\n".join(member.filename for member in members)
        parts = [member for member in members
                 if any(member.filename == part or (part.endswith("/") and member.filename.startswith(part)
                                                     and member.filename.endswith(".xml"))
                        for part in XML_PARTS[extension])]
        if extension in {"docx", "odt"} and not parts:
            raise CorruptFile(name=name, extension=extension)
        if any(part.file_size > max_ratio * max(part.compress_size, 1) for part in parts):
            raise ArchiveTooCompressed(name=name, ratio=max_ratio)
        if sum(part.file_size for part in parts) > max_bytes:
            raise ArchiveTooLarge(name=name, limit=max_bytes // MB)
        texts, unpacked = [], 0
        for part in parts:
            collector = TextCollector()
            parser = etree.XMLParser(target=collector, resolve_entities=False, no_network=True)
            with archive.open(part) as stream:
                while chunk := stream.read(READ_CHUNK):
                    unpacked += len(chunk)
                    if unpacked > max_bytes:
                        raise ArchiveTooLarge(name=name, limit=max_bytes // MB)
                    parser.feed(chunk)
            texts.append(parser.close())
        return "\n".join(texts)
    except DomainError:
        raise
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError, EOFError) as error:
        raise CorruptFile(name=name, extension=extension) from error


def image_check(name: str, extension: str, data: bytes) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception as error:  # Pillow raises many kinds for damaged images
        raise CorruptFile(name=name, extension=extension) from error


def email_text(name: str, data: bytes) -> str:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not message.keys():
        raise CorruptFile(name=name, extension="eml")
    parts = [f"{message.get('subject', '')}", f"{message.get('from', '')}"]
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            try:
                parts.append(part.get_content())
            except (LookupError, UnicodeError):
                continue
    return "\n".join(parts)


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


PREVIEW_SIZE = (320, 320)


def make_preview(*, extension: str, data: bytes) -> bytes | None:
    """A PNG thumbnail of an image or of a PDF's first page; None when there is none to make."""
    from PIL import Image

    try:
        if extension == "pdf":
            data = pdf_first_page_png(data)
            if data is None:
                return None
        elif extension not in IMAGE_TYPES:
            return None
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail(PREVIEW_SIZE)
            output = io.BytesIO()
            image.convert("RGB").save(output, format="PNG")
            return output.getvalue()
    except Exception:  # a preview is a convenience: its failure never refuses an upload
        logger.warning("no preview could be made", exc_info=True)
        return None


def pdf_first_page_png(data: bytes) -> bytes | None:
    with tempfile.TemporaryDirectory() as directory:
        source, target = Path(directory) / "in.pdf", Path(directory) / "page.png"
        source.write_bytes(data)
        try:
            subprocess.run(
                ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-r48", "-dFirstPage=1",
                 "-dLastPage=1", f"-sOutputFile={target}", str(source)],
                check=True, timeout=30, capture_output=True,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return target.read_bytes() if target.exists() else None
