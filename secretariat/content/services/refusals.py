"""Refusals of the content services: what a reader is told when an operation cannot be done."""


from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError


class CheckedOutByOther(DomainError):
    message = _("“%(title)s” is checked out by %(user)s.")
    code = "checked_out"


class NotCheckedOut(DomainError):
    message = _("Check out “%(title)s” before checking in a new version.")
    code = "not_checked_out"


class RecordIsImmutable(DomainError):
    message = _("“%(title)s” is a declared record: its content and key metadata cannot change.")
    code = "record_immutable"


class AlreadyDeclared(DomainError):
    message = _("“%(title)s” is already a declared record.")
    code = "already_declared"


class NotARecord(DomainError):
    message = _("“%(title)s” is not a declared record.")
    code = "not_a_record"


class RetentionCannotShorten(DomainError):
    message = _("Retention of “%(title)s” runs until %(current)s; it may be extended but never shortened.")
    code = "retention_shortened"


class UnderLegalHold(DomainError):
    message = _("“%(title)s” is under the legal hold “%(hold)s”: it cannot be disposed of or deleted.")
    code = "legal_hold"


class HoldAlreadyReleased(DomainError):
    message = _("The legal hold “%(name)s” was already released.")
    code = "hold_released"


class LanguageVersionsNotFinal(DomainError):
    message = _("%(symbol)s cannot be issued: the %(languages)s version(s) are not final.")
    code = "languages_not_final"


class LanguageVersionExists(DomainError):
    message = _("%(symbol)s already has a %(language)s version.")
    code = "language_version_exists"


class NotInTranslation(DomainError):
    message = _("%(symbol)s must be in translation for this step (it is %(status)s).")
    code = "not_in_translation"


class SymbolTaken(DomainError):
    message = _("The symbol %(symbol)s is already registered.")
    code = "symbol_taken"


class SameApprover(DomainError):
    message = _("The person who proposed or submitted this cannot also approve it.")
    code = "four_eyes"


class WorkspaceRoleRequired(DomainError):
    message = _("Only workspace members who are not observers may do this in “%(workspace)s”.")
    code = "workspace_role"
    status = 403


class PollClosed(DomainError):
    message = _("This poll is closed.")
    code = "poll_closed"


class DraftNotInWorkspace(DomainError):
    message = _("Only workspace drafts go through draft approval.")
    code = "not_a_draft"


class ApprovalAlreadyDecided(DomainError):
    message = _("This approval request was already decided.")
    code = "approval_decided"
