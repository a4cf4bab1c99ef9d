"""Records work waiting for the user (read by the work inbox, see core/work_inbox.py): disposition
runs to approve (proposed by someone else) and approved runs to carry out, for those holding the
permission the disposition services ask."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.content.models import DispositionRun, DispositionStatus
from secretariat.core.access import has_permission
from secretariat.core.work_inbox import Waiting, register


def describe_run(run) -> str:
    return _("Disposition run due %(due)s: %(reason)s") % {"due": run.due_on.isoformat(), "reason": run.reason}


def records_link(run) -> str:
    return reverse("content:records") + f"#disposition-{run.pk}"


@register
def disposition_runs_waiting(user):
    if has_permission(actor=user, permission="content.approve_disposition"):
        yield Waiting(_("Disposition runs to approve"),
                      DispositionRun.objects.filter(status=DispositionStatus.PROPOSED).exclude(proposed_by=user),
                      describe_run, records_link)
    if has_permission(actor=user, permission="content.manage_records"):
        yield Waiting(_("Disposition runs to carry out"),
                      DispositionRun.objects.filter(status=DispositionStatus.APPROVED), describe_run, records_link)
