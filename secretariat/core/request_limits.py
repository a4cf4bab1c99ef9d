"""Refuse oversize request bodies from their Content-Length, before anything reads them.

Django reads a body only when a view (or the CSRF check) asks for it, and then a 200 MB upload
costs a worker its time, a temporary file and, once a service joins it, its memory, only to be
refused by a per-library limit. This middleware answers 413 from the declared length instead:
``SECRETARIAT_MAX_REQUEST_MB`` for multipart uploads, ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for any
other body (JSON, forms), which is read whole into memory. A chunked body has no length to
judge; under WSGI Django would silently read it as empty, so it is refused with 411.
"""

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from secretariat.core.api_base import PROBLEM_CONTENT_TYPE, problem_body
from secretariat.core.exceptions import DomainError
from secretariat.core.refusals import refused

MB = 1024 * 1024


class RequestTooLarge(DomainError):
    message = _("The request is larger than %(limit)s, the most this server accepts for it.")
    code = "request_too_large"
    status = 413


class LengthRequired(DomainError):
    message = _("Send the request body with a Content-Length header; chunked bodies are not accepted.")
    code = "length_required"
    status = 411


def body_limit(request) -> int:
    """The largest body, in bytes, accepted for this request's content type."""
    uploads = settings.SECRETARIAT_MAX_REQUEST_MB * MB
    if request.content_type == "multipart/form-data" or settings.DATA_UPLOAD_MAX_MEMORY_SIZE is None:
        return uploads
    return min(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, uploads)


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads an unparsable length as an empty body, and so do we


class RequestLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self.refusal(request, LengthRequired())
        limit = body_limit(request)
        if declared_length(request) > limit:
            return self.refusal(request, RequestTooLarge(limit=filesizeformat(limit)))
        return self.get_response(request)

    @staticmethod
    def refusal(request, error: DomainError):
        if request.path.startswith("/api/"):
            return JsonResponse(
                problem_body(status_code=error.status, code=error.code, title=str(error), detail=str(error)),
                status=error.status, content_type=PROBLEM_CONTENT_TYPE)
        return refused(request, error, status=error.status)
