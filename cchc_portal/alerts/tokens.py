"""Signed, expiring tokens in mailed links: no account and no password.

Each purpose has its own salt, so a token made for one cannot be used for
another; each names the address it was made for by a short hash, so a token
outlives neither an address deleted nor one changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core import signing

CONFIRM = "confirm"
MANAGE = "manage"
UNSUBSCRIBE = "unsubscribe"
EDITOR_OFF = "editor-off"

MAX_AGE = {
    CONFIRM: dt.timedelta(days=7),
    MANAGE: dt.timedelta(days=30),
    # Mail clients keep List-Unsubscribe for the life of the message.
    UNSUBSCRIBE: dt.timedelta(days=180),
    EDITOR_OFF: dt.timedelta(days=180),
}


def _fingerprint(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:10]


def make(purpose: str, *, pk: int, email: str, extra: int | None = None) -> str:
    """A token for `purpose` naming record `pk` (and `extra`, e.g. a subscription)."""
    value = [pk, _fingerprint(email)] + ([extra] if extra is not None else [])
    return signing.dumps(value, salt=f"cchc.alerts.{purpose}", compress=True)


def read(purpose: str, token: str) -> tuple[int, str, int | None] | None:
    """(pk, fingerprint, extra) from a valid, unexpired token, else None."""
    if not isinstance(token, str) or len(token) > 300:
        return None
    try:
        value = signing.loads(
            token, salt=f"cchc.alerts.{purpose}", max_age=MAX_AGE[purpose]
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (
        isinstance(value, list)
        and len(value) in (2, 3)
        and isinstance(value[0], int)
        and isinstance(value[1], str)
        and (len(value) == 2 or isinstance(value[2], int))
    ):
        return None
    return value[0], value[1], value[2] if len(value) == 3 else None


def matches(fingerprint: str, email: str) -> bool:
    return fingerprint == _fingerprint(email)
