"""Optical character recognition of scanned files with ocrmypdf and tesseract (ADR 0033).

Runs in a Celery task, never in a request. The document's language picks the tesseract model;
English is always added because scanned United Nations pages mix in Latin-script symbols.
"""

import io
import logging
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

TESSERACT_LANGUAGES = {"ar": "ara", "zh-hans": "chi_sim", "en": "eng", "fr": "fra", "ru": "rus", "es": "spa"}


class OcrUnavailable(RuntimeError):
    pass


def as_pdf(data: bytes, extension: str) -> bytes:
    if extension == "pdf":
        return data
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        output = io.BytesIO()
        dpi = image.info.get("dpi", (300, 300))[0] or 300
        image.convert("RGB").save(output, format="PDF", resolution=float(dpi))
        return output.getvalue()


def recognise_text(*, data: bytes, extension: str, language: str) -> str:
    """The text tesseract reads on every page of a scanned PDF or image."""
    try:
        import ocrmypdf
    except ImportError as error:
        raise OcrUnavailable("ocrmypdf is not installed") from error
    languages = [TESSERACT_LANGUAGES.get(language, "eng")]
    if "eng" not in languages:
        languages.append("eng")
    with tempfile.TemporaryDirectory() as directory:
        source, target, sidecar = (Path(directory) / name for name in ("in.pdf", "out.pdf", "text.txt"))
        source.write_bytes(as_pdf(data, extension))
        ocrmypdf.ocr(source, target, language=languages, sidecar=sidecar, force_ocr=True, progress_bar=False,
                     output_type="pdf", optimize=0, jobs=1)
        return sidecar.read_text(encoding="utf-8").replace("\f", "\n").strip()
