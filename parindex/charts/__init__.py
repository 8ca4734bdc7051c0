"""Server-made inline SVG charts: their geometry, and the charts each page shows.

Drawn by templates/parindex/includes/_bar_chart.html and _line_chart.html
inside {% localize off %} (the decimal comma would break SVG coordinates).
"""

from parindex.charts.figures import (
    averages_chart,
    comparison_components_chart,
    comparison_index_chart,
    glance_regional_chart,
    glance_tile_map,
    glance_top_chart,
    lineage_index_chart,
    lineage_rank_chart,
    profile_breakdown_chart,
    profile_index_chart,
    profile_rank_chart,
    ranking_chart,
    ranking_tile_map,
)
from parindex.charts.geometry import (
    BarChart,
    LineChart,
    bar_chart,
    grouped_bar_chart,
    line_chart,
)

__all__ = [
    "BarChart",
    "LineChart",
    "averages_chart",
    "bar_chart",
    "comparison_components_chart",
    "comparison_index_chart",
    "glance_regional_chart",
    "glance_tile_map",
    "glance_top_chart",
    "grouped_bar_chart",
    "line_chart",
    "lineage_index_chart",
    "lineage_rank_chart",
    "profile_breakdown_chart",
    "profile_index_chart",
    "profile_rank_chart",
    "ranking_chart",
    "ranking_tile_map",
]
