"""The ranking page: an edition's results, sorted, with tiers and changes (Δ)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from cchc_portal.vietnamese import sort_key
from parindex.models import (
    Area,
    AreaScore,
    Edition,
    Result,
    ResultQuerySet,
    Tier,
    Unit,
    UnitSuccession,
)
from parindex.selectors.editions import (
    edition_get_previous,
    edition_is_comparable,
    rank_change,
)

# Ranking columns the table can be sorted by: key → (default order, label).
SORTS = {
    "rank": ("asc", _("Xếp hạng")),
    "name": ("asc", _("Đơn vị")),
    "total": ("desc", _("Tổng điểm")),
    "index": ("desc", _("Chỉ số")),
    "appraisal": ("desc", _("Điểm thẩm định")),
    "survey": ("desc", _("Điểm điều tra XHH")),
    "tier": ("asc", _("Nhóm")),
    "delta-rank": ("desc", _("Thay đổi hạng")),
    "delta-total": ("desc", _("Thay đổi điểm")),
}
DEFAULT_SORT = "rank"
AREA_SORT_PREFIX = "area-"  # area-3 sorts by the points of area 3, highest first


@dataclass
class RankingRow:
    result: Result
    areas: list[Decimal | None]
    tier: Tier | None
    delta_rank: int | None
    delta_total: Decimal | None
    # Why a change is missing (the delta tag's words): "new" (not ranked the
    # year before), "merged" (formed by a merger of units that were), "sizes"
    # (the rank only: the two editions ranked different numbers of units).
    rank_missing: str = ""
    total_missing: str = ""

    @property
    def unit(self) -> Unit:
        return self.result.unit


@dataclass
class Ranking:
    edition: Edition
    previous: Edition | None
    areas: list[Area]
    rows: list[RankingRow]
    sort: str
    descending: bool
    framework_changed: bool
    tiers: list[Tier]
    total_count: int  # the edition's results, before any filter
    has_split: bool
    previous_is_demo: bool = False
    # Units the previous edition ranked (63 provinces before 2025, 34 after).
    previous_count: int = 0
    # Every unit of the edition (the map's tiles), filtered out or not.
    units: list[Unit] | None = None


def sort_is_descending_by_default(key: str) -> bool:
    """Scores sort highest first, ranks, names and tiers from the top."""
    return SORTS.get(key, ("desc", ""))[0] == "desc"


def sort_parse(raw: str | None, area_numbers: list[int]) -> tuple[str, bool]:
    """?sort=total / -total / area-3; anything else falls back to rank order."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    key = raw.removeprefix("-")
    valid = set(SORTS) | {f"{AREA_SORT_PREFIX}{n}" for n in area_numbers}
    if key not in valid:
        return DEFAULT_SORT, False
    return key, (not descending) if sort_is_descending_by_default(key) else descending


def sort_format(key: str, descending: bool) -> str:
    """The ?sort= value that sort_parse reads back as (key, descending)."""
    return key if descending == sort_is_descending_by_default(key) else f"-{key}"


def _sort_value(row: RankingRow, key: str, area_numbers: list[int]):
    result = row.result
    if key == "name":
        # The name the table shows ("Hà Nội"), not the official "Thành phố …",
        # in Vietnamese alphabetical order (Bạc Liêu before Bắc Giang); in
        # English the English name ("Ha Noi").
        return sort_key(result.display_name)
    if key == "tier":
        return row.tier.code if row.tier else None
    if key == "delta-rank":
        return row.delta_rank
    if key == "delta-total":
        return row.delta_total
    if key.startswith(AREA_SORT_PREFIX):
        number = int(key.removeprefix(AREA_SORT_PREFIX))
        return row.areas[area_numbers.index(number)]
    return getattr(result, key)


def _sort_rows(rows: list[RankingRow], key: str, descending: bool, area_numbers):
    """Sort by a column; empty values always last, ties by rank."""
    present = [r for r in rows if _sort_value(r, key, area_numbers) is not None]
    empty = [r for r in rows if _sort_value(r, key, area_numbers) is None]
    present.sort(key=lambda r: r.result.rank)
    present.sort(key=lambda r: _sort_value(r, key, area_numbers), reverse=descending)
    return present + sorted(empty, key=lambda r: r.result.rank)


def _tier_for(tiers: list[Tier], total: Decimal) -> Tier | None:
    for tier in tiers:  # highest threshold first (Meta.ordering)
        if total >= tier.min_points:
            return tier
    return None


def edition_get_ranking(
    *,
    edition: Edition,
    results: ResultQuerySet,
    sort: str | None = None,
    total_count: int | None = None,
) -> Ranking:
    """The full ranking of an edition (results already filtered), sorted.

    total_count is the number of the edition's results before any filter
    (by default, those given).
    """
    tiers = list(edition.tiers.all())
    results = list(results.for_table())
    points_by_result = AreaScore.objects.points_by_result([r.pk for r in results])
    used = {number for points in points_by_result.values() for number in points}
    areas = [a for a in edition.framework.areas.all() if a.number in used]
    numbers = [a.number for a in areas]
    previous = edition_get_previous(edition)
    previous_is_demo = previous is not None and not edition_is_comparable(
        edition, previous
    )
    if previous_is_demo:
        previous = None
    before = {}
    if previous is not None:
        before = {
            unit_id: (rank, total)
            for unit_id, rank, total in Result.objects.filter(
                edition=previous
            ).values_list("unit_id", "rank", "total")
        }
    count = len(results) if total_count is None else total_count
    merged = set()
    if previous is not None:
        merged = set(
            UnitSuccession.objects.filter(
                successor__in=[r.unit_id for r in results if r.unit_id not in before],
                predecessor__in=before,
            ).values_list("successor_id", flat=True)
        )
    rows = []
    for result in results:
        points = points_by_result.get(result.pk, {})
        prior = before.get(result.unit_id)
        row = RankingRow(
            result=result,
            areas=[points.get(n) for n in numbers],
            tier=_tier_for(tiers, result.total),
            delta_rank=None,
            delta_total=None,
        )
        if prior is not None:
            row.delta_total = result.total - prior[1]
            row.delta_rank = rank_change(
                prior_rank=prior[0],
                prior_count=len(before),
                rank=result.rank,
                count=count,
            )
            row.rank_missing = "sizes" if row.delta_rank is None else ""
        elif previous is not None:
            row.rank_missing = row.total_missing = (
                "merged" if result.unit_id in merged else "new"
            )
        rows.append(row)
    key, descending = sort_parse(sort, numbers)
    units = [result.unit for result in results]
    if total_count is not None and total_count != len(results):
        units = list(
            Unit.objects.filter(results__edition=edition).only(
                "id", "slug", "gso_code", "short_name", "name", "group"
            )
        )
    return Ranking(
        units=units,
        edition=edition,
        previous=previous,
        areas=areas,
        rows=_sort_rows(rows, key, descending, numbers),
        sort=key,
        descending=descending,
        framework_changed=bool(
            previous and previous.framework.code != edition.framework.code
        ),
        tiers=tiers,
        total_count=count,
        has_split=any(r.appraisal is not None for r in results),
        previous_is_demo=previous_is_demo,
        previous_count=len(before),
    )
