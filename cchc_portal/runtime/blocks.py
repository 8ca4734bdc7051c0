"""Blocks many pages share, computed once per content generation and language.

After a publish every page is a miss (the page cache starts a new
generation), and on a release day that is when traffic peaks. Blocks that
appear on many pages (the PAR INDEX box, a unit's score cards, the menu's
categories, the glossary) need not be recomputed for each of those misses:
`cached_block` keeps what `compute` returns under the current generation of
the page cache (runtime/page_cache.py), so the change that ends the cached
pages ends these blocks too, on every app server sharing the cache, and a
scheduled publish or expiry ends them at its minute. The active language is
part of every key: a block in Vietnamese is never served to an English page.

Only public content belongs here: the same value is given to every visitor,
staff included. `settings.BLOCK_CACHE_SECONDS` = 0 turns it off (the test
suite does, as it does the page cache: its changes never commit).
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from cchc_portal.runtime import page_cache

BLOCK_KEY_PREFIX = "block:"
T = TypeVar("T")


def block_key(name: str, *parts: object) -> str:
    """The cache key of block `name` with `parts` in this generation and language."""
    raw = "\x1f".join([name, get_language() or "", *(str(part) for part in parts)])
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"{BLOCK_KEY_PREFIX}{page_cache.current_generation()}:{digest}"


def cached_block(name: str, *parts: object, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned earlier in this generation and language.

    `parts` are everything the block depends on besides the content (ids of
    the units shown, ...). A cache that does not answer only costs the
    computation.
    """
    seconds = settings.BLOCK_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = block_key(name, *parts)
    # Wrapped, so a block whose value is None is a hit too.
    found = cache.get(key)
    if found is not None:
        return found[0]
    value = compute()
    cache.set(key, (value,), timeout=seconds)
    return value
