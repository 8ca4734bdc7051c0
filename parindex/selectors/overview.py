"""The overview page (/chi-so-cchc/): the latest edition per group and the long view."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from cchc_portal.vietnamese import sort_key
from parindex.models import (
    AnnualSummary,
    Edition,
    Group,
    Region,
    RegionalAverage,
    Result,
    Unit,
    UnitSuccession,
    latest_per_group,
)
from parindex.tables import CENT


@dataclass
class RegionalFigure:
    """One region's average in an edition, with what it was computed on.

    `count` is None for a published figure. `missing` names the edition's
    units without a region that may belong here (a part of them lay in this
    region before 2025, or nothing is known): while it is not empty the
    figure is the mean of the units with a region, not the region's average.
    """

    region: Region
    average: Decimal | None  # None: no unit of the edition known to be here
    count: int | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class RegionalCoverage:
    """How many of the edition's units a computed regional average covers."""

    covered: int
    total: int
    unassigned: list[Unit] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.covered == self.total

    @property
    def label(self) -> str:
        return gettext("%(covered)s/%(total)s đơn vị") % {
            "covered": self.covered,
            "total": self.total,
        }


@dataclass
class GroupGlance:
    edition: Edition
    top: list[Result]
    bottom: list[Result]
    count: int
    average: Decimal | None
    regional: list[RegionalFigure]
    regional_source: str
    regional_coverage: RegionalCoverage | None
    leaders: list[tuple[Edition, list[Result]]]
    results: list[Result]  # every result, by rank (the map)

    @property
    def average_basis(self) -> str:
        """What the shown national average is: published, or over how many."""
        if self.edition.national_average is not None:
            return gettext("công bố")
        return gettext("tính trên %(count)s/%(count)s đơn vị") % {"count": self.count}

    @property
    def leaders_have_demo(self) -> bool:
        return any(edition.is_demo for edition, _ in self.leaders)


@dataclass
class Overview:
    glances: list[GroupGlance]
    editions: list[Edition]
    years: list[int]  # years with a released edition, newest first
    # The published national averages: years, one series per group, a row per year.
    average_years: list[int]
    average_series: list[tuple[str, list[Decimal | None]]]
    average_rows: list[tuple[int, list[Decimal | None]]]


def edition_get_overview() -> Overview:
    """The latest released edition of each group at a glance, and the long view."""
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
        coverage = None
        if edition.group != Group.PROVINCE:
            regional, source = [], ""
        elif not regional and rows:
            regional, coverage = regional_computed(rows)
            source = "computed"
        glances.append(
            GroupGlance(
                edition=edition,
                top=rows[:5],
                bottom=rows[-5:] if count > 10 else rows[5:],
                count=count,
                average=average,
                regional=regional,
                regional_source=source,
                regional_coverage=coverage,
                results=rows,
                leaders=[
                    (e, leaders[e.pk])
                    for e in sorted(editions, key=lambda e: e.year)
                    if e.group == edition.group and leaders[e.pk]
                ],
            )
        )
    summaries = list(AnnualSummary.objects.order_by("year"))
    average_years = sorted(
        {s.year for s in summaries if s.national_average is not None}
    )
    average_series = []
    for group in (Group.MINISTRY, Group.PROVINCE):
        values = {
            s.year: s.national_average
            for s in summaries
            if s.group == group and s.national_average is not None
        }
        average_series.append(
            (Group(group).label, [values.get(y) for y in average_years])
        )
    return Overview(
        glances=glances,
        editions=editions,
        years=sorted({e.year for e in editions}, reverse=True),
        average_years=average_years,
        average_series=average_series,
        average_rows=[
            (year, [values[position] for _, values in average_series])
            for position, year in enumerate(average_years)
        ],
    )


def _regional_published(years: list[int]) -> dict[int, tuple[list, str]]:
    found: dict[int, tuple[list, str]] = {}
    for average in RegionalAverage.objects.filter(year__in=years).select_related(
        "region"
    ):
        rows, _ = found.setdefault(average.year, ([], "published"))
        # The note is a research note in English, kept for the admin only.
        rows.append(RegionalFigure(average.region, average.average))
    for rows, _ in found.values():
        rows.sort(key=lambda item: item.average, reverse=True)
    return found


def regional_computed(
    results: list[Result],
) -> tuple[list[RegionalFigure], RegionalCoverage]:
    """Each region's mean index over the edition's units of that region.

    Results need unit and unit__region. Units without a region are counted
    against every region one of their predecessors lay in (one query, only
    when there are such units), or against every region when nothing is known.
    """
    by_region: dict[Region, list[Decimal]] = defaultdict(list)
    unassigned = []
    for result in results:
        if result.unit.region is not None:
            by_region[result.unit.region].append(result.index)
        else:
            unassigned.append(result.unit)
    unassigned.sort(key=lambda unit: sort_key(unit.display_name))
    maybe: dict[int, set[Region]] = defaultdict(set)  # unit id → regions
    if unassigned:
        for link in UnitSuccession.objects.filter(
            successor__in=unassigned, predecessor__region__isnull=False
        ).select_related("predecessor__region"):
            maybe[link.successor_id].add(link.predecessor.region)
    regions = set(by_region).union(*maybe.values())
    figures = []
    for region in regions:
        values = by_region.get(region, [])
        missing = [
            unit.display_name
            for unit in unassigned
            if region in maybe[unit.pk] or not maybe[unit.pk]
        ]
        figures.append(
            RegionalFigure(
                region=region,
                average=(sum(values) / len(values)).quantize(CENT) if values else None,
                count=len(values),
                missing=missing,
            )
        )
    figures.sort(key=lambda item: (item.average is None, -(item.average or 0)))
    coverage = RegionalCoverage(
        covered=len(results) - len(unassigned),
        total=len(results),
        unassigned=unassigned,
    )
    return figures, coverage
