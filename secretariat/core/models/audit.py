"""The append-only, hash-chained audit trail.

Rows are written only by ``core.audit.record_audit_event`` in the transaction of the change
they describe and sealed into the chain right after it commits; database triggers refuse
DELETE, TRUNCATE and every UPDATE but the one sealing an unsealed event (ADRs 0003, 0005, 0006).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, null=True, blank=True)
    occurred_at = models.DateTimeField(_("when (UTC)"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("who"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, null=True, blank=True)
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # HMAC of the content with the audit key, made by record_audit_event; the sealer seals only
    # events whose MAC verifies (ADR 0006). Null for events written before the chain was keyed.
    mac = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        permissions = [("export_auditevent", _("Can export the audit trail"))]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="core_audit_target"),
            models.Index(fields=["id"], condition=models.Q(sequence__isnull=True), name="core_audit_unsealed"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence or '…'} {self.action}"


class AuditChainHead(models.Model):
    """The newest event's sequence and hash, in one row.

    The sealer locks this row, which serialises sealing (not the business transactions);
    verification compares the chain's end with it, so deleting the newest events is detected
    too, not only changes in the middle.
    """

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    # Events from this sequence on are chained with HMAC; earlier ones (sealed before the
    # upgrade) with plain SHA-256. Recorded in every checkpoint, so moving it is detected.
    keyed_from_sequence = models.PositiveBigIntegerField(null=True)
