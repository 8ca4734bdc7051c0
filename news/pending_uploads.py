"""Uploads kept while the rest of their form is corrected.

A browser cannot send a file input back with a value, so when a form with a
valid upload fails on another field, the upload waits in
settings.PENDING_UPLOAD_ROOT (outside the served media folder: it is the raw
file, EXIF included) under a random name, and the form carries a signed token
naming it, bound to the user. The next submission without a new file takes
it back and it goes through the same checks again. Files older than
MAX_AGE are deleted whenever a new one is kept.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

MAX_AGE = 24 * 60 * 60
SALT = "news.pending_uploads"


def _root() -> Path:
    return Path(settings.PENDING_UPLOAD_ROOT)


def _remove_old(root: Path) -> None:
    limit = time.time() - MAX_AGE
    for path in root.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass  # removed by another process meanwhile


def keep(upload, *, user) -> str:
    """Store `upload` aside and return the signed token that names it."""
    root = _root()
    root.mkdir(parents=True, exist_ok=True)
    _remove_old(root)
    key = uuid.uuid4().hex
    upload.seek(0)
    (root / f"{key}.upload").write_bytes(upload.read())
    upload.seek(0)
    return signing.dumps(
        {
            "key": key,
            "name": upload.name,
            "type": upload.content_type or "",
            "user": user.pk,
        },
        salt=SALT,
    )


def _path(token: str, user) -> tuple[Path, dict] | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        return None
    key = str(data.get("key", ""))
    if len(key) != 32 or not key.isalnum():
        return None
    path = _root() / f"{key}.upload"
    return (path, data) if path.is_file() else None


def take(token: str, *, user) -> SimpleUploadedFile | None:
    """The upload a token names, or None (forged, expired, someone else's)."""
    if not token:
        return None
    found = _path(token, user)
    if found is None:
        return None
    path, data = found
    return SimpleUploadedFile(
        str(data.get("name") or "anh"),
        path.read_bytes(),
        content_type=str(data.get("type") or "application/octet-stream"),
    )


def discard(token: str, *, user) -> None:
    """Delete the file a token names (its form has been saved)."""
    found = _path(token, user) if token else None
    if found is not None:
        found[0].unlink(missing_ok=True)
