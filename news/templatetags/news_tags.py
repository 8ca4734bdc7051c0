"""Template helpers for news pages."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy

from cchc_portal.runtime.blocks import cached_block
from cchc_portal.templatetags.portal_tags import json_ld
from news.html import (
    expand_library_images,
    library_image_ids,
    mark_abbreviations,
    sanitize_html,
)
from news.models import VIETNAMESE, Image
from news.search import highlight, html_to_text, snippet
from news.structured_data import article_modified_at, article_structured_data

register = template.Library()

# What a link preview says of the portal's logo when an article has no image.
LOGO_ALT = gettext_lazy("Biểu trưng {site_name}: ngôi sao vàng trên nền tròn đỏ")

# Card images: full width on phones, a column on wider screens.
CARD_SIZES = "(min-width: 48em) 22rem, 100vw"
HERO_SIZES = "(min-width: 48em) 44rem, 100vw"
# A compact card (home page) shows its image as a 7rem thumbnail on phones.
COMPACT_CARD_SIZES = "(min-width: 48em) 22rem, 7rem"


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
def article_card(article, heading="h2", hide_sapo=False, compact=False) -> SafeString:
    """One news card (news/includes/_card.html).

    A card shows the same on every page that lists its article (home,
    listings, category and tag pages, "Đọc thêm"), so it is rendered once per
    content generation and language and shared (runtime/blocks.py).
    """
    return cached_block(
        "article-card",
        article.pk,
        heading,
        bool(hide_sapo),
        bool(compact),
        compute=lambda: mark_safe(
            render_to_string(
                "news/includes/_card.html",
                {
                    "article": article,
                    "heading": heading,
                    "hide_sapo": hide_sapo,
                    "compact": compact,
                },
            )
        ),
    )


@register.simple_tag
def compact_card_sizes():
    """`sizes` for a compact card's image (a thumbnail on phones)."""
    return COMPACT_CARD_SIZES


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
            gettext("Thư điện tử"),
            "mailto:?" + urlencode({"subject": title, "body": url}).replace("+", "%20"),
        ),
    ]


@register.inclusion_tag("news/includes/_zalo_share.html")
def zalo_share(url):
    """Zalo's share button for an absolute article URL, when the portal has a
    Zalo Official Account (DJANGO_ZALO_OA_ID); nothing otherwise."""
    return {"oa_id": settings.ZALO_OA_ID, "url": url}


@register.inclusion_tag("news/includes/_zalo_share_scripts.html")
def zalo_share_scripts():
    """Zalo's SDK (async) and the script that lets its button replace the
    link to copy; nothing without DJANGO_ZALO_OA_ID."""
    return {"oa_id": settings.ZALO_OA_ID}


UNIT_NEWS_LIMIT = 5


@register.inclusion_tag("news/includes/_unit_news.html")
def latest_news_about(unit, limit: int = UNIT_NEWS_LIMIT):
    """The newest public articles linked to a PAR INDEX unit (one query), in
    the page's language: an English unit profile lists English versions."""
    from news.models import Article
    from news.translations import reading_language

    articles = (
        Article.objects.published(language=reading_language())
        .about_unit(unit)
        .for_listing()[:limit]
    )
    return {"unit": unit, "articles": list(articles)}


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """NewsArticle and BreadcrumbList blocks for an article page."""
    return json_ld(article_structured_data(article, context["request"]))


@register.simple_tag(name="article_modified_at")
def article_modified_at_tag(article):
    """When the article last changed (never before it was published)."""
    return article_modified_at(article)


@register.simple_tag(takes_context=True)
def share_image(context, article) -> dict:
    """The picture of a link preview: {url (absolute), alt, width, height, large}.

    The article's widest stored image (large: a big card), else the logo.
    """
    request = context["request"]
    image = article.hero_share_image
    if image:
        return {
            **image,
            "url": request.build_absolute_uri(image["url"]),
            "alt": article.hero_alt,
            "large": True,
        }
    return {
        "url": request.build_absolute_uri(static("img/logo.png")),
        "alt": LOGO_ALT.format(site_name=context.get("site_name", "")),
        "width": None,
        "height": None,
        "large": False,
    }


@register.simple_tag
def time_tag(moment, display: str = "DATETIME_FORMAT") -> SafeString | str:
    """<time datetime="…">dd/mm/yyyy HH:MM</time> in Hanoi time ("" for no time).

    `display` is a format or the name of one ("DATE_FORMAT"), which follows
    the active language: "30 May 2017, 21:27" on English pages.
    """
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>',
        formats.date_format(local, "c"),
        formats.date_format(local, display),
    )


@register.inclusion_tag("news/includes/_meta_line.html")
def article_meta_line(article):
    """A card's "category · time" line."""
    return {"article": article}


@register.inclusion_tag("news/includes/_breadcrumb.html")
def article_breadcrumb(article):
    """Trang chủ › the article's section(s) › the start of its title; for an
    English version Home › News (the sections are Vietnamese pages)."""
    if article.language != VIETNAMESE:
        trail = [(gettext("Tin tức"), reverse("news:article-list"))]
    else:
        trail = article.category_trail()
    return {
        "breadcrumb": trail,
        "current": Truncator(article.title).words(12, truncate=" …"),
    }


@register.inclusion_tag("news/includes/_feed_link.html", takes_context=True)
def feed_link(context, title: str, url: str):
    """<link rel="alternate"> to an RSS feed, titled "`title` · site name"."""
    return {"title": title, "url": url, "site_name": context.get("site_name", "")}


@register.simple_tag
def article_body(article, glossary) -> SafeString:
    """The body as served: cleaned again, the first use of each abbreviation
    explained (`glossary`: the view's (abbreviation, meaning) pairs), each
    library image it names expanded into a figure (one query; an image
    deleted since is left out)."""
    html = mark_abbreviations(sanitize_html(article.body), glossary)
    ids = library_image_ids(html)
    if not ids:
        return mark_safe(html)
    found = Image.objects.in_bulk(ids)

    def render(image_id: int) -> str:
        image = found.get(image_id)
        return image_figure(image, css_class="body-figure") if image else ""

    return mark_safe(expand_library_images(html, render))


# Body and gallery photos: the text column's width.
BODY_IMAGE_SIZES = "(min-width: 48em) 44rem, 100vw"


@register.simple_tag
def image_figure(image, *, css_class="body-figure", sizes=BODY_IMAGE_SIZES):
    """A library image as a responsive <figure>: srcset, width and height (no
    layout shift), lazy loading, its caption."""
    return format_html(
        '<figure class="{}"><img src="{}" srcset="{}" sizes="{}" width="{}" '
        'height="{}" alt="{}" loading="lazy" decoding="async">'
        "<figcaption>{}</figcaption></figure>",
        css_class,
        image.src,
        image.srcset,
        sizes,
        image.width,
        image.height,
        image.alt,
        image.caption,
    )


@register.simple_tag
def search_title(article, query) -> SafeString:
    """The title of a search result, the words searched for marked."""
    return highlight(article.title, query)


@register.simple_tag
def search_snippet(article, query) -> SafeString:
    """A passage of the sapo or body around the first match, words marked."""
    return snippet([article.sapo, html_to_text(article.body)], query)


@register.simple_tag(takes_context=True)
def page_suffix(context) -> str:
    """ " – trang N" after a title past the first page, else nothing."""
    page = context.get("page_obj")
    if page is None or page.number <= 1:
        return ""
    return " – " + gettext("trang %(number)s") % {"number": page.number}


@register.inclusion_tag("admin/news/_review_queue.html", takes_context=True)
def review_queue(context):
    """The signed-in editor's queues (news/queues.py) for the admin home."""
    from news.queues import review_queue_list

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"sections": []}
    return {"sections": review_queue_list(user=user)}
