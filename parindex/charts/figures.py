"""The charts each PAR INDEX page shows, built from its selector's data.

Titles and descriptions name what the chart shows and point to the table
beside it, which holds the same numbers.
"""

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parindex.charts.geometry import (
    BarChart,
    LineChart,
    bar_chart,
    grouped_bar_chart,
    line_chart,
)
from parindex.charts.tiles import Entry, TileMap, tile_map
from parindex.models import Group
from parindex.selectors import (
    Comparison,
    GroupGlance,
    Lineage,
    Overview,
    Profile,
    Ranking,
)

MAP_DESCRIPTION = _(
    "Mỗi ô là một tỉnh, thành phố, đặt gần đúng vị trí địa lý; số trong ô là thứ "
    "hạng, màu càng đậm chỉ số càng cao (chú giải bên trên). Bấm vào ô để xem "
    "trang của đơn vị; bảng xếp hạng có cùng số liệu."
)


def _entries(results) -> list[Entry]:
    return [
        Entry(
            unit=result.unit,
            name=result.display_name,
            rank=result.rank,
            index=result.index,
            href=result.unit.get_absolute_url(),
        )
        for result in results
    ]


def ranking_tile_map(ranking: Ranking) -> TileMap | None:
    """The provinces of a ranking on the tile map (None for ministries)."""
    edition = ranking.edition
    if edition.group != Group.PROVINCE:
        return None
    return tile_map(
        _entries(row.result for row in ranking.rows),
        year=edition.year,
        units=ranking.units or [row.unit for row in ranking.rows],
        count=ranking.total_count,
        title=_map_title(edition),
        description=str(MAP_DESCRIPTION),
    )


def _map_title(edition) -> str:
    return gettext("Bản đồ chỉ số %(title)s theo tỉnh, thành phố") % {
        "title": edition.short_title
    }


def glance_tile_map(glance: GroupGlance) -> TileMap | None:
    """The latest provincial edition on the tile map (None for ministries)."""
    edition = glance.edition
    if edition.group != Group.PROVINCE or not glance.results:
        return None
    return tile_map(
        _entries(glance.results),
        year=edition.year,
        units=[result.unit for result in glance.results],
        count=glance.count,
        title=_map_title(edition),
        description=str(MAP_DESCRIPTION),
    )


def ranking_chart(ranking: Ranking) -> BarChart:
    """Every unit's index in the order of the table."""
    return bar_chart(
        [
            (
                row.result.display_name,
                row.result.index,
                number_format(row.result.index, 2),
            )
            for row in ranking.rows
        ],
        title=gettext("Chỉ số (%%) theo đơn vị, %(title)s")
        % {"title": ranking.edition.short_title},
        description=gettext(
            "Mỗi thanh là chỉ số của một đơn vị theo thứ tự của bảng; "
            "số liệu đầy đủ trong bảng xếp hạng."
        ),
    )


def glance_top_chart(glance: GroupGlance) -> BarChart:
    """The leading units of a group's latest edition."""
    return bar_chart(
        [(r.display_name, r.index, number_format(r.index, 2)) for r in glance.top],
        title=gettext("Dẫn đầu %(edition)s") % {"edition": glance.edition},
        description=gettext(
            "Chỉ số (%) của các đơn vị dẫn đầu; số liệu trong bảng bên dưới."
        ),
    )


def glance_regional_chart(glance: GroupGlance) -> BarChart | None:
    """The regional averages of the provinces' latest edition (None without them).

    Only figures that are a region's average are drawn: a mean over part of
    a region (units not yet assigned to a region) stays in the table, said so.
    """
    complete = [f for f in glance.regional if f.complete and f.average is not None]
    if not complete:
        return None
    left_out = len(glance.regional) - len(complete)
    description = gettext(
        "Giá trị trung bình chỉ số (%) theo vùng; số liệu trong bảng."
    )
    if left_out:
        description += " " + gettext(
            "%(count)s vùng chưa đủ đơn vị đã xác định vùng không được vẽ."
        ) % {"count": left_out}
    return bar_chart(
        [
            (f.region.display_name, f.average, number_format(f.average, 2))
            for f in complete
        ],
        title=gettext("Trung bình theo vùng, %(title)s")
        % {"title": glance.edition.short_title},
        description=description,
    )


def averages_chart(overview: Overview) -> LineChart:
    """The published national averages of both groups over the years."""
    return line_chart(
        [str(year) for year in overview.average_years],
        overview.average_series,
        title=gettext(
            "Giá trị trung bình Chỉ số CCHC cả nước theo năm (số liệu công bố)"
        ),
        description=gettext(
            "Hai đường: bộ, cơ quan ngang bộ (hình tròn) và tỉnh, thành phố (hình "
            "vuông, nét đứt); năm không công bố để trống. Số liệu trong bảng bên dưới."
        ),
    )


def _profile_line_chart(
    profile: Profile, value: str, *, title: str, description: str, **options
) -> LineChart | None:
    """One of the unit's results (value: "index" or "rank") year by year."""
    if not profile.yearly_results:
        return None
    return line_chart(
        [str(row.result.edition.year) for row in profile.yearly_results],
        [
            (
                profile.unit.display_name,
                [getattr(row.result, value) for row in profile.yearly_results],
            )
        ],
        title=title,
        description=description,
        **options,
    )


def profile_index_chart(profile: Profile) -> LineChart | None:
    """A unit's index year by year (None before its first result)."""
    return _profile_line_chart(
        profile,
        "index",
        title=gettext("Chỉ số CCHC của %(unit)s qua các năm")
        % {"unit": profile.unit.display_name},
        description=gettext(
            "Chỉ số (%) theo năm đánh giá; số liệu và thứ hạng trong bảng."
        ),
    )


def profile_rank_chart(profile: Profile) -> LineChart | None:
    """A unit's rank year by year, rank 1 on top (None before its first result).

    Ranks out of different totals (63 before 2025, 34 after) are labelled
    "hạng/tổng" and the description says so.
    """
    totals = sorted({row.count for row in profile.yearly_results}, reverse=True)
    description = gettext("Thứ hạng theo năm (hạng 1 ở trên cùng); số liệu trong bảng.")
    texts = None
    if len(totals) > 1:
        description = rank_totals_note(totals)
        texts = [[f"{r.result.rank}/{r.count}" for r in profile.yearly_results]]
    return _profile_line_chart(
        profile,
        "rank",
        title=gettext("Thứ hạng của %(unit)s qua các năm")
        % {"unit": profile.unit.display_name}
        + (" " + gettext("(hạng/tổng)") if texts else ""),
        description=description,
        inverted=True,
        integer=True,
        texts=texts,
    )


def rank_totals_note(totals: list[int]) -> str:
    counts = gettext(" và ").join(str(total) for total in totals)
    return gettext(
        "Thứ hạng theo năm (hạng 1 ở trên cùng), ghi dạng hạng/tổng: số đơn vị "
        "xếp hạng khác nhau giữa các năm (%(counts)s), nên cùng một vị trí trên "
        "trục không cùng nghĩa. Số liệu trong bảng."
    ) % {"counts": counts}


def _lineage_axes(lineage: Lineage):
    years = lineage.years
    before = [i for i, year in enumerate(years) if year < lineage.break_on.year]
    break_after = before[-1] if before and len(before) < len(years) else None
    return years, break_after, date_format(lineage.break_on, gettext("d/m/Y"))


def lineage_index_chart(lineage: Lineage) -> LineChart | None:
    """The predecessors' index before the break and the successor's after."""
    if not lineage.has_results:
        return None
    years, break_after, label = _lineage_axes(lineage)
    return line_chart(
        [str(year) for year in years],
        [
            (
                series.unit.short_label,
                [
                    next((p.index for p in series.points if p.year == y), None)
                    for y in years
                ],
            )
            for series in lineage.series
        ],
        title=gettext("Chỉ số CCHC của %(unit)s và các đơn vị trước")
        % {"unit": lineage.successor.display_name},
        description=gettext(
            "Một đường cho mỗi đơn vị; đường đứt nét đánh dấu thay đổi đơn vị ngày "
            "%(day)s: trước đó là kết quả của các đơn vị cũ, sau đó là của đơn vị "
            "mới. Số liệu trong bảng."
        )
        % {"day": label},
        break_after=break_after,
        break_label=label,
    )


def lineage_rank_chart(lineage: Lineage) -> LineChart | None:
    """Ranks of the predecessors and the successor, each "hạng/tổng"."""
    if not lineage.has_results:
        return None
    years, break_after, label = _lineage_axes(lineage)

    def point(series, year):
        return next((p for p in series.points if p.year == year), None)

    return line_chart(
        [str(year) for year in years],
        [
            (
                series.unit.short_label,
                [getattr(point(series, y), "rank", None) for y in years],
            )
            for series in lineage.series
        ],
        title=gettext("Thứ hạng (hạng/tổng) của đơn vị mới và các đơn vị trước"),
        description=rank_totals_note(lineage.totals)
        if len(lineage.totals) > 1
        else gettext("Thứ hạng theo năm (hạng 1 ở trên cùng); số liệu trong bảng."),
        inverted=True,
        integer=True,
        texts=[
            [getattr(point(series, y), "rank_text", None) for y in years]
            for series in lineage.series
        ],
        break_after=break_after,
        break_label=label,
    )


def profile_breakdown_chart(profile: Profile) -> BarChart | None:
    """A unit's component indexes against its group's average (None without)."""
    if not profile.breakdown:
        return None
    return grouped_bar_chart(
        [
            (
                f"{line.area.number}. {line.area.display_name}",
                [line.share, line.average_share],
            )
            for line in profile.breakdown
        ],
        [profile.unit.display_name, gettext("Trung bình nhóm")],
        title=gettext("Chỉ số thành phần so với trung bình nhóm"),
        description=gettext(
            "Điểm từng lĩnh vực tính theo % điểm tối đa: thanh đặc là đơn vị, "
            "thanh gạch chéo là trung bình nhóm. Số liệu trong bảng."
        ),
    )


def comparison_index_chart(comparison: Comparison) -> LineChart:
    """One line per compared unit, each with its own marker."""
    return line_chart(
        [str(year) for year in comparison.years],
        [
            (
                unit.short_label,
                [row[i].index if row[i] else None for _, row in comparison.table],
            )
            for i, unit in enumerate(comparison.units)
        ],
        title=gettext("Chỉ số CCHC qua các năm"),
        description=gettext(
            "Mỗi đơn vị một đường với ký hiệu riêng (tròn, vuông, tam giác, thoi); "
            "số liệu trong bảng."
        ),
    )


def comparison_components_chart(comparison: Comparison) -> BarChart | None:
    """The compared units' component indexes in their latest shared edition."""
    if not comparison.components:
        return None
    return grouped_bar_chart(
        [
            (f"{area.number}. {area.display_name}", values)
            for area, values in comparison.components
        ],
        [unit.short_label for unit in comparison.units],
        title=gettext("Chỉ số thành phần, %(edition)s")
        % {"edition": comparison.components_edition},
        description=gettext(
            "Điểm từng lĩnh vực theo % điểm tối đa; số liệu trong bảng."
        ),
    )
