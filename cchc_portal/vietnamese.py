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


# Vietnamese alphabetical order: letters with a vowel mark of their own (ă â
# đ ê ô ơ ư) are letters, sorted after their base; tones are secondary (a à
# á ả ã ạ) and belong to the syllable, so "Hoà" and "Hòa" sort as one:
# "Bà Rịa" < "Bạc Liêu" < "Bắc Giang" < "Cà Mau" < "Cao Bằng" < "Cần Thơ"
# < "Đà Nẵng".
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTERS = {letter: position for position, letter in enumerate(ALPHABET, 20)}
_VOWEL_LETTERS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# ngang < huyền < sắc < hỏi < ngã < nặng
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_SPACE = 1


def _letters(text: str) -> tuple[list[int], list[int]]:
    """(a number per letter, a tone per syllable) of text, case-folded."""
    letters: list[int] = []
    tones: list[int] = [0]
    for char in nfc(text).casefold():
        parts = unicodedata.normalize("NFD", char)
        letter = parts[0]
        for mark in parts[1:]:
            if mark in _TONES:
                tones[-1] = _TONES[mark]
            else:
                letter = _VOWEL_LETTERS.get((parts[0], mark), letter)
        if letter in _LETTERS:
            letters.append(_LETTERS[letter])
        elif letter.isdigit():
            letters.append(10 + int(letter) % 10)
        elif letter.isspace():
            if letters and letters[-1] != _SPACE:
                letters.append(_SPACE)
                tones.append(0)
        elif letter.isalpha():  # a letter outside the alphabet (f, j, w, z)
            letters.append(50 + ord(letter) % 49)
        # punctuation is ignored ("Bà Rịa - Vũng Tàu" = "Bà Rịa Vũng Tàu")
    return letters, tones


def sort_key(text: str) -> tuple:
    """Key for sorted(): Vietnamese letter order first, tones second."""
    letters, tones = _letters(text)
    return (tuple(letters), tuple(tones), text)


def sort_key_text(text: str) -> str:
    """The same order as a string, for a stored key the database sorts under
    the "C" collation: two digits per letter, a space, a digit per syllable."""
    letters, tones = _letters(text)
    return "".join(f"{n:02d}" for n in letters) + " " + "".join(map(str, tones))
