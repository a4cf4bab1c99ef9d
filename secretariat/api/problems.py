"""RFC 9457 problem+json for every API error, in the user's language.

Field errors travel as a list ``errors`` of ``{"pointer", "detail", "code"}``, the pointer an
RFC 6901 JSON pointer into the request body (``/lines/0/object_of_expenditure``), so a client
can put each message next to the field it is about, however deeply nested.
"""

import logging
from collections.abc import Iterator

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DataError
from django.http import Http404, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler, set_rollback

from secretariat.core.api_base import PROBLEM_CONTENT_TYPE, InvalidHeader, problem_body
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput

logger = logging.getLogger(__name__)


def problem(*, status_code: int, code: str, title: str, detail: str, errors: list | None = None) -> Response:
    return Response(problem_body(status_code=status_code, code=code, title=title, detail=detail, errors=errors),
                    status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def json_pointer(parent: str, key) -> str:
    """RFC 6901: ``~`` and ``/`` in a member name are escaped as ``~0`` and ``~1``."""
    return f"{parent}/{str(key).replace('~', '~0').replace('/', '~1')}"


def field_errors(detail, pointer: str = "", code: str = "invalid") -> Iterator[dict]:
    """Flatten DRF's error detail (dicts of fields, lists of rows, ``{index: …}`` from a ListField)
    into one entry per message. Errors not about one field (``non_field_errors``) point at the
    object that holds them."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            inner = pointer if key == api_settings.NON_FIELD_ERRORS_KEY else json_pointer(pointer, key)
            yield from field_errors(value, inner, code)
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list | tuple):
                yield from field_errors(item, json_pointer(pointer, index), code)
            else:
                yield from field_errors(item, pointer, code)
    else:
        yield {"pointer": pointer, "detail": str(detail), "code": getattr(detail, "code", None) or code}


def nested(errors: dict) -> dict:
    """Services name a nested field with dots (``custom_fields.grade``); the pointer has segments."""
    tree = {}
    for field, messages in errors.items():
        *parents, name = str(field).split(".")
        node = tree
        for parent in parents:
            node = node.setdefault(parent, {})
        node[name] = messages
    return tree


def audit_refusal(context, detail: str) -> None:
    request = context.get("request")
    if request is not None and request.user.is_authenticated:
        record_audit_event(actor=request.user, action="security.access_denied",
                           changes={"method": request.method, "path": request.path, "detail": detail})


def problem_exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        return problem(status_code=400, code=exc.code, title=_("Invalid input"), detail=str(exc),
                       errors=list(field_errors(nested(exc.errors), code=exc.code)))
    if isinstance(exc, DomainError):
        if exc.status == status.HTTP_403_FORBIDDEN:
            audit_refusal(context, str(exc))
        return problem(status_code=exc.status, code=exc.code, title=_("Refused"), detail=str(exc))
    if isinstance(exc, InvalidHeader):
        return problem(status_code=400, code="invalid", title=_("Invalid input"), detail=str(exc.detail),
                       errors=[{"header": exc.header, "detail": str(exc.detail), "code": "invalid"}])
    if isinstance(exc, ObjectDoesNotExist | Http404):
        # A service asked for a row by an id the client sent, and there is none; the answer is
        # the same whichever model it was, so it names no internals.
        exc = exceptions.NotFound()
    if isinstance(exc, DataError | OverflowError):
        # The database (or its driver) refused a value the client sent: a number beyond the
        # column's range, text too long. Logged, since a bug could look the same.
        logger.warning("Database refused a value: %s", exc, exc_info=exc)
        set_rollback()
        return problem(status_code=400, code="out_of_range", title=_("Invalid input"),
                       detail=_("A value is out of range or too long for its field."))
    if isinstance(exc, (PermissionDenied, exceptions.PermissionDenied)):
        audit_refusal(context, str(exc))
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return problem(status_code=response.status_code, code="invalid", title=_("Invalid input"),
                       detail=_("The data submitted is not valid."), errors=list(field_errors(exc.detail)))
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    result = problem(status_code=response.status_code, code=getattr(exc, "default_code", "error"), title=str(detail),
                     detail=str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Any /api/ path that no route matches (``tickets/abc/``) answers like a DRF 404."""
    detail = str(exceptions.NotFound.default_detail)
    return JsonResponse(problem_body(status_code=404, code="not_found", title=detail, detail=detail),
                        status=404, content_type=PROBLEM_CONTENT_TYPE)


def csrf_failure(request, reason: str = ""):
    """A request refused by the CSRF check (before any view ran): problem+json under /api/, Django's
    page elsewhere. DRF's own session check already answers problem+json; this covers what the
    middleware refuses first, such as a POST to a path no route matches."""
    if not request.path.startswith("/api/"):
        return django_csrf_failure(request, reason)
    detail = _("The request was refused: its CSRF token is missing or wrong. Send the X-CSRFToken header "
               "with a session, or use an API token.")
    return JsonResponse(problem_body(status_code=403, code="csrf_failed", title=_("Refused"), detail=detail),
                        status=403, content_type=PROBLEM_CONTENT_TYPE)
