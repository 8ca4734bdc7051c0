"""Reads that feed the news pages; each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from news.models import Article, Category, GlossaryTerm

RELATED_LIMIT = 5
READ_MORE_LIMIT = 4
HOME_LATEST_LIMIT = 6
HOME_SECTION_LIMIT = 4

# One step of the "Tin liên quan" top-up: given the article, the ids already
# chosen and how many are still wanted, return up to that many public articles.
RelatedStep = Callable[[Article, set[int], int, dt.datetime], list[Article]]


def _public_cards(now: dt.datetime):
    return Article.objects.published(now).for_listing()


def _curated_links(
    article: Article, exclude: set[int], limit: int, now: dt.datetime
) -> list[Article]:
    """Editor-curated links, in the editor's order, public ones only."""
    return list(
        _public_cards(now)
        .filter(incoming_links__from_article=article)
        .exclude(pk__in=exclude)
        .order_by("incoming_links__position", "incoming_links__id")[:limit]
    )


def _sharing_tags(
    article: Article, exclude: set[int], limit: int, now: dt.datetime
) -> list[Article]:
    """Articles sharing the most tags with this one, newest first among equals."""
    # Uses the tags prefetched by for_detail() when they are there.
    tag_ids = [tag.pk for tag in article.tags.all()]
    if not tag_ids:
        return []
    return list(
        _public_cards(now)
        .filter(tags__in=tag_ids)
        .exclude(pk__in=exclude)
        .annotate(shared_tags=Count("tags"))
        .order_by("-shared_tags", "-published_at", "-id")[:limit]
    )


def _same_category(
    article: Article, exclude: set[int], limit: int, now: dt.datetime
) -> list[Article]:
    """The latest articles of the same category."""
    return list(
        _public_cards(now)
        .filter(category_id=article.category_id)
        .exclude(pk__in=exclude)[:limit]
    )


# The order of the top-up. A step for PAR INDEX units goes between tags and
# category once articles are linked to units.
RELATED_STEPS: tuple[RelatedStep, ...] = (
    _curated_links,
    _sharing_tags,
    _same_category,
)


def related_articles(
    *,
    article: Article,
    limit: int = RELATED_LIMIT,
    steps: Sequence[RelatedStep] = RELATED_STEPS,
    now: dt.datetime | None = None,
) -> list[Article]:
    """ "Tin liên quan": curated links first, then topped up step by step.

    Never the article itself, never an unpublished one, never twice; at most
    one query per step, and the steps stop once `limit` is reached.
    """
    now = now or timezone.now()
    chosen: list[Article] = []
    exclude = {article.pk}
    for step in steps:
        wanted = limit - len(chosen)
        if wanted <= 0:
            break
        found = step(article, exclude, wanted, now)
        chosen.extend(found)
        exclude.update(item.pk for item in found)
    return chosen


def read_more_articles(
    *,
    article: Article,
    exclude: set[int] = frozenset(),
    limit: int = READ_MORE_LIMIT,
    now: dt.datetime | None = None,
) -> list[Article]:
    """ "Đọc thêm": the latest articles in the same category, with their sapo."""
    return list(
        _public_cards(now or timezone.now())
        .filter(category_id=article.category_id)
        .exclude(pk__in={article.pk, *exclude})[:limit]
    )


def glossary_terms() -> list[tuple[str, str]]:
    """All (abbreviation, meaning) pairs for marking article bodies."""
    return list(GlossaryTerm.objects.values_list("abbreviation", "meaning"))


@dataclass
class HomeSection:
    """A navigation category and its latest articles, for the home page."""

    category: Category
    articles: list[Article] = field(default_factory=list)


@dataclass
class HomePage:
    """Everything the home page's news blocks show."""

    featured: Article | None
    latest: list[Article]
    sections: list[HomeSection]


def home_page(
    *, nav_categories: Sequence[Category], now: dt.datetime | None = None
) -> HomePage:
    """Featured article, latest news and one block per navigation category.

    Three queries whatever the number of categories: the blocks come from one
    query that numbers each section's articles with a window function.
    """
    now = now or timezone.now()
    public = _public_cards(now)
    featured = public.filter(featured=True).first()
    exclude = {featured.pk} if featured else set()
    latest = list(public.exclude(pk__in=exclude)[:HOME_LATEST_LIMIT])

    nav_ids = [category.pk for category in nav_categories]
    sections = {category.pk: HomeSection(category) for category in nav_categories}
    if nav_ids:
        # An article belongs to the section of its category, or of its
        # category's parent when the sub-section itself is not in the menu.
        section = Case(
            When(category_id__in=nav_ids, then=F("category_id")),
            default=F("category__parent_id"),
            output_field=IntegerField(),
        )
        rows = (
            public.filter(
                Q(category_id__in=nav_ids) | Q(category__parent_id__in=nav_ids)
            )
            .annotate(
                section_id=section,
                rank=Window(
                    RowNumber(),
                    partition_by=section,
                    order_by=[F("published_at").desc(), F("id").desc()],
                ),
            )
            .filter(rank__lte=HOME_SECTION_LIMIT)
        )
        for article in rows:
            sections[article.section_id].articles.append(article)
    return HomePage(
        featured=featured,
        latest=latest,
        sections=[section for section in sections.values() if section.articles],
    )
