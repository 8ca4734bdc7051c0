"""The overview page (/chi-so-cchc/): the latest edition per group and the long view."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from parindex.models import (
    AnnualSummary,
    Edition,
    Group,
    Region,
    RegionalAverage,
    Result,
    latest_per_group,
)
from parindex.tables import CENT


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
    results: list[Result]  # every result, by rank (the map)

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
