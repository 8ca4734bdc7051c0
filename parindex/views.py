"""Public PAR INDEX pages: overview, ranking, unit profile, compare, open data."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.generic import DetailView, TemplateView

from cchc_portal.runtime.page_cache import query_parameters
from cchc_portal.web.open_data import add_link, shared_openly
from parindex import charts, datapackage, selectors, share_images
from parindex.filters import RankingFilter
from parindex.models import AnnualSummary, Edition, Framework, Group, Unit
from parindex.tables import (
    EXCEL_VI_CSV,
    demo_notice,
    write_csv,
    write_json,
    write_xlsx,
)

MAX_COMPARE = 4


class EditionWithdrawn(Exception):
    """The edition was withdrawn: its address says why (410), nothing else."""

    def __init__(self, edition: Edition):
        self.edition = edition


def _public_edition(*, year: int, group: str) -> Edition:
    edition = selectors.edition_get_public(year=year, group=group)
    if edition is None:
        withdrawn = selectors.edition_get_withdrawn(year=year, group=group)
        if withdrawn is not None:
            raise EditionWithdrawn(withdrawn)
        raise Http404("Không có ấn bản chỉ số này.")
    return edition


def _withdrawn_page(request, edition: Edition):
    return render(
        request,
        "parindex/edition_withdrawn.html",
        {"edition": edition, "demo_notice": demo_notice()},
        status=410,
    )


class ParindexMixin:
    """Context every PAR INDEX page shares."""

    query_parameters = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_notice"] = demo_notice()
        return context


@query_parameters()
def overview(request):
    """/chi-so-cchc/: the latest edition of each group and the long view."""
    overview = selectors.edition_get_overview()
    glances = [
        (
            glance,
            charts.glance_top_chart(glance),
            charts.glance_regional_chart(glance),
            charts.glance_tile_map(glance),
        )
        for glance in overview.glances
    ]
    context = {
        "overview": overview,
        "glances": glances,
        "averages_chart": charts.averages_chart(overview),
        "demo_notice": demo_notice(),
    }
    return render(request, "parindex/overview.html", context)


class MethodView(ParindexMixin, TemplateView):
    """How the index is built: frameworks, areas, maxima, sources."""

    template_name = "parindex/framework_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["frameworks"] = Framework.objects.filter(
            is_demo=False
        ).prefetch_related("areas")
        context["summaries"] = AnnualSummary.objects.order_by("-year", "group")
        return context


class EditionDetailView(ParindexMixin, DetailView):
    """/chi-so-cchc/<year>/<group>/: the full ranking, sortable and filterable."""

    template_name = "parindex/edition_detail.html"
    context_object_name = "edition"
    query_parameters = ("sort", *RankingFilter.base_filters)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except EditionWithdrawn as withdrawn:
            return _withdrawn_page(request, withdrawn.edition)

    def get_object(self, queryset=None):
        return _public_edition(year=self.kwargs["year"], group=self.kwargs["group"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.object
        results = edition.results.all()
        filterset = None
        sort_prefix = ""
        total_count = None
        if edition.group == Group.PROVINCE:
            filterset = RankingFilter(
                self.request.GET or None, queryset=results, request=self.request
            )
            results = filterset.qs
            region = filterset.region
            if region is not None:
                # Sort links keep the region filter.
                sort_prefix = f"vung={region.slug}&"
                total_count = edition.results.count()
        ranking = selectors.edition_get_ranking(
            edition=edition,
            results=results,
            sort=self.request.GET.get("sort"),
            total_count=total_count,
        )
        context.update(
            ranking=ranking,
            sort_prefix=sort_prefix,
            filterset=filterset,
            bad_filter=filterset is not None
            and filterset.is_bound
            and bool(filterset.errors),
            chart=charts.ranking_chart(ranking),
            tile_map=charts.ranking_tile_map(ranking),
            corrections=list(edition.corrections.all()),
            other_editions=selectors.edition_list_released_years(group=edition.group),
        )
        return context


class UnitDetailView(ParindexMixin, DetailView):
    """/chi-so-cchc/don-vi/<slug>/: a unit over time; old slugs redirect."""

    template_name = "parindex/unit_detail.html"
    context_object_name = "unit"

    def get(self, request, *args, **kwargs):
        unit = selectors.unit_get(kwargs["slug"])
        if unit is None:
            raise Http404("Không có đơn vị này.")
        if unit.slug != kwargs["slug"]:
            return redirect("parindex:unit-detail", slug=unit.slug, permanent=True)
        self.object = unit
        return self.render_to_response(self.get_context_data(object=unit))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = selectors.unit_get_profile(self.object)
        lineage = selectors.unit_get_lineage(self.object)
        context.update(
            profile=profile,
            lineage=lineage,
            lineage_index_chart=charts.lineage_index_chart(lineage)
            if lineage
            else None,
            lineage_rank_chart=charts.lineage_rank_chart(lineage) if lineage else None,
            index_chart=charts.profile_index_chart(profile),
            rank_chart=charts.profile_rank_chart(profile),
            breakdown_chart=charts.profile_breakdown_chart(profile),
        )
        return context


def _resolve_units(slugs: list[str]) -> list[Unit]:
    found = Unit.objects.by_slug(slugs)
    if any(s not in found for s in slugs):
        raise Http404("Không có đơn vị này.")
    units = []
    for slug in slugs:
        if found[slug] not in units:
            units.append(found[slug])
    return units


@query_parameters("don_vi")
def compare(request):
    """/chi-so-cchc/so-sanh/?don_vi=a&don_vi=b: 2–4 units side by side."""
    slugs = [s.strip() for s in request.GET.getlist("don_vi") if s.strip()][:20]
    units = _resolve_units(slugs)
    error = None
    comparison = None
    context = {
        "demo_notice": demo_notice(),
        "choices": selectors.unit_list_with_results(),
    }
    if len(units) > MAX_COMPARE:
        error = gettext("Chỉ so sánh được tối đa %(count)s đơn vị; hãy bỏ bớt.") % {
            "count": MAX_COMPARE
        }
    elif slugs and len(units) < 2:
        error = gettext("Hãy chọn ít nhất 2 đơn vị khác nhau để so sánh.")
    elif len(units) >= 2:
        comparison = selectors.unit_get_comparison(units)
        context["index_chart"] = charts.comparison_index_chart(comparison)
        context["components_chart"] = charts.comparison_components_chart(comparison)
    selected = [u.slug for u in units][:MAX_COMPARE]
    context.update(
        units=units,
        comparison=comparison,
        error=error,
        selects=[
            (i, selected[i] if i < len(selected) else "") for i in range(MAX_COMPARE)
        ],
        any_demo=bool(
            comparison
            and any(r and r.edition.is_demo for _, row in comparison.table for r in row)
        ),
    )
    return render(request, "parindex/unit_compare.html", context, status=200)


class OpenDataView(ParindexMixin, TemplateView):
    """Downloads, API addresses, data dictionary, citation and licence."""

    template_name = "parindex/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["editions"] = Edition.objects.released().for_listing()
        # The JSON API has one (Vietnamese) address, also from the English page.
        with translation.override(settings.LANGUAGE_CODE):
            api = {
                name.replace("-", "_"): reverse(f"parindex:api-{name}")
                for name in ("root", "openapi", "edition-list", "unit-list")
            }
        context["api"] = api
        context["api_root"] = self.request.build_absolute_uri(api["root"])
        return context


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "csv-excel": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


# File name endings of the downloads.
EXTENSIONS = {"csv": "csv", "csv-excel": "excel.csv", "xlsx": "xlsx", "json": "json"}


@shared_openly
def edition_download(request, year: int, group: str, fmt: str):
    """/chi-so-cchc/<year>/<group>.csv|-excel.csv|.xlsx|.json in the import layout."""
    try:
        edition = _public_edition(year=year, group=group)
    except EditionWithdrawn as withdrawn:
        return HttpResponse(
            gettext("%(edition)s đã được thu hồi") % {"edition": withdrawn.edition}
            + f": {withdrawn.edition.withdrawal_note}",
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    layout = selectors.edition_get_layout(edition)
    if fmt == "csv":
        body = write_csv(layout)
    elif fmt == "csv-excel":
        body = write_csv(layout, EXCEL_VI_CSV)
    elif fmt == "xlsx":
        body = write_xlsx(layout, sheet_title=f"PAR INDEX {year} {group}")
    else:
        body = write_json(layout)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    suffix = "-minh-hoa" if edition.is_demo else ""
    response["Content-Disposition"] = (
        f'attachment; filename="par-index-{year}-{group}{suffix}.{EXTENSIONS[fmt]}"'
    )
    add_link(
        response,
        f'<{edition.download_url("datapackage")}>; rel="describedby"; '
        'type="application/json"',
    )
    if edition.is_demo:
        # Plain-ASCII header (HTTP headers are Latin-1): the notice is in the file.
        response["X-Demo-Data"] = "du lieu minh hoa, khong phai so lieu chinh thuc"
    return response


@shared_openly
def edition_datapackage(request, year: int, group: str):
    """/chi-so-cchc/<year>/<group>.datapackage.json: the edition's Data Package."""
    try:
        edition = _public_edition(year=year, group=group)
    except EditionWithdrawn:
        raise Http404("Ấn bản đã được thu hồi.") from None
    package = datapackage.edition_datapackage(
        edition, selectors.edition_get_layout(edition)
    )
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1})


@shared_openly
def archive_datapackage(request):
    """/chi-so-cchc/datapackage.json: one Data Package for every released edition."""
    editions = Edition.objects.released().for_listing()
    package = datapackage.archive_datapackage(
        [(edition, selectors.edition_get_layout(edition)) for edition in editions]
    )
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1})


def corrections(request):
    """/chi-so-cchc/dinh-chinh/: every public correction (old → new) and withdrawal."""
    return render(
        request,
        "parindex/correction_list.html",
        {"log": selectors.correction_list_public(), "demo_notice": demo_notice()},
    )


def _png(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def ranking_share_image(request, year: int, group: str):
    """/chi-so-cchc/<year>/<group>/anh-chia-se.png: the ranking's link preview."""
    edition = selectors.edition_get_public(year=year, group=group)
    if edition is None:
        raise Http404("Không có ấn bản chỉ số này.")
    leaders = list(edition.results.order_by("rank", "published_name")[:3])
    return _png(share_images.ranking_share_image(edition, leaders))


def unit_share_image(request, slug: str):
    """/chi-so-cchc/don-vi/<slug>/anh-chia-se.png: the unit's link preview."""
    unit = selectors.unit_get(slug)
    if unit is None:
        raise Http404("Không có đơn vị này.")
    result, count = selectors.unit_get_latest_result(unit)
    return _png(share_images.unit_share_image(unit, result, count))
