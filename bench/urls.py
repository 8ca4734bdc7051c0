"""The portal's URLs plus a bare view: the throughput ceiling of this stack."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from cchc_portal import urls as portal_urls


@never_cache
def bare(request):
    """The cheapest Django answer: no template, no database, never stored.

    never_cache keeps the page cache from storing it; otherwise the ratio
    would compare one cache hit with another.
    """
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare", bare), *portal_urls.urlpatterns]
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500
