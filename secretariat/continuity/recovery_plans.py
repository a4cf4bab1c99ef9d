"""Revising and approving disaster recovery plans (ADR 0045).

A plan has one working text that its owners revise; approving it freezes that text as the next
numbered version with who approved it, when, and the date by which it must be reviewed again.
Exports and operators use the latest approved version.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.continuity.models import RecoveryPlan, RecoveryPlanVersion
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput

PLAN_TEXT_FIELDS = ["title", "steps", "roles", "contacts", "call_tree"]


def plan_text_errors(*, title: str, steps: str) -> dict:
    """What a plan's text lacks, by field: every plan has a title and its recovery steps."""
    errors = {}
    if not title or not title.strip():
        errors["title"] = [_("This field is required.")]
    if not steps or not steps.strip():
        errors["steps"] = [_("A plan needs its recovery steps.")]
    return errors


@transaction.atomic
def revise_recovery_plan(*, actor, plan_id: int, title: str, steps: str, roles: str = "", contacts: str = "",
                         call_tree: str = "") -> RecoveryPlan:
    """Change the plan's working text; approved versions stay as they were."""
    plan = RecoveryPlan.objects.select_for_update(no_key=True).get(pk=plan_id)
    require_permission(actor=actor, permission="continuity.change_recoveryplan", target=plan,
                       action=_("revise disaster recovery plans"))
    errors = plan_text_errors(title=title, steps=steps)
    if errors:
        raise InvalidInput(errors)
    values = {"title": title.strip(), "steps": steps, "roles": roles, "contacts": contacts, "call_tree": call_tree}
    changed = [field for field, value in values.items() if getattr(plan, field) != value]
    if changed:
        for field in changed:
            setattr(plan, field, values[field])
        plan.save(update_fields=[*changed, "updated_at"])
        record_audit_event(actor=actor, action="continuity.recovery_plan.revised", target=plan,
                           changes={"fields": changed})
    return plan


def latest_approved_version(plan: RecoveryPlan) -> RecoveryPlanVersion | None:
    return plan.versions.order_by("-version").first()


@transaction.atomic
def approve_recovery_plan(*, actor, plan_id: int, review_due_on: date) -> RecoveryPlanVersion:
    """Freeze the working text as the next approved version, to be reviewed by ``review_due_on``."""
    plan = RecoveryPlan.objects.select_for_update(no_key=True).get(pk=plan_id)
    require_permission(actor=actor, permission="continuity.approve_recoveryplan", target=plan,
                       action=_("approve disaster recovery plans"))
    if review_due_on is None or review_due_on <= timezone.localdate():
        raise InvalidInput({"review_due_on": [_("The review date must be after today.")]})
    latest = latest_approved_version(plan)
    if latest is not None and all(getattr(latest, field) == getattr(plan, field) for field in PLAN_TEXT_FIELDS) \
            and latest.review_due_on == review_due_on:
        raise InvalidInput({"review_due_on": [
            _("Version %(version)s already has this text and review date.") % {"version": latest.version}]})
    version = RecoveryPlanVersion.objects.create(
        plan=plan, version=(latest.version + 1) if latest else 1, approved_by=actor, approved_at=timezone.now(),
        review_due_on=review_due_on, **{field: getattr(plan, field) for field in PLAN_TEXT_FIELDS})
    record_audit_event(actor=actor, action="continuity.recovery_plan.approved", target=plan,
                       changes={"version": version.version, "review_due_on": review_due_on})
    return version
