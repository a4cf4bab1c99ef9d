"""Disaster recovery plans as files an operator keeps off the platform (ADR 0046).

The platform may be the thing that is down, so an export depends on nothing it serves: each
HTML page carries its own styles and no links to the platform; the bundle is a zip of such
pages with an index (relative links only) and each plan's PDF, readable from a USB stick.
Exports show the latest approved version; a plan never approved is exported marked as a draft.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone

from secretariat.continuity.models import RecoveryPlan, RecoveryPlanVersion
from secretariat.continuity.recovery_plans import latest_approved_version


@dataclass(frozen=True)
class PlanDocument:
    plan: RecoveryPlan
    version: RecoveryPlanVersion | None  # None: never approved, the working text is exported as a draft
    title: str
    steps: str
    roles: str
    contacts: str
    call_tree: str
    exported_at: datetime

    @property
    def file_stem(self) -> str:
        return f"plan-{self.plan.pk}"

    @property
    def review_overdue(self) -> bool:
        return self.version is not None and self.version.review_due_on < timezone.localdate(self.exported_at)

    @property
    def review_due_on(self) -> date | None:
        return self.version.review_due_on if self.version else None


def plan_document(plan: RecoveryPlan, *, exported_at: datetime | None = None) -> PlanDocument:
    version = latest_approved_version(plan)
    text = version or plan
    return PlanDocument(plan, version, text.title, text.steps, text.roles, text.contacts, text.call_tree,
                        exported_at or timezone.now())


def plan_html(document: PlanDocument) -> str:
    return render_to_string("continuity/export/plan.html", {"document": document})


def plan_pdf(document: PlanDocument) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return HTML(string=plan_html(document)).write_pdf()


def plans_bundle(plans) -> bytes:
    """A zip: index.html, and for each plan plan-<id>.html and plan-<id>.pdf."""
    exported_at = timezone.now()
    documents = [plan_document(plan, exported_at=exported_at) for plan in plans]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("index.html", render_to_string("continuity/export/index.html", {
            "documents": documents, "exported_at": exported_at}))
        for document in documents:
            bundle.writestr(f"{document.file_stem}.html", plan_html(document))
            bundle.writestr(f"{document.file_stem}.pdf", plan_pdf(document))
    return buffer.getvalue()
