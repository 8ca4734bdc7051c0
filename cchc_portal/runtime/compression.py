"""Brotli and gzip for pages, feeds, sitemaps, JSON and CSV answers.

Which encoding: the client's `Accept-Encoding`, q-values respected; brotli
when it is as welcome as gzip (smaller, and every browser sends it over
HTTPS), identity when neither is acceptable.

What is compressed: bodies of text types (HTML, RSS/Atom and sitemaps, JSON,
CSV, plain text) of at least MIN_LENGTH bytes, not streamed, not encoded
already. Static files (whitenoise writes .br/.gz at collectstatic time) and
media (images, already compressed) are never touched.

BREACH. An attacker who can inject text into a compressed page and watch its
size can read a secret on it byte by byte. Django's GZipMiddleware compresses
everything and relies on CSRF tokens being masked afresh per request plus
random bytes in the gzip header. Here the rule is stricter and simpler: only
answers that hold no secret are compressed, i.e. answers to requests without
a session cookie, that set no cookie, used no CSRF token and are not marked
private. That is every anonymous cacheable page, feed, sitemap and API/CSV
download; forms with a token (alert subscription, admin) and everything a
signed-in editor sees stay identity. Those are few and small, so nothing is
lost worth the risk.

Caches and 304s: every compressible answer says `Vary: Accept-Encoding`,
and a compressed variant's ETag carries the encoding (`"abc"` becomes
`"abc-br"`), so a conditional request is answered 304 only for the variant
the client holds. The page cache (cchc_portal/runtime/page_cache.py) stores
the compressed variants with the page, so a hit never compresses.
"""

import gzip
import re

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers, set_response_etag

# Below this a compressed body saves less than a packet (and gzip's header
# and trailer may even make it larger).
MIN_LENGTH = 512
# Levels: a page is compressed once per content generation (page cache) or
# per request (pages not cached), so moderate levels: brotli 5 is about as
# fast as gzip 6 and some 15 % smaller on these pages.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
# Preference when the client weighs them equally.
ENCODINGS = ("br", "gzip")

_COMPRESSIBLE_TYPE = re.compile(
    r"^(text/(?!event-stream)[\w.+-]+"
    r"|application/(json|xml|javascript|[\w.-]+\+(json|xml)))\s*(;|$)",
    re.IGNORECASE,
)


def accepted_encoding(accept_encoding: str) -> str | None:
    """The encoding to send ("br", "gzip") for this Accept-Encoding, or None.

    RFC 9110: q=0 refuses a coding, "*" stands for every coding not named,
    and of equally weighted codings brotli is preferred.
    """
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name] = weight
    star = weights.get("*", 0.0)
    best, best_weight = None, 0.0
    for encoding in ENCODINGS:
        names = (encoding, "x-gzip") if encoding == "gzip" else (encoding,)
        weight = next((weights[name] for name in names if name in weights), star)
        if weight > best_weight:
            best, best_weight = encoding, weight
    return best


def request_encoding(request) -> str | None:
    return accepted_encoding(request.headers.get("accept-encoding", ""))


def compress(content: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(content, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    # mtime=0: the same page compresses to the same bytes on every server.
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


def variant_etag(etag: str, encoding: str | None) -> str:
    """The ETag of one encoding's variant: `"abc"` -> `"abc-br"`, W/ kept."""
    if not encoding or not etag.endswith('"'):
        return etag
    return f'{etag[:-1]}-{encoding}"'


def _is_compressible_type(response) -> bool:
    return bool(_COMPRESSIBLE_TYPE.match(response.get("Content-Type", "")))


def holds_no_secret(request, response) -> bool:
    """True for answers an attacker learns nothing from by their size."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not response.cookies
        # Set by get_token(): the page has a CSRF token in it (the flag is
        # False again once the cookie is written, but stays present).
        and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
        and "private" not in response.get("Cache-Control", "")
    )


def is_compressible(request, response) -> bool:
    """May this answer be sent compressed (to a client that accepts it)?"""
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and _is_compressible_type(response)
        and len(response.content) >= MIN_LENGTH
        and not request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL))
        and holds_no_secret(request, response)
    )


def encode_response(response, encoding: str | None, body: bytes | None = None):
    """Make `response` the `encoding` variant of itself (identity: None).

    `body` is the already compressed body (the page cache's stored variant);
    without it the content is compressed here. The ETag must be the identity
    one (or absent) when this is called.
    """
    patch_vary_headers(response, ("Accept-Encoding",))
    if not response.has_header("ETag"):
        set_response_etag(response)
    if encoding is None:
        response["Content-Length"] = str(len(response.content))
        return response
    response.content = (
        body if body is not None else compress(response.content, encoding)
    )
    response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(response.content))
    response["ETag"] = variant_etag(response["ETag"], encoding)
    return response


class CompressionMiddleware:
    """Compress what may be compressed, for pages the page cache did not store.

    Sits right below ConditionalGetMiddleware, which then compares the
    client's If-None-Match with the variant's ETag. The page cache tells it
    (`request.page_cache_compresses`) when it compresses a page itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "page_cache_compresses", False):
            return response
        return compress_if_allowed(request, response)


def compress_if_allowed(request, response):
    """The encoding the client asked for, if this answer may be compressed."""
    if response.status_code in (200, 404, 410) and is_compressible(request, response):
        encode_response(response, request_encoding(request))
    return response
