"""Site-wide middleware."""

from pathlib import Path

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware


class RequestSanityMiddleware:
    """Refuse requests no page can answer sensibly, before any view sees them.

    - Methods other than GET, HEAD and POST (TRACE, OPTIONS, PUT, ...): no
      page answers them, and function views would otherwise render the page
      as for a GET (405 with Allow).
    - NUL characters in the path or query string: PostgreSQL rejects NUL in
      text, so they could only ever end in an error deeper down (400).
    - Bodies larger than MAX_REQUEST_BODY_SIZE, refused unread (413).
    """

    ALLOWED_METHODS = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED_METHODS:
            allowed = ", ".join(self.ALLOWED_METHODS)
            response = HttpResponse(
                render_to_string("405.html", {"allowed": allowed}),
                status=405,
                content_type="text/html; charset=utf-8",
            )
            response["Allow"] = allowed
            return response
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest(
                render_to_string("400.html"), content_type="text/html; charset=utf-8"
            )
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_SIZE:
            limit_mb = settings.MAX_REQUEST_BODY_SIZE // 2**20
            return HttpResponse(
                render_to_string("413.html", {"limit_mb": limit_mb}),
                status=413,
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with inline styles allowed in the admin only.

    Django admin templates and the rich-text editor set style attributes;
    styles cannot run script, and the admin is staff-only. Public pages keep
    the strict policy.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith(reverse("admin:index")):
            parts.update = {**(parts.update or {}), "style-src": [SELF, UNSAFE_INLINE]}
        return parts


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise, without its warning about a STATIC_ROOT nobody needs yet.

    Until collectstatic has made STATIC_ROOT (tests, development), files come
    from the finders; with the hashed manifest (production) the folder must
    exist and whitenoise's warning stays.
    """

    def add_files(self, root, prefix=None):
        if self.use_finders and root == self.static_root and not Path(root).is_dir():
            return
        super().add_files(root, prefix)
