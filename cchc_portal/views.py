from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DatabaseError, connection
from django.http import FileResponse, HttpResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.generic import TemplateView
from django.views.static import serve


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


class AccessibilityStatementView(TemplateView):
    """Tuyên bố về khả năng tiếp cận, linked from every footer."""

    template_name = "pages/accessibility_statement.html"


@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links to."""
    return FileResponse(
        open(finders.find("favicon.ico"), "rb"), content_type="image/x-icon"
    )


@cache_control(public=True, max_age=86400)
def media(request, path):
    """Uploaded files, when no reverse proxy serves /media/ (DJANGO_SERVE_MEDIA)."""
    # MEDIA_ROOT is read per request: tests point it at a temporary folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)
