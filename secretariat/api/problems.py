"""RFC 9457 problem+json for every API error, in the user's language."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(*, status_code: int, code: str, title: str, detail: str, errors: dict | None = None) -> Response:
    body = {"type": f"urn:secretariat:problem:{code}", "title": title, "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {field: [str(message) for message in (messages if isinstance(messages, list) else [messages])]
                for field, messages in detail.items()}
    return {"non_field_errors": [str(message) for message in detail]}


def audit_refusal(context, detail: str) -> None:
    request = context.get("request")
    if request is not None and request.user.is_authenticated:
        record_audit_event(actor=request.user, action="security.access_denied",
                           changes={"method": request.method, "path": request.path, "detail": detail})


def problem_exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        errors = {field: [str(m) for m in messages] for field, messages in exc.errors.items()}
        return problem(status_code=400, code=exc.code, title=_("Invalid input"), detail=str(exc), errors=errors)
    if isinstance(exc, DomainError):
        if exc.status == status.HTTP_403_FORBIDDEN:
            audit_refusal(context, str(exc))
        return problem(status_code=exc.status, code=exc.code, title=_("Refused"), detail=str(exc))
    if isinstance(exc, (PermissionDenied, exceptions.PermissionDenied)):
        audit_refusal(context, str(exc))
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return problem(status_code=response.status_code, code="invalid", title=_("Invalid input"),
                       detail=_("The data submitted is not valid."), errors=field_errors(exc.detail))
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = getattr(exc, "default_code", "error") if not isinstance(exc, Http404) else "not_found"
    result = problem(status_code=response.status_code, code=code, title=str(detail), detail=str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result
