"""What a subscription follows: read from a page's query, named, and matched.

A target comes from `?loai=<kind>&muc=<slug>` (category, tag, unit), the
search page's own query string (`loai=tim-kiem` plus q and its filters) or
`loai=chi-so-cchc` (every new PAR INDEX result). Anything unknown is None,
which the views answer with 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from cchc_portal.alerts.models import Subscription, TargetKind
from cchc_portal.vietnamese import nfc
from news.filters import ArticleSearchFilter, Match
from news.models import Article, Category, GlossaryTerm, Tag
from news.search import MAX_QUERY_LENGTH, clean_query_text
from parindex.models import Edition, Unit, UnitSuccession

# The search page's parameters that shape which articles match.
SEARCH_KEYS = ("q", "khop", *ArticleSearchFilter.FILTER_NAMES)


@dataclass(frozen=True)
class Target:
    """A thing to follow, with its name for pages and mails."""

    kind: str
    label: str
    url: str
    category: Category | None = None
    tag: Tag | None = None
    unit: Unit | None = None
    search_params: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        if self.kind == TargetKind.SEARCH:
            return f"{self.kind}:{urlencode(sorted(self.search_params.items()))}"
        obj = self.category or self.tag or self.unit
        return f"{self.kind}:{obj.pk}" if obj else self.kind

    @property
    def query(self) -> dict:
        """The query string that names this target on the subscribe page."""
        if self.kind == TargetKind.SEARCH:
            return {"loai": self.kind, **self.search_params}
        obj = self.category or self.tag or self.unit
        return {"loai": self.kind, **({"muc": obj.slug} if obj else {})}

    def subscription_fields(self) -> dict:
        return {
            "kind": self.kind,
            "category": self.category,
            "tag": self.tag,
            "unit": self.unit,
            "search_params": self.search_params,
            "target_key": self.key,
        }


def _clean_search(params) -> dict | None:
    values = {}
    for name in SEARCH_KEYS:
        value = params.get(name, "")
        if not isinstance(value, str):
            return None
        value = nfc(value).strip()
        if value:
            values[name] = value
    if len(values.get("q", "")) > MAX_QUERY_LENGTH:
        return None
    filterset = ArticleSearchFilter(values, queryset=Article.objects.none())
    if not filterset.form.is_valid():
        return None
    if not (filterset.query or filterset.active_filters):
        return None
    return values


def search_label(params: dict) -> str:
    parts = []
    if params.get("q"):
        parts.append(f"“{params['q']}”")
    names = {"chuyen_muc": "chuyên mục", "the": "thẻ", "don_vi": "đơn vị"}
    for key, word in names.items():
        if params.get(key):
            parts.append(f"{word} {params[key]}")
    for key, word in (("tu_ngay", "từ"), ("den_ngay", "đến")):
        if params.get(key):
            parts.append(f"{word} {params[key]}")
    return "Tìm kiếm " + ", ".join(parts)


def target_from(params) -> Target | None:
    """The target named by a query string (a QueryDict or a dict), or None."""
    kind = params.get("loai", "")
    slug = params.get("muc", "")
    if kind == TargetKind.OVERVIEW:
        return Target(
            kind=kind,
            label="Kết quả Chỉ số CCHC (PAR INDEX) mới",
            url=reverse("parindex:overview"),
        )
    if kind == TargetKind.SEARCH:
        values = _clean_search(params)
        if values is None:
            return None
        return Target(
            kind=kind,
            label=search_label(values),
            url=f"{reverse('search:results')}?{urlencode(values)}",
            search_params=values,
        )
    if not isinstance(slug, str) or not slug or len(slug) > 140:
        return None
    if kind == TargetKind.CATEGORY:
        category = Category.objects.filter(slug=slug).first()
        return category and Target(
            kind=kind,
            label=f"Chuyên mục “{category.name}”",
            url=category.get_absolute_url(),
            category=category,
        )
    if kind == TargetKind.TAG:
        # As the tag page: a tag with no public article has no page (404).
        tag = Tag.objects.public().filter(slug=slug).first()
        return tag and Target(
            kind=kind, label=f"Thẻ “{tag.name}”", url=tag.get_absolute_url(), tag=tag
        )
    if kind == TargetKind.UNIT:
        unit = Unit.objects.by_slug([slug]).get(slug)
        return unit and Target(
            kind=kind,
            label=f"Đơn vị “{unit.name}”",
            url=unit.get_absolute_url(),
            unit=unit,
        )
    return None


def target_of(subscription: Subscription) -> Target:
    """The target a stored subscription follows."""
    kind = subscription.kind
    if kind == TargetKind.CATEGORY:
        category = subscription.category
        return Target(
            kind,
            f"Chuyên mục “{category.name}”",
            category.get_absolute_url(),
            category=category,
        )
    if kind == TargetKind.TAG:
        tag = subscription.tag
        return Target(kind, f"Thẻ “{tag.name}”", tag.get_absolute_url(), tag=tag)
    if kind == TargetKind.UNIT:
        unit = current_unit(subscription.unit)
        return Target(kind, f"Đơn vị “{unit.name}”", unit.get_absolute_url(), unit=unit)
    if kind == TargetKind.SEARCH:
        params = subscription.search_params
        return Target(
            kind,
            search_label(params),
            f"{reverse('search:results')}?{urlencode(params)}",
            search_params=params,
        )
    return Target(
        kind, "Kết quả Chỉ số CCHC (PAR INDEX) mới", reverse("parindex:overview")
    )


def current_unit(unit: Unit) -> Unit:
    """The unit that carries on `unit` today: itself, or its latest successor."""
    seen = {unit.pk}
    while True:
        link = (
            UnitSuccession.objects.filter(predecessor=unit)
            .select_related("successor")
            .order_by("-effective_on")
            .first()
        )
        if link is None or link.successor_id in seen:
            return unit
        unit = link.successor
        seen.add(unit.pk)


def with_predecessors(unit_ids) -> set[int]:
    """The units given and every unit merged into them, however far back.

    A subscription to a merged unit follows it to its successor: an article
    or a result about the successor reaches it.
    """
    found = set(unit_ids)
    frontier = set(found)
    while frontier:
        earlier = set(
            UnitSuccession.objects.filter(successor_id__in=frontier).values_list(
                "predecessor_id", flat=True
            )
        )
        frontier = earlier - found
        found |= frontier
    return found


def _iso_date(value: str) -> str:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return value


def search_group_key(params: dict) -> str:
    """What a stored search finds, whatever its spelling (no query needed).

    Searches differing only in letter case or spacing of the words, in the
    date format (dd/mm/yyyy or ISO) or in spelling out the default match mode
    find the same articles, so a fan-out runs them once.
    """
    values = {}
    for name in SEARCH_KEYS:
        value = params.get(name, "")
        value = value.strip() if isinstance(value, str) else ""
        if name == "q":
            value = clean_query_text(value)[0].casefold()
        elif name == "khop" and value == Match.ALL:
            value = ""
        elif name in ("tu_ngay", "den_ngay"):
            value = _iso_date(value)
        if value:
            values[name] = value
    return urlencode(sorted(values.items()))


def search_matches(params: dict, article: Article, synonyms=None) -> bool:
    """Whether a public article is among the results of a stored search."""
    filterset = ArticleSearchFilter(
        params,
        queryset=Article.objects.published().filter(pk=article.pk),
        synonyms=synonyms,
    )
    articles = filterset.qs
    if filterset.query:
        articles = articles.search(filterset.query)
    return articles.exists()


def matching_searches(article: Article) -> list[str]:
    """target_keys of the active stored searches that find `article`.

    Grouped by search_group_key: each distinct search is evaluated once
    however many subscribers share it, with the glossary read once.
    """
    rows = (
        Subscription.objects.active()
        .filter(kind=TargetKind.SEARCH)
        .order_by()  # the default ordering would defeat DISTINCT
        .values_list("target_key", "search_params")
        .distinct()
    )
    groups: dict[str, tuple[dict, list[str]]] = {}
    for key, params in rows:
        groups.setdefault(search_group_key(params), (params, []))[1].append(key)
    if not groups:
        return []
    worded = any(params.get("q") for params, _ in groups.values())
    synonyms = GlossaryTerm.objects.synonyms() if worded else None
    return [
        key
        for params, keys in groups.values()
        if search_matches(params, article, synonyms)
        for key in keys
    ]


def subscriptions_for_article(article: Article):
    """Active subscriptions an article reaches: category, tags, units, searches."""
    from django.db.models import Q

    categories = [article.category_id]
    if article.category_id and article.category.parent_id:
        categories.append(article.category.parent_id)
    units = with_predecessors(article.units.values_list("pk", flat=True))
    return Subscription.objects.active().filter(
        Q(kind=TargetKind.CATEGORY, category_id__in=categories)
        | Q(kind=TargetKind.TAG, tag__in=article.tags.all())
        | Q(kind=TargetKind.UNIT, unit_id__in=units)
        | Q(kind=TargetKind.SEARCH, target_key__in=matching_searches(article))
    )


def subscriptions_for_edition(edition: Edition):
    """Active subscriptions a released edition reaches: the overview, its units."""
    from django.db.models import Q

    units = with_predecessors(edition.results.values_list("unit_id", flat=True))
    return Subscription.objects.active().filter(
        Q(kind=TargetKind.OVERVIEW) | Q(kind=TargetKind.UNIT, unit_id__in=units)
    )
