"""Vietnamese text helpers shared by news and parindex: NFC, folding, slugs.

Names and search terms arrive as NFC or NFD depending on the keyboard, with
or without tones and in any case; everything that compares Vietnamese text
goes through these functions so that "Đà Nẵng", "ĐÀ NẴNG", "da nang" and the
decomposed form all meet.
"""

import re
import unicodedata

from django.utils.text import slugify as django_slugify

# đ/Đ are letters of their own, not d with a mark: decomposition leaves them
# alone, and Django's slugify drops them ("Đà Nẵng" -> "a-nang").
_D_WITH_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
_SPACE_RUN = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return text in Unicode NFC form (the form stored everywhere)."""
    return unicodedata.normalize("NFC", text)


def strip_tones(text: str) -> str:
    """Remove Vietnamese tone and vowel marks and map đ to d, keeping case."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_WITH_STROKE))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare)


def fold(text: str) -> str:
    """Fold text for matching: no marks, lower case, single spaces."""
    return _SPACE_RUN.sub(" ", strip_tones(text).casefold()).strip()


def slugify(text: str, max_length: int | None = None) -> str:
    """Make an ASCII URL slug: "Đẩy mạnh cải cách" -> "day-manh-cai-cach"."""
    slug = django_slugify(strip_tones(nfc(text)))
    if max_length is not None and len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug
