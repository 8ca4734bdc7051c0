"""PAR INDEX widgets and number formatting for templates."""

from decimal import Decimal

from django import template

from cchc_portal.templatetags.portal_tags import json_ld
from parindex import selectors
from parindex.models import Edition, Result
from parindex.structured_data import unit_structured_data
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


@register.inclusion_tag("parindex/includes/_score_cards.html")
def unit_score_cards(units):
    """Score cards of the units a news article is linked to (one query)."""
    return {
        "cards": selectors.unit_score_cards(list(units)),
        "demo_notice": DEMO_NOTICE,
    }


@register.simple_tag(takes_context=True)
def unit_json_ld(context, unit):
    """GovernmentOrganization and BreadcrumbList blocks for a unit profile."""
    return json_ld(unit_structured_data(unit, context["request"]))
