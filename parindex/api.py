"""Read-only JSON API: editions, units and results (GET only, public data).

Responses are plain JSON documents; demo editions carry "is_demo": true and
the notice "Dữ liệu minh họa, không phải số liệu chính thức".
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from cchc_portal.web.open_data import shared_openly
from parindex import selectors
from parindex.models import Edition, Group, Result, Unit
from parindex.openapi import openapi_document
from parindex.tables import DEMO_NOTICE, json_number

LICENCE = (
    "CC BY 4.0 (ghi nguồn: Cổng thông tin Cải cách hành chính; số liệu gốc: Bộ Nội vụ)"
)


def _json(request, payload: dict, status: int = 200) -> JsonResponse:
    payload = {"licence": LICENCE, **payload}
    return JsonResponse(
        payload, status=status, json_dumps_params={"ensure_ascii": False, "indent": 1}
    )


@shared_openly
def not_found(request) -> JsonResponse:
    """The API's answer to a path no route matches (handler404 sends it here).

    A client of the JSON API gets the same JSON error for a mistyped path as
    for a missing unit, never the HTML page meant for browsers.
    """
    return _json(request, {"error": "Không có địa chỉ này trong API."}, status=404)


def is_api_path(path: str) -> bool:
    return path.startswith(reverse("parindex:api-root"))


def _unit_data(request, unit: Unit) -> dict:
    return {
        "slug": unit.slug,
        "name": unit.name,
        "short_name": unit.short_name,
        # The official English names (parindex/data/unit_names_en.csv), or
        # null where none is recorded; the API itself stays Vietnamese.
        "name_en": unit.name_en or None,
        "short_name_en": unit.short_name_en or None,
        # Names that coincide (before/after a merger) told apart by period.
        "label": unit.label,
        "kind": unit.kind,
        "group": unit.group,
        "gso_code": unit.gso_code or None,
        "region": unit.region.name if unit.region_id else None,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
        "url": request.build_absolute_uri(unit.get_absolute_url()),
        "api_url": request.build_absolute_uri(
            reverse("parindex:api-unit-detail", kwargs={"slug": unit.slug})
        ),
    }


def _result_data(result: Result) -> dict:
    row = selectors.result_to_row(result)
    return {
        "rank": row.rank,
        "unit": result.unit.slug,
        "published_name": row.name,
        "total": json_number(row.total),
        "index": json_number(row.index),
        "appraisal": json_number(row.appraisal),
        "survey": json_number(row.survey),
        "areas": {str(number): json_number(p) for number, p in row.areas.items()},
    }


def _edition_summary(request, edition: Edition) -> dict:
    return {
        **selectors.edition_get_metadata(edition),
        "url": request.build_absolute_uri(edition.get_absolute_url()),
        "api_url": request.build_absolute_uri(
            reverse(
                "parindex:api-edition-detail",
                kwargs={"year": edition.year, "group": edition.group},
            )
        ),
        "downloads": {
            fmt: request.build_absolute_uri(edition.download_url(fmt))
            for fmt in ("csv", "csv-excel", "xlsx", "json", "datapackage")
        },
    }


@shared_openly
@require_safe
def root(request):
    """Entry point listing the collections."""
    return _json(
        request,
        {
            "editions": request.build_absolute_uri(
                reverse("parindex:api-edition-list")
            ),
            "units": request.build_absolute_uri(reverse("parindex:api-unit-list")),
            "documentation": request.build_absolute_uri(reverse("parindex:open-data")),
            "openapi": request.build_absolute_uri(reverse("parindex:api-openapi")),
        },
    )


@shared_openly
@require_safe
def edition_list(request):
    """Every released edition, newest first."""
    editions = Edition.objects.released().for_listing().prefetch_related("corrections")
    return _json(
        request, {"editions": [_edition_summary(request, e) for e in editions]}
    )


@shared_openly
@require_safe
def edition_detail(request, year: int, group: str):
    """One released edition with all its results."""
    edition = selectors.edition_get_public(year=year, group=group)
    if edition is None:
        return _json(request, {"error": "Không có ấn bản này."}, status=404)
    results = edition.results.with_area_scores()
    areas = [
        {
            "number": area.number,
            "name": area.name,
            "max_points": json_number(area.max_points),
        }
        for area in edition.framework.areas.all()
    ]
    return _json(
        request,
        {
            "edition": _edition_summary(request, edition),
            "areas": areas,
            "results": [_result_data(r) for r in results],
        },
    )


@shared_openly
@require_safe
def unit_list(request):
    """All units; ?group=bo|tinh narrows to one ranking group."""
    units = Unit.objects.select_related("region")
    group = request.GET.get("group")
    if group in Group.values:
        units = units.in_group(group)
    return _json(request, {"units": [_unit_data(request, u) for u in units]})


@shared_openly
@require_safe
def unit_detail(request, slug: str):
    """One unit with its results in every released edition."""
    unit = selectors.unit_get(slug)
    if unit is None:
        return _json(request, {"error": "Không có đơn vị này."}, status=404)
    if unit.slug != slug:
        return redirect("parindex:api-unit-detail", slug=unit.slug, permanent=True)
    results = (
        Result.objects.public()
        .filter(unit=unit)
        .with_area_scores()
        .order_by("edition__year")
    )
    lineage = selectors.unit_get_lineage(unit)
    return _json(
        request,
        {
            # A unit formed by a merger: each predecessor's published results
            # before the break, its own after; ranks with the total ("rank/of").
            "lineage": None
            if lineage is None
            else {
                "break_on": lineage.break_on.isoformat(),
                "series": [
                    {
                        "unit": series.unit.slug,
                        "label": series.unit.label,
                        "is_successor": series.is_successor,
                        "results": [
                            {
                                "year": p.year,
                                "rank": p.rank,
                                "of": p.count,
                                "index": json_number(p.index),
                                "is_demo": p.is_demo,
                            }
                            for p in series.points
                        ],
                    }
                    for series in lineage.series
                ],
            },
            "unit": {
                **_unit_data(request, unit),
                "other_names": [
                    {"name": n.name, "kind": n.kind} for n in unit.other_names.all()
                ],
                "predecessors": [
                    {
                        "unit": link.predecessor.slug,
                        "effective_on": link.effective_on.isoformat(),
                    }
                    for link in unit.predecessor_links.all()
                ],
                "successors": [
                    {
                        "unit": link.successor.slug,
                        "effective_on": link.effective_on.isoformat(),
                    }
                    for link in unit.successor_links.all()
                ],
            },
            "results": [
                {
                    "year": r.edition.year,
                    "group": r.edition.group,
                    "is_demo": r.edition.is_demo,
                    "notice": DEMO_NOTICE if r.edition.is_demo else None,
                    **_result_data(r),
                }
                for r in results
            ],
        },
    )


@shared_openly
@require_safe
def openapi(request):
    """/chi-so-cchc/api/v1/openapi.json: the OpenAPI 3.1 description of this API."""
    response = JsonResponse(
        openapi_document(), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Type"] = "application/openapi+json; charset=utf-8"
    return response
