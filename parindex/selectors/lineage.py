"""A successor's history: its predecessors' results before the break, its own after.

Published results are never rewritten or merged: each line stays the unit it
was published for, and ranks keep the total they were out of ("44/63").
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from cchc_portal.vietnamese import sort_key
from parindex.models import Edition, Result, Unit


@dataclass
class LineagePoint:
    year: int
    rank: int
    count: int  # units ranked that year: ranks out of different totals differ
    index: Decimal
    is_demo: bool

    @property
    def rank_text(self) -> str:
        """ "44/63": the rank with the total it is out of."""
        return f"{self.rank}/{self.count}"


@dataclass
class LineageSeries:
    unit: Unit
    points: list[LineagePoint] = field(default_factory=list)
    is_successor: bool = False


@dataclass
class Lineage:
    """The successor and the units it was formed from, each with its results."""

    successor: Unit
    series: list[LineageSeries]  # predecessors in Vietnamese order, then successor
    break_on: datetime.date

    @property
    def years(self) -> list[int]:
        return sorted({p.year for s in self.series for p in s.points})

    @property
    def has_results(self) -> bool:
        return any(s.points for s in self.series)

    @property
    def totals(self) -> list[int]:
        """The different totals ranks are out of (63, 34)."""
        return sorted({p.count for s in self.series for p in s.points}, reverse=True)

    @property
    def has_demo(self) -> bool:
        return any(p.is_demo for s in self.series for p in s.points)

    @property
    def predecessors(self) -> list[Unit]:
        return [s.unit for s in self.series if not s.is_successor]


def unit_get_lineage(unit: Unit) -> Lineage | None:
    """The combined history of a unit formed by a merger (None otherwise).

    Needs unit.predecessor_links prefetched with their predecessors
    (Unit.objects.for_profile); costs two queries.
    """
    links = list(unit.predecessor_links.all())
    if not links:
        return None
    predecessors = sorted(
        (link.predecessor for link in links),
        key=lambda u: sort_key(u.display_name),
    )
    members = [*predecessors, unit]
    counts = dict(
        Edition.objects.released()
        .in_group(unit.group)
        .annotate(n=Count("results"))
        .values_list("pk", "n")
    )
    by_unit = defaultdict(list)
    for result in (
        Result.objects.public()
        .filter(unit__in=members)
        .select_related("edition")
        .order_by("edition__year")
    ):
        by_unit[result.unit_id].append(
            LineagePoint(
                year=result.edition.year,
                rank=result.rank,
                count=counts.get(result.edition_id, 0),
                index=result.index,
                is_demo=result.edition.is_demo,
            )
        )
    series = [LineageSeries(unit=u, points=by_unit[u.pk]) for u in predecessors]
    series.append(LineageSeries(unit=unit, points=by_unit[unit.pk], is_successor=True))
    return Lineage(
        successor=unit,
        series=series,
        break_on=min(link.effective_on for link in links),
    )
