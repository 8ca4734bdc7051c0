"""Uploaded images: checked with Pillow, cleaned, stored in several widths.

Only real JPEG, PNG and WebP files within the size and pixel limits are
accepted (SVG and anything Pillow cannot decode are refused). The stored
original is re-encoded from the pixels with its orientation applied, so no
EXIF (camera, GPS position) or other metadata survives, and it gets a
generated name: nothing the uploader named reaches the disk.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import formats, timezone
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 x 5000, a JPEG photo
# PNG and WebP cannot be decoded at a reduced scale as JPEG can: every pixel
# is decoded, so they get a lower limit (4 bytes a pixel: 16 MP is 64 MB).
MAX_PIXELS_FULL_DECODE = 16_000_000
# WebP costs four times that: Pillow decodes it through libwebp's animation
# decoder, which keeps two full canvases and hands over a third copy before
# the image is filled (16 bytes a pixel; 16 MP peaked at 319 MB in
# bench/images.py). Pillow offers no reduced-scale WebP decode, so the bound
# is the pixel count: 12 MP (a 4000 x 3000 phone photo) decodes in ~190 MB.
MAX_PIXELS_WEBP = 12_000_000
# How the error message names each format.
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MIN_WIDTH = 320
MIN_HEIGHT = 180
# Widths served through srcset; an image is never enlarged. The stored
# original is at most MAX_STORED_WIDTH wide (no page shows it wider).
RENDITION_WIDTHS = (480, 800, 1200)
MAX_STORED_WIDTH = 2400
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# File name endings each format may carry; any other ending is a lie.
EXTENSIONS = {
    "JPEG": {"jpg", "jpeg", "jpe", "jfif"},
    "PNG": {"png"},
    "WEBP": {"webp"},
}
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    # optimize=True (zlib level 9) took over a minute on a 9 MP photo-like PNG.
    "PNG": {"compress_level": 6},
    "WEBP": {"quality": 80, "method": 4},
}
INVALID = "Tệp tải lên không phải là ảnh hợp lệ (JPEG, PNG hoặc WebP)."


@dataclass(frozen=True)
class StoredImage:
    """Where an image was stored and the widths generated from it."""

    name: str
    width: int
    height: int
    renditions: list[dict]


def megabytes(size: int) -> str:
    """A file size in MB with one decimal, as Vietnamese writes it ("10,5")."""
    # number_format cuts extra decimals off; round first so 10.96 MB is "11,0".
    return formats.number_format(round(size / 1024 / 1024, 1), decimal_pos=1)


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        "Ảnh quá lớn (%(size)s MB); tối đa %(max)s MB.",
        code="image_too_large",
        params={"size": megabytes(size), "max": MAX_UPLOAD_BYTES // 1024 // 1024},
    )


def _read(upload) -> bytes:
    """The upload's bytes, read without closing or moving it for its owner.

    Pillow closes the file it decodes from in some cases (PNG), and Django
    still has to save or re-read the upload afterwards, so Pillow only ever
    sees a copy in memory (at most MAX_UPLOAD_BYTES).
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_large(size)
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large(len(data))
    return data


def _extension(name: str) -> str:
    stem, dot, extension = (name or "").rpartition(".")
    return extension.lower() if dot and stem and "/" not in extension else ""


def _probe(data: bytes, name: str) -> tuple[str, tuple[int, int]]:
    """Format and size from the header; refuse what must not be decoded."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            frames = getattr(probe, "n_frames", 1)
            if image_format in FORMATS:
                probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(INVALID, code="image_invalid") from error
    if image_format not in FORMATS:
        raise ValidationError(
            "Chỉ nhận ảnh JPEG, PNG hoặc WebP (tệp này là %(format)s).",
            code="image_format",
            params={"format": image_format or "không rõ"},
        )
    extension = _extension(name)
    if extension and extension not in EXTENSIONS[image_format]:
        raise ValidationError(
            "Tên tệp có đuôi .%(extension)s nhưng nội dung là ảnh %(format)s: "
            "hãy kiểm tra lại tệp (có thể tệp đã bị đổi tên).",
            code="image_extension",
            params={"extension": extension, "format": image_format},
        )
    if frames > 1:
        raise ValidationError(
            "Ảnh động (%(frames)s khung hình) không được nhận; hãy dùng ảnh tĩnh.",
            code="image_animated",
            params={"frames": frames},
        )
    limit = {"JPEG": MAX_PIXELS, "WEBP": MAX_PIXELS_WEBP}.get(
        image_format, MAX_PIXELS_FULL_DECODE
    )
    if width * height > limit:
        raise ValidationError(
            "Ảnh có quá nhiều điểm ảnh (%(width)s × %(height)s); ảnh %(format)s "
            "tối đa %(limit)s triệu điểm ảnh: hãy thu nhỏ ảnh rồi tải lên lại.",
            code="image_too_many_pixels",
            params={
                "width": width,
                "height": height,
                "format": FORMAT_NAMES[image_format],
                "limit": limit // 1_000_000,
            },
        )
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(
            "Ảnh quá nhỏ (%(width)s × %(height)s); cần ít nhất %(min_w)s × %(min_h)s.",
            code="image_too_small",
            params={
                "width": width,
                "height": height,
                "min_w": MIN_WIDTH,
                "min_h": MIN_HEIGHT,
            },
        )
    return image_format, (width, height)


def _load(data: bytes) -> Image.Image:
    """Decode the pixels, a JPEG at a reduced DCT scale (1/2, 1/4, 1/8) still
    at least MAX_STORED_WIDTH on both sides: a 40 MP photo costs a quarter
    of its pixels."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.format == "JPEG":
            # Square: a rotated photo's height becomes its width.
            image.draft("RGB", (MAX_STORED_WIDTH, MAX_STORED_WIDTH))
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(INVALID, code="image_invalid") from error
    return image


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """The pixels to store, orientation applied, at most MAX_STORED_WIDTH wide."""
    image = _load(data)
    image_format = image.format
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(INVALID, code="image_invalid") from error
    if image.width > MAX_STORED_WIDTH:
        height = round(image.height * MAX_STORED_WIDTH / image.width)
        image = image.resize((MAX_STORED_WIDTH, height), Image.Resampling.LANCZOS)
    image.info = {}
    return image, image_format


def check_image(upload) -> None:
    """Model/form validator: raise ValidationError unless `upload` is acceptable.

    The pixels are decoded too (a truncated JPEG passes Pillow's verify()),
    at the bounded cost of _load().
    """
    if getattr(upload, "_committed", False):
        return  # a file already stored (checked when it was uploaded)
    data = _read(upload)
    _probe(data, getattr(upload, "name", ""))
    _load(data).close()


def _encode(image: Image.Image, image_format: str) -> bytes:
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image_format in ("PNG", "WEBP") and image.mode not in (
        "RGB",
        "RGBA",
        "L",
        "LA",
        "P",
    ):
        image = image.convert("RGBA")
    buffer = io.BytesIO()
    # No exif=, icc_profile= or pnginfo=: Pillow then writes no metadata.
    image.save(buffer, format=image_format, **SAVE_OPTIONS[image_format])
    return buffer.getvalue()


def store_image(
    upload, *, folder: str = "news", stem: str | None = None
) -> StoredImage:
    """Check, clean and store an upload plus its narrower renditions.

    `stem` gives a fixed file name (demo data); otherwise a random one is made.
    """
    data = _read(upload)
    _probe(data, getattr(upload, "name", ""))
    image, image_format = _decode(data)
    extension = FORMATS[image_format]
    if stem is None:
        stem = f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    name = default_storage.save(
        f"{folder}/{stem}.{extension}", ContentFile(_encode(image, image_format))
    )
    renditions = []
    for width in RENDITION_WIDTHS:
        if width >= image.width:
            break
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        rendition_name = default_storage.save(
            f"{folder}/{stem}-{width}.{extension}",
            ContentFile(_encode(resized, image_format)),
        )
        renditions.append({"width": width, "height": height, "name": rendition_name})
    renditions.append({"width": image.width, "height": image.height, "name": name})
    return StoredImage(
        name=name, width=image.width, height=image.height, renditions=renditions
    )


def rendition_src(renditions: list[dict], *, near: int = 800) -> str:
    """URL of the narrowest stored width of at least `near` px (else the widest)."""
    for rendition in renditions:
        if rendition["width"] >= near:
            return default_storage.url(rendition["name"])
    return default_storage.url(renditions[-1]["name"]) if renditions else ""


def rendition_srcset(renditions: list[dict]) -> str:
    """`srcset` value listing every stored width."""
    return ", ".join(
        f"{default_storage.url(item['name'])} {item['width']}w" for item in renditions
    )


def delete_stored(renditions: list[dict]) -> None:
    """Remove a stored image's files (the original is the widest rendition)."""
    for rendition in renditions:
        default_storage.delete(rendition["name"])
