"""Fixity of the content store: checks of every file's digest, and what an officer may do with a
file that failed one (restore the original, or accept the change, both audited)."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.content import storage
from secretariat.content.models import (
    DocumentVersion,
    FixityCheck,
    StoredFile,
)
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput

logger = logging.getLogger(__name__)


class FileFailedFixity(DomainError):
    message = _("“%(name)s” cannot be opened: the fixity check found that its stored bytes have changed. "
                "A records officer must restore the original file or accept the change.")
    code = "fixity_failed"


class FileIntact(DomainError):
    message = _("“%(name)s” passed its last fixity check: there is nothing to restore or accept.")
    code = "fixity_intact"


class NotTheOriginal(DomainError):
    message = _("These bytes are not the original of “%(name)s”: their SHA-256 is %(actual)s, the original's is "
                "%(expected)s.")
    code = "not_the_original"
    status = 400


class StoredFileMissing(DomainError):
    message = _("The stored file of “%(name)s” is missing: upload the original to restore it.")
    code = "stored_file_missing"


def require_intact_file(*, actor, version: DocumentVersion, preview: bool = False) -> None:
    """Refuse to serve a version (or its preview) whose file the fixity check flagged as changed.

    The refusal is audited (``content.fixity_refused``) in its own transaction, so the event
    stays although the request fails. Until a records officer restores or accepts the file,
    nobody gets the bytes: they may not be the record that was stored.
    """
    files = [version.file, version.preview] if preview else [version.file]
    if all(stored is None or stored.fixity_ok is not False for stored in files):
        return
    with transaction.atomic():
        record_audit_event(actor=actor, action="content.fixity_refused", target=version.document, changes={
            "version": version.number, "sha256": version.file.sha256, "preview": preview})
    raise FileFailedFixity(name=version.file_name)


def lock_flagged_file(*, actor, version_id: int, action) -> tuple[DocumentVersion, StoredFile]:
    """The version and its stored file (locked), once ``actor`` may decide on it and it is flagged."""
    version = DocumentVersion.objects.select_related("document").get(pk=version_id)
    require_permission(actor=actor, permission="content.manage_records", target=version.document, action=action)
    stored = StoredFile.objects.select_for_update(no_key=True).get(pk=version.file_id)
    if stored.fixity_ok is not False:
        raise FileIntact(name=version.file_name)
    return version, stored


@transaction.atomic
def restore_stored_file(*, actor, version_id: int, data: bytes) -> StoredFile:
    """Put the original bytes back in place of a changed or missing file.

    Only bytes whose SHA-256 is the file's name are the original; anything else is refused. The
    blob is shared by every version with the same content, so all of them are served again.
    """
    version, stored = lock_flagged_file(actor=actor, version_id=version_id, action=_("restore stored files"))
    actual = storage.sha256_of(data)
    if actual != stored.sha256:
        raise NotTheOriginal(name=version.file_name, actual=actual, expected=stored.sha256)
    storage.replace_blob(data)
    stored.fixity_ok, stored.accepted_sha256, stored.last_fixity_check_at = True, "", timezone.now()
    stored.save(update_fields=["fixity_ok", "accepted_sha256", "last_fixity_check_at"])
    record_audit_event(actor=actor, action="content.fixity_restored", target=version.document,
                       changes={"version": version.number, "sha256": stored.sha256})
    return stored


@transaction.atomic
def accept_changed_file(*, actor, version_id: int, reason: str) -> StoredFile:
    """Accept the bytes now stored in place of the original, for a recorded reason.

    Their hash is kept (``accepted_sha256``) so that later fixity checks compare against it and
    still catch any further change; the original hash stays the file's name and in the audit.
    """
    version, stored = lock_flagged_file(actor=actor, version_id=version_id, action=_("accept changed files"))
    if not reason.strip():
        raise InvalidInput(errors={"reason": [str(_("Give the reason for accepting the changed file."))]})
    accepted = storage.hash_of_stored(stored.sha256)
    if accepted is None:
        raise StoredFileMissing(name=version.file_name)
    stored.fixity_ok, stored.accepted_sha256, stored.last_fixity_check_at = True, accepted, timezone.now()
    stored.save(update_fields=["fixity_ok", "accepted_sha256", "last_fixity_check_at"])
    record_audit_event(actor=actor, action="content.fixity_accepted", target=version.document, changes={
        "version": version.number, "sha256": stored.sha256, "accepted_sha256": accepted, "reason": reason.strip()})
    return stored


def check_fixity(*, batch_size: int = 500) -> FixityCheck:
    """Re-hash every stored file and report any whose bytes changed or vanished.

    Reads happen outside any long transaction; each file's result and the summary are written
    and audited at the end.
    """
    started = timezone.now()
    damaged, missing, checked = [], [], 0
    for stored in StoredFile.objects.order_by("pk").iterator(chunk_size=batch_size):
        actual = storage.hash_of_stored(stored.sha256)
        checked += 1
        if actual is None:
            missing.append(stored.sha256)
        elif actual not in (stored.sha256, stored.accepted_sha256):
            damaged.append(stored.sha256)
    with transaction.atomic():
        StoredFile.objects.filter(sha256__in=damaged + missing).update(fixity_ok=False, last_fixity_check_at=started)
        StoredFile.objects.exclude(sha256__in=damaged + missing).update(fixity_ok=True, last_fixity_check_at=started)
        report = FixityCheck.objects.create(started_at=started, finished_at=timezone.now(), files_checked=checked,
                                            damaged=damaged, missing=missing)
        record_audit_event(actor=None, actor_label="fixity", action="content.fixity.checked", target=report,
                           changes={"files": checked, "damaged": damaged, "missing": missing})
    return report
