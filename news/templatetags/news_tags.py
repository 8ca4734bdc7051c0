"""Template helpers for news pages."""

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from cchc_portal.templatetags.portal_tags import json_ld
from news.structured_data import article_modified_at, article_structured_data

register = template.Library()

# Card images: full width on phones, a column on wider screens.
CARD_SIZES = "(min-width: 48em) 22rem, 100vw"
HERO_SIZES = "(min-width: 48em) 44rem, 100vw"


@register.simple_tag
def article_image(article, *, sizes=CARD_SIZES, lazy=True, css_class="card__image"):
    """The article's hero <img> with srcset, sizes, width/height and lazy loading.

    Pass lazy=False for an image above the fold (the article's own hero).
    """
    if not article.hero_image:
        return ""
    loading = mark_safe(
        'loading="lazy" decoding="async"' if lazy else 'fetchpriority="high"'
    )
    return format_html(
        '<img class="{}" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}" {}>',
        css_class,
        article.hero_src,
        article.hero_srcset,
        sizes,
        article.hero_width or "",
        article.hero_height or "",
        article.hero_alt,
        loading,
    )


@register.simple_tag
def hero_sizes():
    """`sizes` for the article page's hero image."""
    return HERO_SIZES


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with ?page=number, keeping the other query parameters."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + urlencode(sorted(query.items()))


@register.simple_tag
def share_links(url, title):
    """Plain share URLs (no third-party scripts) for an absolute article URL."""
    return [
        (
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        (
            "X",
            "https://twitter.com/intent/tweet?"
            + urlencode({"url": url, "text": title}),
        ),
        (
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?"
            + urlencode({"url": url}),
        ),
        (
            "Thư điện tử",
            "mailto:?" + urlencode({"subject": title, "body": url}).replace("+", "%20"),
        ),
    ]


UNIT_NEWS_LIMIT = 5


@register.inclusion_tag("news/includes/_unit_news.html")
def latest_news_about(unit, limit: int = UNIT_NEWS_LIMIT):
    """The newest public articles linked to a PAR INDEX unit (one query)."""
    from news.models import Article

    articles = Article.objects.published().about_unit(unit).for_listing()[:limit]
    return {"unit": unit, "articles": list(articles)}


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """NewsArticle and BreadcrumbList blocks for an article page."""
    return json_ld(article_structured_data(article, context["request"]))


@register.simple_tag(name="article_modified_at")
def article_modified_at_tag(article):
    """When the article last changed (never before it was published)."""
    return article_modified_at(article)
