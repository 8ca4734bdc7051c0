"""The search page's form and filters (django-filter).

The FilterSet narrows the public articles (category, tag, PAR INDEX unit,
date range); its form also carries what is not a filter: the words typed,
any-word matching and the sort order. Invalid values are form errors shown
on the page; the filters that are valid still apply.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import django_filters
from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import Article, Category, GlossaryTerm, Tag
from news.search import MAX_QUERY_LENGTH, NO_SYNONYMS, ParsedQuery, parse_query
from parindex.models import Unit

# Dates outside these years are refused (and cannot overflow a datetime).
FIRST_YEAR = 1990
LAST_YEAR = 2100
DATE_HELP = "Dạng ngày/tháng/năm, ví dụ 25/11/2026."
DATE_INVALID = "Hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 25/11/2026."
CHOICE_INVALID = _("Giá trị này không có trong danh sách; hãy chọn lại.")


class Sort(models.TextChoices):
    RELEVANCE = "lien-quan", _("Phù hợp nhất")
    NEWEST = "moi-nhat", _("Mới nhất")


class Match(models.TextChoices):
    ALL = "tat-ca", _("Có tất cả các từ")
    ANY = "bat-ky", _("Có ít nhất một từ")


class Loosening(models.TextChoices):
    """How a search that found nothing may be widened, in the order tried."""

    QUOTES = "quotes", _("bỏ dấu ngoặc kép")
    ANY_WORD = "any-word", _("tìm bài có ít nhất một trong các từ")
    FILTERS = "filters", _("bỏ các bộ lọc")


class DateInput(forms.TextInput):
    """dd/mm/yyyy typed as text: the same on every browser, no JavaScript."""

    def __init__(self):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "size": 10})


def _date_filter(label: str, *, method: str) -> django_filters.DateFilter:
    """A dd/mm/yyyy date field (ISO accepted too) with the page's own messages."""
    return django_filters.DateFilter(
        label=label,
        method=method,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"invalid": DATE_INVALID},
    )


class SearchForm(forms.Form):
    """The words and options besides the filters."""

    # Filters (added by ArticleSearchFilter) come before the options.
    field_order = [
        "q",
        "chuyen_muc",
        "the",
        "don_vi",
        "tu_ngay",
        "den_ngay",
        "khop",
        "sap_xep",
    ]

    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        strip=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "maxlength": MAX_QUERY_LENGTH,
                "autocomplete": "off",
                "aria-describedby": "goi-y-tim-kiem",
                "placeholder": _("Ví dụ: dịch vụ công, “một cửa”, da nang"),
            }
        ),
    )
    khop = forms.ChoiceField(
        label=_("Cách khớp từ"),
        choices=Match.choices,
        required=False,
        error_messages={"invalid_choice": CHOICE_INVALID},
    )
    sap_xep = forms.ChoiceField(
        label=_("Sắp xếp"),
        choices=Sort.choices,
        required=False,
        error_messages={"invalid_choice": CHOICE_INVALID},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        for name in ("tu_ngay", "den_ngay"):
            value = cleaned.get(name)
            if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
                self.add_error(
                    name, f"Hãy chọn một ngày từ năm {FIRST_YEAR} đến năm {LAST_YEAR}."
                )
        if start and end and start > end and not self.has_error("tu_ngay"):
            self.add_error("den_ngay", "Ngày kết thúc không được trước ngày bắt đầu.")
        return cleaned


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of a day, Hanoi time."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


class ArticleSearchFilter(django_filters.FilterSet):
    """?chuyen_muc=&the=&don_vi=&tu_ngay=&den_ngay= on public articles."""

    chuyen_muc = django_filters.ModelChoiceFilter(
        label="Chuyên mục",
        queryset=Category.objects.only("id", "name", "slug", "order"),
        to_field_name="slug",
        empty_label="Tất cả chuyên mục",
        method="filter_category",
        error_messages={"invalid_choice": CHOICE_INVALID},
    )
    the = django_filters.ModelChoiceFilter(
        label="Thẻ",
        queryset=Tag.objects.public().only("id", "name", "slug"),
        to_field_name="slug",
        empty_label="Tất cả các thẻ",
        field_name="tags",
        error_messages={"invalid_choice": CHOICE_INVALID},
    )
    don_vi = django_filters.ModelChoiceFilter(
        label="Đơn vị (Chỉ số CCHC)",
        # Labels tell twins apart by period (Unit.label), in Vietnamese order.
        queryset=Unit.objects.only(
            "id",
            "name",
            "short_name",
            "slug",
            "group",
            "kind",
            "has_twin",
            "valid_from",
            "valid_to",
        ),
        to_field_name="slug",
        empty_label="Tất cả đơn vị",
        field_name="units",
        error_messages={"invalid_choice": CHOICE_INVALID},
    )
    tu_ngay = _date_filter("Từ ngày", method="filter_from")
    den_ngay = _date_filter("Đến ngày", method="filter_until")

    FILTER_NAMES = ("chuyen_muc", "the", "don_vi", "tu_ngay", "den_ngay")

    class Meta:
        model = Article
        form = SearchForm
        fields = []

    def __init__(self, *args, synonyms=None, **kwargs):
        # Callers running many searches (alert fan-out) read the glossary once.
        super().__init__(*args, **kwargs)
        self._synonyms = synonyms

    def filter_queryset(self, queryset):
        # The form's other fields (q, khop, sap_xep) are not filters.
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_category(self, queryset, name, value):
        return queryset.in_category(value)

    def filter_from(self, queryset, name, value):
        return queryset.filter(published_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(published_at__lt=_start_of(value + dt.timedelta(1)))

    # What the page needs besides .qs ------------------------------------------

    @property
    def cleaned(self) -> dict:
        """The values that passed validation (invalid ones are left out)."""
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    @cached_property
    def query(self) -> ParsedQuery:
        typed = self.data.get("q", "") if self.is_bound else ""
        return parse_query(
            typed,
            any_word=self.cleaned.get("khop") == Match.ANY,
            # The glossary's abbreviations and meanings match each other.
            synonyms=(
                NO_SYNONYMS
                if not typed.strip()
                else self._synonyms
                if self._synonyms is not None
                else GlossaryTerm.objects.synonyms()
            ),
        )

    @property
    def sort(self) -> str:
        return self.cleaned.get("sap_xep") or Sort.RELEVANCE

    @property
    def active_filters(self) -> list[str]:
        """Names of the filters in use (valid and not empty)."""
        return [name for name in self.FILTER_NAMES if self.cleaned.get(name)]
