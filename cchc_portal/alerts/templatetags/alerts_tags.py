"""The "get e-mails about this" link on category, tag, unit, search and overview."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

from cchc_portal.alerts.models import TargetKind
from cchc_portal.alerts.targets import SEARCH_KEYS

register = template.Library()

KINDS = {
    "category": TargetKind.CATEGORY,
    "tag": TargetKind.TAG,
    "unit": TargetKind.UNIT,
    "search": TargetKind.SEARCH,
    "overview": TargetKind.OVERVIEW,
}


@register.inclusion_tag("alerts/includes/_subscribe_box.html", takes_context=True)
def subscribe_box(context, kind: str, obj=None, label: str = ""):
    """A link to the subscribe page for `obj` (a Category, Tag or Unit) or the search.

    No query runs: the slug (or the request's own search parameters) names it.
    """
    params = {"loai": KINDS[kind]}
    if obj is not None:
        params["muc"] = obj.slug
    if kind == "search":
        request = context["request"]
        params.update(
            {key: request.GET[key] for key in SEARCH_KEYS if request.GET.get(key)}
        )
    if kind == "overview":
        text = "Nhận thư khi có kết quả Chỉ số CCHC mới"
    elif kind == "search":
        text = "Nhận thư khi có tin mới khớp với tìm kiếm này"
    else:
        text = f"Nhận thư khi có tin mới về {label}"
    return {"query": urlencode(params), "text": text}
