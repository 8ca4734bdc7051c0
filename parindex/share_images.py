"""Share images (PNG, 1200×630) for the ranking and unit pages' link previews.

Drawn with Pillow in DejaVu Sans (static/fonts/dejavu/, see its README: every
Vietnamese letter, free licence, the same on every server). An image is kept
in the cache under the edition's last change (updated_at), so it is drawn
again as soon as the edition changes (a correction, a withdrawal) and never
served stale. Demo editions carry "Dữ liệu minh họa" on the image.
"""

import io
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.formats import number_format
from PIL import Image, ImageDraw, ImageFont

from parindex.models import Edition, Result, Unit
from parindex.tables import DEMO_NOTICE

SIZE = (1200, 630)
FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts" / "dejavu"
BRAND = (165, 14, 14)
INK = (26, 26, 26)
MUTED = (85, 85, 85)
PAPER = (250, 248, 244)
CACHE_SECONDS = 60 * 60 * 24 * 30


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def _fit(draw, text: str, size: int, width: int, *, bold: bool = False):
    """The largest font up to `size` that fits `text` in `width` pixels."""
    while size > 18:
        font = _font(size, bold=bold)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 2
    return _font(size, bold=bold)


def _canvas(edition: Edition):
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, SIZE[0], 18], fill=BRAND)
    draw.text(
        (60, 50), "Chỉ số CCHC · PAR INDEX", font=_font(34, bold=True), fill=BRAND
    )
    draw.text(
        (60, 100),
        f"{edition.short_title} · {edition.get_group_display()}",
        font=_font(30),
        fill=MUTED,
    )
    if edition.is_demo:
        draw.rectangle([60, 540, 1140, 600], fill=(255, 236, 179))
        draw.text((80, 552), DEMO_NOTICE, font=_font(28, bold=True), fill=INK)
    return image, draw


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _cached(key: str, draw_image) -> bytes:
    content = cache.get(key)
    if content is None:
        content = draw_image()
        cache.set(key, content, CACHE_SECONDS)
    return content


def _version(edition: Edition) -> str:
    return f"{edition.pk}-{edition.updated_at.timestamp():.6f}"


def ranking_share_image(edition: Edition, leaders: list[Result]) -> bytes:
    """The edition's first units: "1. Quảng Ninh 91,54%"."""

    def draw_image() -> bytes:
        image, draw = _canvas(edition)
        draw.text(
            (60, 170), "Dẫn đầu bảng xếp hạng", font=_font(40, bold=True), fill=INK
        )
        for position, result in enumerate(leaders[:3]):
            line = (
                f"{result.rank}. {result.published_name}: "
                f"{number_format(result.index, 2)}%"
            )
            draw.text(
                (60, 250 + position * 90),
                line,
                font=_fit(draw, line, 52, 1080, bold=position == 0),
                fill=INK,
            )
        return _png(image)

    return _cached(f"parindex:share:ranking:{_version(edition)}", draw_image)


def unit_share_image(unit: Unit, result: Result | None, count: int) -> bytes:
    """A unit's latest public result: name, rank/total, index, edition."""

    def draw_image() -> bytes:
        if result is None:
            image = Image.new("RGB", SIZE, PAPER)
            draw = ImageDraw.Draw(image)
            draw.rectangle([0, 0, SIZE[0], 18], fill=BRAND)
            draw.text(
                (60, 50),
                "Chỉ số CCHC · PAR INDEX",
                font=_font(34, bold=True),
                fill=BRAND,
            )
            draw.text(
                (60, 200),
                unit.name,
                font=_fit(draw, unit.name, 64, 1080, bold=True),
                fill=INK,
            )
            draw.text(
                (60, 320), "Chưa có kết quả được công bố", font=_font(40), fill=MUTED
            )
            return _png(image)
        image, draw = _canvas(result.edition)
        draw.text(
            (60, 180),
            unit.name,
            font=_fit(draw, unit.name, 64, 1080, bold=True),
            fill=INK,
        )
        draw.text(
            (60, 300),
            f"Hạng {result.rank}/{count}",
            font=_font(72, bold=True),
            fill=BRAND,
        )
        draw.text(
            (60, 410),
            f"Chỉ số {number_format(result.index, 2)}%",
            font=_font(56),
            fill=INK,
        )
        return _png(image)

    version = _version(result.edition) if result is not None else "none"
    changed = f"{unit.updated_at.timestamp():.6f}"
    return _cached(f"parindex:share:unit:{unit.pk}:{changed}:{version}", draw_image)
