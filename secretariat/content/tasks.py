"""Background jobs of the content app: OCR of scanned files, the periodic fixity check, and the
release of embargoed official documents at their set minute."""

import logging

from celery import shared_task

from secretariat.content import ocr, storage
from secretariat.content.models import DocumentVersion
from secretariat.content.services import fixity, indexing, official

logger = logging.getLogger(__name__)


@shared_task(name="content.recognise_version_text")
def recognise_version_text(version_id: int) -> None:
    """Run OCR on a version's file and store the text it reads."""
    version = DocumentVersion.objects.select_related("file", "document").get(pk=version_id)
    if version.file.fixity_ok is False:  # the bytes may not be the record's: read nothing from them
        indexing.apply_recognised_text(version_id=version_id, text=None, failure="the file failed its fixity check")
        return
    extension = version.file_name.rsplit(".", 1)[-1].lower()
    try:
        text = ocr.recognise_text(data=storage.read_blob(version.file.sha256), extension=extension,
                                  language=version.document.language)
    except Exception as error:  # tesseract or ocrmypdf failed: record the failure, keep the document
        logger.warning("OCR failed for version %s", version_id, exc_info=True)
        indexing.apply_recognised_text(version_id=version_id, text=None, failure=str(error))
        return
    indexing.apply_recognised_text(version_id=version_id, text=text)


@shared_task(name="content.check_fixity")
def check_fixity() -> dict:
    report = fixity.check_fixity()
    return {"files_checked": report.files_checked, "damaged": report.damaged, "missing": report.missing}


@shared_task(name="content.release_scheduled_documents")
def release_scheduled_documents() -> list[str]:
    return official.release_due_documents()
