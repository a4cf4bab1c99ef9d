"""Domain errors: every refusal of a business rule, with a translatable message."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of all business-rule refusals.

    Subclasses set ``message`` (lazy, with named placeholders) and ``code``; the API maps them
    to problem+json responses and HTML views show them as form errors.
    """

    message = _("The operation was refused.")
    code = "refused"
    status = 409

    def __init__(self, **params):
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class InvalidInput(DomainError):
    """Input that fails validation; ``errors`` maps field names to messages."""

    message = _("The data submitted is not valid.")
    code = "invalid"
    status = 400

    def __init__(self, errors: dict[str, list[str]] | None = None, **params):
        self.errors = errors or {}
        super().__init__(**params)


class AccessDenied(DomainError):
    message = _("You do not have permission to %(action)s here.")
    code = "forbidden"
    status = 403
