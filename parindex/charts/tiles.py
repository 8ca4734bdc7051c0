"""Tile-grid maps: one equal square per province, placed roughly where it lies.

The layouts are project data (parindex/data/tiles_63.csv before the 2025
reorganisation, tiles_34.csv after it; method and sources in the data
README), read here and nowhere else. Tiles are matched to units by their GSO
code among the units that existed at the end of the edition's year.

Colour follows the index in five classes of a sequential single-hue scale
(ColorBrewer "Blues", readable with every common colour-vision deficiency);
the text on each tile (the rank) is black or white, whichever contrasts more,
and never below 4.5:1. Every tile is a link with a name such as "Quảng Ninh:
hạng 1/63, 91,54%"; the ranking table beside the map holds the same numbers.
"""

import csv
import datetime
import functools
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LAYOUT_FILES = {"63": "tiles_63.csv", "34": "tiles_34.csv"}
# From this day the 34-unit layout applies (NQ 202/2025/QH15, in operation).
REORGANISED_ON = datetime.date(2025, 7, 1)
TILE = 36
# Lightest (lowest index) to darkest (highest).
PALETTE = ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08306b"]
INK = "#1a1a1a"
WHITE = "#ffffff"
EMPTY_FILL = "#f2f2f2"  # a unit outside the current filter
_ids = itertools.count(1)


@dataclass(frozen=True)
class Cell:
    code: str
    name: str
    col: int
    row: int


@functools.cache
def read_layout(name: str) -> tuple[Cell, ...]:
    """The cells of a layout ("63" or "34"), as the data file lists them."""
    with open(DATA_DIR / LAYOUT_FILES[name], encoding="utf-8", newline="") as handle:
        return tuple(
            Cell(row["code"], row["name"], int(row["col"]), int(row["row"]))
            for row in csv.DictReader(handle)
        )


def layout_for_year(year: int) -> str:
    """The layout of the units that existed at the end of `year`."""
    return "34" if datetime.date(year, 12, 31) >= REORGANISED_ON else "63"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on `fill`."""
    return INK if contrast(fill, INK) >= contrast(fill, WHITE) else WHITE


@dataclass
class Tile:
    label: str  # the accessible name of the link
    href: str
    text: str  # what the tile shows (the rank)
    x: int
    y: int
    fill: str
    text_fill: str
    linked: bool = True

    @property
    def text_x(self) -> float:
        return self.x + TILE / 2

    @property
    def text_y(self) -> float:
        return self.y + TILE / 2 + 5


@dataclass
class LegendItem:
    fill: str
    text: str


@dataclass
class TileMap:
    id: str
    title: str
    description: str
    width: int
    height: int
    tiles: list[Tile]
    legend: list[LegendItem] = field(default_factory=list)
    size: int = TILE


@dataclass
class Entry:
    """One unit's figures to put on the map."""

    unit: object  # parindex.models.Unit
    name: str
    rank: int
    index: Decimal
    href: str


def tile_map(
    entries: list[Entry],
    *,
    year: int,
    units: list,
    count: int,
    title: str,
    description: str,
) -> TileMap:
    """The map of a year's units: `entries` coloured, the other `units` blank.

    `units` are every unit that existed at the end of the year (the tiles);
    `count` is the number ranked (the "/63" of each name).
    """
    layout = layout_for_year(year)
    cells = {cell.code: cell for cell in read_layout(layout)}
    ordered = sorted(entries, key=lambda e: (e.index, -e.rank))
    classes = {}
    for position, entry in enumerate(ordered):
        classes[entry.unit.pk] = position * len(PALETTE) // max(1, len(ordered))
    by_unit = {entry.unit.pk: entry for entry in entries}
    tiles = []
    for unit in units:
        cell = cells.get(unit.gso_code)
        if cell is None:
            continue
        x, y = cell.col * TILE, cell.row * TILE
        entry = by_unit.get(unit.pk)
        if entry is None:
            tiles.append(
                Tile(
                    label=unit.display_name,
                    href="",
                    text="",
                    x=x,
                    y=y,
                    fill=EMPTY_FILL,
                    text_fill=INK,
                    linked=False,
                )
            )
            continue
        fill = PALETTE[classes[unit.pk]]
        index_text = number_format(entry.index, 2)
        tiles.append(
            Tile(
                label=gettext("%(name)s: hạng %(rank)s/%(count)s, %(index)s%%")
                % {
                    "name": entry.name,
                    "rank": entry.rank,
                    "count": count,
                    "index": index_text,
                },
                href=entry.href,
                text=str(entry.rank),
                x=x,
                y=y,
                fill=fill,
                text_fill=text_colour(fill),
            )
        )
    legend = []
    for number in reversed(range(len(PALETTE))):
        members = [e for e in ordered if classes[e.unit.pk] == number]
        if members:
            low, high = members[0].index, members[-1].index
            legend.append(
                LegendItem(
                    fill=PALETTE[number],
                    text=f"{number_format(low, 2)}–{number_format(high, 2)}%",
                )
            )
    columns = max((cell.col for cell in cells.values()), default=0) + 1
    rows = max((cell.row for cell in cells.values()), default=0) + 1
    return TileMap(
        id=f"ban-do-{next(_ids)}",
        title=title,
        description=description,
        width=columns * TILE,
        height=rows * TILE,
        tiles=tiles,
        legend=legend,
    )
