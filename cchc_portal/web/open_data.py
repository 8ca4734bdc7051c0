"""Headers for open data: readable from other sites' scripts, licence linked.

Only the read-only API and the downloads use them (never the admin or a page
with a form): `Access-Control-Allow-Origin: *` lets any site's JavaScript
read the response without credentials (no cookies are sent with `*`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def add_link(response: HttpResponse, link: str) -> None:
    """Append one `<url>; rel=...` entry to the response's Link header."""
    current = response.headers.get("Link")
    response.headers["Link"] = f"{current}, {link}" if current else link


def shared_openly(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """CORS for everyone and a `Link: <licence>; rel="license"` on every answer."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers["Access-Control-Allow-Origin"] = "*"
        # Scripts on other sites may read the licence and description links.
        response.headers["Access-Control-Expose-Headers"] = "Link"
        add_link(response, f'<{LICENCE_URL}>; rel="license"')
        return response

    return wrapped
