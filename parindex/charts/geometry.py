"""Geometry of the server-made inline SVG charts (what each page shows: figures).

Each chart is drawn in a narrow coordinate space (300 units wide) so that its
text stays readable on a 320 px phone; the stylesheet caps how wide it grows.
Series differ by shape, dash or fill pattern as well as colour, and every
chart is shown next to a table with the same numbers.
"""

import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

WIDTH = 300
FONT = 12
_ids = itertools.count(1)

# (colour, marker shape, dash pattern, fill pattern) per series.
SERIES_STYLES = [
    ("#0b4f8a", "circle", "", "solid"),
    ("#a50e0e", "square", "6 3", "hatch"),
    ("#0a6b2d", "triangle", "2 3", "dots"),
    ("#6b3fa0", "diamond", "8 3 2 3", "cross"),
]


def _chart_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


# What a legend says besides the colour: a series' fill pattern, its marker.
PATTERN_WORDS = {
    "solid": _("tô đặc"),
    "hatch": _("gạch chéo"),
    "dots": _("chấm"),
    "cross": _("ô lưới"),
}
MARKER_WORDS = {
    "circle": _("hình tròn"),
    "square": _("hình vuông"),
    "triangle": _("tam giác"),
    "diamond": _("hình thoi"),
}


@dataclass
class Style:
    colour: str
    marker: str
    dash: str
    pattern: str

    @property
    def pattern_words(self) -> str:
        return PATTERN_WORDS[self.pattern]

    @property
    def marker_words(self) -> str:
        return MARKER_WORDS[self.marker]


def style(position: int) -> Style:
    return Style(*SERIES_STYLES[position % len(SERIES_STYLES)])


@dataclass
class Bar:
    label: str
    value_text: str
    x: float
    y: float
    width: float
    height: float
    label_y: float
    value_x: float
    value_y: float
    fill: str
    title: str


@dataclass
class BarChart:
    """Horizontal bars, one labelled line per item (labels above the bars)."""

    id: str
    title: str
    description: str
    height: float
    bars: list[Bar]
    width: int = WIDTH
    patterns: list[tuple[str, Style]] = field(default_factory=list)
    legend: list[tuple[str, str, Style]] = field(default_factory=list)


def _pattern_fill(chart_id: str, index: int, series_style: Style) -> str:
    if series_style.pattern == "solid":
        return series_style.colour
    return f"url(#{chart_id}-p{index})"


def bar_chart(
    items: list[tuple[str, Decimal | None, str]],
    *,
    title: str,
    description: str,
    maximum: Decimal = Decimal(100),
) -> BarChart:
    """items: (label, value, value text)."""
    chart_id = _chart_id("bieu-do")
    row = 34
    label_width = WIDTH - 2
    value_room = 52
    bars = []
    for position, (label, value, text) in enumerate(items):
        top = position * row
        share = float(value) / float(maximum) if value is not None else 0.0
        width = max(1.0, (label_width - value_room) * min(1.0, share))
        bars.append(
            Bar(
                label=label,
                value_text=text,
                x=1,
                y=top + 16,
                width=round(width, 1),
                height=12,
                label_y=top + 12,
                value_x=round(width + 5, 1),
                value_y=top + 26,
                fill=style(0).colour,
                title=f"{label}: {text}",
            )
        )
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        height=max(row, len(items) * row + 4),
        bars=bars,
    )


def grouped_bar_chart(
    groups: list[tuple[str, list[Decimal | None]]],
    series_names: list[str],
    *,
    title: str,
    description: str,
    maximum: Decimal = Decimal(100),
    suffix: str = "%",
) -> BarChart:
    """For each group (area) one bar per series; series differ by fill pattern."""
    chart_id = _chart_id("bieu-do")
    styles = [style(i) for i in range(len(series_names))]
    bar_height = 10
    gap = 3
    value_room = 48
    bars = []
    top = 0.0
    for label, values in groups:
        for position, value in enumerate(values):
            y = top + 16 + position * (bar_height + gap)
            share = float(value) / float(maximum) if value is not None else 0.0
            width = max(1.0, (WIDTH - 2 - value_room) * min(1.0, share))
            text = "—" if value is None else f"{number_format(value, 2)}{suffix}"
            bars.append(
                Bar(
                    label=label if position == 0 else "",
                    value_text=text,
                    x=1,
                    y=round(y, 1),
                    width=round(width, 1),
                    height=bar_height,
                    label_y=round(top + 12, 1),
                    value_x=round(width + 5, 1),
                    value_y=round(y + bar_height - 1, 1),
                    fill=_pattern_fill(chart_id, position, styles[position]),
                    title=f"{label} · {series_names[position]}: {text}",
                )
            )
        top += 20 + len(values) * (bar_height + gap)
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        height=round(top + 4, 1),
        bars=bars,
        patterns=[(f"{chart_id}-p{i}", s) for i, s in enumerate(styles)],
        legend=[
            (name, _pattern_fill(chart_id, i, styles[i]), styles[i])
            for i, name in enumerate(series_names)
        ],
    )


@dataclass
class Point:
    x: float
    y: float
    label: str
    marker_path: str


@dataclass
class Line:
    name: str
    style: Style
    path: str
    points: list[Point]
    legend_marker: str = ""


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    id: str
    title: str
    description: str
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    width: int = WIDTH
    height: int = 190
    inverted: bool = False
    # A visible break between two x positions (a merger): where, and its words.
    break_x: float | None = None
    break_label: str = ""

    @property
    def y_label_x(self) -> float:
        return self.plot_left - 4

    @property
    def x_label_y(self) -> float:
        return self.plot_bottom + 16


def _marker(shape: str, x: float, y: float, size: float = 4.0) -> str:
    if shape == "square":
        return (
            f"M{x - size:.1f},{y - size:.1f}h{2 * size:.1f}"
            f"v{2 * size:.1f}h{-2 * size:.1f}z"
        )
    if shape == "triangle":
        return (
            f"M{x:.1f},{y - size - 1:.1f}L{x + size + 1:.1f},{y + size:.1f}"
            f"L{x - size - 1:.1f},{y + size:.1f}z"
        )
    if shape == "diamond":
        return (
            f"M{x:.1f},{y - size - 1:.1f}L{x + size + 1:.1f},{y:.1f}"
            f"L{x:.1f},{y + size + 1:.1f}L{x - size - 1:.1f},{y:.1f}z"
        )
    return (
        f"M{x - size:.1f},{y:.1f}a{size:.1f},{size:.1f} 0 1,0 {2 * size:.1f},0"
        f"a{size:.1f},{size:.1f} 0 1,0 {-2 * size:.1f},0"
    )


def line_chart(
    x_labels: list[str],
    series: list[tuple[str, list[Decimal | None]]],
    *,
    title: str,
    description: str,
    inverted: bool = False,
    integer: bool = False,
    texts: list[list[str | None]] | None = None,
    break_after: int | None = None,
    break_label: str = "",
) -> LineChart:
    """One line per series over x_labels; gaps where a value is missing.

    inverted puts small values on top (ranks: 1 is best). texts, per series
    and x, replace the value in a point's label ("44/63"). break_after draws a
    dashed line between x_labels[break_after] and the next, with break_label.
    """
    chart_id = _chart_id("bieu-do")
    left, right, top, bottom = 34.0, WIDTH - 18.0, 10.0, 160.0
    values = [float(v) for _, vs in series for v in vs if v is not None]
    if values:
        low, high = min(values), max(values)
    else:
        low, high = 0.0, 100.0
    if integer:
        low, high = math.floor(low) - 1, math.ceil(high) + 1
        low = max(low, 0 if not inverted else 1)
        step = max(1, math.ceil((high - low) / 5))
    else:
        step = 5.0 if high - low > 12 else 2.0 if high - low > 4 else 1.0
        low = math.floor((low - 0.5) / step) * step
        high = math.ceil((high + 0.5) / step) * step
    if high == low:
        high = low + step

    def y_of(value: float) -> float:
        share = (value - low) / (high - low)
        if inverted:
            share = 1 - share
        return round(bottom - share * (bottom - top), 1)

    count = len(x_labels)

    def x_of(index: int) -> float:
        if count == 1:
            return round((left + right) / 2, 1)
        return round(left + index * (right - left) / (count - 1), 1)

    lines = []
    for position, (name, vs) in enumerate(series):
        series_style = style(position)
        path_parts, points, pen_down = [], [], False
        for index, value in enumerate(vs):
            if value is None:
                pen_down = False
                continue
            x, y = x_of(index), y_of(float(value))
            path_parts.append(f"{'L' if pen_down else 'M'}{x},{y}")
            pen_down = True
            text = str(value) if integer else number_format(value, 2)
            if texts and texts[position][index]:
                text = texts[position][index]
            points.append(
                Point(
                    x=x,
                    y=y,
                    label=f"{name}, {x_labels[index]}: {text}",
                    marker_path=_marker(series_style.marker, x, y),
                )
            )
        lines.append(
            Line(
                name=name,
                style=series_style,
                path="".join(path_parts),
                points=points,
                legend_marker=_marker(series_style.marker, 13, 6, 3.5),
            )
        )
    every = 1 if count <= 7 else 2 if count <= 14 else 3
    x_ticks = [
        Tick(position=x_of(i), label=label)
        for i, label in enumerate(x_labels)
        if i % every == 0 or i == count - 1
    ]
    y_ticks = []
    tick = low
    while tick <= high + 1e-9:
        y_ticks.append(
            Tick(
                position=y_of(tick),
                label=str(int(tick))
                if float(tick).is_integer()
                else number_format(Decimal(str(tick)), 2),
            )
        )
        tick += step
    return LineChart(
        id=chart_id,
        title=title,
        description=description,
        lines=lines,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        inverted=inverted,
        break_x=round((x_of(break_after) + x_of(break_after + 1)) / 2, 1)
        if break_after is not None and 0 <= break_after < count - 1
        else None,
        break_label=break_label,
    )
