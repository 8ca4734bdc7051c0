"""Site-wide middleware."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string


class RequestSanityMiddleware:
    """Refuse requests no page can answer sensibly, before any view sees them.

    - NUL characters in the path or query string: PostgreSQL rejects NUL in
      text, so they could only ever end in an error deeper down (400).
    - Bodies larger than MAX_REQUEST_BODY_SIZE, refused unread (413).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest(
                render_to_string("400.html"), content_type="text/html; charset=utf-8"
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
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
