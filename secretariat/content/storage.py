"""The content-addressed file store: each blob lives once, at a path derived from its SHA-256.

Writes go to a temporary file in the same directory and are renamed into place, so a reader
never sees half a file; identical uploads share one blob. ``settings.CONTENT_STORE_DIR`` (by
default ``VAR_DIR/content-store``) is the root.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

CHUNK = 1024 * 1024


def store_root() -> Path:
    return Path(getattr(settings, "CONTENT_STORE_DIR", settings.VAR_DIR / "content-store"))


def blob_path(sha256: str) -> Path:
    return store_root() / sha256[:2] / sha256[2:4] / sha256


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_blob(data: bytes) -> tuple[str, bool]:
    """Store ``data``; return its SHA-256 and whether this call created the blob."""
    digest = sha256_of(data)
    if blob_path(digest).exists():
        return digest, False
    replace_blob(data)
    return digest, True


def replace_blob(data: bytes) -> str:
    """Write ``data`` at its SHA-256's path even if a (damaged) file is there; return the SHA-256."""
    digest = sha256_of(data)
    path = blob_path(digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def read_blob(sha256: str) -> bytes:
    return blob_path(sha256).read_bytes()


def remove_blob(sha256: str) -> None:
    blob_path(sha256).unlink(missing_ok=True)


def hash_of_stored(sha256: str) -> str | None:
    """The SHA-256 of the bytes now on disk under ``sha256`` (None if the file is gone)."""
    path = blob_path(sha256)
    if not path.exists():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def all_blob_names() -> list[str]:
    root = store_root()
    if not root.exists():
        return []
    return [path.name for path in root.glob("??/??/*") if not path.name.startswith(".")]
