"""The charts each PAR INDEX page shows, built from its selector's data.

Titles and descriptions name what the chart shows and point to the table
beside it, which holds the same numbers.
"""

from django.utils.formats import number_format

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

MAP_DESCRIPTION = (
    "Mỗi ô là một tỉnh, thành phố, đặt gần đúng vị trí địa lý; số trong ô là thứ "
    "hạng, màu càng đậm chỉ số càng cao (chú giải bên trên). Bấm vào ô để xem "
    "trang của đơn vị; bảng xếp hạng có cùng số liệu."
)


def _entries(results) -> list[Entry]:
    return [
        Entry(
            unit=result.unit,
            name=result.published_name,
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
        title=f"Bản đồ chỉ số {edition.short_title} theo tỉnh, thành phố",
        description=MAP_DESCRIPTION,
    )


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
        title=f"Bản đồ chỉ số {edition.short_title} theo tỉnh, thành phố",
        description=MAP_DESCRIPTION,
    )


def ranking_chart(ranking: Ranking) -> BarChart:
    """Every unit's index in the order of the table."""
    return bar_chart(
        [
            (
                row.result.published_name,
                row.result.index,
                number_format(row.result.index, 2),
            )
            for row in ranking.rows
        ],
        title=f"Chỉ số (%) theo đơn vị, {ranking.edition.short_title}",
        description=(
            "Mỗi thanh là chỉ số của một đơn vị theo thứ tự của bảng; "
            "số liệu đầy đủ trong bảng xếp hạng."
        ),
    )


def glance_top_chart(glance: GroupGlance) -> BarChart:
    """The leading units of a group's latest edition."""
    return bar_chart(
        [(r.published_name, r.index, number_format(r.index, 2)) for r in glance.top],
        title=f"Dẫn đầu {glance.edition}",
        description="Chỉ số (%) của các đơn vị dẫn đầu; số liệu trong bảng bên dưới.",
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
    description = "Giá trị trung bình chỉ số (%) theo vùng; số liệu trong bảng."
    if left_out:
        description += (
            f" {left_out} vùng chưa đủ đơn vị đã xác định vùng không được vẽ."
        )
    return bar_chart(
        [(f.region.name, f.average, number_format(f.average, 2)) for f in complete],
        title=f"Trung bình theo vùng, {glance.edition.short_title}",
        description=description,
    )


def averages_chart(overview: Overview) -> LineChart:
    """The published national averages of both groups over the years."""
    return line_chart(
        [str(year) for year in overview.average_years],
        overview.average_series,
        title="Giá trị trung bình Chỉ số CCHC cả nước theo năm (số liệu công bố)",
        description=(
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
        title=f"Chỉ số CCHC của {profile.unit.display_name} qua các năm",
        description="Chỉ số (%) theo năm đánh giá; số liệu và thứ hạng trong bảng.",
    )


def profile_rank_chart(profile: Profile) -> LineChart | None:
    """A unit's rank year by year, rank 1 on top (None before its first result).

    Ranks out of different totals (63 before 2025, 34 after) are labelled
    "hạng/tổng" and the description says so.
    """
    totals = sorted({row.count for row in profile.yearly_results}, reverse=True)
    description = "Thứ hạng theo năm (hạng 1 ở trên cùng); số liệu trong bảng."
    texts = None
    if len(totals) > 1:
        description = rank_totals_note(totals)
        texts = [[f"{r.result.rank}/{r.count}" for r in profile.yearly_results]]
    return _profile_line_chart(
        profile,
        "rank",
        title=f"Thứ hạng của {profile.unit.display_name} qua các năm"
        + (" (hạng/tổng)" if texts else ""),
        description=description,
        inverted=True,
        integer=True,
        texts=texts,
    )


def rank_totals_note(totals: list[int]) -> str:
    counts = " và ".join(str(total) for total in totals)
    return (
        f"Thứ hạng theo năm (hạng 1 ở trên cùng), ghi dạng hạng/tổng: số đơn vị "
        f"xếp hạng khác nhau giữa các năm ({counts}), nên cùng một vị trí trên "
        "trục không cùng nghĩa. Số liệu trong bảng."
    )


def _lineage_axes(lineage: Lineage):
    years = lineage.years
    before = [i for i, year in enumerate(years) if year < lineage.break_on.year]
    break_after = before[-1] if before and len(before) < len(years) else None
    return years, break_after, f"{lineage.break_on:%d/%m/%Y}"


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
        title=f"Chỉ số CCHC của {lineage.successor.display_name} và các đơn vị trước",
        description=(
            f"Một đường cho mỗi đơn vị; đường đứt nét đánh dấu thay đổi đơn vị ngày "
            f"{label}: trước đó là kết quả của các đơn vị cũ, sau đó là của đơn vị "
            "mới. Số liệu trong bảng."
        ),
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
        title="Thứ hạng (hạng/tổng) của đơn vị mới và các đơn vị trước",
        description=rank_totals_note(lineage.totals)
        if len(lineage.totals) > 1
        else "Thứ hạng theo năm (hạng 1 ở trên cùng); số liệu trong bảng.",
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
            (f"{line.area.number}. {line.area.name}", [line.share, line.average_share])
            for line in profile.breakdown
        ],
        [profile.unit.display_name, "Trung bình nhóm"],
        title="Chỉ số thành phần so với trung bình nhóm",
        description=(
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
        title="Chỉ số CCHC qua các năm",
        description=(
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
            (f"{area.number}. {area.name}", values)
            for area, values in comparison.components
        ],
        [unit.short_label for unit in comparison.units],
        title=f"Chỉ số thành phần, {comparison.components_edition}",
        description="Điểm từng lĩnh vực theo % điểm tối đa; số liệu trong bảng.",
    )
