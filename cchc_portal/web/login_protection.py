"""Admin login protection (django-axes): the client's address and the lockout page.

Settings: AXES_* and PROXY_COUNT in cchc_portal/settings.py.
"""

from __future__ import annotations

import ipaddress
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def client_ip(request: HttpRequest) -> str:
    """The address a login comes from, as seen by the outermost trusted proxy.

    Each reverse proxy appends the address it received the request from to
    X-Forwarded-For, so with PROXY_COUNT proxies the entry PROXY_COUNT places
    from the right is the visitor's; anything further left was sent by the
    visitor and cannot be trusted. Without proxies the connection's address
    is used and the header ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.headers.get("x-forwarded-for", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The answer to a login refused after too many failures: 429, in Vietnamese.

    Called by axes.middleware.AxesMiddleware (AXES_LOCKOUT_CALLABLE).
    """
    cool_off = settings.AXES_COOLOFF_TIME
    seconds = int(cool_off.total_seconds())
    response = render(
        request,
        "registration/locked_out.html",
        {
            "minutes": math.ceil(seconds / 60),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response
