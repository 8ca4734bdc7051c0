"""Whole-page cache for anonymous visitors that is never stale.

Every stored page carries the *content generation* it was rendered under. The
generation is one small record in the shared cache:

    {"token": <random>, "until": <epoch seconds>}

- Any content change (an article saved, an edition released, ...) deletes the
  record once the transaction commits, so every app server sharing the cache
  stops serving pages of the old generation at once.
- ``until`` is the next scheduled change nobody writes for: an article whose
  publish time arrives, one that expires, an edition released at a set
  minute. Apps register a function returning that time; when it passes, the
  record is renewed and older pages are ignored. No cache entry outlives the
  next scheduled publish or expiry, and no cron job is needed.

The middleware is the outermost one: a stored page keeps the final headers
the rest of the stack produced (security headers, CSP), so a hit costs one
round trip to the cache (the record and the page are fetched together) and
no other middleware, session, authentication or view. It also answers
conditional requests (304). Requests carrying a session cookie (staff) are
never served from or stored in the cache.

Pages are keyed by what Django routed (`path_info`), never by the URL the
client sent: the site is served at the root, and a request whose WSGI
`SCRIPT_NAME` says otherwise (a server or proxy that passed a client's
header through) routes a different page than its URL names, so it is neither
served from nor stored in the cache. `X-Page-Cache` (HIT/MISS) is shown only
with `settings.PAGE_CACHE_HEADER` (DEBUG, tests, benchmarks): to anyone else
it would tell whether a page someone else asked for is stored.

Query parameters a view does not read never reach it and are not part of
the key. Views declare the ones they read (`query_parameters` on the class,
or the decorator of the same name); all others (`fbclid`, `utm_*`, junk)
are dropped before the view runs, so such requests share the page of the
clean URL: a link shared on Facebook, where every click carries its own
`fbclid`, costs one render, and random parameters can neither multiply
misses nor fill the cache. Views that declare nothing see every parameter
and are keyed by all of them.
"""

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from cchc_portal.runtime import compression, replica

STATE_KEY = "page-cache:state"
PAGE_KEY_PREFIX = "page-cache:page:"
RENDER_LOCK_PREFIX = "page-cache:rendering:"
# Concurrent misses of one page are rendered once ("single flight"): the
# others serve the previous generation's copy if there is one, else wait up
# to RENDER_WAIT_SECONDS for the render, then render themselves. The lock
# expires on its own should its holder die.
RENDER_LOCK_SECONDS = 10
RENDER_WAIT_SECONDS = 2.0
RENDER_POLL_SECONDS = 0.02
# After a publish every page is a miss at once. While RENDER_SLOTS renders
# are under way (on any server sharing the cache), a page with a copy from the
# last generation is answered with that copy instead of being rendered too:
# the new generation's pages are rendered one at a time instead of taking
# every thread of every worker. bench/publish_load.py, 100 readers of 109
# pages, 2 cores: p99 in the 10 s after a publish 2.0 s with no limit,
# 0.18-0.20 s with 2 renders per process, 0.11 s with 1 (one worker); with
# five workers and Redis, 1 per process still gave 0.99 s, hence one for all.
# A page without such a copy (a new article) is always rendered and takes no
# slot (it would hold one while waiting for another request's render). A
# slot ends with its render, or after RENDER_LOCK_SECONDS should its holder
# die.
RENDER_SLOTS = 1
RENDER_SLOT_PREFIX = "page-cache:render-slot:"
# Headers never replayed from a stored page: per-response or per-visitor.
UNSTORED_HEADERS = {"set-cookie", "date", "x-page-cache", "content-length"}

# Per thread (gunicorn threads): whether this commit's new generation started.
_local = threading.local()

_schedule_providers: list[Callable[[], datetime | None]] = []


def _take_render_slot() -> str | None:
    """The key of a free render slot, now taken, or None when all are busy."""
    for number in range(RENDER_SLOTS):
        key = f"{RENDER_SLOT_PREFIX}{number}"
        if cache.add(key, 1, timeout=RENDER_LOCK_SECONDS):
            return key
    return None


def register_schedule(provider: Callable[[], datetime | None]) -> None:
    """Register a function giving the next scheduled content change (or None)."""
    if provider not in _schedule_providers:
        _schedule_providers.append(provider)


def next_scheduled_change() -> float | None:
    """Epoch seconds of the earliest scheduled change any app knows about."""
    times = [when for provider in _schedule_providers if (when := provider())]
    return min(times).timestamp() if times else None


def watch(*models, m2m_fields=()) -> None:
    """Start a new generation whenever rows of these models change.

    For models whose rows appear on public pages; `m2m_fields` are many-to-many
    descriptors (e.g. Article.tags) whose changes count too.
    """
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        label = model._meta.label
        post_save.connect(
            _changed, sender=model, dispatch_uid=f"page-cache-save-{label}"
        )
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"page-cache-delete-{label}"
        )
    for field in m2m_fields:
        m2m_changed.connect(
            _changed,
            sender=field.through,
            dispatch_uid=f"page-cache-m2m-{field.through}",
        )


def _changed(sender, **kwargs) -> None:
    invalidate()


def invalidate() -> None:
    """Start a new content generation once the current transaction commits.

    Waiting for the commit matters: a server rendering between the change and
    the commit would otherwise store old content under the new generation.
    A transaction touching many rows queues many hooks; only the first one to
    run after the commit talks to the cache.
    """
    _local.generation_started = False
    transaction.on_commit(_start_new_generation)


def _start_new_generation() -> None:
    if getattr(_local, "generation_started", False):
        return
    _local.generation_started = True
    # First the primary's position (a replica must reach it before serving
    # pages of the new generation), then the new generation itself.
    replica.record_primary_position()
    current = cache.get(STATE_KEY)
    # This thread's later blocks (cchc_portal/runtime/blocks.py) belong to
    # the new generation too.
    _local.state = _new_state(time.time(), previous=current and current["token"])


def _new_state(now: float, previous: str | None, token: str | None = None) -> dict:
    # Shared blocks are keyed by the generation too, with or without pages.
    max_seconds = max(settings.PAGE_CACHE_SECONDS, settings.BLOCK_CACHE_SECONDS, 1)
    until = now + max_seconds
    scheduled = next_scheduled_change()
    if scheduled is not None:
        until = min(until, scheduled)
    state = {
        "token": token or secrets.token_hex(8),
        # The generation this one replaces: its pages may stand in while
        # their successors render (single flight).
        "previous": previous,
        "until": until,
    }
    cache.set(STATE_KEY, state, timeout=max(1, int(until - now) + 1))
    return state


def _current_state(state: dict | None, now: float) -> dict:
    if state is None:
        return _new_state(now, previous=None)
    if now >= state["until"]:
        # Every request (on every server) that finds this generation ended
        # makes the same next token, so they agree on one generation and
        # its pages are rendered once.
        seed = f"{state['token']}:{state['until']}".encode()
        token = hashlib.sha256(seed).hexdigest()[:16]
        return _new_state(now, previous=state["token"], token=token)
    return state


def current_generation() -> str:
    """The token of the content generation now, read once per request.

    For what is cached by generation besides pages (runtime/blocks.py): the
    page-cache middleware has usually read the record already; otherwise the
    first block of a request reads it. Forgotten when a request starts and
    when this thread starts a new generation.
    """
    now = time.time()
    state = getattr(_local, "state", None)
    if state is None or now >= state["until"]:
        state = _local.state = _current_state(cache.get(STATE_KEY), now)
    return state["token"]


def forget_generation(**kwargs) -> None:
    """Read the generation afresh from the cache (at each request's start)."""
    _local.state = None


request_started.connect(forget_generation, dispatch_uid="page-cache-generation")


def query_parameters(*names: str):
    """Declare the query parameters a function view reads (see the module doc).

    Class-based views set `query_parameters = (...)` on the class instead.
    """

    def declare(view):
        view.query_parameters = frozenset(names)
        return view

    return declare


def declared_query_parameters(path_info: str) -> frozenset | None:
    """The parameters the view of this path reads, or None (undeclared: all)."""
    try:
        view = resolve(path_info).func
    except Resolver404:
        return None
    names = getattr(view, "query_parameters", None)
    if names is None:
        names = getattr(getattr(view, "view_class", None), "query_parameters", None)
    return None if names is None else frozenset(names)


def keep_declared_query_parameters(request) -> None:
    """Drop the parameters the view does not read, and order the others.

    Afterwards request.GET and QUERY_STRING hold only what the view reads, in
    one order, so the page-cache key names exactly what the page depends on.
    """
    if not request.META.get("QUERY_STRING"):
        return
    names = declared_query_parameters(request.path_info)
    if names is None:
        return
    kept = QueryDict(mutable=True)
    for name in sorted(key for key in request.GET if key in names):
        kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def _wait_for_page(page_key: str, lock_key: str, token: str) -> dict | None:
    """The page of this generation once its render is stored.

    None as soon as the render ends without storing one (a 404, a page that
    sets a cookie), or when the wait runs out.
    """
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        found = cache.get_many([page_key, lock_key])
        page = found.get(page_key)
        if page is not None and page["token"] == token:
            return page
        if lock_key not in found:
            return None
    return None


def _page_key(request) -> str:
    # path_info is what the URL resolver saw; the query string is the client's.
    query = request.META.get("QUERY_STRING", "")
    raw = f"{request.scheme}://{request.get_host()}{request.path_info}?{query}"
    return PAGE_KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _served_at_the_root(request) -> bool:
    """Did Django route the very path the client asked for (no script prefix)?"""
    return not request.META.get("SCRIPT_NAME") and request.path == request.path_info


def _is_cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and _served_at_the_root(request)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # Files are whitenoise's or the media server's business.
        and not request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL))
    )


def _is_cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(
        word in cache_control for word in ("private", "no-store", "no-cache")
    )


def _mark_public(response, last_modified: float) -> None:
    # Shared caches (a CDN) may keep the page but must revalidate every time;
    # the conditional GET is answered from this cache, so it is cheap and never
    # stale.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    response["Last-Modified"] = http_date(last_modified)
    if settings.PAGE_CACHE_HEADER:
        response["X-Page-Cache"] = response.get("X-Page-Cache", "MISS")


class PageCacheMiddleware:
    """Serve and store whole anonymous pages keyed by the content generation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            keep_declared_query_parameters(request)
        if not _is_cacheable_request(request):
            response = self.get_response(request)
            if (
                getattr(request, "user", None) is not None
                and request.user.is_authenticated
            ):
                # Staff pages hold drafts and admin links: no shared or browser copies.
                patch_cache_control(response, private=True, no_store=True)
            return response

        # Pages are stored uncompressed and compressed (all variants at once)
        # here, so the compression middleware below leaves them alone.
        request.page_cache_compresses = True
        now = time.time()
        page_key = _page_key(request)
        found = cache.get_many([STATE_KEY, page_key])
        state = _local.state = _current_state(found.get(STATE_KEY), now)
        page = found.get(page_key)
        if page is not None and page["token"] == state["token"]:
            return self._replay(request, page)

        stale = page is not None and page["token"] == state.get("previous")
        # Only a page that can stand in with a copy waits for a slot.
        slot = _take_render_slot() if stale else None
        if stale and slot is None:
            # Other pages of the new generation are being rendered: the last
            # one's copy now, a later request renders this one.
            return self._replay(request, page, "STALE")
        try:
            return self._render_once(request, page, page_key, state, now, stale)
        finally:
            if slot is not None:
                cache.delete(slot)

    def _render_once(self, request, page, page_key, state, now, stale):
        """Render and store the page, unless another request already does."""
        lock_key = RENDER_LOCK_PREFIX + page_key
        if not cache.add(lock_key, 1, timeout=RENDER_LOCK_SECONDS):
            # Another request (on any server) is rendering this page: stand
            # in with the last generation's copy, or wait for the new one.
            if stale:
                return self._replay(request, page, "STALE")
            page = _wait_for_page(page_key, lock_key, state["token"])
            if page is not None:
                return self._replay(request, page)
            return self._render_and_store(request, page_key, state, now)
        try:
            return self._render_and_store(request, page_key, state, now)
        finally:
            cache.delete(lock_key)

    def _render_and_store(self, request, page_key: str, state: dict, now: float):
        response = self.get_response(request)
        if not _is_cacheable_response(response):
            return compression.compress_if_allowed(request, response)
        _mark_public(response, now)
        # ConditionalGetMiddleware below has usually set it already.
        if not response.has_header("ETag"):
            set_response_etag(response)
        # Compressed once per generation, every variant: hits only pick one.
        variants = {}
        if compression.is_compressible(request, response):
            variants = {
                encoding: compression.compress(response.content, encoding)
                for encoding in compression.ENCODINGS
            }
            patch_vary_headers(response, ("Accept-Encoding",))
        page = {
            "token": state["token"],
            "content": response.content,
            "variants": variants,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ],
            "etag": response["ETag"],
            "stored_at": now,
        }
        # A generation may outlive PAGE_CACHE_SECONDS (BLOCK_CACHE_SECONDS).
        ttl = max(1, int(min(state["until"] - now, settings.PAGE_CACHE_SECONDS)))
        cache.set(page_key, page, timeout=ttl)
        # The render is sent as every later hit will be: the stored copy in
        # the client's encoding, with its conditional answer (304).
        return self._replay(request, page, "MISS")

    @staticmethod
    def _replay(request, page: dict, state: str = "HIT") -> HttpResponse:
        response = HttpResponse(page["content"])
        for name, value in page["headers"]:
            response[name] = value
        if settings.PAGE_CACHE_HEADER:
            response["X-Page-Cache"] = state
        # Pages stored before compression existed have no variants.
        variants = page.get("variants")
        etag = page["etag"]
        if variants:
            encoding = compression.request_encoding(request)
            compression.encode_response(response, encoding, variants.get(encoding))
            etag = response["ETag"]
        else:
            response["Content-Length"] = str(len(page["content"]))
        # This middleware sits above ConditionalGetMiddleware: answer 304 here.
        return get_conditional_response(
            request,
            etag=etag,
            last_modified=int(page["stored_at"]),
            response=response,
        )
