"""The compare page: 2–4 units side by side over the years and by component."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Prefetch,
    Q,
    prefetch_related_objects,
)

from parindex.models import HUNDRED, Area, Edition, Result, Unit, UnitSuccession
from parindex.tables import CENT


@dataclass
class Comparison:
    units: list[Unit]
    years: list[int]
    table: list[tuple[int, list[Result | None]]]
    components_edition: Edition | None
    components: list[tuple[Area, list[Decimal | None]]]


def unit_get_comparison(units: list[Unit]) -> Comparison:
    """Index over the years and by component for 2–4 units.

    Each result carries edition_count (ranks are shown out of their total:
    63 before 2025, 34 after), and each unit its predecessor links (a merged
    unit's page has the combined history).
    """
    prefetch_related_objects(
        units,
        Prefetch(
            "predecessor_links",
            queryset=UnitSuccession.objects.select_related("predecessor"),
        ),
    )
    results = list(
        Result.objects.public()
        .filter(unit__in=units)
        .with_area_scores()
        .with_edition_size()
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


def unit_list_with_results() -> list[Unit]:
    """Units that have at least one public result, for the compare form."""
    return list(
        Unit.objects.filter(
            Q(results__edition__in=Edition.objects.released())
        ).distinct()
    )
