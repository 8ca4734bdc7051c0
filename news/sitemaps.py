"""Sitemap sections for news: articles, recent news, archives, categories, tags."""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from news.models import ENGLISH, VIETNAMESE, Article, Category, Tag
from news.selectors import article_map_counterparts

# Google News takes articles of the last two days, at most 1,000 of them.
RECENT_DAYS = 2
RECENT_LIMIT = 1000


class ArticleSitemap(Sitemap):
    """Every public article in both languages, oldest first so that earlier
    pages stay stable.

    An article and its English version, when both are public, name each other
    with <xhtml:link rel="alternate" hreflang> (and the Vietnamese one as
    x-default), both ways: one more query per sitemap page.
    """

    limit = 5000

    def items(self):
        return (
            Article.objects.published(language=None)
            .order_by("pk")
            .only("id", "slug", "language", "translation_of_id", "updated_at")
        )

    def lastmod(self, item: Article):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default walk over every item.
        return Article.objects.published(language=None).aggregate(
            latest=Max("updated_at")
        )["latest"]

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        pairs = article_map_counterparts(articles=[url["item"] for url in urls])
        for url in urls:
            counterpart = pairs.get(url["item"].pk)
            if counterpart is None:
                continue
            versions = {
                url["item"].language: url["location"],
                counterpart.language: (
                    f"{protocol}://{domain}{counterpart.get_absolute_url()}"
                ),
            }
            url["alternates"] = [
                {"lang_code": code, "location": versions[code]}
                for code in (VIETNAMESE, ENGLISH)
            ] + [{"lang_code": "x-default", "location": versions[VIETNAMESE]}]
        return urls


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
