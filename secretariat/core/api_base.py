"""Base classes every app's API builds on: scoped querysets and Idempotency-Key on POST."""

import hashlib
import json
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.utils.encoders import JSONEncoder

from secretariat.core.access import scoped
from secretariat.core.models import IdempotencyRecord

IDEMPOTENCY_KEY_FORMAT = re.compile(r"^[\x21-\x7e]{1,255}$")
PROBLEM_CONTENT_TYPE = "application/problem+json"
# Row ids are positive 64-bit integers (BigAutoField): at most 19 digits, the first never 0.
ID_PATTERN = "[1-9][0-9]{0,18}"
INTEGER_LOOKUPS = {"pk", "id"}


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used with a different request.")
    default_code = "idempotency_key_reused"


def problem_body(*, status_code: int, code: str, title: str, detail: str, errors: list | None = None) -> dict:
    """An RFC 9457 problem document, as every API error is answered."""
    body = {"type": f"urn:secretariat:problem:{code}", "title": title, "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


class InvalidHeader(APIException):
    """A request header with a value we cannot use; problem details name the header."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, *, header: str, detail):
        self.header = header
        super().__init__(detail)


def request_fingerprint(request) -> str:
    """A hash of what was asked. Multipart uploads are hashed from their parsed fields and files,
    read in chunks: their raw body may exceed what Django keeps in memory (and may be streamed)."""
    digest = hashlib.sha256(request.method.encode() + request.path.encode() + b"\n")
    if request.content_type.startswith("multipart/"):
        for name, value in sorted(request.POST.lists()):
            digest.update(json.dumps([name, value]).encode())
        uploads = [(name, upload) for name in request.FILES for upload in request.FILES.getlist(name)]
        for name, upload in sorted(uploads, key=lambda pair: (pair[0], pair[1].name, pair[1].size)):
            digest.update(json.dumps([name, upload.name, upload.size]).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def replay(record: IdempotencyRecord) -> Response:
    response = Response(record.response_body, status=record.response_status)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(handler):
    """Run a POST handler at most once per (user, Idempotency-Key); replay its response after.

    The key is stored in the transaction of the action itself, so a crash leaves neither. A
    concurrent duplicate loses on the unique constraint and then replays the winner's answer.
    """

    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return handler(self, request, *args, **kwargs)
        if not IDEMPOTENCY_KEY_FORMAT.match(key):
            raise InvalidHeader(header="Idempotency-Key", detail=_("Use 1 to 255 visible ASCII characters."))
        fingerprint = request_fingerprint(request)

        def stored() -> Response | None:
            record = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
            if record is None:
                return None
            if record.request_hash != fingerprint:
                raise IdempotencyKeyReused()
            return replay(record)

        if (earlier := stored()) is not None:
            return earlier
        try:
            with transaction.atomic():
                response = handler(self, request, *args, **kwargs)
                if response.status_code < 500:
                    IdempotencyRecord.objects.create(
                        user=request.user, key=key, method=request.method, path=request.path[:500],
                        request_hash=fingerprint, response_status=response.status_code,
                        response_body=json.loads(json.dumps(response.data, cls=JSONEncoder)),
                    )
        except IntegrityError:
            if (earlier := stored()) is not None:
                return earlier
            raise
        return response

    wrapper.__name__, wrapper.__doc__ = handler.__name__, handler.__doc__
    return wrapper


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and retrieves only what the user's roles allow, by ``view_permission`` in scope."""

    view_permission: str = ""

    def get_queryset(self):
        return scoped(super().get_queryset(), actor=self.request.user, permission=self.view_permission)


class IdRouter(DefaultRouter):
    """Routes whose lookup is an integer id match only digits, so ``tickets/abc/`` is a plain 404
    instead of reaching a view that would fail on ``int("abc")``. A viewset that looks up by
    another field (a code, a slug) keeps DRF's default unless it sets ``lookup_value_regex``."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None and self.looks_up_by_id(viewset):
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
            return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{ID_PATTERN})"
        return super().get_lookup_regex(viewset, lookup_prefix)

    @staticmethod
    def looks_up_by_id(viewset) -> bool:
        field = getattr(viewset, "lookup_field", "pk")
        if field in INTEGER_LOOKUPS:
            return True
        queryset = getattr(viewset, "queryset", None)
        if queryset is None:
            return False
        return queryset.model._meta.get_field(field).get_internal_type().endswith(
            ("IntegerField", "AutoField"))


def one_object(serializer):
    """Document a ViewSet's ``list`` that answers one object (a dashboard, an index), not a list:
    drf-spectacular would otherwise declare an array of them."""
    extend_schema_serializer(many=False)(type(serializer))
    return serializer
