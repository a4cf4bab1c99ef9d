"""Content-addressed files: blobs written before the rows that reference them, removed again
when the transaction fails (``staged_blobs``), so a failed upload leaves nothing."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from secretariat.content import storage
from secretariat.content.models import (
    StoredFile,
)

_staged: ContextVar[list | None] = ContextVar("content_staged_blobs", default=None)


@contextmanager
def staged_blobs():
    """Remove the blobs written inside the block if the block fails (no orphan files)."""
    created: list[str] = []
    token = _staged.set(created)
    try:
        yield
    except BaseException:
        for digest in created:
            try:
                still_referenced = StoredFile.objects.filter(sha256=digest).exists()
            except Exception:  # the connection is unusable: the rows are gone with the transaction
                still_referenced = False
            if not still_referenced:
                storage.remove_blob(digest)
        raise
    finally:
        _staged.reset(token)


def store_file(*, data: bytes, media_type: str) -> StoredFile:
    digest, created = storage.write_blob(data)
    if created and (staged := _staged.get()) is not None:
        staged.append(digest)
    stored, _created = StoredFile.objects.get_or_create(
        sha256=digest, defaults={"size_bytes": len(data), "media_type": media_type})
    return stored


def atomic_with_files(service):
    """``transaction.atomic`` for services that write blobs: a failure removes what they wrote."""
    atomic_service = transaction.atomic(service)

    def wrapper(*args, **kwargs):
        with staged_blobs():
            return atomic_service(*args, **kwargs)

    wrapper.__name__, wrapper.__doc__, wrapper.__wrapped__ = service.__name__, service.__doc__, service
    return wrapper
