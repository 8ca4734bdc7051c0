"""Public PAR INDEX pages: overview, ranking, unit profile, compare, open data."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from parindex import charts, selectors
from parindex.filters import RankingFilter
from parindex.models import AnnualSummary, Edition, Framework, Group, Unit
from parindex.tables import (
    DEMO_NOTICE,
    format_decimal,
    write_csv,
    write_json,
    write_xlsx,
)

MAX_COMPARE = 4


class ParindexMixin:
    """Context every PAR INDEX page shares."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_notice"] = DEMO_NOTICE
        return context


def overview(request):
    """/chi-so-cchc/: the latest edition of each group and the long view."""
    context = selectors.overview()
    for glance in context["glances"]:
        glance.top_chart = charts.bar_chart(
            [(r.published_name, r.index, format_decimal(r.index)) for r in glance.top],
            title=f"Dẫn đầu {glance.edition}",
            description=(
                "Chỉ số (%) của các đơn vị dẫn đầu; số liệu trong bảng bên dưới."
            ),
        )
        if glance.regional:
            glance.regional_chart = charts.bar_chart(
                [(r.name, avg, format_decimal(avg)) for r, avg in glance.regional],
                title=f"Trung bình theo vùng, {glance.edition.short_title}",
                description=(
                    "Giá trị trung bình chỉ số (%) của 6 vùng; số liệu trong bảng."
                ),
            )
    summaries = context["summaries"]
    years = sorted({s.year for s in summaries if s.national_average is not None})
    series = []
    for group in (Group.MINISTRY, Group.PROVINCE):
        values = {
            s.year: s.national_average
            for s in summaries
            if s.group == group and s.national_average is not None
        }
        series.append((Group(group).label, [values.get(y) for y in years]))
    context["averages_chart"] = charts.line_chart(
        [str(y) for y in years],
        series,
        title="Giá trị trung bình Chỉ số CCHC cả nước theo năm (số liệu công bố)",
        description=(
            "Hai đường: bộ, cơ quan ngang bộ (hình tròn) và tỉnh, thành phố (hình "
            "vuông, nét đứt); năm không công bố để trống. Số liệu trong bảng bên dưới."
        ),
    )
    context["averages_years"] = years
    context["averages_rows"] = [
        (y, [dict(zip(years, values, strict=True)).get(y) for _, values in series])
        for y in years
    ]
    context["demo_notice"] = DEMO_NOTICE
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

    def get_object(self, queryset=None):
        return selectors.edition_get_public(
            year=self.kwargs["year"], group=self.kwargs["group"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.object
        results = edition.results.all()
        filterset = None
        prefix = ""
        total_count = None
        if edition.group == Group.PROVINCE:
            filterset = RankingFilter(
                self.request.GET or None, queryset=results, request=self.request
            )
            results = filterset.qs
            region = filterset.region
            if region is not None:
                prefix = f"vung={region.slug}&"
                total_count = edition.results.count()
        ranking = selectors.ranking_for(
            edition=edition,
            results=results,
            sort=self.request.GET.get("sort"),
            query_prefix=prefix,
            total_count=total_count,
        )
        context.update(
            ranking=ranking,
            filterset=filterset,
            bad_filter=filterset is not None
            and filterset.is_bound
            and bool(filterset.errors),
            chart=charts.bar_chart(
                [
                    (
                        row.result.published_name,
                        row.result.index,
                        format_decimal(row.result.index),
                    )
                    for row in ranking.rows
                ],
                title=f"Chỉ số (%) theo đơn vị, {edition.short_title}",
                description=(
                    "Mỗi thanh là chỉ số của một đơn vị theo thứ tự của bảng; "
                    "số liệu đầy đủ trong bảng xếp hạng."
                ),
            ),
            other_editions=Edition.objects.released()
            .filter(group=edition.group)
            .values_list("year", flat=True),
        )
        return context


class UnitDetailView(ParindexMixin, DetailView):
    """/chi-so-cchc/don-vi/<slug>/: a unit over time; old slugs redirect."""

    template_name = "parindex/unit_detail.html"
    context_object_name = "unit"

    def get(self, request, *args, **kwargs):
        unit, new_slug = selectors.unit_get(kwargs["slug"])
        if new_slug is not None:
            return redirect("parindex:unit-detail", slug=new_slug, permanent=True)
        self.object = unit
        return self.render_to_response(self.get_context_data(object=unit))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = selectors.unit_profile(self.object)
        context["profile"] = profile
        if profile.history:
            labels = [str(row.result.edition.year) for row in profile.history]
            context["index_chart"] = charts.line_chart(
                labels,
                [(self.object.display_name, [r.result.index for r in profile.history])],
                title=f"Chỉ số CCHC của {self.object.display_name} qua các năm",
                description=(
                    "Chỉ số (%) theo năm đánh giá; số liệu và thứ hạng trong bảng."
                ),
            )
            context["rank_chart"] = charts.line_chart(
                labels,
                [(self.object.display_name, [r.result.rank for r in profile.history])],
                title=f"Thứ hạng của {self.object.display_name} qua các năm",
                description=(
                    "Thứ hạng theo năm (hạng 1 ở trên cùng); số liệu trong bảng."
                ),
                inverted=True,
                integer=True,
            )
        if profile.breakdown:
            context["breakdown_chart"] = charts.grouped_bar_chart(
                [
                    (
                        f"{line.area.number}. {line.area.name}",
                        [line.share, line.average_share],
                    )
                    for line in profile.breakdown
                ],
                [self.object.display_name, "Trung bình nhóm"],
                title="Chỉ số thành phần so với trung bình nhóm",
                description=(
                    "Điểm từng lĩnh vực tính theo % điểm tối đa: thanh đặc là đơn vị, "
                    "thanh gạch chéo là trung bình nhóm. Số liệu trong bảng."
                ),
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


def compare(request):
    """/chi-so-cchc/so-sanh/?don_vi=a&don_vi=b: 2–4 units side by side."""
    slugs = [s.strip() for s in request.GET.getlist("don_vi") if s.strip()][:20]
    units = _resolve_units(slugs)
    error = None
    comparison = None
    context = {"demo_notice": DEMO_NOTICE, "choices": selectors.units_for_choice()}
    if len(units) > MAX_COMPARE:
        error = f"Chỉ so sánh được tối đa {MAX_COMPARE} đơn vị; hãy bỏ bớt."
    elif slugs and len(units) < 2:
        error = "Hãy chọn ít nhất 2 đơn vị khác nhau để so sánh."
    elif len(units) >= 2:
        comparison = selectors.units_compare(units)
        names = [u.display_name for u in units]
        context["index_chart"] = charts.line_chart(
            [str(y) for y in comparison.years],
            [
                (
                    name,
                    [row[i].index if row[i] else None for _, row in comparison.table],
                )
                for i, name in enumerate(names)
            ],
            title="Chỉ số CCHC qua các năm",
            description=(
                "Mỗi đơn vị một đường với ký hiệu riêng (tròn, vuông, tam giác, thoi); "
                "số liệu trong bảng."
            ),
        )
        if comparison.components:
            context["components_chart"] = charts.grouped_bar_chart(
                [
                    (f"{area.number}. {area.name}", values)
                    for area, values in comparison.components
                ],
                names,
                title=f"Chỉ số thành phần, {comparison.components_edition}",
                description=(
                    "Điểm từng lĩnh vực theo % điểm tối đa; số liệu trong bảng."
                ),
            )
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
        context["api_root"] = self.request.build_absolute_uri(
            reverse("parindex:api-root")
        )
        return context


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def edition_download(request, year: int, group: str, fmt: str):
    """/chi-so-cchc/<year>/<group>.csv|.xlsx|.json in the import layout."""
    edition = selectors.edition_get_public(year=year, group=group)
    layout = selectors.edition_layout(edition)
    if fmt == "csv":
        body = write_csv(layout)
    elif fmt == "xlsx":
        body = write_xlsx(layout, sheet_title=f"PAR INDEX {year} {group}")
    else:
        body = write_json(layout)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    suffix = "-minh-hoa" if edition.is_demo else ""
    response["Content-Disposition"] = (
        f'attachment; filename="par-index-{year}-{group}{suffix}.{fmt}"'
    )
    if edition.is_demo:
        # Plain-ASCII header (HTTP headers are Latin-1): the notice is in the file.
        response["X-Demo-Data"] = "du lieu minh hoa, khong phai so lieu chinh thuc"
    return response
