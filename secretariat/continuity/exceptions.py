"""Refusals of the continuity app, each with a translatable message."""

from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError


class InvalidTransition(DomainError):
    message = _("Cannot move from %(current)s to %(requested)s.")
    code = "invalid_transition"


class DependencyCycle(DomainError):
    message = _("This dependency would create a cycle: %(cycle)s.")
    code = "dependency_cycle"


class AnalysisSignedOff(DomainError):
    message = _("Business impact analysis version %(version)s is signed off and can no longer be changed.")
    code = "analysis_signed_off"


class AnalysisIncomplete(DomainError):
    message = _("The business impact analysis cannot be signed off yet: %(missing)s.")
    code = "analysis_incomplete"


class ConflictAlreadyResolved(DomainError):
    message = _("This conflict is already resolved (%(resolution)s).")
    code = "conflict_already_resolved"


class ExerciseNotPlanned(DomainError):
    message = _("Only a planned exercise can be recorded; this one is %(status)s.")
    code = "exercise_not_planned"


class DrillAlreadyRunning(DomainError):
    message = _("A failover drill is already running on this machine (lock %(lock)s); wait for it to finish.")
    code = "drill_already_running"


class DrillFailed(DomainError):
    message = _("The failover drill could not be run: %(reason)s")
    code = "drill_failed"
    status = 500


class CorruptBackup(DomainError):
    message = _("The backup at %(path)s is corrupt or incomplete; nothing was restored: %(problems)s")
    code = "corrupt_backup"
    status = 400


class RestoreTargetExists(DomainError):
    message = _("The restore target %(target)s already exists; choose another or pass --replace.")
    code = "restore_target_exists"


class RestoreVerificationFailed(DomainError):
    message = _("The restored platform differs from the backup: %(differences)s")
    code = "restore_verification_failed"
    status = 500


class BackupFailed(DomainError):
    message = _("The backup could not be made: %(reason)s")
    code = "backup_failed"
    status = 500
