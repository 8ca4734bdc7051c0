"""Site-wide middleware."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


class RequestSizeLimitMiddleware:
    """Refuse bodies larger than MAX_REQUEST_BODY_SIZE with 413 before reading them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
