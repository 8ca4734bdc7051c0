from django.contrib.staticfiles import finders
from django.db import DatabaseError, connection
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.generic import TemplateView


@never_cache
def healthz(request):
    """Plain-text liveness for load balancers: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse(
            "database unavailable", status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    """Home page (the news and PAR INDEX blocks are added by their apps)."""
    return render(request, "home.html")


class AccessibilityStatementView(TemplateView):
    """Tuyên bố về khả năng tiếp cận, linked from every footer."""

    template_name = "pages/accessibility_statement.html"


@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links to."""
    return FileResponse(
        open(finders.find("favicon.ico"), "rb"), content_type="image/x-icon"
    )
