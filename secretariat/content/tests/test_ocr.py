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


def test_without_a_broker_the_scan_is_read_by_a_local_worker_process_not_the_request(
        client, office, settings, django_capture_on_commit_callbacks, monkeypatch):
    # given: no broker, the local worker enabled; the process start is recorded instead of spawned
    from django.core.management import call_command

    from secretariat.content.services import queue

    settings.CONTENT_LOCAL_WORKER = True
    started = []
    monkeypatch.setattr(queue, "Popen", lambda command, **options: started.append(command))
    client.force_login(office.author)
    # when: a scan is uploaded
    with django_capture_on_commit_callbacks(execute=True):
        document = services.upload_document(
            actor=office.author, library=office.library, file_name="scan.png",
            data=scanned_page("联合国预算报告", "zh-hans"), title="Scan", language="zh-hans",
            document_type=office.memo)
    # then: the request only started the worker, and the page shows the reading in progress
    version = document.versions.get()
    assert version.ocr_status == "pending"
    assert started == [[queue.sys.executable, "-m", "django", "run_content_task", "content.recognise_version_text",
                        str(version.pk)]]
    page = client.get(f"/content/documents/{document.pk}/").content.decode()
    assert 'id="ocr-progress"' in page and "Reading the text of version 1 (OCR)" in page
    # when: the worker process runs its command
    call_command("run_content_task", "content.recognise_version_text", str(version.pk))
    # then: the text is read, and the notice is gone
    version.refresh_from_db()
    assert version.ocr_status == "done"
    assert 'id="ocr-progress"' not in client.get(f"/content/documents/{document.pk}/").content.decode()
