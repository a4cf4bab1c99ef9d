"""One way for every page to refuse: a clear message, and refusals of authority audited.

Services raise ``DomainError``s; pages show them here, either as a whole page (``refused``) or
on the form that was submitted (``apply_refusal``). A refusal of authority (HTTP 403) is a
security event whichever page it comes from, so both write ``security.access_denied``.
"""

from django.shortcuts import render

from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput


def audit_access_denied(request, detail: str) -> None:
    if request.user.is_authenticated:
        record_audit_event(actor=request.user, action="security.access_denied",
                           changes={"method": request.method, "path": request.path, "detail": detail})


def refused(request, error: DomainError | None, status: int | None = None):
    """A page saying why the action was refused (403 when no error is given)."""
    detail = str(error) if error is not None else ""
    status = status or getattr(error, "status", 403)
    if status == 403:
        audit_access_denied(request, detail)
    return render(request, "web/refused.html", {"detail": detail}, status=status)


def apply_refusal(request, form, error: DomainError, field_prefixes: tuple[str, ...] = ()) -> None:
    """Show a service refusal on the submitted form: field errors where the service named fields.

    ``field_prefixes`` lets a form whose inputs are named ``<prefix><field>`` (survey answers)
    carry the service's field errors on the right input.
    """
    if getattr(error, "status", None) == 403:
        audit_access_denied(request, str(error))
    if isinstance(error, InvalidInput) and error.errors:
        for field, field_messages in error.errors.items():
            target = next((name for name in (field, *(p + field for p in field_prefixes)) if name in form.fields),
                          None)
            for message in field_messages:
                form.add_error(target, str(message))
    else:
        form.add_error(None, str(error))
