"""The unit profile: a unit's results year by year, its latest components, its links."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count

from parindex.models import HUNDRED, Area, AreaScore, Edition, Result, Unit
from parindex.selectors.editions import (
    edition_is_comparable,
    edition_select_previous_year,
    rank_change,
)
from parindex.tables import CENT


def unit_get(slug: str) -> Unit | None:
    """The unit with this current or former slug, ready for its profile (or None).

    A former slug finds the unit under its current one (unit.slug != slug):
    the pages answer with a permanent redirect.
    """
    return Unit.objects.for_profile().by_slug([slug]).get(slug)


@dataclass
class ResultYearRow:
    """The unit's result in one edition, with its change against the one before."""

    result: Result
    delta_rank: int | None
    delta_total: Decimal | None
    framework_changed: bool
    count: int
    rank_missing: str = ""  # "sizes": ranks out of different totals (the delta tag)


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
    yearly_results: list[ResultYearRow]
    breakdown_result: Result | None
    breakdown: list[AreaLine]
    drivers: list[AreaLine]
    drivers_against: Result | None
    latest: Result | None
    predecessors: list
    successors: list

    @property
    def has_demo(self) -> bool:
        return any(row.result.edition.is_demo for row in self.yearly_results)


def unit_get_profile(unit: Unit) -> Profile:
    """Rank and index over all editions, latest components, links in time."""
    results = list(
        Result.objects.public()
        .filter(unit=unit)
        .with_area_scores()
        .prefetch_related("edition__corrections")
        .order_by("edition__year")
    )
    editions = list(
        Edition.objects.released()
        .in_group(unit.group)
        .select_related("framework")
        .annotate(
            result_count=Count("results"),
            previous_year=edition_select_previous_year("group", "year"),
        )
    )
    by_year = {e.year: e for e in editions}
    previous_of = {}
    for edition in editions:
        previous = by_year.get(edition.previous_year)
        previous_of[edition.pk] = (
            previous if edition_is_comparable(edition, previous) else None
        )
    counts = {e.pk: e.result_count for e in editions}
    by_edition = {r.edition_id: r for r in results}
    yearly_results = []
    for result in results:
        prior_edition = previous_of.get(result.edition_id)
        prior = by_edition.get(prior_edition.pk) if prior_edition else None
        count = counts.get(result.edition_id, 0)
        delta_rank = None
        if prior is not None:
            delta_rank = rank_change(
                prior_rank=prior.rank,
                prior_count=counts.get(prior.edition_id, 0),
                rank=result.rank,
                count=count,
            )
        yearly_results.append(
            ResultYearRow(
                result=result,
                delta_rank=delta_rank,
                delta_total=result.total - prior.total if prior else None,
                framework_changed=bool(
                    prior_edition
                    and prior_edition.framework.code != result.edition.framework.code
                ),
                count=count,
                rank_missing="sizes" if prior and delta_rank is None else "",
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
        yearly_results=yearly_results,
        breakdown_result=breakdown_result,
        breakdown=breakdown,
        drivers=drivers,
        drivers_against=against,
        latest=results[-1] if results else None,
        predecessors=list(unit.predecessor_links.all()),
        successors=list(unit.successor_links.all()),
    )
