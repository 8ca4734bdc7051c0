"""schema.org data for article pages: NewsArticle and its breadcrumbs."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cchc_portal.web.structured_data import SCHEMA, breadcrumb_list, publisher
from news.models import VIETNAMESE, Article

# Google shows headlines up to this length.
HEADLINE_LENGTH = 110


def article_modified_at(article: Article):
    """When the article last changed, never before its publication."""
    if article.published_at is None:  # a draft seen in preview
        return article.updated_at
    return max(article.published_at, article.updated_at)


def article_structured_data(article: Article, request) -> list[dict]:
    """NewsArticle and BreadcrumbList of a public article (times in +07:00)."""
    url = request.build_absolute_uri(article.get_absolute_url())
    image = article.hero_share_image
    category = article.category
    news_article = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:HEADLINE_LENGTH],
        "description": article.sapo,
        "dateModified": timezone.localtime(article_modified_at(article)).isoformat(),
        "author": [{"@type": "Person", "name": article.byline}],
        "publisher": publisher(request),
        # Tags are Vietnamese words: an English version has none of its own.
        "keywords": (
            [tag.name for tag in article.tag_list]
            if article.language == VIETNAMESE
            else []
        ),
        "inLanguage": article.language,
        "isAccessibleForFree": True,
    }
    # A draft seen in preview may have no publication time or category yet.
    if article.published_at is not None:
        news_article["datePublished"] = timezone.localtime(
            article.published_at
        ).isoformat()
    if category is not None and article.language == VIETNAMESE:
        news_article["articleSection"] = category.name
    if image:
        news_article["image"] = [
            {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(image["url"]),
                "width": image["width"],
                "height": image["height"],
                "caption": article.hero_alt,
            }
        ]
    if article.language == VIETNAMESE:
        trail = article.category_trail()
    else:  # as its breadcrumb (news_tags.article_breadcrumb): Home › News
        with translation.override(article.language):
            trail = [(gettext("Tin tức"), reverse("news:article-list"))]
    crumbs = [*trail, (article.title, article.get_absolute_url())]
    return [news_article, breadcrumb_list(request, crumbs)]
