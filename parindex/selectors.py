"""Reads that feed the PAR INDEX pages, downloads and API.

Every function runs a fixed number of queries whatever the number of units
and editions (sorting, deltas and averages are computed on the fetched rows).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from cchc_portal.vietnamese import fold
from parindex.models import (
    HUNDRED,
    AnnualSummary,
    Area,
    AreaScore,
    Edition,
    EditionQuerySet,
    Group,
    Region,
    RegionalAverage,
    Result,
    Tier,
    Unit,
    latest_per_group,
)
from parindex.tables import (
    APPRAISAL,
    CENT,
    DEMO_NOTICE,
    INDEX,
    NAME,
    RANK,
    SURVEY,
    TOTAL,
    Layout,
)

# Ranking columns the table can be sorted by: key → (default order, label).
SORTS = {
    "rank": ("asc", "Xếp hạng"),
    "name": ("asc", "Đơn vị"),
    "total": ("desc", "Tổng điểm"),
    "index": ("desc", "Chỉ số"),
    "appraisal": ("desc", "Điểm thẩm định"),
    "survey": ("desc", "Điểm điều tra XHH"),
    "tier": ("asc", "Nhóm"),
    "delta-rank": ("desc", "Thay đổi hạng"),
    "delta-total": ("desc", "Thay đổi điểm"),
}
DEFAULT_SORT = "rank"


def edition_get_public(*, year: int, group: str) -> Edition:
    """The released edition of a year and group, or 404."""
    try:
        return (
            Edition.objects.released()
            .for_listing()
            .prefetch_related("tiers", "framework__areas")
            .get(year=year, group=group)
        )
    except Edition.DoesNotExist:
        raise Http404("Không có ấn bản chỉ số này.") from None


def editions_before(*, group, year) -> EditionQuerySet:
    """Released editions of a group before a year, the nearest first.

    The first one is the previous edition that every change (Δ) is measured
    against: ranking, unit profile and score cards. group and year may be
    OuterRef()s, for the previous edition of each row in one query.
    """
    return (
        Edition.objects.released().filter(group=group, year__lt=year).order_by("-year")
    )


def _previous_year(group_ref: str, year_ref: str) -> Subquery:
    """The year of the previous edition of each row (see editions_before)."""
    before = editions_before(group=OuterRef(group_ref), year=OuterRef(year_ref))
    return Subquery(before.values("year")[:1])


def comparable(edition: Edition, previous: Edition | None) -> bool:
    """Official figures are never compared with demo ones (or the reverse)."""
    return previous is not None and previous.is_demo == edition.is_demo


def edition_previous(edition: Edition) -> Edition | None:
    """The released edition of the same group just before this one."""
    return editions_before(group=edition.group, year=edition.year).for_listing().first()


def tier_for(tiers: list[Tier], total: Decimal) -> Tier | None:
    for tier in tiers:  # highest threshold first (Meta.ordering)
        if total >= tier.min_points:
            return tier
    return None


@dataclass
class RankingRow:
    result: Result
    areas: list[Decimal | None]
    tier: Tier | None
    delta_rank: int | None
    delta_total: Decimal | None
    is_new: bool

    @property
    def unit(self) -> Unit:
        return self.result.unit


@dataclass
class SortLink:
    key: str
    label: str
    query: str
    aria_sort: str | None
    # The order a click on the header sorts by, told to screen readers.
    next_sort: str = "ascending"


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
    sort_param: str = ""
    sort_links: dict[str, SortLink] = field(default_factory=dict)
    area_sort_links: list[SortLink] = field(default_factory=list)


def parse_sort(raw: str | None, area_numbers: list[int]) -> tuple[str, bool]:
    """?sort=total / -total / area-3; anything else falls back to rank order."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    key = raw.removeprefix("-")
    valid = set(SORTS) | {f"area-{n}" for n in area_numbers}
    if key not in valid:
        return DEFAULT_SORT, False
    default_desc = SORTS.get(key, ("desc", ""))[0] == "desc"
    return key, (not descending) if default_desc else descending


def _sort_value(row: RankingRow, key: str, area_numbers: list[int]):
    result = row.result
    if key == "name":
        # The name the table shows ("Hà Nội"), not the official "Thành phố …".
        return fold(result.published_name)
    if key == "tier":
        return row.tier.code if row.tier else None
    if key == "delta-rank":
        return row.delta_rank
    if key == "delta-total":
        return row.delta_total
    if key.startswith("area-"):
        number = int(key.removeprefix("area-"))
        return row.areas[area_numbers.index(number)]
    return getattr(result, key)


def sort_rows(rows: list[RankingRow], key: str, descending: bool, area_numbers):
    """Sort by a column; empty values always last, ties by rank."""
    present = [r for r in rows if _sort_value(r, key, area_numbers) is not None]
    empty = [r for r in rows if _sort_value(r, key, area_numbers) is None]
    present.sort(key=lambda r: r.result.rank)
    present.sort(key=lambda r: _sort_value(r, key, area_numbers), reverse=descending)
    return present + sorted(empty, key=lambda r: r.result.rank)


def ranking_for(
    *,
    edition: Edition,
    results,
    sort: str | None = None,
    query_prefix: str = "",
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
    previous = edition_previous(edition)
    previous_is_demo = previous is not None and not comparable(edition, previous)
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
    rows = []
    for result in results:
        points = points_by_result.get(result.pk, {})
        prior = before.get(result.unit_id)
        rows.append(
            RankingRow(
                result=result,
                areas=[points.get(n) for n in numbers],
                tier=tier_for(tiers, result.total),
                delta_rank=prior[0] - result.rank if prior else None,
                delta_total=result.total - prior[1] if prior else None,
                is_new=previous is not None and prior is None,
            )
        )
    key, descending = parse_sort(sort, numbers)
    rows = sort_rows(rows, key, descending, numbers)
    ranking = Ranking(
        edition=edition,
        previous=previous,
        areas=areas,
        rows=rows,
        sort=key,
        descending=descending,
        framework_changed=bool(
            previous and previous.framework.code != edition.framework.code
        ),
        tiers=tiers,
        total_count=len(results) if total_count is None else total_count,
        has_split=any(r.appraisal is not None for r in results),
        previous_is_demo=previous_is_demo,
    )
    columns = list(SORTS) + [f"area-{n}" for n in numbers]
    for column in columns:
        default_desc = SORTS.get(column, ("desc", ""))[0] == "desc"
        if column == key:
            next_desc = not descending
            aria = "descending" if descending else "ascending"
        else:
            next_desc = default_desc
            aria = None
        value = column if next_desc == default_desc else f"-{column}"
        link = SortLink(
            key=column,
            label=SORTS.get(column, ("", "LV" + column.removeprefix("area-")))[1],
            query=f"?{query_prefix}sort={value}",
            aria_sort=aria,
            next_sort="descending" if next_desc else "ascending",
        )
        if column.startswith("area-"):
            ranking.area_sort_links.append(link)
        else:
            ranking.sort_links[column.replace("-", "_")] = link
        if column == key and (key != DEFAULT_SORT or descending):
            ranking.sort_param = key if descending == default_desc else f"-{key}"
    return ranking


# Overview ---------------------------------------------------------------------


@dataclass
class GroupGlance:
    edition: Edition
    top: list[Result]
    bottom: list[Result]
    count: int
    average: Decimal | None
    regional: list[tuple[Region, Decimal]]
    regional_source: str
    leaders: list[tuple[Edition, list[Result]]]

    @property
    def leaders_have_demo(self) -> bool:
        return any(edition.is_demo for edition, _ in self.leaders)


def overview() -> dict:
    """The /chi-so-cchc/ page: latest edition per group and the long view."""
    editions = list(Edition.objects.released().for_listing())
    latest = latest_per_group(editions)
    results = defaultdict(list)
    for result in (
        Result.objects.filter(edition__in=latest)
        .select_related("unit", "unit__region")
        .order_by("rank", "published_name")
    ):
        results[result.edition_id].append(result)
    leaders = defaultdict(list)
    for result in (
        Result.objects.public()
        .filter(rank=1)
        .select_related("unit", "edition")
        .order_by("edition__year", "published_name")
    ):
        leaders[result.edition_id].append(result)
    glances = []
    published_regional = _regional_published([e.year for e in latest])
    for edition in latest:
        rows = results[edition.pk]
        count = len(rows)
        average = edition.national_average
        if average is None and rows:
            average = (sum(r.index for r in rows) / count).quantize(CENT)
        regional, source = published_regional.get(edition.year, ([], ""))
        if edition.group != Group.PROVINCE:
            regional, source = [], ""
        elif not regional:
            regional, source = _regional_computed(rows), "computed"
        glances.append(
            GroupGlance(
                edition=edition,
                top=rows[:5],
                bottom=rows[-5:] if count > 10 else rows[5:],
                count=count,
                average=average,
                regional=regional,
                regional_source=source,
                leaders=[
                    (e, leaders[e.pk])
                    for e in sorted(editions, key=lambda e: e.year)
                    if e.group == edition.group and leaders[e.pk]
                ],
            )
        )
    summaries = list(AnnualSummary.objects.order_by("year"))
    return {
        "glances": glances,
        "editions": editions,
        "years": sorted({e.year for e in editions}, reverse=True),
        "summaries": summaries,
    }


def _regional_published(years: list[int]) -> dict[int, tuple[list, str]]:
    found: dict[int, tuple[list, str]] = {}
    for average in RegionalAverage.objects.filter(year__in=years).select_related(
        "region"
    ):
        rows, _ = found.setdefault(average.year, ([], "published"))
        # The note is a research note in English, kept for the admin only.
        rows.append((average.region, average.average))
    for rows, _ in found.values():
        rows.sort(key=lambda item: item[1], reverse=True)
    return found


def _regional_computed(results: list[Result]) -> list[tuple[Region, Decimal]]:
    by_region = defaultdict(list)
    for result in results:
        if result.unit.region is not None:
            by_region[result.unit.region].append(result.index)
    rows = [
        (region, (sum(values) / len(values)).quantize(CENT))
        for region, values in by_region.items()
    ]
    return sorted(rows, key=lambda item: item[1], reverse=True)


# Unit profile -------------------------------------------------------------------


def unit_get(slug: str) -> tuple[Unit | None, str | None]:
    """(unit, None) for a current slug, (None, new slug) for an old one, or 404."""
    unit = Unit.objects.for_profile().by_slug([slug]).get(slug)
    if unit is None:
        raise Http404("Không có đơn vị này.")
    if unit.slug != slug:
        return None, unit.slug
    return unit, None


@dataclass
class HistoryRow:
    result: Result
    delta_rank: int | None
    delta_total: Decimal | None
    framework_changed: bool
    count: int


@dataclass
class AreaLine:
    area: Area
    points: Decimal
    share: Decimal
    average: Decimal | None
    average_share: Decimal | None
    delta: Decimal | None = None


@dataclass
class Profile:
    unit: Unit
    history: list[HistoryRow]
    breakdown_result: Result | None
    breakdown: list[AreaLine]
    drivers: list[AreaLine]
    drivers_against: Result | None
    latest: Result | None
    predecessors: list
    successors: list

    @property
    def has_demo(self) -> bool:
        return any(row.result.edition.is_demo for row in self.history)


def unit_profile(unit: Unit) -> Profile:
    """Rank and index over all editions, latest components, links in time."""
    results = list(
        Result.objects.public()
        .filter(unit=unit)
        .select_related("edition__framework")
        .prefetch_related(
            Prefetch("area_scores", queryset=AreaScore.objects.select_related("area"))
        )
        .order_by("edition__year")
    )
    editions = list(
        Edition.objects.released()
        .in_group(unit.group)
        .select_related("framework")
        .annotate(
            result_count=Count("results"),
            previous_year=_previous_year("group", "year"),
        )
    )
    by_year = {e.year: e for e in editions}
    previous_of = {}
    for edition in editions:
        previous = by_year.get(edition.previous_year)
        previous_of[edition.pk] = previous if comparable(edition, previous) else None
    counts = {e.pk: e.result_count for e in editions}
    by_edition = {r.edition_id: r for r in results}
    history = []
    for result in results:
        prior_edition = previous_of.get(result.edition_id)
        prior = by_edition.get(prior_edition.pk) if prior_edition else None
        history.append(
            HistoryRow(
                result=result,
                delta_rank=prior.rank - result.rank if prior else None,
                delta_total=result.total - prior.total if prior else None,
                framework_changed=bool(
                    prior_edition
                    and prior_edition.framework.code != result.edition.framework.code
                ),
                count=counts.get(result.edition_id, 0),
            )
        )
    with_areas = [r for r in results if r.area_scores.all()]
    breakdown_result = with_areas[-1] if with_areas else None
    breakdown, drivers, against = [], [], None
    if breakdown_result is not None:
        averages = dict(
            AreaScore.objects.filter(result__edition=breakdown_result.edition_id)
            .values("area_id")
            .annotate(avg=Avg("points"))
            .values_list("area_id", "avg")
        )
        for score in breakdown_result.area_scores.all():
            area = score.area
            average = averages.get(area.pk)
            average = Decimal(average).quantize(CENT) if average is not None else None
            breakdown.append(
                AreaLine(
                    area=area,
                    points=score.points,
                    share=(score.points * HUNDRED / area.max_points).quantize(CENT),
                    average=average,
                    average_share=(average * HUNDRED / area.max_points).quantize(CENT)
                    if average is not None
                    else None,
                )
            )
        prior_edition = previous_of.get(breakdown_result.edition_id)
        prior = by_edition.get(prior_edition.pk) if prior_edition else None
        if prior is not None and prior.edition.framework_id == (
            breakdown_result.edition.framework_id
        ):
            against = prior
            before = {s.area_id: s.points for s in prior.area_scores.all()}
            for line in breakdown:
                if line.area.pk in before:
                    line.delta = line.points - before[line.area.pk]
            drivers = sorted(
                (line for line in breakdown if line.delta is not None),
                key=lambda line: abs(line.delta),
                reverse=True,
            )
    return Profile(
        unit=unit,
        history=history,
        breakdown_result=breakdown_result,
        breakdown=breakdown,
        drivers=drivers,
        drivers_against=against,
        latest=results[-1] if results else None,
        predecessors=list(unit.predecessor_links.all()),
        successors=list(unit.successor_links.all()),
    )


# Compare -----------------------------------------------------------------------


@dataclass
class Comparison:
    units: list[Unit]
    years: list[int]
    table: list[tuple[int, list[Result | None]]]
    components_edition: Edition | None
    components: list[tuple[Area, list[Decimal | None]]]


def units_compare(units: list[Unit]) -> Comparison:
    """Index over the years and by component for 2–4 units."""
    results = list(
        Result.objects.public()
        .filter(unit__in=units)
        .select_related("edition__framework")
        .prefetch_related(
            Prefetch("area_scores", queryset=AreaScore.objects.select_related("area"))
        )
    )
    by_unit_year: dict[tuple[int, int], Result] = {}
    for result in results:
        by_unit_year[(result.unit_id, result.edition.year)] = result
    years = sorted({result.edition.year for result in results})
    table = [(year, [by_unit_year.get((u.pk, year)) for u in units]) for year in years]
    components_edition, components = None, []
    for year in reversed(years):
        row = [by_unit_year.get((u.pk, year)) for u in units]
        if all(r is not None and r.area_scores.all() for r in row):
            components_edition = row[0].edition
            if all(r.edition_id == components_edition.pk for r in row):
                areas = {}
                shares = defaultdict(dict)
                for position, result in enumerate(row):
                    for score in result.area_scores.all():
                        areas[score.area.number] = score.area
                        shares[score.area.number][position] = (
                            score.points * HUNDRED / score.area.max_points
                        ).quantize(CENT)
                components = [
                    (areas[n], [shares[n].get(i) for i in range(len(units))])
                    for n in sorted(areas)
                ]
                break
            components_edition = None
    return Comparison(
        units=units,
        years=years,
        table=table,
        components_edition=components_edition,
        components=components,
    )


def units_for_choice() -> list[Unit]:
    """Units that have at least one public result, for the compare form."""
    return list(
        Unit.objects.filter(
            Q(results__edition__in=Edition.objects.released())
        ).distinct()
    )


# Open data ----------------------------------------------------------------------


def edition_layout(edition: Edition) -> Layout:
    """An edition in the import layout (what the downloads contain)."""
    results = list(
        edition.results.select_related("unit").prefetch_related(
            Prefetch("area_scores", queryset=AreaScore.objects.select_related("area"))
        )
    )
    has_split = any(r.appraisal is not None for r in results)
    used = {s.area_id for r in results for s in r.area_scores.all()}
    areas = [a for a in edition.framework.areas.all() if a.pk in used]
    headers = [RANK, NAME]
    if has_split:
        headers += [APPRAISAL, SURVEY]
    headers += [TOTAL, INDEX] + [area.column_header for area in areas]
    rows = []
    for result in results:
        points = {s.area_id: s.points for s in result.area_scores.all()}
        row = [result.rank, result.published_name]
        if has_split:
            row += [result.appraisal, result.survey]
        row += [result.total, result.index] + [points.get(a.pk) for a in areas]
        rows.append(row)
    title = f"{edition} ({edition.framework.decision})"
    title_lines = [title]
    if edition.is_demo:
        title_lines.append(DEMO_NOTICE)
    elif edition.source_url:
        title_lines.append(f"Nguồn: {edition.source_url}")
    return Layout(
        title_lines=title_lines,
        headers=headers,
        rows=rows,
        metadata={"edition": edition_data(edition)},
    )


def edition_data(edition: Edition) -> dict:
    """An edition's metadata for JSON (download and API)."""
    return {
        "year": edition.year,
        "group": edition.group,
        "group_label": edition.get_group_display(),
        "is_demo": edition.is_demo,
        "notice": DEMO_NOTICE if edition.is_demo else None,
        "framework": {
            "code": edition.framework.code,
            "decision": edition.framework.decision,
            "is_demo": edition.framework.is_demo,
        },
        "announced_on": edition.announced_on.isoformat()
        if edition.announced_on
        else None,
        "n_ranked": edition.n_ranked,
        "national_average": float(edition.national_average)
        if edition.national_average is not None
        else None,
        "source_url": edition.source_url or None,
        "source_note": edition.source_note or None,
    }


@dataclass
class ScoreCard:
    """A unit's latest public result and its change against the year before."""

    unit: Unit
    result: Result | None
    previous: Result | None = None

    @property
    def delta_rank(self) -> int | None:
        return self.previous.rank - self.result.rank if self.previous else None

    @property
    def delta_total(self) -> Decimal | None:
        return self.result.total - self.previous.total if self.previous else None


def unit_score_cards(units: list[Unit]) -> list[ScoreCard]:
    """Score cards for several units in one query (articles link a few units)."""
    by_unit: dict[int, list[Result]] = defaultdict(list)
    for result in (
        Result.objects.public()
        .filter(unit__in=units)
        .select_related("edition")
        .annotate(previous_year=_previous_year("edition__group", "edition__year"))
        .order_by("unit_id", "-edition__year")
    ):
        by_unit[result.unit_id].append(result)
    cards = []
    for unit in units:
        results = by_unit.get(unit.pk, [])
        latest = results[0] if results else None
        # The unit's result in the previous edition, as on the ranking page.
        previous = next(
            (
                r
                for r in results[1:]
                if r.edition.year == latest.previous_year
                and comparable(latest.edition, r.edition)
            ),
            None,
        )
        cards.append(ScoreCard(unit=unit, result=latest, previous=previous))
    return cards
