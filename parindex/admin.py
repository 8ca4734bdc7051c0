"""Admin for PAR INDEX: units, frameworks, and editions with import and release.

Editions enter through an upload with a preview (nothing is saved until the
editor confirms a file that passed every check) and are released in one step
that runs the consistency checks again. Released editions are read-only.
"""

import base64

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from parindex import selectors, services
from parindex.edition_checks import edition_problems
from parindex.forms import EditionImportForm, EditionReleaseForm, EditionTemplateForm
from parindex.models import (
    AnnualSummary,
    Area,
    Edition,
    Framework,
    Region,
    RegionalAverage,
    Result,
    Tier,
    Unit,
    UnitName,
    UnitSlug,
    UnitSuccession,
)
from parindex.tables import (
    DEMO_NOTICE,
    STANDARD_HEADERS,
    Layout,
    read_table,
    write_csv,
)

# Source addresses are https nowadays (and Django 6 assumes so).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
IMPORT_SALT = "parindex.import"
IMPORT_MAX_AGE = 60 * 60


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}


class UnitNameInline(admin.TabularInline):
    model = UnitName
    extra = 0
    fields = ["name", "kind", "used_until", "note"]


class UnitSlugInline(admin.TabularInline):
    model = UnitSlug
    extra = 0


class SuccessorInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    verbose_name = "đơn vị kế thừa"
    verbose_name_plural = "đơn vị kế thừa (đơn vị này hợp nhất vào)"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "gso_code",
        "region",
        "valid_from",
        "valid_to",
        "par_status",
    ]
    list_filter = ["group", "kind", "par_status", "region"]
    search_fields = ["name", "short_name", "slug", "other_names__name", "gso_code"]
    list_select_related = ["region"]
    inlines = [UnitNameInline, UnitSlugInline, SuccessorInline]
    fieldsets = [
        (
            None,
            {"fields": ["kind", "name", "short_name", "slug", "gso_code", "region"]},
        ),
        ("Thời gian và xếp hạng", {"fields": ["valid_from", "valid_to", "par_status"]}),
        ("Ghi chú", {"fields": ["note", "sources"]}),
    ]


class FrozenAreaForm(forms.ModelForm):
    """An area of a framework in use: its number and known maximum are fixed.

    Stored points and released pages depend on them (component index = points
    ÷ maximum); a maximum still unknown may be filled in, since no points can
    have been stored against it. Migration 0003 enforces the same rule.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["number"].disabled = True
            if self.instance.max_points is not None:
                self.fields["max_points"].disabled = True


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["number", "name", "n_criteria", "n_subcriteria", "max_points", "note"]

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None and obj.editions.exists():
            kwargs["form"] = FrozenAreaForm
        return super().get_formset(request, obj, **kwargs)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["decision", "group", "code", "signed_on", "n_areas", "is_demo"]
    list_filter = ["group", "is_demo"]
    inlines = [AreaInline]

    def get_readonly_fields(self, request, obj=None):
        # Editions scored on this framework hold its group and total maximum.
        if obj is not None and obj.editions.exists():
            return ["group", "max_points"]
        return []


class TierInline(admin.TabularInline):
    model = Tier
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_released

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_released

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_released


class ResultInline(admin.TabularInline):
    """Results are read here; they change only through an import."""

    model = Result
    extra = 0
    can_delete = False
    fields = ["rank", "published_name", "unit", "total", "index", "appraisal", "survey"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "release_at",
        "is_demo",
        "framework",
        "result_count",
        "actions_column",
    ]
    list_filter = ["group", "status", "is_demo"]
    list_select_related = ["framework"]
    inlines = [TierInline, ResultInline]
    fields = [
        "year",
        "group",
        "framework",
        "status",
        "release_at",
        "announced_on",
        "n_ranked",
        "national_average",
        "survey_size",
        "source_url",
        "source_note",
        "is_demo",
    ]
    change_list_template = "admin/parindex/edition/change_list.html"
    formfield_overrides = URL_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_results=Count("results"))

    @admin.display(description="số kết quả", ordering="_results")
    def result_count(self, obj):
        return obj._results

    @admin.display(description="thao tác")
    def actions_column(self, obj):
        preview = reverse("admin:parindex_edition_preview", args=[obj.pk])
        if obj.is_released:
            return format_html('<a href="{}">Xem</a>', preview)
        release = reverse("admin:parindex_edition_release", args=[obj.pk])
        return format_html(
            '<a href="{}">Xem trước</a> · <a href="{}">Công bố…</a>', preview, release
        )

    def get_readonly_fields(self, request, obj=None):
        # Status and release time change only through the release step.
        if obj is not None and obj.is_released:
            return self.fields
        return ["status", "release_at"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_released and not obj.is_demo:
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("nhap/", wrap(self.import_view), name="parindex_edition_import"),
            path(
                "nhap/tep-mau.csv",
                wrap(self.template_view),
                name="parindex_edition_template",
            ),
            path(
                "<int:pk>/xem-truoc/",
                wrap(self.preview_view),
                name="parindex_edition_preview",
            ),
            path(
                "<int:pk>/cong-bo/",
                wrap(self.release_view),
                name="parindex_edition_release",
            ),
            *super().get_urls(),
        ]

    # Import ------------------------------------------------------------------

    def _may_import(self, request) -> bool:
        """Importing writes editions: the template file is for the same people."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_view(self, request):
        """Upload → preview with every problem → confirm (all or nothing)."""
        if not self._may_import(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Nhập bảng xếp hạng",
        }
        if request.method == "POST" and "payload" in request.POST:
            return self._import_confirm(request, context)
        form = EditionImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            table = read_table(content, upload.name)
            outcome = services.edition_import(
                table=table,
                year=form.cleaned_data["year"],
                group=form.cleaned_data["group"],
                framework=form.cleaned_data["framework"],
                dry_run=True,
            )
            context.update(table=table, outcome=outcome, filename=upload.name)
            if outcome.ok:
                framework = form.cleaned_data["framework"]
                context["payload"] = signing.dumps(
                    {
                        "year": outcome.year,
                        "group": outcome.group,
                        "framework": framework.pk if framework else None,
                        "name": upload.name,
                        "content": base64.b64encode(content).decode("ascii"),
                    },
                    salt=IMPORT_SALT,
                    compress=True,
                )
        context["form"] = form
        context["template_form"] = EditionTemplateForm(auto_id="template_%s")
        return TemplateResponse(request, "admin/parindex/edition/import.html", context)

    def _import_confirm(self, request, context):
        try:
            data = signing.loads(
                request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(
                request, "Phiên nhập đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại."
            )
            return redirect("admin:parindex_edition_import")
        framework = (
            Framework.objects.filter(pk=data["framework"]).first()
            if data["framework"]
            else None
        )
        table = read_table(base64.b64decode(data["content"]), data["name"])
        outcome = services.edition_import(
            table=table, year=data["year"], group=data["group"], framework=framework
        )
        if not outcome.ok:
            # The data changed between preview and confirm: show the new report.
            context.update(
                table=table,
                outcome=outcome,
                filename=data["name"],
                form=EditionImportForm(),
            )
            return TemplateResponse(
                request, "admin/parindex/edition/import.html", context
            )
        if outcome.changed or outcome.created:
            messages.success(
                request,
                f"Đã nhập {len(outcome.rows)} đơn vị vào {outcome.edition} (bản nháp).",
            )
        else:
            messages.info(
                request,
                f"Tệp giống hệt dữ liệu hiện có của {outcome.edition}; "
                "không có gì thay đổi.",
            )
        return redirect("admin:parindex_edition_change", outcome.edition.pk)

    def template_view(self, request):
        """A template file: headers, and the expected units when year/group given."""
        if not self._may_import(request):
            raise PermissionDenied
        form = EditionTemplateForm(request.GET)
        if not form.is_valid():
            lines = [
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ]
            return HttpResponseBadRequest(
                "\n".join(["Tham số tệp mẫu không hợp lệ.", *lines]),
                content_type="text/plain; charset=utf-8",
            )
        headers = list(STANDARD_HEADERS)
        framework = form.cleaned_data["framework"]
        if framework is not None:
            headers += [
                area.column_header
                for area in framework.areas.all()
                if area.max_points is not None
            ]
        rows = []
        group = form.cleaned_data["group"]
        year = form.cleaned_data["year"]
        if group and year is not None:
            units = Unit.objects.in_group(group).expected_in_ranking(year)
            rows = [
                [None, unit.display_name] + [None] * (len(headers) - 2)
                for unit in units
            ]
        layout = Layout(
            title_lines=["Tệp mẫu nhập bảng xếp hạng Chỉ số CCHC"],
            headers=headers,
            rows=rows,
            metadata={},
        )
        response = HttpResponse(
            write_csv(layout), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="mau-chi-so-cchc.csv"'
        return response

    # Preview and release ----------------------------------------------------------

    def preview_view(self, request, pk):
        """Staff preview of an edition's ranking, released or not."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(Edition.objects.for_ranking(), pk=pk)
        ranking = selectors.edition_get_ranking(
            edition=edition, results=edition.results.all(), sort=request.GET.get("sort")
        )
        return TemplateResponse(
            request,
            "parindex/edition_detail.html",
            {
                "edition": edition,
                "ranking": ranking,
                "preview": True,
                "demo_notice": DEMO_NOTICE,
                "other_editions": [],
            },
        )

    def release_view(self, request, pk):
        """One step: checks, then release now or at a scheduled minute."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(Edition.objects.for_listing(), pk=pk)
        form = EditionReleaseForm(request.POST or None)
        if request.method == "POST" and "unschedule" in request.POST:
            try:
                services.edition_unschedule(edition=edition)
                messages.success(request, f"Đã hủy lịch công bố {edition}.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("admin:parindex_edition_change", edition.pk)
        problems = [] if edition.is_released else edition_problems(edition)
        if request.method == "POST" and form.is_valid() and not problems:
            try:
                edition = services.edition_release(
                    edition=edition, release_at=form.moment
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                when = timezone.localtime(edition.release_at).strftime("%d/%m/%Y %H:%M")
                messages.success(request, f"{edition} sẽ hiện trên cổng từ {when}.")
                return redirect("admin:parindex_edition_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Công bố {edition}",
            "edition": edition,
            "problems": problems,
            "form": form,
            "result_count": edition.results.count(),
        }
        return TemplateResponse(request, "admin/parindex/edition/release.html", context)


@admin.register(AnnualSummary)
class AnnualSummaryAdmin(admin.ModelAdmin):
    list_display = ["year", "group", "n_ranked", "national_average", "announced_on"]
    list_filter = ["group"]


@admin.register(RegionalAverage)
class RegionalAverageAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "average", "note"]
    formfield_overrides = URL_FIELDS
    list_filter = ["year", "region"]
    list_select_related = ["region"]
