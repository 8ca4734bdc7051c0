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
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from cchc_portal.web.admin_search import FoldedSearchMixin
from parindex import history, selectors, services, workflow
from parindex.edition_checks import UnitNameMatcher, edition_problems
from parindex.forms import (
    CorrectionRowForm,
    CorrectionUploadForm,
    EditionImportForm,
    EditionReleaseForm,
    EditionTemplateForm,
    EditionWithdrawForm,
    UnitAliasForm,
)
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
    table_layout,
    write_csv,
)
from parindex.workflow import Step

# Source addresses are https nowadays (and Django 6 assumes so).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
IMPORT_SALT = "parindex.import"
IMPORT_MAX_AGE = 60 * 60


def unknown_names(table, matcher) -> dict[str, list[int]]:
    """{file name: its lines} for the names no unit is known by."""
    found: dict[str, list[int]] = {}
    for row in table.rows:
        if row.name and matcher.find(row.name).unknown:
            found.setdefault(row.name, []).append(row.line)
    return found


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "position"]
    prepopulated_fields = {"slug": ["name"]}


class UnitNameInline(admin.TabularInline):
    model = UnitName
    extra = 0
    fields = ["name", "kind", "used_until", "note", "added_by", "added_at"]
    readonly_fields = ["added_by", "added_at"]


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
class UnitAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "gso_code",
        "region",
        "valid_from",
        "valid_to",
        "par_status",
    ]
    list_filter = ["group", "kind", "par_status", "region"]
    search_fields = [
        "name_folded",
        "short_name_folded",
        "slug",
        "other_names__folded",
        "gso_code",
    ]
    list_select_related = ["region"]
    inlines = [UnitNameInline, UnitSlugInline, SuccessorInline]
    fieldsets = [
        (
            None,
            {"fields": ["kind", "name", "short_name", "slug", "gso_code"]},
        ),
        ("Tên tiếng Anh (trang tiếng Anh)", {"fields": ["name_en", "short_name_en"]}),
        ("Vùng kinh tế - xã hội", {"fields": ["region", "region_source"]}),
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
    fields = [
        "number",
        "name",
        "name_en",
        "n_criteria",
        "n_subcriteria",
        "max_points",
        "note",
    ]

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
        return (obj is None or not obj.is_released) and super().has_add_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_released) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_released) and super().has_delete_permission(
            request, obj
        )


class ResultInline(admin.TabularInline):
    """Results are read here; they change only through an import or a correction."""

    model = Result
    extra = 0
    can_delete = False
    fields = [
        "rank",
        "published_name",
        "file_name",
        "unit",
        "total",
        "index",
        "appraisal",
        "survey",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """The data team's desk: editions by state, what blocks each, who holds it."""

    list_display = [
        "__str__",
        "state_column",
        "release_at",
        "is_demo",
        "result_count",
        "holder_column",
        "blockers_column",
        "actions_column",
    ]
    list_filter = ["status", "group", "is_demo"]
    list_select_related = [
        "framework",
        "imported_by",
        "figures_changed_by",
        "checked_by",
        "released_by",
    ]
    inlines = [TierInline, ResultInline]
    fieldsets = [
        (None, {"fields": ["year", "group", "framework", "status", "release_at"]}),
        (
            "Số liệu công bố",
            {
                "fields": [
                    "n_ranked",
                    "national_average",
                    "average_not_published",
                    "survey_size",
                    "survey_size_not_published",
                ]
            },
        ),
        (
            "Nguồn (bắt buộc trước khi công bố)",
            {
                "fields": [
                    "announced_on",
                    "announcing_body",
                    "announcement_document",
                    "source_url",
                    "source_file",
                    "source_note",
                    "regional_note",
                    "is_demo",
                ]
            },
        ),
        ("Ai làm gì", {"fields": ["who_did_what", "withdrawn_at", "withdrawal_note"]}),
    ]
    change_list_template = "admin/parindex/edition/change_list.html"
    formfield_overrides = URL_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_results=Count("results"))

    def get_actions(self, request):
        # Released editions are never deleted; drafts one by one, on their page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="số kết quả", ordering="_results")
    def result_count(self, obj):
        return obj._results

    @admin.display(description="trạng thái", ordering="status")
    def state_column(self, obj):
        return obj.state_label

    @admin.display(description="người giữ")
    def holder_column(self, obj):
        state = obj.state
        preparer = obj.figures_changed_by or obj.imported_by
        if state == workflow.DRAFT:
            return f"Dữ liệu: {history.user_label(preparer)}" if preparer else "—"
        if state == workflow.CHECKED:
            if preparer is None:
                return "Chờ người duyệt dữ liệu"
            return (
                f"Chờ người duyệt dữ liệu (không phải {history.user_label(preparer)})"
            )
        if obj.released_by is not None:
            return f"Công bố: {history.user_label(obj.released_by)}"
        return "Hệ thống"

    @admin.display(description="vướng")
    def blockers_column(self, obj):
        if obj.state not in (workflow.DRAFT, workflow.CHECKED):
            return "—"
        problems = edition_problems(obj)
        if not problems:
            return "Không"
        shown = "; ".join(str(problem) for problem in problems[:2])
        more = f" (và {len(problems) - 2} vướng khác)" if len(problems) > 2 else ""
        return f"{len(problems)}: {shown}{more}"

    @admin.display(description="thao tác")
    def actions_column(self, obj):
        preview = reverse("admin:parindex_edition_preview", args=[obj.pk])
        steps = reverse("admin:parindex_edition_release", args=[obj.pk])
        log = reverse("admin:parindex_edition_released_states", args=[obj.pk])
        if obj.is_released:
            return format_html(
                '<a href="{}">Xem</a> · <a href="{}">Đính chính, thu hồi…</a> · '
                '<a href="{}">Lịch sử</a>',
                preview,
                steps,
                log,
            )
        return format_html(
            '<a href="{}">Xem trước</a> · <a href="{}">Kiểm tra, công bố…</a> · '
            '<a href="{}">Lịch sử</a>',
            preview,
            steps,
            log,
        )

    @admin.display(description="ai làm gì")
    def who_did_what(self, obj):
        if obj.pk is None:
            return "—"
        rows = [
            ("Nhập", obj.imported_by),
            ("Sửa số liệu gần nhất", obj.figures_changed_by),
            ("Đánh dấu đã kiểm tra", obj.checked_by),
            ("Công bố", obj.released_by),
        ]
        return (
            format_html_join(
                ", ",
                "{}: {}",
                (
                    (label, history.user_label(person))
                    for label, person in rows
                    if person
                ),
            )
            or "—"
        )

    def get_readonly_fields(self, request, obj=None):
        # Status and release time change only through the steps.
        fixed = [
            "status",
            "release_at",
            "who_did_what",
            "withdrawn_at",
            "withdrawal_note",
        ]
        if obj is not None and obj.is_released:
            return [name for _, options in self.fieldsets for name in options["fields"]]
        return fixed

    def has_change_permission(self, request, obj=None):
        # A released edition is read here; it changes by correction only.
        if obj is not None and obj.is_released:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_released:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.edition_save(
            edition=obj, user=request.user, changed=form.changed_data if change else ()
        )

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
            path(
                "<int:pk>/dinh-chinh/",
                wrap(self.correct_view),
                name="parindex_edition_correct",
            ),
            path(
                "<int:pk>/lich-su-cong-bo/",
                wrap(self.released_states_view),
                name="parindex_edition_released_states",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            **extra,
        }

    # Import ------------------------------------------------------------------

    def _may_import(self, request) -> bool:
        """Importing writes editions: the template file is for the same people."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_view(self, request):
        """Upload → preview with every problem → confirm (all or nothing)."""
        if not self._may_import(request):
            raise PermissionDenied
        context = self._context(request, title="Nhập bảng xếp hạng")
        if request.method == "POST" and "alias_name" in request.POST:
            return self._import_alias(request, context)
        if request.method == "POST" and "payload" in request.POST:
            return self._import_confirm(request, context)
        form = EditionImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            framework = form.cleaned_data["framework"]
            data = {
                "year": form.cleaned_data["year"],
                "group": form.cleaned_data["group"],
                "framework": framework.pk if framework else None,
                "name": upload.name,
                "content": base64.b64encode(upload.read()).decode("ascii"),
            }
            self._preview(request, context, data)
        context["form"] = form
        return self._import_page(request, context)

    def _import_page(self, request, context):
        context.setdefault("form", EditionImportForm())
        context["template_form"] = EditionTemplateForm(auto_id="template_%s")
        return TemplateResponse(request, "admin/parindex/edition/import.html", context)

    def _preview(self, request, context, data, *, bound=None):
        """Check the file of a signed payload (dry run) into the page context.

        The payload goes back with the report either way: to confirm a clean
        file, or to map its unknown names to units and check it again.
        """
        table, outcome = self._import_payload(request, data, dry_run=True)
        context.update(
            table=table,
            outcome=outcome,
            filename=data["name"],
            payload=signing.dumps(data, salt=IMPORT_SALT, compress=True),
        )
        if not outcome.ok and request.user.has_perm(services.ALIAS_PERMISSION):
            matcher = UnitNameMatcher(group=data["group"], year=data["year"])
            context["alias_forms"] = [
                {
                    "name": name,
                    "lines": lines,
                    "form": (
                        bound
                        if bound is not None and bound.data.get("alias_name") == name
                        else UnitAliasForm(
                            matcher=matcher, name=name, auto_id=f"alias{n}_%s"
                        )
                    ),
                }
                for n, (name, lines) in enumerate(
                    unknown_names(table, matcher).items(), start=1
                )
            ]
        return outcome

    def _import_alias(self, request, context):
        """Save a file's unknown name as an alias of a unit, then check again."""
        if not request.user.has_perm(services.ALIAS_PERMISSION):
            raise PermissionDenied
        data = self._signed_payload(request)
        if data is None:
            return redirect("admin:parindex_edition_import")
        table = read_table(base64.b64decode(data["content"]), data["name"])
        matcher = UnitNameMatcher(group=data["group"], year=data["year"])
        name = request.POST.get("alias_name", "")
        form = UnitAliasForm(
            request.POST, matcher=matcher, name=name, auto_id="alias_%s"
        )
        if not name or name not in {row.name for row in table.rows}:
            messages.error(
                request, f"“{name}” không phải tên đơn vị trong tệp này; không lưu."
            )
            form = None
        elif form.is_valid():
            unit = form.cleaned_data["unit"]
            try:
                services.unit_alias_add(
                    name=name,
                    unit=unit,
                    year=data["year"],
                    user=request.user,
                    source=f"Thêm khi nhập tệp “{data['name']}” ({data['year']})",
                )
            except ValidationError as error:
                # A message, not a field error: once the name matches another
                # unit the form for it is no longer shown.
                for text in error.messages:
                    messages.error(request, text)
                form = None
            else:
                messages.success(
                    request,
                    f"Đã lưu “{name}” là tên gọi khác của {unit.label}; "
                    "tệp được kiểm tra lại.",
                )
                form = None
        self._preview(request, context, data, bound=form)
        return self._import_page(request, context)

    def _import_payload(self, request, data, *, dry_run: bool):
        """Read a signed payload's file and import it (only check it: dry_run)."""
        framework = (
            Framework.objects.filter(pk=data["framework"]).first()
            if data["framework"]
            else None
        )
        table = read_table(base64.b64decode(data["content"]), data["name"])
        outcome = services.edition_import(
            table=table,
            year=data["year"],
            group=data["group"],
            framework=framework,
            dry_run=dry_run,
            user=request.user,
        )
        return table, outcome

    def _signed_payload(self, request):
        try:
            return signing.loads(
                request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
            )
        except (KeyError, signing.BadSignature):
            messages.error(
                request, "Phiên nhập đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại."
            )
            return None

    def _import_confirm(self, request, context):
        data = self._signed_payload(request)
        if data is None:
            return redirect("admin:parindex_edition_import")
        table, outcome = self._import_payload(request, data, dry_run=False)
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

    # Preview and steps ---------------------------------------------------------

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
                "corrections": list(edition.corrections.all()),
            },
        )

    def release_view(self, request, pk):
        """The steps from the edition's state: check, release or schedule,
        unschedule, withdraw (correct has its own page), each as the workflow
        table and the four-eyes rule allow this user."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(
            Edition.objects.for_listing().select_related(
                "imported_by", "figures_changed_by"
            ),
            pk=pk,
        )
        form = EditionReleaseForm(request.POST or None)
        withdraw_form = EditionWithdrawForm(
            request.POST if request.POST.get("step") == Step.WITHDRAW else None
        )
        if request.method == "POST":
            response = self._take_step(request, edition, form, withdraw_form)
            if response is not None:
                return response
        state = edition.state
        problems = (
            edition_problems(edition)
            if state in (workflow.DRAFT, workflow.CHECKED)
            else []
        )
        steps = {
            step: services.step_refusal(edition=edition, user=request.user, step=step)
            for step, _row in workflow.moves_from(state)
        }
        context = self._context(
            request,
            title=f"Công bố {edition}",
            edition=edition,
            state_label=edition.state_label,
            problems=problems,
            steps=steps,
            form=form,
            withdraw_form=withdraw_form,
            result_count=edition.results.count(),
            corrections=list(edition.corrections.all()),
        )
        return TemplateResponse(request, "admin/parindex/edition/release.html", context)

    def _take_step(self, request, edition, form, withdraw_form):
        step = request.POST.get("step") or (
            Step.UNSCHEDULE if "unschedule" in request.POST else Step.RELEASE
        )
        try:
            if step == Step.CHECK:
                services.edition_mark_checked(edition=edition, user=request.user)
                messages.success(
                    request,
                    f"Đã đánh dấu {edition} đã kiểm tra; chờ một người duyệt dữ liệu "
                    "khác công bố.",
                )
                return redirect("admin:parindex_edition_release", edition.pk)
            if step == Step.UNSCHEDULE:
                services.edition_unschedule(edition=edition, user=request.user)
                messages.success(request, f"Đã hủy lịch công bố {edition}.")
                return redirect("admin:parindex_edition_release", edition.pk)
            if step == Step.WITHDRAW:
                if not withdraw_form.is_valid():
                    return None
                services.edition_withdraw(
                    edition=edition,
                    user=request.user,
                    note=withdraw_form.cleaned_data["note"],
                )
                messages.success(request, f"Đã thu hồi {edition}.")
                return redirect("admin:parindex_edition_changelist")
            if step in (Step.RELEASE, Step.SCHEDULE):
                if not form.is_valid():
                    return None
                edition = services.edition_release(
                    edition=edition, release_at=form.moment, user=request.user
                )
                messages.success(
                    request,
                    f"{edition} sẽ hiện trên cổng từ {_when(edition.release_at)}.",
                )
                return redirect("admin:parindex_edition_changelist")
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("admin:parindex_edition_release", edition.pk)

    def correct_view(self, request, pk):
        """Correct a released edition: one unit's row, or a whole corrected table."""
        if not request.user.has_perm(workflow.CORRECT):
            raise PermissionDenied
        edition = get_object_or_404(Edition.objects.for_ranking(), pk=pk)
        refusal = services.step_refusal(
            edition=edition, user=request.user, step=Step.CORRECT
        )
        results = list(edition.results.with_area_scores().order_by("rank"))
        areas = sorted(
            {s.area for r in results for s in r.area_scores.all()},
            key=lambda area: area.number,
        )
        units = [(str(r.unit_id), f"{r.rank}. {r.published_name}") for r in results]
        kind = request.POST.get("kind")
        row_form = CorrectionRowForm(
            request.POST if kind == "row" else None,
            units=units,
            areas=areas,
            initial=self._row_initial(request, results),
        )
        upload_form = CorrectionUploadForm(
            request.POST if kind == "file" else None,
            request.FILES if kind == "file" else None,
        )
        problems: list[str] = []
        if request.method == "POST" and refusal is None:
            table, note = None, ""
            if kind == "row" and row_form.is_valid():
                table = self._table_with_row(edition, results, row_form.cleaned_data)
                note = row_form.cleaned_data["note"]
            elif kind == "file" and upload_form.is_valid():
                upload = upload_form.cleaned_data["file"]
                table = read_table(upload.read(), upload.name)
                note = upload_form.cleaned_data["note"]
            if table is not None:
                try:
                    correction = services.edition_correct(
                        edition=edition, table=table, note=note, user=request.user
                    )
                except PermissionDenied as error:
                    problems = [str(error)]
                except ValidationError as error:
                    problems = error.messages
                else:
                    messages.success(
                        request,
                        f"Đã đính chính {edition}: {correction.changes.count()} "
                        "số liệu thay đổi; trang công khai ghi rõ đính chính.",
                    )
                    return redirect(
                        "admin:parindex_edition_released_states", edition.pk
                    )
        context = self._context(
            request,
            title=f"Đính chính {edition}",
            edition=edition,
            refusal=refusal,
            row_form=row_form,
            upload_form=upload_form,
            problems=problems,
        )
        return TemplateResponse(request, "admin/parindex/edition/correct.html", context)

    @staticmethod
    def _row_initial(request, results) -> dict:
        """The chosen unit's stored figures (?don_vi=<unit id>), to edit."""
        chosen = request.GET.get("don_vi", "")
        result = next((r for r in results if str(r.unit_id) == chosen), None)
        if result is None:
            return {}
        initial = {
            "unit": chosen,
            "rank": result.rank,
            "total": result.total,
            "index": result.index,
            "appraisal": result.appraisal,
            "survey": result.survey,
        }
        for score in result.area_scores.all():
            initial[f"area_{score.area.number}"] = score.points
        return initial

    @staticmethod
    def _table_with_row(edition, results, data):
        """The stored table with one unit's row replaced by the edited values."""
        table = selectors.edition_get_table(edition)
        for result, row in zip(
            results_in_table_order(edition), table.rows, strict=True
        ):
            if str(result.unit_id) != data["unit"]:
                continue
            row.rank = data["rank"]
            row.total = data["total"]
            row.index = data["index"]
            row.appraisal = data["appraisal"]
            row.survey = data["survey"]
            for number in list(row.areas):
                row.areas[number] = data.get(f"area_{number}")
            if data["appraisal"] is not None:
                table.columns.setdefault("appraisal", "Điểm thẩm định")
                table.columns.setdefault("survey", "Điểm điều tra XHH")
        return table

    def released_states_view(self, request, pk):
        """Every released state with what each correction changed, every version,
        and each state as a CSV file (?trang-thai=N)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(Edition.objects.for_ranking(), pk=pk)
        states = history.edition_released_states(edition) if edition.is_released else []
        wanted = request.GET.get("trang-thai")
        if wanted is not None:
            state = next((s for s in states if str(s.number) == wanted), None)
            if state is None:
                raise Http404("Không có trạng thái công bố này.")
            table = history.edition_table_as_of(edition, state.until)
            layout = table_layout(
                table,
                title_lines=[f"{edition}: {state_title(state)}"],
                metadata={},
            )
            response = HttpResponse(
                write_csv(layout), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="par-index-{edition.year}-{edition.group}'
                f'-trang-thai-{state.number}.csv"'
            )
            return response
        context = self._context(
            request,
            title=f"Lịch sử công bố {edition}",
            edition=edition,
            states=[(state, state_title(state)) for state in states],
            versions=history.edition_versions(edition),
        )
        return TemplateResponse(
            request, "admin/parindex/edition/released_states.html", context
        )


def results_in_table_order(edition):
    """The results in the order selectors.edition_get_table lists them."""
    return list(edition.results.with_area_scores())


def state_title(state) -> str:
    if state.correction is None:
        return f"Bản công bố ban đầu ({_when(state.since)})"
    return f"Sau đính chính lần {state.number} ({_when(state.since)})"


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
