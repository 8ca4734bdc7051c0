"""Reads that feed the news pages; each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    Max,
    Min,
    Q,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Concat, Lower
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cchc_portal.runtime.blocks import cached_block
from cchc_portal.vietnamese import fold
from news.filters import ArticleSearchFilter, Loosening, Match, Sort
from news.models import (
    ENGLISH,
    VIETNAMESE,
    Article,
    ArticleLink,
    ArticleQuerySet,
    Category,
    GlossaryTerm,
    published_sql,
)
from news.search import ParsedQuery
from parindex.models import (
    Edition,
    Group,
    Unit,
    UnitSuccession,
    latest_per_group,
    search_pattern,
)

RELATED_LIMIT = 5
READ_MORE_LIMIT = 4
HOME_LATEST_LIMIT = 6
# Three cards fill one row of the desktop grid and keep the home page within
# eight screens at 360 px (tests/browser/test_news.py); each block ends with
# a link to its category.
HOME_SECTION_LIMIT = 3
TAG_CANDIDATES = 300
SEARCH_UNIT_LIMIT = 6
# The units' official English names, searched on the English pages. They come
# with the PAR INDEX in English (Unit.name_en, short_name_en); a checkout
# without them searches the Vietnamese names alone.
UNIT_ENGLISH_NAMES = tuple(
    name
    for name in ("name_en", "short_name_en")
    if name in {field.name for field in Unit._meta.get_fields()}
)


def _public_cards(now: dt.datetime, language: str = VIETNAMESE):
    return Article.objects.published(now, language=language).for_listing()


def _curated_links(
    *, article: Article, exclude: set[int], limit: int, now: dt.datetime
) -> list[Article]:
    """Editor-curated links, in the editor's order, public ones only."""
    return list(
        _public_cards(now, article.language)
        .filter(incoming_links__from_article=article)
        .exclude(pk__in=exclude)
        .order_by("incoming_links__position", "incoming_links__id")[:limit]
    )


def _sharing_tags(
    *, article: Article, exclude: set[int], limit: int, now: dt.datetime
) -> list[Article]:
    """Recent articles sharing the most tags with this one, newest first among equals.

    Only the newest TAG_CANDIDATES articles carrying any of the tags compete:
    ranking every article of a popular tag would read tens of thousands of
    rows for each page view, and old news is rarely the better suggestion.
    """
    # Uses the tags for_detail() read when they are there.
    tag_ids = [tag.pk for tag in article.tag_list]
    if not tag_ids:
        return []
    candidates = (
        Article.objects.published(now, language=article.language)
        .filter(tags__in=tag_ids)
        .exclude(pk__in=exclude)
        .newest_first()
        .values("pk")[:TAG_CANDIDATES]
    )
    return list(
        _public_cards(now, article.language)
        .filter(pk__in=candidates)
        .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids)))
        .order_by("-shared_tags", "-published_at", "-id")[:limit]
    )


def _sharing_units(
    *, article: Article, exclude: set[int], limit: int, now: dt.datetime
) -> list[Article]:
    """The newest articles about any of the PAR INDEX units this one is about."""
    # Uses the unit ids for_detail() read when they are there.
    unit_ids = article.linked_unit_ids
    if not unit_ids:
        return []
    return list(
        _public_cards(now, article.language)
        .filter(
            pk__in=Article.objects.published(now, language=article.language)
            .filter(units__in=unit_ids)
            .exclude(pk__in=exclude)
            .values("pk")
        )
        .newest_first()[:limit]
    )


def _same_category(
    *, article: Article, exclude: set[int], limit: int, now: dt.datetime
) -> list[Article]:
    """The latest articles of the same category."""
    return list(
        _public_cards(now, article.language)
        .filter(category_id=article.category_id)
        .exclude(pk__in=exclude)[:limit]
    )


# The "Tin liên quan" top-up, in order. Each step takes (keywords) the
# article, the ids already chosen, how many are still wanted and the time, and
# returns up to that many public articles in one query, in the article's own
# language (an English version is followed by English articles only).
RELATED_STEPS = (
    _curated_links,
    _sharing_tags,
    _sharing_units,
    _same_category,
)


def article_list_related(
    *,
    article: Article,
    limit: int = RELATED_LIMIT,
    now: dt.datetime | None = None,
) -> list[Article]:
    """ "Tin liên quan": curated links first, then topped up step by step.

    Never the article itself, never an unpublished one, never twice; at most
    one query per step, and the steps stop once `limit` is reached.
    """
    now = now or timezone.now()
    chosen: list[Article] = []
    exclude = {article.pk}
    for step in RELATED_STEPS:
        wanted = limit - len(chosen)
        if wanted <= 0:
            break
        found = step(article=article, exclude=exclude, limit=wanted, now=now)
        chosen.extend(found)
        exclude.update(item.pk for item in found)
    return chosen


@dataclass
class ArticleLists:
    """The article page's two lists: "Tin liên quan" and "Đọc thêm"."""

    related: list[Article]
    read_more: list[Article]


def article_get_lists(
    *,
    article: Article,
    limit: int = RELATED_LIMIT,
    read_more_limit: int = READ_MORE_LIMIT,
    now: dt.datetime | None = None,
) -> ArticleLists:
    """ "Tin liên quan" and "Đọc thêm" as article_list_related and
    article_list_read_more (never in both) would give them, in one query.

    The steps run as one SQL statement (RELATED_LISTS_SQL), each step a
    common table expression that leaves out what the earlier ones chose; the
    last step (the same category) reads the articles "Tin liên quan" still
    needs and then the ones "Đọc thêm" shows, in the same order. Built by
    hand because building the four steps' querysets cost more than running
    them (bench/profile_misses.py); tests/news/test_related.py proves both
    give the same lists.
    """
    public, public_params = published_sql("a")
    found = Article.objects.raw(
        RELATED_LISTS_SQL.format(public=public, card_columns=_card_columns()),
        {
            **public_params,
            "now": now or timezone.now(),
            "language": article.language,
            "article": article.pk,
            "category": article.category_id,
            # Uses the tags and unit ids for_detail() read when there.
            "tags": [tag.pk for tag in article.tag_list],
            "units": article.linked_unit_ids,
            "limit": limit,
            "read_more": read_more_limit,
            "tag_candidates": TAG_CANDIDATES,
        },
    )
    cards = [_with_category(card) for card in found]
    return ArticleLists(related=cards[:limit], read_more=cards[limit:])


def _card_columns() -> str:
    """The select list of RELATED_LISTS_SQL: a card's columns (for_listing())
    and its category's, named as Article.objects.raw() reads them."""
    article_columns = [
        f"a.{Article._meta.get_field(name).column}"
        for name in Article.CARD_FIELDS
        if "__" not in name
    ]
    return ", ".join(
        [
            *article_columns,
            "a.category_id",
            "c.name AS category_name",
            "c.slug AS category_slug",
        ]
    )


def _with_category(card: Article) -> Article:
    """A card from RELATED_LISTS_SQL with its category attached, as
    select_related() would (the card shows and links to it)."""
    if card.category_id is not None:
        card.category = Category.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "name", "slug"],
            [card.category_id, card.category_name, card.category_slug],
        )
    del card.category_name, card.category_slug
    return card


# Every step is public articles in the article's language, never the article
# itself nor one an earlier step chose; each takes only what is still wanted.
RELATED_LISTS_SQL = """
WITH curated AS (
    SELECT a.id, row_number() OVER (ORDER BY l.position, l.id) AS place
    FROM news_articlelink l JOIN news_article a ON a.id = l.to_article_id
    WHERE l.from_article_id = %(article)s AND a.id <> %(article)s AND {public}
    ORDER BY l.position, l.id
    LIMIT %(limit)s
), tag_candidates AS (
    SELECT a.id, a.published_at, (
        SELECT count(*) FROM news_article_tags t
        WHERE t.article_id = a.id AND t.tag_id = ANY(%(tags)s::bigint[])
    ) AS shared
    FROM news_article a
    WHERE {public} AND a.id <> %(article)s
      AND a.id NOT IN (SELECT id FROM curated)
      AND EXISTS (
        SELECT FROM news_article_tags t
        WHERE t.article_id = a.id AND t.tag_id = ANY(%(tags)s::bigint[])
      )
    ORDER BY a.published_at DESC, a.id DESC
    LIMIT %(tag_candidates)s
), tagged AS (
    SELECT id, row_number() OVER (
        ORDER BY shared DESC, published_at DESC, id DESC
    ) AS place
    FROM tag_candidates
    ORDER BY shared DESC, published_at DESC, id DESC
    LIMIT greatest(%(limit)s - (SELECT count(*) FROM curated), 0)
), by_unit AS (
    SELECT a.id, row_number() OVER (ORDER BY a.published_at DESC, a.id DESC) AS place
    FROM news_article a
    WHERE {public} AND a.id <> %(article)s
      AND a.id NOT IN (SELECT id FROM curated UNION ALL SELECT id FROM tagged)
      AND EXISTS (
        SELECT FROM news_article_units u
        WHERE u.article_id = a.id AND u.unit_id = ANY(%(units)s::bigint[])
      )
    ORDER BY a.published_at DESC, a.id DESC
    LIMIT greatest(
        %(limit)s - (SELECT count(*) FROM curated) - (SELECT count(*) FROM tagged), 0
    )
), same_category AS (
    SELECT a.id, row_number() OVER (ORDER BY a.published_at DESC, a.id DESC) AS place
    FROM news_article a
    WHERE {public} AND a.id <> %(article)s
      AND a.category_id = %(category)s
      AND a.id NOT IN (
        SELECT id FROM curated UNION ALL SELECT id FROM tagged
        UNION ALL SELECT id FROM by_unit
      )
    ORDER BY a.published_at DESC, a.id DESC
    LIMIT greatest(
        %(limit)s - (SELECT count(*) FROM curated) - (SELECT count(*) FROM tagged)
        - (SELECT count(*) FROM by_unit), 0
    ) + %(read_more)s
), chosen AS (
    SELECT id, 1 AS step, place FROM curated
    UNION ALL SELECT id, 2, place FROM tagged
    UNION ALL SELECT id, 3, place FROM by_unit
    UNION ALL SELECT id, 4, place FROM same_category
)
SELECT {card_columns}, c.id, c.name, c.slug
FROM chosen
JOIN news_article a ON a.id = chosen.id
LEFT JOIN news_category c ON c.id = a.category_id
ORDER BY chosen.step, chosen.place
"""


def article_list_related_suggestions(
    *, article: Article, now: dt.datetime | None = None
) -> list[Article]:
    """The automatic part of "Tin liên quan" as readers see it now: what the
    steps after the curated links add to fill the box (for the editor)."""
    curated = set(
        ArticleLink.objects.filter(from_article=article).values_list(
            "to_article_id", flat=True
        )
    )
    return [
        item
        for item in article_list_related(article=article, now=now)
        if item.pk not in curated
    ]


def article_list_read_more(
    *,
    article: Article,
    exclude: set[int] = frozenset(),
    limit: int = READ_MORE_LIMIT,
    now: dt.datetime | None = None,
) -> list[Article]:
    """ "Đọc thêm": the latest articles in the same category, with their sapo."""
    return _same_category(
        article=article,
        exclude={article.pk, *exclude},
        limit=limit,
        now=now or timezone.now(),
    )


def article_get_counterpart(*, article: Article) -> Article | None:
    """The same article in the other language, if readers may see it: a
    Vietnamese article's English version, an English version's original
    (read with the article by for_detail(), else one query; none for an
    article not saved)."""
    if not article.pk:
        return None
    if hasattr(article, "counterpart"):
        if article.counterpart is None:
            return None
        pk, slug = article.counterpart
        other = ENGLISH if article.language == VIETNAMESE else VIETNAMESE
        return Article(pk=pk, slug=slug, language=other)
    public = Article.objects.published(language=None).only("id", "slug", "language")
    if article.language == VIETNAMESE:
        return public.filter(translation_of=article, language=ENGLISH).first()
    original = article.translation_of_id
    if original is None and article.draft_of_id is not None:
        # A working draft in preview: the original of its live row.
        return public.filter(translations__working_draft=article).first()
    return public.filter(pk=original, language=VIETNAMESE).first()


def article_get_english_version(*, pk: int) -> Article | None:
    """The public English version of the Vietnamese article `pk`, if any."""
    return (
        Article.objects.published(language=ENGLISH)
        .filter(translation_of_id=pk)
        .only("id", "slug", "language")
        .first()
    )


def article_get_public_original(*, pk: int) -> Article | None:
    """The public Vietnamese original of the English row `pk` (whatever that
    row's own state), for the English 404 of an English version not public."""
    return (
        Article.objects.published()
        .filter(translations__pk=pk)
        .only("id", "slug", "language")
        .first()
    )


def article_map_counterparts(*, articles: Sequence[Article]) -> dict[int, Article]:
    """{article id: the same article in the other language} for the given
    articles whose counterpart readers may see (one query: the sitemap's
    hreflang pairs)."""
    english = {a.translation_of_id: a.pk for a in articles if a.translation_of_id}
    vietnamese = [a.pk for a in articles if a.language == VIETNAMESE]
    if not english and not vietnamese:
        return {}
    found = (
        Article.objects.published(language=None)
        .filter(Q(pk__in=list(english)) | Q(translation_of__in=vietnamese))
        .only("id", "slug", "language", "translation_of_id")
    )
    pairs = {}
    for counterpart in found:
        if counterpart.language == VIETNAMESE:
            if counterpart.pk in english:
                pairs[english[counterpart.pk]] = counterpart
        elif counterpart.translation_of_id in vietnamese:
            pairs[counterpart.translation_of_id] = counterpart
    return pairs


def glossary_term_list() -> list[tuple[str, str]]:
    """All (abbreviation, meaning) pairs for marking article bodies.

    Read once per content generation (every article page needs them).
    """
    return cached_block(
        "glossary-terms",
        compute=lambda: list(
            GlossaryTerm.objects.values_list("abbreviation", "meaning")
        ),
    )


def article_months_around(
    month: dt.date,
) -> tuple[dt.date | None, dt.date | None]:
    """The nearest earlier and later months (Hanoi time) with public articles."""
    zone = timezone.get_current_timezone()
    start = dt.datetime(month.year, month.month, 1, tzinfo=zone)
    end = dt.datetime(
        month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=zone
    )
    found = Article.objects.published().aggregate(
        previous=Max("published_at", filter=Q(published_at__lt=start)),
        next=Min("published_at", filter=Q(published_at__gte=end)),
    )

    def first_day(moment: dt.datetime | None) -> dt.date | None:
        if moment is None:
            return None
        return timezone.localtime(moment).date().replace(day=1)

    return first_day(found["previous"]), first_day(found["next"])


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


def home_page_get(
    *,
    nav_categories: Sequence[Category],
    now: dt.datetime | None = None,
    language: str = VIETNAMESE,
) -> HomePage:
    """Featured article, latest news and one block per navigation category,
    in `language` (the English home passes no categories: they are Vietnamese).

    A fixed number of queries whatever the number of categories or articles:
    the blocks' ids come from one UNION of small per-section index scans, and
    their cards from one more query.
    """
    now = now or timezone.now()
    public = _public_cards(now, language)
    featured = public.filter(featured=True).first()
    exclude = {featured.pk} if featured else set()
    latest = list(public.exclude(pk__in=exclude)[:HOME_LATEST_LIMIT])
    sections = {category.pk: HomeSection(category) for category in nav_categories}
    if sections:
        # An article shown as featured or latest is not repeated in a block.
        shown = exclude | {article.pk for article in latest}
        _fill_home_sections(sections, now, shown=shown)
    return HomePage(
        featured=featured,
        latest=latest,
        sections=[section for section in sections.values() if section.articles],
    )


def _fill_home_sections(
    sections: dict[int, HomeSection], now: dt.datetime, *, shown: set[int]
) -> None:
    """Put each section's latest articles (its own and its sub-sections') in it."""
    members: dict[int, list[int]] = {pk: [pk] for pk in sections}
    # A sub-section not in the menu belongs to its parent's block (the same
    # for the whole content generation).
    for child_pk, parent_pk in cached_block(
        "home-sub-sections",
        *sorted(sections),
        compute=lambda: list(
            Category.objects.filter(parent_id__in=list(sections))
            .exclude(pk__in=list(sections))
            .values_list("pk", "parent_id")
        ),
    ):
        members[parent_pk].append(child_pk)
    public, constants = published_sql("a")
    pairs = [
        (section, category) for section, ids in members.items() for category in ids
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            HOME_SECTIONS_SQL.format(public=public),
            {
                **constants,
                "now": now,
                "language": VIETNAMESE,
                "sections": [section for section, _ in pairs],
                "categories": [category for _, category in pairs],
                "shown": list(shown),
                "per_section": HOME_SECTION_LIMIT,
            },
        )
        rows = cursor.fetchall()
    cards = _public_cards(now).in_bulk([pk for pk, _ in rows])
    for pk, section_pk in rows:
        if pk in cards:
            sections[section_pk].articles.append(cards[pk])
    for section in sections.values():
        section.articles.sort(
            key=lambda item: (item.published_at, item.pk), reverse=True
        )


# Each block's newest public articles (its own category's and its
# sub-sections'), not shown above it: one small index scan per block. Built by
# hand because a UNION of one queryset per block cost more to build than to
# run (bench/profile_misses.py).
HOME_SECTIONS_SQL = """
WITH members AS (
    SELECT * FROM unnest(%(sections)s::bigint[], %(categories)s::bigint[])
        AS member(section_id, category_id)
)
SELECT picked.id, section.section_id
FROM (SELECT DISTINCT section_id FROM members) section
CROSS JOIN LATERAL (
    SELECT a.id FROM news_article a
    WHERE a.category_id IN (
        SELECT category_id FROM members WHERE members.section_id = section.section_id
    )
      AND {public} AND a.id <> ALL(%(shown)s::bigint[])
    ORDER BY a.published_at DESC, a.id DESC
    LIMIT %(per_section)s
) picked
"""


@dataclass(frozen=True)
class PublicPage:
    """A public page that shows an article: its label and address."""

    label: str
    url: str


def public_page_list(*, article: Article) -> list[PublicPage]:
    """Public pages that show or list `article`, i.e. what a change to it refreshes.

    The page cache starts a new generation for every page when a change
    commits; this is the part of it that concerns the editor. An English
    version is on the English pages only.
    """
    if article.language != VIETNAMESE:
        with translation.override(article.language):
            return [
                PublicPage(f"Bài viết “{article.title}”", article.get_absolute_url()),
                PublicPage("Trang chủ tiếng Anh", reverse("home")),
                PublicPage("Tin tức tiếng Anh", reverse("news:article-list")),
                PublicPage("RSS tin tức tiếng Anh", reverse("news:feed")),
                PublicPage("Sơ đồ trang (sitemap)", reverse("sitemap")),
            ]
    pages = [
        PublicPage(f"Bài viết “{article.title}”", article.get_absolute_url()),
        PublicPage("Trang chủ", reverse("home")),
        PublicPage("Tin tức", reverse("news:article-list")),
    ]
    # Each relation is read once (none when the caller prefetched them, as the
    # admin's bulk actions do) and used for both the pages and the feeds.
    category = article.category
    parent = category.parent if category is not None and category.parent_id else None
    tags = list(article.tags.all())
    units = list(article.units.all())
    if category is not None:
        pages.append(
            PublicPage(f"Chuyên mục {category.name}", category.get_absolute_url())
        )
    if parent is not None:
        pages.append(PublicPage(f"Chuyên mục {parent.name}", parent.get_absolute_url()))
    pages.extend(PublicPage(f"Thẻ {tag.name}", tag.get_absolute_url()) for tag in tags)
    if article.published_at is not None:
        month = timezone.localtime(article.published_at)
        pages.append(
            PublicPage(
                f"Tin tức tháng {month:%m/%Y}",
                reverse("news:article-archive-month", args=[month.year, month.month]),
            )
        )
    pages.extend(
        PublicPage(f"Hồ sơ Chỉ số CCHC {unit.display_name}", unit.get_absolute_url())
        for unit in units
    )
    pages.append(PublicPage("RSS tin tức", reverse("news:feed")))
    if category is not None:
        pages.append(
            PublicPage(
                f"RSS chuyên mục {category.name}",
                reverse("news:category-feed", args=[category.slug]),
            )
        )
    pages.extend(
        PublicPage(f"RSS thẻ {tag.name}", reverse("news:tag-feed", args=[tag.slug]))
        for tag in tags
    )
    pages.extend(
        PublicPage(
            f"RSS {unit.display_name}", reverse("news:unit-feed", args=[unit.slug])
        )
        for unit in units
    )
    pages.append(PublicPage("Sơ đồ trang (sitemap)", reverse("sitemap")))
    return pages


# Search ------------------------------------------------------------------------


# Search ranks at most this many matches, the newest. Ranking every match of a
# common word ("dich vu cong" is in most of a million articles) read and scored
# them all, seconds per page; the newest thousand are more than a reader pages
# through, and the page says when older matches were left out.
SEARCH_RANKED_LIMIT = 1000
# A common word's newest matches are found by reading articles newest first (a
# thousand matches within a few thousand rows), a rare word's through the
# search index. PostgreSQL cannot tell several common words apart from rare
# ones: it multiplies their shares (0.7 % for "dich vu cong truc tuyen", which
# is in 17 % of the articles) and reads 170,000 rows through the index. So the
# choice is made here, from the column's statistics: words that each stand in
# at least this share of the articles are looked for newest first, within
# SEARCH_RECENT_WINDOW rows, and through the index only if that finds too few.
SEARCH_COMMON_SHARE = 0.02
SEARCH_RECENT_WINDOW = 50_000


class RankedArticles:
    """Ranked search results that NextPagePaginator slices like a queryset.

    `articles` are the filtered ones, `query` what they must match. Bounded
    queries: the statistics of common words, the ids of the newest
    SEARCH_RANKED_LIMIT matches (in date order for common words, through the
    search index for rare ones), those ranked by relevance (sort keys and
    ids only: sorting whole rows made PostgreSQL spill to disk), and the
    rows a page shows (body included, for the snippet), by id.
    """

    def __init__(
        self,
        articles: ArticleQuerySet,
        query: ParsedQuery,
        *,
        limit: int | None = None,
    ):
        self.articles = articles
        self.query = query
        self.limit = SEARCH_RANKED_LIMIT if limit is None else limit

    @cached_property
    def _candidate_ids(self) -> list[int]:
        # One more than ranked, to know whether older matches were left out.
        wanted = self.limit + 1
        if _estimated_share(self.query) >= SEARCH_COMMON_SHARE:
            found = self._newest_first_ids(wanted)
            if len(found) == wanted:
                return found
        ids = self.articles.containing(self.query).newest_first()
        return list(ids.values_list("pk", flat=True)[:wanted])

    def _newest_first_ids(self, wanted: int) -> list[int]:
        """Matches among the newest SEARCH_RECENT_WINDOW articles, newest first.

        The text condition stays outside the window's LIMIT, so PostgreSQL
        reads the articles in date order and stops at `wanted` matches (rows
        keep the window's order through a filter and a LIMIT).
        """
        window = self.articles.newest_first().values("pk", "search_document")
        sql, params = window[:SEARCH_RECENT_WINDOW].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT recent.pk FROM ({sql}) AS recent "
                "WHERE recent.search_document @@ %s::tsquery LIMIT %s",
                [*params, self.query.tsquery(), wanted],
            )
            return [pk for (pk,) in cursor.fetchall()]

    @property
    def capped(self) -> bool:
        """More articles match than were ranked (the oldest were left out)."""
        return len(self._candidate_ids) > self.limit

    def __getitem__(self, item: slice) -> list[Article]:
        candidates = self._candidate_ids[: self.limit]
        if not candidates:
            return []
        ranked = (
            Article.objects.filter(pk__in=candidates).search(self.query).by_relevance()
        )
        ids = list(ranked.values_list("pk", flat=True)[item])
        rows = Article.objects.for_search_results().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    def count(self) -> int:
        return min(len(self._candidate_ids), self.limit)


def _lexeme_shares() -> dict[str, float]:
    """Share of articles holding each common lexeme (PostgreSQL's statistics
    of the search documents; empty before the first ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs "
            "FROM pg_stats WHERE tablename = %s AND attname = 'search_document'",
            [Article._meta.db_table],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return {}
    return dict(zip(row[0], row[1], strict=False))


def _estimated_share(query: ParsedQuery) -> float:
    """At most this share of the articles match: a term is as rare as its
    rarest word (or its alternatives together), all terms as the rarest term.
    Words PostgreSQL does not count as common count as 0."""
    shares = _lexeme_shares()
    if not shares:
        return 0.0

    def form_share(form: tuple[str, ...]) -> float:
        return min((shares.get(lexeme, 0.0) for lexeme in form), default=0.0)

    terms = [
        min(1.0, sum(form_share(form) for form in (term.folded, *term.alternatives)))
        for term in query.terms
    ]
    if query.any_word:
        return min(1.0, sum(terms))
    return min(terms, default=0.0)


def article_search(
    *, filterset: ArticleSearchFilter
) -> ArticleQuerySet | RankedArticles:
    """The search page's articles: filtered, matched, in the order chosen.

    Without words (filters only) the newest come first; by relevance, only
    the newest SEARCH_RANKED_LIMIT matches are ranked (RankedArticles.capped).
    """
    query = filterset.query
    articles = filterset.qs
    if query:
        if filterset.sort == Sort.RELEVANCE:
            return RankedArticles(articles, query)
        articles = articles.search(query)
    return articles.newest_first().for_search_results()


def unit_search(
    *,
    query: ParsedQuery,
    limit: int = SEARCH_UNIT_LIMIT,
    language: str = VIETNAMESE,
) -> list[Unit]:
    """PAR INDEX units named in the search, either way round.

    A unit whose name, short name or other name contains the words ("hue"
    finds Thành phố Huế, and the former Thừa Thiên Huế), or whose short or
    other name the words contain ("đà nẵng chuyển đổi số" finds Đà Nẵng).
    In English, the official English names count too ("Ministry of Justice";
    "Quang Ninh" is also the Vietnamese name without marks).
    """
    if not query:
        return []
    text = " ".join(" ".join(term.words) for term in query.terms)
    words = re.sub(r"[^a-z0-9]+", " ", fold(text)).split()
    if not words:
        return []
    units = Unit.objects.alias(
        typed=Value(f" {' '.join(words)} ", output_field=CharField())
    )
    named_in_words = Q(typed__contains=_as_words("short_name_folded")) | Q(
        typed__contains=_as_words("other_names__folded")
    )
    by_name = units.search(text)
    if language == ENGLISH and UNIT_ENGLISH_NAMES:
        pattern = search_pattern(text)
        for name in UNIT_ENGLISH_NAMES:
            # English names are plain ASCII: a case-blind match needs no folding.
            by_name |= units.filter(**{f"{name}__iregex": pattern}).distinct()
            named_in_words |= Q(typed__contains=_as_words(Lower(name)))
    found = list(
        (by_name | units.filter(named_in_words).distinct())
        .prefetch_related("other_names")
        .order_by("group", "sort_name", F("valid_from").desc(nulls_last=True))[:limit]
    )
    return _with_successors(found)


def _with_successors(found: list[Unit]) -> list[Unit]:
    """A former unit found by its name brings its successor, right after it,
    and each says which is which: `merged_into` (effective date, successor)
    on the former, `formed_from` (the former units found) on the successor.
    One query for the links, one for the added units' names, only when a
    found unit has a successor."""
    for unit in found:
        unit.merged_into, unit.formed_from = [], []
    if not found:
        return found
    links = list(
        UnitSuccession.objects.filter(predecessor__in=found).select_related("successor")
    )
    if not links:
        return found
    by_pk = {unit.pk: unit for unit in found}
    added: dict[int, Unit] = {}
    for link in links:
        successor = by_pk.get(link.successor_id) or added.setdefault(
            link.successor_id, link.successor
        )
        if successor.pk not in by_pk and not hasattr(successor, "formed_from"):
            successor.merged_into, successor.formed_from = [], []
        by_pk[link.predecessor_id].merged_into.append((link.effective_on, successor))
        successor.formed_from.append(by_pk[link.predecessor_id])
    prefetch_related_objects(list(added.values()), "other_names")
    result: list[Unit] = []
    for unit in found:
        if unit not in result:
            result.append(unit)
        for _, successor in unit.merged_into:
            if successor not in result:
                result.append(successor)
    return result


def _as_words(field: str | Func) -> Concat:
    """A folded name as " words ", punctuation removed ("tp. hue" → " tp hue ")."""
    return Concat(
        Value(" "),
        Func(
            F(field) if isinstance(field, str) else field,
            Value("[^a-z0-9]+"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
        ),
        Value(" "),
        output_field=CharField(),
    )


# Folded phrases that name the PAR INDEX in a search.
PAR_INDEX_NAMES = (
    ("par", "index"),
    ("chi", "so", "cchc"),
    ("chi", "so", "cai", "cach", "hanh", "chinh"),
    ("xep", "hang", "cchc"),
)
PAR_INDEX_PROFILE_LIMIT = 3


@dataclass(frozen=True)
class ParIndexLink:
    """A PAR INDEX page offered above the articles of a search."""

    label: str
    url: str


def par_index_link_list(
    *, query: ParsedQuery, units: Sequence[Unit]
) -> list[ParIndexLink]:
    """The rankings and profiles a search naming the PAR INDEX asks for.

    "chỉ số cchc 2024" → the 2024 rankings; "par index đà nẵng" → Đà Nẵng's
    profile (and, with a year, that year's ranking of its group); the PAR
    INDEX alone → the latest rankings. Only released editions; one query,
    made only when the words name the PAR INDEX.
    """
    if not query:
        return []
    typed = [lexeme for term in query.terms for lexeme in term.folded]
    named = any(
        tuple(typed[at : at + len(name)]) == name
        for name in PAR_INDEX_NAMES
        for at in range(len(typed))
    )
    if not named:
        return []
    years = {int(word) for word in typed if re.fullmatch(r"(19|20|21)\d\d", word)}
    profiles = list(units[:PAR_INDEX_PROFILE_LIMIT])
    links = [
        ParIndexLink(
            gettext("Hồ sơ Chỉ số CCHC %(unit)s") % {"unit": unit.label},
            unit.get_absolute_url(),
        )
        for unit in profiles
    ]
    if profiles and not years:
        # The unit's profile says more than its group's latest table.
        return links
    editions = Edition.objects.released().only("year", "group")
    if years:
        editions = editions.filter(year__in=years)
    if profiles:
        editions = editions.filter(group__in={unit.group for unit in profiles})
    found = list(editions.order_by("-year", "group"))
    if not years:
        found = latest_per_group(found)
    labels = dict(Group.choices)
    return [
        ParIndexLink(
            gettext("Xếp hạng Chỉ số CCHC %(year)s: %(group)s")
            % {"year": edition.year, "group": labels[edition.group]},
            reverse("parindex:ranking", args=[edition.year, edition.group]),
        )
        for edition in found
    ] + links


@dataclass
class LooserSearch:
    """A search that finds something when the one made found nothing."""

    steps: list[Loosening]
    query: ParsedQuery
    params: QueryDict


def looser_search_get(*, filterset: ArticleSearchFilter) -> LooserSearch | None:
    """The least loosening that finds articles: quotes, then any word, then filters.

    Each step keeps the previous ones; at most three EXISTS queries, run only
    when a search found nothing.
    """
    query = filterset.query
    if not query:
        return None
    params: QueryDict = filterset.data.copy()
    params.pop("page", None)
    articles = filterset.qs
    steps = []
    if query.has_phrase:
        steps.append(Loosening.QUOTES)
    if len(query.terms) > 1 and not query.any_word:
        steps.append(Loosening.ANY_WORD)
    if filterset.active_filters:
        steps.append(Loosening.FILTERS)
    for taken, step in enumerate(steps, start=1):
        if step == Loosening.QUOTES:
            query = query.without_quotes()
            params["q"] = query.text
        elif step == Loosening.ANY_WORD:
            query = query.as_any_word()
            params["khop"] = Match.ANY
        else:
            articles = filterset.queryset
            for name in ArticleSearchFilter.FILTER_NAMES:
                params.pop(name, None)
        if articles.search(query).exists():
            return LooserSearch(steps=steps[:taken], query=query, params=params)
    return None
