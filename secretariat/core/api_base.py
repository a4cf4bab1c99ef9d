"""Base classes every app's API builds on: scoped querysets and Idempotency-Key on POST."""

import hashlib
import json
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from secretariat.core.access import scoped
from secretariat.core.models import IdempotencyRecord

IDEMPOTENCY_KEY_FORMAT = re.compile(r"^[\x21-\x7e]{1,255}$")


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used with a different request.")
    default_code = "idempotency_key_reused"


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
            raise ValidationError({"Idempotency-Key": [_("Use 1 to 255 visible ASCII characters.")]})
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
