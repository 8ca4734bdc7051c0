"""PAR INDEX widgets, sortable headers, changes (Δ) and numbers for templates."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.formats import get_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cchc_portal.runtime.blocks import cached_block
from cchc_portal.templatetags.portal_tags import json_ld
from parindex import selectors
from parindex.models import Unit
from parindex.structured_data import unit_structured_data
from parindex.tables import demo_notice

register = template.Library()

# A change's direction → (symbol, words for a rank change, words for points).
DELTA_WORDS = {
    "up": ("▲", _("tăng %(places)s bậc"), _("tăng điểm")),
    "down": ("▼", _("giảm %(places)s bậc"), _("giảm điểm")),
    "same": ("=", _("giữ nguyên hạng"), _("không đổi")),
}
# A change not shown: what the cell says, and why, for screen readers.
MISSING_DELTA = {
    "new": {"shown": _("mới"), "words": _("không có kết quả năm trước")},
    "merged": {
        "shown": _("hợp nhất"),
        "words": _("đơn vị hình thành khi sắp xếp, không so sánh với năm trước"),
    },
    "sizes": {
        "shown": "—",
        "words": _("số đơn vị xếp hạng khác năm trước, thứ hạng không so sánh được"),
    },
}
NO_DELTA = _("không có số liệu so sánh")
SORT_ORDER_WORDS = {"ascending": _("tăng dần"), "descending": _("giảm dần")}


@register.filter
def points(value: Decimal | None) -> str:
    """84.09 → "84,09"; nothing → "—".

    What number_format(value, 2) writes, without its machinery in the usual
    case, a stored score with at most two decimals: a 63-province ranking
    writes some 800 of them (bench/profile_misses.py).
    """
    if value is None:
        return "—"
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and value.as_tuple().exponent >= -2
        and not settings.USE_THOUSAND_SEPARATOR
    ):
        # number_format writes a negative zero as 0,00 too.
        written = f"{value.copy_abs() if value.is_zero() else value:.2f}"
        return written.replace(".", get_format("DECIMAL_SEPARATOR"))
    return number_format(value, 2)


@register.filter
def signed_points(value: Decimal | None) -> str:
    """+1,39 / −0,21 / 0,00 with a real minus sign."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{number_format(value, 2)}"
    if value < 0:
        return f"−{number_format(-value, 2)}"
    return number_format(value, 2)


@register.simple_tag
def delta(value, kind: str = "rank", missing: str = "") -> SafeString:
    """Change against the previous edition, with a symbol and words (not colour).

    kind "rank" shows how many places (▲ 3, tăng 3 bậc), "points" the signed
    difference (▲ +1,39, tăng điểm). No value: `missing` says why ("new", a
    unit the previous edition did not rank; "merged", formed by a merger of
    units it did; "sizes", ranks out of different totals), else "—".

    Markup written here rather than in a template: a ranking table has two
    per row, and an included template per cell was a tenth of the page's
    render (bench/profile_misses.py).
    """
    if value is None:
        if missing in ("new", "merged"):
            return format_html(
                '<span class="delta delta--new">{}'
                '<span class="visually-hidden">: {}</span></span>',
                MISSING_DELTA[missing]["shown"],
                MISSING_DELTA[missing]["words"],
            )
        words = MISSING_DELTA[missing]["words"] if missing == "sizes" else NO_DELTA
        return format_html(
            '<span class="delta"><span aria-hidden="true">—</span>'
            '<span class="visually-hidden">{}</span></span>',
            words,
        )
    direction = "up" if value > 0 else "down" if value < 0 else "same"
    symbol, rank_words, points_words = DELTA_WORDS[direction]
    if kind == "rank":
        shown = str(abs(value))
        words = rank_words % {"places": shown}
    else:
        shown, words = signed_points(value), points_words
    return format_html(
        '<span class="delta delta--{}"><span aria-hidden="true">{} </span>{}'
        '<span class="visually-hidden"> ({})</span></span>',
        direction,
        symbol,
        shown,
        words,
    )


@register.simple_tag
def ranking_rows(ranking) -> SafeString:
    """The ranking table's body: a row per unit (rank, name, scores, the
    areas, tier, changes), in the header's columns (edition_detail.html).

    Written here rather than as a template loop: a 63-province table has
    some 900 cells, and the template engine's work per cell was the largest
    part of the page's render (bench/profile_misses.py).
    """
    if not ranking.rows:
        return format_html(
            '<tr><td colspan="4">{}</td></tr>', gettext("Không có đơn vị nào phù hợp.")
        )
    return mark_safe("\n".join(_ranking_row(ranking, row) for row in ranking.rows))


def _number_cell(text: str | int) -> str:
    # Only ranks, points (digits and separators) and delta markup come here.
    return f'<td class="num">{text}</td>'


def _ranking_row(ranking, row) -> str:
    result = row.result
    cells = [
        _number_cell(result.rank),
        format_html(
            '<th scope="row"><a href="{}">{}</a></th>',
            row.unit.get_absolute_url(),
            result.display_name,
        ),
        _number_cell(points(result.total)),
        _number_cell(points(result.index)),
    ]
    if ranking.has_split:
        cells += [
            _number_cell(points(result.appraisal)),
            _number_cell(points(result.survey)),
        ]
    cells += [_number_cell(points(value)) for value in row.areas]
    if ranking.tiers:
        cells.append(
            format_html(
                '<td><span class="tier tier--{}">{}</span></td>',
                row.tier.code.lower(),
                row.tier.code,
            )
            if row.tier
            else "<td>—</td>"
        )
    if ranking.previous:
        cells += [
            _number_cell(delta(row.delta_rank, "rank", row.rank_missing)),
            _number_cell(delta(row.delta_total, "points", row.total_missing)),
        ]
    return f"<tr>{''.join(cells)}</tr>"


# Numbers as str() writes them, as {% localize off %} would in the template.
BAR_MARKUP = (
    '<g><title>{title}</title>{label}<rect x="{bar.x}" y="{bar.y}"'
    ' width="{bar.width}" height="{bar.height}" fill="{fill}" stroke="#1a1a1a"'
    ' stroke-width="0.5"/><text x="{bar.value_x}" y="{bar.value_y}"'
    ' fill="#1a1a1a">{value}</text></g>'
)
BAR_LABEL_MARKUP = '<text x="1" y="{y}" fill="#1a1a1a">{text}</text>'
BAR_LABEL_LENGTH = 46


@register.simple_tag
def chart_bars(chart) -> SafeString:
    """A bar chart's bars (_bar_chart.html): each with its title, label,
    bar and value. Written here rather than as a template loop: a ranking's
    chart has a bar per unit, and the loop was a sixth of the page's render
    (bench/profile_misses.py)."""
    bars = []
    for bar in chart.bars:
        label = ""
        if bar.label:
            text = bar.label
            if len(text) > BAR_LABEL_LENGTH:
                text = Truncator(text).chars(BAR_LABEL_LENGTH)
            label = BAR_LABEL_MARKUP.format(y=bar.label_y, text=escape(text))
        bars.append(
            BAR_MARKUP.format(
                bar=bar,
                title=escape(bar.title),
                label=label,
                fill=escape(bar.fill),
                value=escape(bar.value_text),
            )
        )
    return mark_safe("".join(bars))


def _sort_header(context, key: str, label: str, num: bool) -> dict:
    """A header's link to the next order, and its state for screen readers."""
    ranking = context["ranking"]
    if key == ranking.sort:
        current = "descending" if ranking.descending else "ascending"
        next_descending = not ranking.descending
    else:
        current = None
        next_descending = selectors.sort_is_descending_by_default(key)
    next_order = "descending" if next_descending else "ascending"
    hint = gettext("bấm để sắp xếp %(order)s") % {"order": SORT_ORDER_WORDS[next_order]}
    if current:
        hint = gettext("đang sắp xếp %(order)s; %(hint)s") % {
            "order": SORT_ORDER_WORDS[current],
            "hint": hint,
        }
    prefix = context.get("sort_prefix", "")
    return {
        "num": num,
        "label": label,
        "query": f"?{prefix}sort={selectors.sort_format(key, next_descending)}",
        "aria_sort": current,
        "arrow": {"ascending": "▲", "descending": "▼"}.get(current, ""),
        "hint": f"({hint})",
    }


@register.inclusion_tag("parindex/includes/_sort_th.html", takes_context=True)
def sort_header(context, key: str, num: bool = False):
    """A ranking column header that sorts by key (see selectors.SORTS)."""
    return _sort_header(context, key, selectors.SORTS[key][1], num)


@register.inclusion_tag("parindex/includes/_sort_th.html", takes_context=True)
def area_sort_header(context, area):
    """The header of an area's column ("LV3"), sorting by its points."""
    key = f"{selectors.AREA_SORT_PREFIX}{area.number}"
    return _sort_header(context, key, gettext("LV") + str(area.number), num=True)


@register.simple_tag
def sort_value(ranking) -> str:
    """The ?sort= value that keeps the ranking's order ("" for the default)."""
    if ranking.sort == selectors.DEFAULT_SORT and not ranking.descending:
        return ""
    return selectors.sort_format(ranking.sort, ranking.descending)


@register.simple_tag
def parindex_home_box():
    """Latest released edition of each group at a glance (home page).

    Rendered once per content generation (runtime/blocks.py).
    """
    return cached_block(
        "parindex-home-box",
        compute=lambda: mark_safe(
            render_to_string(
                "parindex/includes/_home_box.html",
                {
                    "glances": selectors.edition_list_latest_leaders(),
                    "demo_notice": demo_notice(),
                },
            )
        ),
    )


@register.simple_tag
def unit_score_cards(units):
    """Score cards of the units a news article is linked to (one query).

    `units`: the units, or their ids in the order shown (an article page
    passes Article.linked_unit_ids, and the units are read only to render).
    Rendered once per content generation for each set of units: articles
    about the same units share them (runtime/blocks.py).
    """
    units = list(units)
    ids = [getattr(unit, "pk", unit) for unit in units]

    def render() -> SafeString:
        shown = units
        if not all(isinstance(unit, Unit) for unit in units):
            found = Unit.objects.in_bulk(ids)
            shown = [found[pk] for pk in ids if pk in found]
        return mark_safe(
            render_to_string(
                "parindex/includes/_score_cards.html",
                {
                    "cards": selectors.unit_list_score_cards(shown),
                    "demo_notice": demo_notice(),
                },
            )
        )

    return cached_block("unit-score-cards", *ids, compute=render)


@register.simple_tag(takes_context=True)
def unit_json_ld(context, unit):
    """GovernmentOrganization and BreadcrumbList blocks for a unit profile."""
    return json_ld(unit_structured_data(unit, context["request"]))


@register.simple_tag
def correction_value(change, value) -> str:
    """A corrected figure as shown: a rank as a whole number, points as 84,09."""
    if value is None:
        return "—"
    if change.is_rank:
        return str(int(value))
    return points(value)


@register.inclusion_tag("parindex/includes/_headline_box.html")
def edition_headline_boxes(editions):
    """The headline box of each public edition an article announces."""
    return {
        "headlines": selectors.edition_list_headlines(editions),
        "demo_notice": demo_notice(),
    }
