"""Refusals of the budget, shared by its models and services (no import circle between them)."""

from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError, InvalidInput


class InvalidTransition(DomainError):
    message = _("A record in status %(current)s cannot move to %(requested)s.")
    code = "invalid_transition"


class FundsNotAvailable(DomainError):
    message = _("Funds are not available: %(requested)s requested but only %(available)s is available on "
                "allotment %(allotment)s.")
    code = "funds_not_available"


class AllotmentExceedsAppropriation(DomainError):
    message = _("The allotment of %(requested)s exceeds the unallotted balance of the appropriation "
                "(%(unallotted)s of %(appropriation)s).")
    code = "allotment_exceeds_appropriation"


class AppropriationNotApproved(DomainError):
    message = _("The appropriation %(appropriation)s is not approved yet.")
    code = "appropriation_not_approved"


class AppropriationBelowAllotments(DomainError):
    message = _("The appropriation cannot be reduced to %(requested)s: %(allotted)s is already allotted.")
    code = "appropriation_below_allotments"


class RedeploymentNotAllowed(DomainError):
    message = _("This redeployment is not allowed: %(reason)s")
    code = "redeployment_not_allowed"


class CommitmentNotOpen(DomainError):
    message = _("Commitment %(number)s is %(status)s; it can no longer be changed.")
    code = "commitment_not_open"


class ExceedsUnliquidatedBalance(DomainError):
    message = _("%(requested)s exceeds the unliquidated balance of commitment %(number)s (%(open)s).")
    code = "exceeds_unliquidated_balance"


class CurrencyMismatch(DomainError):
    message = _("The amount is in %(given)s but the allotment is kept in %(expected)s.")
    code = "currency_mismatch"


class ResourceTableDoesNotFoot(InvalidInput):
    message = _("The resource table does not foot; nothing was saved.")
    code = "table_does_not_foot"


class StagePassed(DomainError):
    message = _("The resource table is past the stage “%(stage)s” (latest: %(current)s); a change now is a new "
                "version at the latest stage or a later one.")
    code = "stage_passed"


class ApprovedTableFrozen(DomainError):
    message = _("%(version)s is the table the General Assembly approved and cannot be changed; enter the change "
                "as a revised appropriation.")
    code = "approved_table_frozen"


class DuplicateRecord(DomainError):
    message = _("%(what)s already exists.")
    code = "duplicate"


class ExpenditureNotAttributable(DomainError):
    code = "expenditure_not_attributable"
    message = _("Journal entry %(entry)s cannot be charged to one allotment: %(reason)s.")

