"""The portal's URLs plus two yardsticks (a bare view and issue #18's template
view) and the publish steps of bench/publish_load.py."""

import time

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cchc_portal import urls as portal_urls


@never_cache
def bare(request):
    """The cheapest Django answer: no template, no database, never stored.

    never_cache keeps the page cache from storing it; otherwise the ratio
    would compare one cache hit with another.
    """
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def yardstick(request):
    """Issue #18's yardstick: a 5 KB template around one query, never stored.

    The issue's cold-page figures are ratios to such a view (614 req/s then);
    bench/misses.py measures the pages against it as well as against `bare`.
    """
    from news.models import Article

    article = Article.objects.published().order_by("-published_at", "-id").first()
    return render(request, "bench/yardstick.html", {"article": article})


def _editor():
    from django.contrib.auth import get_user_model

    editor, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    return editor


@csrf_exempt
@require_POST
@never_cache
def draft(request):
    """A new draft for bench/publish_load.py to publish: a copy of the newest
    article (category, tags, units, hero), written before the load starts,
    as an editor's draft is. Only under bench.settings."""
    from news.models import Article
    from news.services import article_save

    source = Article.objects.published().order_by("-published_at", "-id").first()
    tags, units = list(source.tags.all()), list(source.units.all())
    article = Article.objects.get(pk=source.pk)
    stamp = f"{time.time():.3f}".replace(".", "-")
    article.pk = article.id = None
    article.title = f"Tin mới đăng trong lúc tải {stamp}"
    article.slug = f"tin-moi-dang-trong-luc-tai-{stamp}"
    article.status = Article.Status.DRAFT
    article.published_at = None
    article.featured = False
    with transaction.atomic():
        article = article_save(article=article, user=_editor())
        article.tags.set(tags)
        article.units.set(units)
    return JsonResponse({"id": article.pk})


@csrf_exempt
@require_POST
@never_cache
def publish(request, pk: int):
    """An editor publishes draft `pk` through news.services, as the admin does.

    In the server itself: with the per-process memory cache of the `make run`
    shape, a publish from another process would not end this server's cached
    pages. Only under bench.settings.
    """
    from news.models import Article
    from news.services import article_publish

    started = time.perf_counter()
    article = article_publish(article=Article.objects.get(pk=pk), user=_editor())
    return JsonResponse(
        {
            "seconds": round(time.perf_counter() - started, 3),
            "url": article.get_absolute_url(),
        }
    )


urlpatterns = [
    path("__bench__/bare", bare),
    path("__bench__/yardstick", yardstick),
    path("__bench__/draft", draft),
    path("__bench__/publish/<int:pk>", publish),
    *portal_urls.urlpatterns,
]
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500
