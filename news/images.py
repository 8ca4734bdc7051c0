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
MAX_PIXELS = 40_000_000  # e.g. 8000 x 5000
MIN_WIDTH = 320
MIN_HEIGHT = 180
# Widths served through srcset; an image is never enlarged.
RENDITION_WIDTHS = (480, 800, 1200)
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
}


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


def _open_checked(upload) -> Image.Image:
    """Open an upload with Pillow after checking size, type and dimensions."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "Ảnh quá lớn (%(size)s MB); tối đa %(max)s MB.",
            code="image_too_large",
            params={
                "size": megabytes(size),
                "max": MAX_UPLOAD_BYTES // 1024 // 1024,
            },
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in FORMATS:
                raise ValidationError(
                    "Chỉ nhận ảnh JPEG, PNG hoặc WebP (tệp này là %(format)s).",
                    code="image_format",
                    params={"format": image_format or "không rõ"},
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    "Ảnh có quá nhiều điểm ảnh (%(width)s × %(height)s); "
                    "tối đa 40 triệu điểm ảnh.",
                    code="image_too_many_pixels",
                    params={"width": width, "height": height},
                )
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "Tệp tải lên không phải là ảnh hợp lệ (JPEG, PNG hoặc WebP).",
            code="image_invalid",
        ) from error
    finally:
        upload.seek(0)
    if image.width < MIN_WIDTH or image.height < MIN_HEIGHT:
        raise ValidationError(
            "Ảnh quá nhỏ (%(width)s × %(height)s); cần ít nhất %(min_w)s × %(min_h)s.",
            code="image_too_small",
            params={
                "width": image.width,
                "height": image.height,
                "min_w": MIN_WIDTH,
                "min_h": MIN_HEIGHT,
            },
        )
    return image


def check_image(upload) -> None:
    """Model/form validator: raise ValidationError unless `upload` is acceptable."""
    if getattr(upload, "_committed", False):
        return  # a file already stored (checked when it was uploaded)
    _open_checked(upload).close()


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
    source = _open_checked(upload)
    image_format = source.format
    extension = FORMATS[image_format]
    # Apply the camera's orientation to the pixels, then drop all metadata.
    image = ImageOps.exif_transpose(source)
    image.info = {}
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
    source.close()
    return StoredImage(
        name=name, width=image.width, height=image.height, renditions=renditions
    )
