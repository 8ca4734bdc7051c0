"""Limits on subscribe requests: per address and per client, per hour.

Counters live in the shared cache (Redis with several app servers) under
hashed keys: neither addresses nor client IPs are stored.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW = 60 * 60


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()
    return f"alerts-rl:{kind}:{digest[:32]}"


def hit(kind: str, value: str, limit: int) -> bool:
    """Count one request; False once `limit` requests were counted this hour."""
    key = _key(kind, value)
    if cache.add(key, 1, WINDOW):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW)
        return True
    return count <= limit
