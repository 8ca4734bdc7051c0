import datetime
import sys

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import FileResponse, HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.generic import TemplateView
from django.views.static import serve

from cchc_portal.web.language import (
    ENGLISH,
    VIETNAMESE,
    language_of_path,
    vietnamese_url_of,
)
from parindex import api


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
    """Tuyên bố về khả năng tiếp cận, linked from every footer.

    The page states what the browser tests in tests/browser/ prove; whoever
    changes those tests or the findings reviews the page and moves this date.
    """

    def get_template_names(self):
        # Prose this long reads better translated whole than string by string.
        if get_language() == ENGLISH:
            return ["pages/accessibility_statement_en.html"]
        return ["pages/accessibility_statement.html"]

    extra_context = {"reviewed_on": datetime.date(2026, 12, 1)}


@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links to."""
    return FileResponse(
        open(finders.find("favicon.ico"), "rb"), content_type="image/x-icon"
    )


# Paths crawlers are asked to leave alone: staff-only pages and the site
# search (endless combinations of words and filters; the results are
# `noindex` too). /xem-truoc/ is the editors' article preview.
ROBOTS_DISALLOW = ["admin:index", "/xem-truoc/", "search:results"]


def robots_txt(request):
    """/robots.txt: keep crawlers out of staff and search pages, name the sitemap."""
    disallow = []
    for path in ROBOTS_DISALLOW:
        for code, _name in settings.LANGUAGES:  # the search has an English address
            with translation.override(code):
                address = path if path.startswith("/") else reverse(path)
            if address not in disallow:
                disallow.append(address)
    return render(
        request,
        "robots.txt",
        {
            "disallow": disallow,
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )


# How long clients and proxies should wait before retrying during an outage.
RETRY_AFTER_SECONDS = 30


def page_not_found(request, exception):
    """handler404: JSON under the API (as its own 404s are), the page elsewhere.

    In English, the page links to the address's Vietnamese page when there
    is one to guess (a page without an English version), else to the home.
    """
    if api.is_api_path(request.path):
        return api.not_found(request)
    context = {}
    if language_of_path(request.path_info) == ENGLISH:
        vietnamese_url = vietnamese_url_of(request.get_full_path())
        context["vietnamese_url"] = vietnamese_url
        # The language switch goes there too, not to the Vietnamese home.
        context["language_alternates"] = {VIETNAMESE: vietnamese_url}
    return HttpResponseNotFound(render_to_string("404.html", context, request))


def server_error(request):
    """handler500: a lost database answers 503 "try again", anything else 500.

    Django calls this inside its exception handler, so the exception is still
    in sys.exc_info(); it covers errors raised in middleware (sessions, auth)
    as well as in views. Neither template touches the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        # The page tells what really happens to the error (settings, "Error
        # reports"): mailed to the admins, or only logged.
        context = {"admins_notified": bool(settings.ADMINS)}
        response = HttpResponse(render_to_string("500.html", context), status=500)
    response["Cache-Control"] = "no-store"
    return response


@cache_control(public=True, max_age=86400)
def media(request, path):
    """Uploaded files, when no reverse proxy serves /media/ (DJANGO_SERVE_MEDIA)."""
    # MEDIA_ROOT is read per request: tests point it at a temporary folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)
