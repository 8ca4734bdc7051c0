"""RSS 2.0 feeds: all news, one category, one tag, one PAR INDEX unit.

Links are absolute (django.contrib.syndication takes the host from the
request) and every date is Hanoi time (+0700), including lastBuildDate.

Feed readers read titles, descriptions, authors and categories as HTML, while
ours are plain text (a title, a sapo, a byline, tag names). Each is
HTML-escaped first (`text()`), then written as XML, so "<b>" in a sapo shows
as those three characters in a reader and never becomes markup.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext

from cchc_portal.web.context_processors import site_identity
from news.models import VIETNAMESE, Article, Category, Tag
from news.translations import reading_language
from parindex.models import Unit

FEED_ITEMS = 30


def text(value: str) -> str:
    """Plain text for a feed field that readers render as HTML."""
    return escape(value)


class HanoiTimeRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose lastBuildDate is in Hanoi time even for an empty feed."""

    def latest_post_date(self):
        return timezone.localtime(super().latest_post_date())


class LatestArticlesFeed(Feed):
    """/tin-tuc/rss/: the newest public articles; /en/news/rss/ the newest
    English versions (the URL's language, as for every bilingual page)."""

    feed_type = HanoiTimeRssFeed
    # None: the active language ("vi", or "en" under /en/).
    language = None

    def title(self, obj=None) -> str:
        site_name = site_identity()["site_name"]
        return text(f"{gettext('Tin tức')} · {site_name}")

    def description(self, obj=None) -> str:
        return gettext(
            "Tin mới nhất về cải cách hành chính của các bộ, ngành và địa phương."
        )

    def link(self, obj=None) -> str:
        return reverse("news:article-list")

    def feed_url(self, obj=None) -> str:
        return reverse("news:feed")

    def articles(self, obj):
        return Article.objects.published(language=reading_language())

    def items(self, obj=None):
        return self.articles(obj).for_feed()[:FEED_ITEMS]

    def item_title(self, item: Article) -> str:
        return text(item.title)

    def item_description(self, item: Article) -> str:
        return text(item.sapo)

    def item_pubdate(self, item: Article):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item: Article):
        return timezone.localtime(item.updated_at)

    def item_author_name(self, item: Article) -> str:
        return text(item.byline)

    def item_categories(self, item: Article) -> list[str]:
        if item.language != VIETNAMESE:
            return []  # the sections and tags are named in Vietnamese
        return [text(item.category.name), *(text(tag.name) for tag in item.tags.all())]


class VietnameseFeed(LatestArticlesFeed):
    """A feed of a Vietnamese-only page (a section, a tag, a unit)."""

    language = VIETNAMESE


class CategoryFeed(VietnameseFeed):
    """/chuyen-muc/<slug>/rss/: a category's articles (sub-sections included)."""

    def get_object(self, request, slug: str) -> Category:
        return get_object_or_404(Category, slug=slug)

    def title(self, obj: Category) -> str:
        return text(f"{obj.name} · {settings.SITE_NAME}")

    def description(self, obj: Category) -> str:
        return text(obj.description or f"Tin mới nhất của chuyên mục {obj.name}.")

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Category) -> str:
        return reverse("news:category-feed", kwargs={"slug": obj.slug})

    def articles(self, obj: Category):
        return Article.objects.published().in_category(obj)


class TagFeed(VietnameseFeed):
    """/the/<slug>/rss/: articles carrying a tag."""

    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(Tag.objects.public(), slug=slug)

    def title(self, obj: Tag) -> str:
        return text(f"Thẻ {obj.name} · {settings.SITE_NAME}")

    def description(self, obj: Tag) -> str:
        return text(f"Tin mới nhất gắn thẻ {obj.name}.")

    def link(self, obj: Tag) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Tag) -> str:
        return reverse("news:tag-feed", kwargs={"slug": obj.slug})

    def articles(self, obj: Tag):
        return Article.objects.published().with_tag(obj)


class UnitFeed(VietnameseFeed):
    """/tin-tuc/don-vi/<slug>/rss/: news linked to a PAR INDEX unit.

    A unit's former slug still serves its feed, so subscriptions survive a
    renamed unit.
    """

    def get_object(self, request, slug: str) -> Unit:
        unit = Unit.objects.by_slug([slug]).get(slug)
        if unit is None:
            raise Http404("Không có đơn vị này.")
        return unit

    def title(self, obj: Unit) -> str:
        return text(f"Tin tức về {obj.name} · {settings.SITE_NAME}")

    def description(self, obj: Unit) -> str:
        return text(f"Tin mới nhất liên quan đến {obj.name} (Chỉ số CCHC).")

    def link(self, obj: Unit) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Unit) -> str:
        return reverse("news:unit-feed", kwargs={"slug": obj.slug})

    def articles(self, obj: Unit):
        return Article.objects.published().about_unit(obj)
