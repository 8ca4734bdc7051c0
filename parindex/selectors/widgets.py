"""Reads for the PAR INDEX widgets other pages embed: the home box, score cards."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from cchc_portal.vietnamese import sort_key
from parindex.models import Edition, Result, Unit
from parindex.selectors.editions import (
    edition_is_comparable,
    edition_select_previous_year,
    rank_change,
)


def edition_list_latest_leaders(*, top: int = 3) -> list[tuple[Edition, list[Result]]]:
    """The newest released edition of each group with its first ranks (home page)."""
    editions = Edition.objects.released().for_listing().latest_per_group()
    leaders: dict[int, list[Result]] = defaultdict(list)
    for result in (
        Result.objects.filter(edition__in=editions, rank__lte=top)
        .select_related("unit")
        .order_by("rank", "published_name")
    ):
        leaders[result.edition_id].append(result)
    return [(edition, leaders[edition.pk]) for edition in editions]


@dataclass
class ScoreCard:
    """A unit's latest public result and its change against the year before."""

    unit: Unit
    result: Result | None
    previous: Result | None = None
    # A unit formed by a merger: its predecessors' latest results (their own
    # ranks out of their own totals), until and beside its own.
    predecessors: list[Result] = field(default_factory=list)

    @property
    def delta_rank(self) -> int | None:
        if self.previous is None:
            return None
        return rank_change(
            prior_rank=self.previous.rank,
            prior_count=self.previous.edition_count,
            rank=self.result.rank,
            count=self.result.edition_count,
        )

    @property
    def rank_missing(self) -> str:
        """ "sizes" when the ranks are out of different totals (the delta tag)."""
        return "sizes" if self.previous and self.delta_rank is None else ""

    @property
    def delta_total(self) -> Decimal | None:
        return self.result.total - self.previous.total if self.previous else None


def unit_list_score_cards(units: list[Unit]) -> list[ScoreCard]:
    """Score cards for several units in one query (articles link a few units)."""
    by_unit: dict[int, list[Result]] = defaultdict(list)
    ids = {unit.pk for unit in units}
    # Predecessors' results come in the same query, marked with the successor.
    before: dict[int, dict[int, Result]] = defaultdict(dict)
    for result in (
        Result.objects.public()
        .filter(Q(unit__in=units) | Q(unit__successor_links__successor__in=units))
        .select_related("edition", "unit")
        .annotate(
            previous_year=edition_select_previous_year(
                "edition__group", "edition__year"
            ),
            successor_id=F("unit__successor_links__successor"),
        )
        .with_edition_size()
        .order_by("unit_id", "-edition__year")
    ):
        if result.unit_id in ids:
            if all(r.pk != result.pk for r in by_unit[result.unit_id]):
                by_unit[result.unit_id].append(result)
        if result.successor_id in ids and result.unit_id != result.successor_id:
            before[result.successor_id].setdefault(result.unit_id, result)
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
                and edition_is_comparable(latest.edition, r.edition)
            ),
            None,
        )
        predecessors = sorted(
            before[unit.pk].values(), key=lambda r: sort_key(r.unit.display_name)
        )
        cards.append(
            ScoreCard(
                unit=unit, result=latest, previous=previous, predecessors=predecessors
            )
        )
    return cards


def unit_get_latest_result(unit: Unit) -> tuple[Result | None, int]:
    """The unit's newest public result and how many units that edition ranked."""
    result = (
        Result.objects.public()
        .filter(unit=unit)
        .select_related("edition")
        .order_by("-edition__year")
        .first()
    )
    if result is None:
        return None, 0
    return result, result.edition.results.count()


@dataclass
class Headline:
    """An edition at a glance, for its announcement: leaders, average, link."""

    edition: Edition
    leaders: list[Result]
    count: int


def edition_list_headlines(editions) -> list[Headline]:
    """The public ones of `editions` with their first three units (two queries)."""
    editions = list(
        Edition.objects.released()
        .filter(pk__in=[e.pk for e in editions])
        .select_related("framework")
        .prefetch_related("corrections")
        .annotate(result_count=models.Count("results"))
        .order_by("-year", "group")
    )
    leaders: dict[int, list[Result]] = defaultdict(list)
    for result in (
        Result.objects.filter(edition__in=editions, rank__lte=3)
        .select_related("unit")
        .order_by("rank", "published_name")
    ):
        leaders[result.edition_id].append(result)
    return [
        Headline(edition=e, leaders=leaders[e.pk], count=e.result_count)
        for e in editions
    ]
