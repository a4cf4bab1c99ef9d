"""OCR of scanned files runs as a background job and makes Arabic and Chinese scans searchable."""

import subprocess
import tempfile
from pathlib import Path

import pytest

from secretariat.content import selectors, services

pytestmark = pytest.mark.django_db
FONTS = {"ar": "DejaVu Sans", "zh-hans": "WenQuanYi Micro Hei"}


def scanned_page(text: str, language: str) -> bytes:
    """A page typeset with WeasyPrint, then rasterised at 300 dpi: an image with no text layer."""
    from weasyprint import HTML

    html = (f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}"><body>'
            f'<p style="font-family: \'{FONTS[language]}\'; font-size: 30pt">{text}</p></body></html>')
    with tempfile.TemporaryDirectory() as directory:
        pdf, png = Path(directory) / "page.pdf", Path(directory) / "page.png"
        pdf.write_bytes(HTML(string=html).write_pdf())
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", "-r300", "-dFirstPage=1",
                        "-dLastPage=1", f"-sOutputFile={png}", str(pdf)], check=True, timeout=60)
        return png.read_bytes()


@pytest.mark.parametrize(("language", "text", "query"), [
    ("ar", "الأمم المتحدة الميزانية", "الميزانية"),
    ("zh-hans", "联合国预算报告", "预算报告"),
], ids=["arabic", "chinese"])
def test_a_scanned_page_is_read_and_found(office, django_capture_on_commit_callbacks, language, text, query):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        document = services.upload_document(
            actor=office.author, library=office.library, file_name="scan.png", data=scanned_page(text, language),
            title="Scan", language=language, document_type=office.memo)
        assert document.versions.get().ocr_status == "pending"  # queued, not done in the request
    # then
    version = document.versions.get()
    assert version.ocr_status == "done"
    assert query in version.extracted_text.replace(" ", "")
    assert [hit.pk for hit in selectors.search_documents(actor=office.author, query=query).hits] == [document.pk]
