"""Writes that touch files or several rows: keep them atomic and validated."""

from __future__ import annotations

from django.db import transaction

from news.images import store_image
from news.models import Article, ArticleLink


def article_set_hero_image(*, article: Article, upload, alt: str = "") -> Article:
    """Check, clean and store `upload` as the article's hero image (not saved).

    The caller saves the article; the stored original and its renditions
    replace whatever the upload was called.
    """
    stored = store_image(upload)
    article.hero_image.name = stored.name
    article.hero_width = stored.width
    article.hero_height = stored.height
    article.hero_renditions = stored.renditions
    if alt:
        article.hero_alt = alt
    return article


@transaction.atomic
def article_set_related(*, article: Article, related: list[Article]) -> None:
    """Replace the curated "Tin liên quan" links with `related`, in that order."""
    # Old links go first so that re-adding one is not taken for a duplicate.
    ArticleLink.objects.filter(from_article=article).delete()
    seen: set[int] = set()
    links = []
    for target in related:
        if target.pk == article.pk or target.pk in seen:
            continue
        seen.add(target.pk)
        link = ArticleLink(from_article=article, to_article=target, position=len(links))
        link.full_clean()
        links.append(link)
    ArticleLink.objects.bulk_create(links)
