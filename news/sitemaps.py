"""Sitemap sections for news: articles, recent news, archives, categories, tags."""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from news.models import Article, Category, Tag

# Google News takes articles of the last two days, at most 1,000 of them.
RECENT_DAYS = 2
RECENT_LIMIT = 1000


class ArticleSitemap(Sitemap):
    """Every public article, oldest first so that earlier pages stay stable."""

    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .order_by("pk")
            .only("id", "slug", "language", "updated_at")
        )

    def lastmod(self, item: Article):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default walk over every item.
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class RecentNewsSitemap(Sitemap):
    """Google News sitemap: the articles published in the last two days."""

    limit = RECENT_LIMIT

    def items(self):
        since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .newest_first()
            .only("id", "slug", "language", "title", "published_at", "updated_at")[
                :RECENT_LIMIT
            ]
        )

    def lastmod(self, item: Article):
        return item.updated_at


class MonthArchiveSitemap(Sitemap):
    """Monthly archive pages that have public articles."""

    def items(self):
        return list(
            Article.objects.published().dates("published_at", "month", order="DESC")
        )

    def location(self, item: dt.date) -> str:
        return reverse("news:article-archive-month", args=[item.year, item.month])


class CategorySitemap(Sitemap):
    def items(self):
        return Category.objects.only("id", "slug")


class TagSitemap(Sitemap):
    """Tags with at least one public article (an empty tag page is thin)."""

    def items(self):
        return Tag.objects.public().only("id", "slug")
