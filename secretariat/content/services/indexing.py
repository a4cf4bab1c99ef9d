"""Search indexing beyond the change that writes it: text read by OCR comes back here and the
document is re-indexed (the index itself is written by ``search.index_document`` in each change)."""


from django.db import transaction

from secretariat.content import search
from secretariat.content.models import (
    DocumentVersion,
    OcrStatus,
)
from secretariat.core.audit import record_audit_event


@transaction.atomic
def apply_recognised_text(*, version_id: int, text: str | None, failure: str = "") -> DocumentVersion:
    """Store OCR output on a version and re-index its document (called by the OCR task)."""
    version = DocumentVersion.objects.select_for_update(no_key=True, of=("self",)).select_related("document").get(
        pk=version_id)
    if text is None:
        version.ocr_status = OcrStatus.FAILED
        version.save(update_fields=["ocr_status"])
    else:
        version.extracted_text = "\n".join(part for part in (version.extracted_text, text) if part)
        version.ocr_status = OcrStatus.DONE
        version.save(update_fields=["extracted_text", "ocr_status"])
        latest = version.document.versions.order_by("-number").values_list("pk", flat=True).first()
        if latest == version.pk:
            search.index_document(version.document, version.extracted_text)
    record_audit_event(actor=None, actor_label="ocr", action="content.version.text_recognised", target=version.document,
                       changes={"version": version.number, "status": version.ocr_status, "failure": failure[:500],
                                "characters": len(text or "")})
    return version
