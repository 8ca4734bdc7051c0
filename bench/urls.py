"""The portal's URLs plus a bare view: the throughput ceiling of this stack."""

from django.http import HttpResponse
from django.urls import path

from cchc_portal import urls as portal_urls


def bare(request):
    """The cheapest Django answer: no template, no database, no cache."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare", bare), *portal_urls.urlpatterns]
handler500 = portal_urls.handler500
