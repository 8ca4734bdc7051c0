"""Admin forms: upload an edition file, release an edition."""

import datetime

from django import forms
from django.utils import timezone

from parindex.models import Framework, Group

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".json", ".txt")
# The years an edition may have (Edition.year's validators).
YEAR_RANGE = {"min_value": 2012, "max_value": 2100}


class EditionImportForm(forms.Form):
    """Step one of an import: which edition, which framework, which file."""

    year = forms.IntegerField(label="Năm đánh giá", **YEAR_RANGE)
    group = forms.ChoiceField(label="Nhóm", choices=Group.choices)
    framework = forms.ModelChoiceField(
        label="Bộ chỉ số",
        queryset=Framework.objects.all(),
        required=False,
        help_text="Bắt buộc khi tạo ấn bản mới; để trống để giữ bộ chỉ số hiện có.",
    )
    file = forms.FileField(
        label="Tệp bảng xếp hạng",
        help_text="CSV (UTF-8, dấu phẩy hoặc chấm phẩy), XLSX hoặc JSON; tối đa 5 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 5 MB.")
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("Chỉ nhận tệp .csv, .xlsx hoặc .json.")
        return upload

    def clean(self):
        cleaned = super().clean()
        framework = cleaned.get("framework")
        group = cleaned.get("group")
        if framework and group and framework.group != group:
            self.add_error("framework", "Bộ chỉ số này không dùng cho nhóm đã chọn.")
        return cleaned


class EditionTemplateForm(forms.Form):
    """The template file's query: a framework's area columns, a year's units."""

    framework = forms.ModelChoiceField(
        label="Bộ chỉ số", queryset=Framework.objects.all(), required=False
    )
    year = forms.IntegerField(label="Năm đánh giá", required=False, **YEAR_RANGE)
    group = forms.ChoiceField(label="Nhóm", choices=Group.choices, required=False)


class EditionReleaseForm(forms.Form):
    """Release now, or schedule to the announcement minute."""

    when = forms.ChoiceField(
        label="Thời điểm công bố",
        choices=[("now", "Công bố ngay"), ("at", "Hẹn giờ công bố")],
        widget=forms.RadioSelect,
        initial="now",
    )
    release_at = forms.DateTimeField(
        label="Hẹn lúc (giờ Hà Nội)",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "at":
            moment = cleaned.get("release_at")
            if moment is None:
                self.add_error("release_at", "Hãy chọn ngày giờ công bố.")
            elif moment <= timezone.now() - datetime.timedelta(minutes=1):
                self.add_error("release_at", "Thời điểm hẹn phải ở tương lai.")
        return cleaned

    @property
    def moment(self) -> datetime.datetime | None:
        if self.cleaned_data.get("when") == "at":
            return self.cleaned_data["release_at"]
        return None


class EditionWithdrawForm(forms.Form):
    """Withdraw a released edition: the note is shown at its address."""

    note = forms.CharField(
        label="Lý do thu hồi (công khai)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Người đọc thấy ghi chú này thay cho bảng xếp hạng.",
    )


class CorrectionUploadForm(forms.Form):
    """Correct a released edition with a whole corrected table."""

    file = forms.FileField(
        label="Tệp bảng đã đính chính",
        help_text="Cùng bố cục với tệp tải về (CSV, XLSX hoặc JSON); tối đa 5 MB.",
    )
    note = forms.CharField(
        label="Ghi chú đính chính (công khai)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 5 MB.")
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("Chỉ nhận tệp .csv, .xlsx hoặc .json.")
        return upload


POINTS_FIELD = {"max_digits": 5, "decimal_places": 2, "min_value": 0}


class CorrectionRowForm(forms.Form):
    """Correct one unit's row: its rank, points and area points, with a note."""

    unit = forms.ChoiceField(label="Đơn vị")
    rank = forms.IntegerField(label="Xếp hạng", min_value=1)
    total = forms.DecimalField(label="Tổng điểm", **POINTS_FIELD)
    index = forms.DecimalField(label="Chỉ số (%)", **POINTS_FIELD)
    appraisal = forms.DecimalField(
        label="Điểm thẩm định", required=False, **POINTS_FIELD
    )
    survey = forms.DecimalField(
        label="Điểm điều tra XHH", required=False, **POINTS_FIELD
    )
    note = forms.CharField(
        label="Ghi chú đính chính (công khai)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, units, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "— chọn đơn vị —"), *units]
        self.area_numbers = [area.number for area in areas]
        for area in areas:
            self.fields[f"area_{area.number}"] = forms.DecimalField(
                label=area.column_header, required=False, **POINTS_FIELD
            )


class UnitAliasForm(forms.Form):
    """Map a file's unknown name to a unit of the edition's year (an alias).

    The choices are the matcher's ranked suggestions first, then every other
    unit in existence at the end of the year, in Vietnamese name order.
    """

    alias_name = forms.CharField(widget=forms.HiddenInput, max_length=200)
    unit = forms.TypedChoiceField(label="Đơn vị", coerce=int, empty_value=None)

    def __init__(self, *args, matcher, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in matcher.units_of_year}
        suggested = [unit for _, unit in matcher.suggestions(name)]
        others = [unit for unit in matcher.units_of_year if unit not in suggested]
        choices: list = [("", "— Chọn đơn vị —")]
        if suggested:
            choices.append(("Gợi ý", [(unit.pk, unit.label) for unit in suggested]))
            self.initial.setdefault("unit", suggested[0].pk)
        choices.append(
            (
                f"Các đơn vị năm {matcher.year}",
                [(unit.pk, unit.label) for unit in others],
            )
        )
        self.fields["unit"].choices = choices
        self.fields["unit"].error_messages["invalid_choice"] = (
            f"Hãy chọn một đơn vị tồn tại vào cuối năm {matcher.year}."
        )
        self.fields["unit"].error_messages["required"] = "Hãy chọn đơn vị."
        self.initial.setdefault("alias_name", name)

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]
