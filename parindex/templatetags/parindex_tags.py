"""PAR INDEX widgets and number formatting for templates."""

from decimal import Decimal

from django import template

from parindex.models import Edition, Result, Unit
from parindex.tables import DEMO_NOTICE, format_decimal

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    """84.09 → "84,09"; nothing → "—"."""
    return "—" if value is None else format_decimal(value)


@register.filter
def signed_points(value: Decimal | None) -> str:
    """+1,39 / −0,21 / 0,00 with a real minus sign."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{format_decimal(value)}"
    if value < 0:
        return f"−{format_decimal(-value)}"
    return format_decimal(value)


@register.inclusion_tag("parindex/includes/_delta.html")
def delta(value, kind: str = "rank", is_new: bool = False):
    """Change against the previous edition, with a symbol and words (not colour)."""
    return {"value": value, "kind": kind, "is_new": is_new}


@register.inclusion_tag("parindex/includes/_home_box.html")
def parindex_home_box():
    """Latest released edition of each group at a glance (home page)."""
    editions = Edition.objects.released().for_listing().latest_per_group()
    top = {}
    for result in (
        Result.objects.filter(edition__in=editions, rank__lte=3)
        .select_related("unit")
        .order_by("rank", "published_name")
    ):
        top.setdefault(result.edition_id, []).append(result)
    return {
        "glances": [(edition, top.get(edition.pk, [])) for edition in editions],
        "demo_notice": DEMO_NOTICE,
    }


@register.inclusion_tag("parindex/includes/_score_card.html")
def unit_score_card(unit: Unit):
    """A unit's latest public result, for a news article linked to the unit."""
    results = list(
        Result.objects.public()
        .filter(unit=unit)
        .select_related("edition")
        .order_by("-edition__year")[:2]
    )
    latest = results[0] if results else None
    previous = results[1] if len(results) > 1 else None
    consecutive = bool(
        previous
        and latest
        and previous.edition.year == latest.edition.year - 1
        and previous.edition.is_demo == latest.edition.is_demo
    )
    return {
        "unit": unit,
        "result": latest,
        "delta_rank": previous.rank - latest.rank if consecutive else None,
        "delta_total": latest.total - previous.total if consecutive else None,
        "demo_notice": DEMO_NOTICE,
    }
