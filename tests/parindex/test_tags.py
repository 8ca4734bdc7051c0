"""PAR INDEX template tags: changes (Δ) in symbols and words, numbers, one-line text."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import number_format

from parindex.templatetags.parindex_tags import points


def render(source: str, **context) -> str:
    return Template("{% load parindex_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "kind", "missing", "shown"),
    [
        (
            3,
            "rank",
            "",
            '<span class="delta delta--up"><span aria-hidden="true">▲ </span>3'
            '<span class="visually-hidden"> (tăng 3 bậc)</span></span>',
        ),
        (
            -2,
            "rank",
            "",
            '<span class="delta delta--down"><span aria-hidden="true">▼ </span>2'
            '<span class="visually-hidden"> (giảm 2 bậc)</span></span>',
        ),
        (
            0,
            "rank",
            "",
            '<span class="delta delta--same"><span aria-hidden="true">= </span>0'
            '<span class="visually-hidden"> (giữ nguyên hạng)</span></span>',
        ),
        (
            Decimal("1.39"),
            "points",
            "",
            '<span class="delta delta--up"><span aria-hidden="true">▲ </span>+1,39'
            '<span class="visually-hidden"> (tăng điểm)</span></span>',
        ),
        (
            Decimal("-0.21"),
            "points",
            "",
            '<span class="delta delta--down"><span aria-hidden="true">▼ </span>−0,21'
            '<span class="visually-hidden"> (giảm điểm)</span></span>',
        ),
        (
            Decimal("0.00"),
            "points",
            "",
            '<span class="delta delta--same"><span aria-hidden="true">= </span>0,00'
            '<span class="visually-hidden"> (không đổi)</span></span>',
        ),
        (
            None,
            "rank",
            "new",
            '<span class="delta delta--new">mới<span class="visually-hidden">: '
            "không có kết quả năm trước</span></span>",
        ),
        (
            None,
            "points",
            "merged",
            '<span class="delta delta--new">hợp nhất<span class="visually-hidden">: '
            "đơn vị hình thành khi sắp xếp, không so sánh với năm trước</span></span>",
        ),
        (
            None,
            "rank",
            "sizes",
            '<span class="delta"><span aria-hidden="true">—</span>'
            '<span class="visually-hidden">số đơn vị xếp hạng khác năm trước, '
            "thứ hạng không so sánh được</span></span>",
        ),
        (
            None,
            "points",
            "",
            '<span class="delta"><span aria-hidden="true">—</span>'
            '<span class="visually-hidden">không có số liệu so sánh</span></span>',
        ),
    ],
)
def test_delta_shows_a_symbol_and_says_the_change_in_words(value, kind, missing, shown):
    html = render(
        "[{% delta value kind missing %}]", value=value, kind=kind, missing=missing
    )
    assert html == f"[{shown}]"


def test_points_are_written_with_the_vietnamese_decimal_comma():
    html = render(
        "{{ a|points }} {{ none|points }} {{ a|signed_points }} {{ b|signed_points }}",
        a=Decimal("84.09"),
        b=Decimal("-1234.5"),
        none=None,
    )
    assert html == "84,09 — +84,09 −1234,50"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_points_are_written_as_number_format_writes_them(language):
    values = [
        Decimal("84.09"),
        Decimal("84.1"),
        Decimal("100"),
        Decimal("0.00"),
        Decimal("-0.21"),
        Decimal("-0.00"),
        Decimal("1234.5"),
        Decimal("12.345"),  # more decimals: number_format's own way
        Decimal("1E+1"),
        3.14159,
        5,
    ]
    with translation.override(language):
        assert [points(value) for value in values] == [
            number_format(value, 2) for value in values
        ]
