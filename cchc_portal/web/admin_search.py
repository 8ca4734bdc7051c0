"""Admin search that does not need diacritics: "dia phuong" finds "Địa phương".

Django's admin search runs `icontains` on the stored text, so a word typed
without marks (as most people type in a hurry) finds nothing. Models with
folded copies of their names (`cchc_portal.vietnamese.fold`, kept by their
`save()`) list those copies in `search_fields`; this mixin folds what was
typed the same way and caps it, so a pasted paragraph cannot become hundreds
of `LIKE` clauses. Articles search their full-text document instead
(`news.admin.ArticleAdmin.get_search_results`).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from cchc_portal.vietnamese import fold, nfc

MAX_SEARCH_TERMS = 8
MAX_SEARCH_LENGTH = 100
_WORD = re.compile(r"[^\W_]+")


def folded_search_terms(text: str) -> tuple[list[str], bool]:
    """The folded words of `text`, at most MAX_SEARCH_TERMS of them and
    MAX_SEARCH_LENGTH characters; and whether anything was left out."""
    text = text or ""
    shortened = len(text) > MAX_SEARCH_LENGTH
    words = list(dict.fromkeys(_WORD.findall(fold(nfc(text[:MAX_SEARCH_LENGTH])))))
    if len(words) > MAX_SEARCH_TERMS:
        words, shortened = words[:MAX_SEARCH_TERMS], True
    return words, shortened


def tell_shortened(request, limit: str) -> None:
    """Say on the list page (not in the autocompletes) that words were left out."""
    if not request.path.endswith("/autocomplete/"):
        messages.info(request, f"Chỉ tìm theo {limit} đầu tiên của nội dung đã gõ.")


class FoldedSearchMixin:
    """ModelAdmin whose `search_fields` are folded columns (`name_folded`, …)."""

    def get_search_results(self, request, queryset, search_term):
        words, shortened = folded_search_terms(search_term)
        if search_term.strip() and not words:
            return queryset.none(), False  # punctuation only: nothing matches
        if shortened:
            tell_shortened(
                request, f"{MAX_SEARCH_TERMS} từ và {MAX_SEARCH_LENGTH} ký tự"
            )
        return super().get_search_results(request, queryset, " ".join(words))


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: a search that matches most of
    100,000 articles is not counted to the end (that alone took 300 ms);
    the list then offers the pages of the first COUNT_CAP results.

    The count drops the list's ordering: with it, PostgreSQL fetched and
    sorted every match (8,400 rows for "cai cach hanh chinh") before the
    LIMIT; without it the scan stops at the cap."""

    COUNT_CAP = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.COUNT_CAP + 1].count()


class SearchChangeList(ChangeList):
    """A change list that, while a search is active, leaves out the top level
    of the date drill-down bar.

    That bar needs the first and last dates and the years of the listed rows:
    two more passes over every match (MIN/MAX, then DISTINCT date_trunc), each
    as long as the list query itself, 8,400 rows for "cai cach hanh chinh".
    The date filter in the sidebar still narrows a search by date, and a year
    chosen before searching keeps its bar (over that year's matches only).
    """

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.date_hierarchy
        drilled = field and any(name.startswith(f"{field}__") for name in self.params)
        if field and self.query.strip() and not drilled:
            self.date_hierarchy = None
