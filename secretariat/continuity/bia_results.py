"""What a signed-off BIA does to its department's business processes (ADR 0044).

The analysis gives the department one RTO band and one RPO. Signing it off tightens every
process of the department and of the units below it that is looser than that by itself (a tighter band always fits the process's MTD);
where a process is already tighter than the analysis, loosening it is a person's decision, so
sign-off lists a conflict that a continuity officer resolves by applying or keeping.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.continuity.exceptions import ConflictAlreadyResolved
from secretariat.continuity.models import (
    RTO_BAND_ORDER,
    BiaConflict,
    BusinessImpactAnalysis,
    BusinessProcess,
    ConflictField,
    ConflictResolution,
    RtoBand,
    band_fits_within,
)
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput


def band_beyond_mtd_message(band: str, maximum_tolerable_downtime_hours: int) -> str:
    return _("The RTO band %(band)s does not fit within the maximum tolerable downtime of %(mtd)s hours: the "
             "process could still be down when the downtime is no longer tolerable. Choose a band that ends "
             "within %(mtd)s hours, or review the maximum tolerable downtime.") % {
        "band": RtoBand(band).label, "mtd": maximum_tolerable_downtime_hours}


def department_and_below(unit) -> Q:
    """The unit's processes and those of every unit below it (materialised path, ``core.OrgUnit``)."""
    return Q(org_unit=unit) | Q(org_unit__path__startswith=unit.path) if unit.path else Q(org_unit=unit)


def comparison(field: str, process_value, analysis_value) -> int:
    """Negative when the analysis is tighter than the process, positive when looser, 0 when equal."""
    if field == ConflictField.RTO_BAND:
        return RTO_BAND_ORDER.index(analysis_value) - RTO_BAND_ORDER.index(process_value)
    if process_value is None:
        return -1  # no RPO yet: the analysis gives the first one
    return (analysis_value > process_value) - (analysis_value < process_value)


def apply_signed_off_analysis(*, actor, analysis: BusinessImpactAnalysis) -> tuple[list[BusinessProcess],
                                                                                   list[BiaConflict]]:
    """Tighten the department's processes to the analysis; list where it is looser. Call inside sign-off."""
    applied, conflicts = [], []
    results = {ConflictField.RTO_BAND: analysis.rto_band, ConflictField.RPO_HOURS: analysis.rpo_hours}
    for process in BusinessProcess.objects.select_for_update(no_key=True).filter(
            department_and_below(analysis.org_unit)).order_by("pk"):
        changes = {}
        for field, analysis_value in results.items():
            process_value = getattr(process, field)
            order = comparison(field, process_value, analysis_value)
            if order < 0:
                changes[field] = [process_value, analysis_value]
                setattr(process, field, analysis_value)
            elif order > 0:
                conflicts.append(BiaConflict.objects.create(
                    analysis=analysis, process=process, field=field, process_value=str(process_value),
                    analysis_value=str(analysis_value)))
        if changes:
            process.save(update_fields=list(changes))
            record_audit_event(actor=actor, action="continuity.business_process.bia_applied", target=process,
                               changes={"analysis_version": analysis.version, **changes})
            applied.append(process)
    for conflict in conflicts:
        record_audit_event(actor=actor, action="continuity.bia.conflict_listed", target=conflict,
                           changes={"process": conflict.process.name, "field": conflict.field,
                                    "process_value": conflict.process_value,
                                    "analysis_value": conflict.analysis_value})
    return applied, conflicts


@transaction.atomic
def resolve_bia_conflict(*, actor, conflict_id: int, apply: bool) -> BiaConflict:
    """Apply the analysis's looser value to the process, or keep the process's own; once."""
    conflict = BiaConflict.objects.select_for_update(no_key=True).select_related("analysis").get(pk=conflict_id)
    process = BusinessProcess.objects.select_for_update(no_key=True).get(pk=conflict.process_id)
    require_permission(actor=actor, permission="continuity.change_businessprocess", target=process,
                       action=_("resolve business impact analysis conflicts"))
    if conflict.resolution:
        raise ConflictAlreadyResolved(resolution=conflict.get_resolution_display())
    if apply:
        value = conflict.analysis_value if conflict.field == ConflictField.RTO_BAND else Decimal(conflict.analysis_value)
        if conflict.field == ConflictField.RTO_BAND and not band_fits_within(
                value, process.maximum_tolerable_downtime_hours):
            raise InvalidInput({"rto_band": [band_beyond_mtd_message(value, process.maximum_tolerable_downtime_hours)]})
        previous = getattr(process, conflict.field)
        setattr(process, conflict.field, value)
        process.save(update_fields=[conflict.field])
        record_audit_event(actor=actor, action="continuity.business_process.bia_applied", target=process,
                           changes={"analysis_version": conflict.analysis.version,
                                    conflict.field: [previous, value]})
    conflict.resolution = ConflictResolution.APPLIED if apply else ConflictResolution.KEPT
    conflict.resolved_by, conflict.resolved_at = actor, timezone.now()
    conflict.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    record_audit_event(actor=actor, action="continuity.bia.conflict_resolved", target=conflict,
                       changes={"process": process.name, "field": conflict.field, "resolution": conflict.resolution})
    return conflict
