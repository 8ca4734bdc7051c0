"""Vietnamese full-text search: documents, queries and highlighting, in Python.

PostgreSQL does the matching and ranking (a `tsvector` column with a GIN
index, `@@` and `ts_rank`), but every word is prepared here, because the
server cannot be trusted with Vietnamese: the embedded PostgreSQL has no
`unaccent`, and under the C locale `lower()` leaves "Đ" alone and the text
parser counts every non-ASCII character, even “ or an emoji, as a letter. So
the document and the query are built in Python as literal `tsvector` and
`tsquery` values (no parser, no dictionary on the server) and behave the same
on every server and locale.

The lexemes are what the 'simple' configuration would store (no stemming,
no stop words), one per word, with two forms for a word with marks:

- the folded form ("đà nẵng" → "da", "nang"): what every query matches;
- the exact form ("đà", "nẵng") at the same position, so that a query typed
  with diacritics can rank exact matches first.

A folded form never contains a mark and an exact form always does, so the two
kinds never collide. Positions carry weights (title A, sapo B, tags and units
C, body D) and leave a gap between fields, so a quoted phrase matches words in
order within one field ("một cửa" never matches "cửa … một").
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cchc_portal.vietnamese import fold, nfc

# A word: letters and digits (any script), plus combining marks a decomposed
# (NFD) text may still hold after NFC. Punctuation, symbols, emoji and "_"
# separate words.
WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
# Words longer than this are not language (hashes, run-together junk).
MAX_WORD_LENGTH = 60
# PostgreSQL keeps positions up to 16383 and 256 positions per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255
# Positions skipped between two fields (or two tags): no phrase spans them.
FIELD_GAP = 2

# What a visitor may type: the header box allows 200 characters; longer input
# (a pasted paragraph, a robot) is cut at a word boundary.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Up to this many words, results with all of them side by side come first.
MAX_ADJACENT_WORDS = 8
# Only this much of the raw input is looked at before cleaning.
RAW_INPUT_LIMIT = MAX_QUERY_LENGTH * 4
QUOTES = '"“”„«»'
_QUOTE_SPLIT = re.compile(f"[{QUOTES}]")
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


# Words and lexemes -------------------------------------------------------------


def words(text: str) -> Iterator[re.Match]:
    """The words of NFC text, as matches (so callers know where each one is)."""
    return WORD.finditer(text)


@lru_cache(maxsize=65536)
def lexemes(word: str) -> tuple[str, ...]:
    """(folded,) or (folded, exact) for one word; () for an over-long word."""
    if len(word) > MAX_WORD_LENGTH:
        return ()
    exact = nfc(word).casefold()
    folded = fold(exact)
    if not folded:
        return ()
    return (folded,) if folded == exact else (folded, exact)


def folded_word(word: str) -> str:
    """The folded lexeme of one word ("" when it is not searchable)."""
    forms = lexemes(word)
    return forms[0] if forms else ""


def _quote(lexeme: str) -> str:
    """A lexeme as a quoted tsvector/tsquery literal element."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def html_to_text(markup: str) -> str:
    """Readable text of sanitised article HTML (tags become spaces)."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", markup or ""))).strip()


# Documents ---------------------------------------------------------------------


def search_document(
    *,
    title: str,
    sapo: str = "",
    body: str = "",
    tags: Iterable[str] = (),
    units: Iterable[str] = (),
) -> str:
    """The article's search document as a PostgreSQL `tsvector` literal.

    `body` is the article's HTML; tags and units are names. Weights: title A,
    sapo B, tags and units C, body D.
    """
    fields: list[tuple[str, Sequence[str]]] = [
        ("A", [title]),
        ("B", [sapo]),
        ("C", [*tags, *units]),
        ("D", [html_to_text(body)]),
    ]
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, texts in fields:
        for text in texts:
            position += FIELD_GAP
            for match in words(nfc(text or "")):
                position += 1
                entry = f"{min(position, MAX_POSITION)}{weight}"
                for lexeme in lexemes(match.group()):
                    found = positions.setdefault(lexeme, [])
                    if len(found) < MAX_POSITIONS_PER_LEXEME:
                        found.append(entry)
    return " ".join(
        f"{_quote(lexeme)}:{','.join(entries)}" for lexeme, entries in positions.items()
    )


# Queries -----------------------------------------------------------------------


def folded_words(text: str) -> tuple[str, ...]:
    """The folded lexemes of a text's words, in order."""
    found = (folded_word(match.group()) for match in words(nfc(text or "")))
    return tuple(folded for folded in found if folded)


def _phrase(lexemes: Sequence[str], weights: str = "") -> str:
    quoted = [_quote(lexeme) + weights for lexeme in lexemes]
    if len(quoted) == 1:
        return quoted[0]
    return "(" + " <-> ".join(quoted) + ")"


class Synonyms:
    """Word sequences that mean the same, folded: the glossary's abbreviations
    and their meanings ("cchc" ↔ "cai cach hanh chinh"), both ways.

    A meaning that holds another entry's meaning is also known with that
    entry's abbreviation ("chi so cai cach hanh chinh" → "chi so cchc").
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        groups: list[set[tuple[str, ...]]] = []
        for abbreviation, meaning in pairs:
            forms = {folded_words(abbreviation), folded_words(meaning)}
            forms.discard(())
            if len(forms) > 1:
                groups.append(forms)
        # Shorter forms inside longer ones: one pass is enough for a glossary.
        for group in groups:
            for other in groups:
                if other is group:
                    continue
                short = min(other, key=len)
                for long_form in [form for form in other if form != short]:
                    for form in list(group):
                        replaced = _replace_run(form, long_form, short)
                        if replaced != form:
                            group.add(replaced)
        self._forms: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for group in groups:
            for form in group:
                self._forms.setdefault(form, set()).update(group)
        self.longest = max((len(form) for form in self._forms), default=0)

    def __bool__(self) -> bool:
        return bool(self._forms)

    def others(self, folded: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """The other forms of these folded words (() when they have none)."""
        return tuple(sorted(self._forms.get(folded, set()) - {folded}))


def _replace_run(
    form: tuple[str, ...], run: tuple[str, ...], by: tuple[str, ...]
) -> tuple[str, ...]:
    for start in range(len(form) - len(run) + 1):
        if form[start : start + len(run)] == run:
            return form[:start] + by + form[start + len(run) :]
    return form


NO_SYNONYMS = Synonyms()


@dataclass(frozen=True)
class Term:
    """One thing every result must contain: a word, or words in this order.

    `spread`: several words typed apart, each anywhere (they were joined only
    because together they have `alternatives`, other word sequences that
    match instead: "cai cach hanh chinh" or the phrase "cchc").
    """

    words: tuple[str, ...]
    quoted: bool = False
    alternatives: tuple[tuple[str, ...], ...] = ()
    spread: bool = False

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(folded_word(word) for word in self.words)

    @property
    def exact(self) -> tuple[str, ...]:
        """Exact lexemes of the words typed with marks ("đà", "nẵng")."""
        return tuple(forms[1] for word in self.words if len(forms := lexemes(word)) > 1)

    def tsquery(self, weights: str = "") -> str:
        """Folded tsquery text; `weights` (":A") limits it to those fields."""
        if self.spread:
            own = "(" + " & ".join(_quote(f) + weights for f in self.folded) + ")"
        else:
            own = _phrase(self.folded, weights)
        if not self.alternatives:
            return own
        alternatives = [_phrase(form, weights) for form in self.alternatives]
        return "(" + " | ".join([own, *alternatives]) + ")"


@dataclass(frozen=True)
class ParsedQuery:
    """What a visitor typed, cleaned and split into terms."""

    text: str = ""
    terms: tuple[Term, ...] = ()
    any_word: bool = False
    # The input was cut to MAX_QUERY_LENGTH characters or MAX_TERMS terms.
    shortened: bool = False
    # Something was typed, but no letter or digit (punctuation, emoji only).
    unsearchable: bool = False
    synonyms: Synonyms = field(default=NO_SYNONYMS, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def has_phrase(self) -> bool:
        return any(term.quoted and len(term.words) > 1 for term in self.terms)

    def tsquery(self) -> str:
        """Folded tsquery text: every term (or, in any-word mode, one of them)."""
        joiner = " | " if self.any_word else " & "
        return joiner.join(term.tsquery() for term in self.terms)

    def title_tsquery(self) -> str | None:
        """Every term in the title: the article is about all the words, not
        one that is common everywhere ("cong bo par index" finds "Công bố
        Chỉ số CCHC" before a body saying "công" often). None for one term or
        in any-word mode."""
        if self.any_word or len(self.terms) < 2:
            return None
        return " & ".join(term.tsquery(":A") for term in self.terms)

    def exact_tsquery(self) -> str | None:
        """The words typed with marks, exactly; None when there are none."""
        exact = [lexeme for term in self.terms for lexeme in term.exact]
        if not exact:
            return None
        joiner = " | " if self.any_word else " & "
        return joiner.join(_quote(lexeme) for lexeme in dict.fromkeys(exact))

    def adjacent_tsquery(self) -> str | None:
        """All the words side by side in the order typed ("da nang" as a phrase).

        Articles where the words typed together stand together rank first:
        "da nang" finds Đà Nẵng before an article with "đã" and "năng" far
        apart. None for a single word or in any-word mode.
        """
        folded = [lexeme for term in self.terms for lexeme in term.folded]
        if self.any_word or len(self.terms) < 2 or len(folded) > MAX_ADJACENT_WORDS:
            return None
        return " <-> ".join(_quote(lexeme) for lexeme in folded)

    def without_quotes(self) -> ParsedQuery:
        """The same words, each on its own (a looser search)."""
        return parse_query(
            " ".join(" ".join(t.words) for t in self.terms),
            any_word=self.any_word,
            synonyms=self.synonyms,
        )

    def as_any_word(self) -> ParsedQuery:
        return replace(self, any_word=True)


def clean_query_text(raw: str) -> tuple[str, bool]:
    """NFC text without control characters, at most MAX_QUERY_LENGTH long.

    Returns (text, shortened). Control and format characters (NUL included:
    PostgreSQL refuses it in text) become spaces.
    """
    raw = raw or ""
    shortened = len(raw) > RAW_INPUT_LIMIT
    text = nfc(raw[:RAW_INPUT_LIMIT])
    text = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in text
    )
    text = _SPACES.sub(" ", text).strip()
    if len(text) > MAX_QUERY_LENGTH:
        shortened = True
        cut = text[: MAX_QUERY_LENGTH + 1]
        space = cut.rfind(" ")
        # Cut between words when a word boundary is near the limit.
        text = cut[:space] if space > MAX_QUERY_LENGTH - 40 else cut[:MAX_QUERY_LENGTH]
        text = text.strip()
    return text, shortened


def parse_query(
    raw: str, *, any_word: bool = False, synonyms: Synonyms = NO_SYNONYMS
) -> ParsedQuery:
    """Split typed text into terms: words, and "quoted phrases" kept in order.

    A chunk joined by punctuation ("QĐ-BNV", "81/2023") is a phrase too. An
    unclosed quote runs to the end of the text. Words (or a phrase) that
    `synonyms` knows also match their other forms.
    """
    text, shortened = clean_query_text(raw)
    terms: list[Term] = []
    # The split alternates text outside quotes and text inside them.
    for part_number, segment in enumerate(_QUOTE_SPLIT.split(text)):
        quoted = part_number % 2 == 1
        chunks = [segment] if quoted else segment.split()
        for chunk in chunks:
            found = tuple(
                match.group() for match in words(chunk) if lexemes(match.group())
            )
            if found:
                terms.append(Term(found, quoted=quoted and len(found) > 1))
    unique = list(dict.fromkeys(terms))
    if len(unique) > MAX_TERMS:
        unique = unique[:MAX_TERMS]
        shortened = True
    if synonyms:
        unique = _with_synonyms(unique, synonyms)
    return ParsedQuery(
        text=text,
        terms=tuple(unique),
        any_word=any_word,
        shortened=shortened,
        unsearchable=bool(text) and not unique,
        synonyms=synonyms,
    )


def _with_synonyms(terms: list[Term], synonyms: Synonyms) -> list[Term]:
    """Terms with their synonyms: the longest run of words typed apart that
    the glossary knows becomes one term; a phrase is looked up whole."""
    result: list[Term] = []
    at = 0
    while at < len(terms):
        term = terms[at]
        if len(term.words) > 1:
            result.append(replace(term, alternatives=synonyms.others(term.folded)))
            at += 1
            continue
        for end in range(min(len(terms), at + synonyms.longest), at, -1):
            run = terms[at:end]
            if any(len(item.words) > 1 for item in run):
                continue
            others = synonyms.others(tuple(item.folded[0] for item in run))
            if others:
                words_typed = tuple(item.words[0] for item in run)
                result.append(
                    Term(words_typed, alternatives=others, spread=len(run) > 1)
                )
                at = end
                break
        else:
            result.append(term)
            at += 1
    return result


# Highlighting ------------------------------------------------------------------


def _matched_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """(start, end) of every matched word or phrase in text, in order."""
    found = [
        (match.start(), match.end(), folded_word(match.group()))
        for match in words(text)
    ]
    single: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for term in query.terms:
        for form in (term.folded, *term.alternatives):
            if len(form) == 1 or (term.spread and form == term.folded):
                single.update(form)
            else:
                phrases.append(form)
    phrases.sort(key=len, reverse=True)
    spans = []
    at = 0
    while at < len(found):
        for phrase in phrases:
            candidate = tuple(item[2] for item in found[at : at + len(phrase)])
            if candidate == phrase:
                spans.append((found[at][0], found[at + len(phrase) - 1][1]))
                at += len(phrase)
                break
        else:
            if found[at][2] in single:
                spans.append(found[at][:2])
            at += 1
    return spans


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans separated only by spaces merged: <mark>Đà Nẵng</mark>, not two."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and not text[joined[-1][1] : start].strip():
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _marked(text: str, spans: list[tuple[int, int]]) -> SafeString:
    parts = []
    cursor = 0
    for start, end in _joined(text, spans):
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))


def highlight(text: str, query: ParsedQuery) -> SafeString:
    """text, HTML-escaped, with the words the query matched in <mark>."""
    text = nfc(text or "")
    return _marked(text, _matched_spans(text, query) if query else [])


def snippet(
    texts: Sequence[str], query: ParsedQuery, *, max_words: int = 40
) -> SafeString:
    """A passage of about max_words words around the first match, highlighted.

    `texts` are plain texts in order of preference (sapo, then body); the
    first one containing a match is used, otherwise the start of the first.
    """
    texts = [nfc(text or "") for text in texts if text]
    if not texts:
        return mark_safe("")
    chosen, spans = texts[0], []
    if query:
        for text in texts:
            spans = _matched_spans(text, query)
            if spans:
                chosen = text
                break
    boundaries = [(match.start(), match.end()) for match in words(chosen)]
    if len(boundaries) <= max_words:
        return _marked(chosen, spans)
    first = spans[0][0] if spans else 0
    first_word = next(
        (i for i, (start, _) in enumerate(boundaries) if start >= first), 0
    )
    start_word = max(0, min(first_word - max_words // 4, len(boundaries) - max_words))
    end_word = start_word + max_words - 1
    start = boundaries[start_word][0] if start_word else 0
    end = boundaries[end_word][1]
    inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    passage = _marked(chosen[start:end], inside)
    prefix = "… " if start_word else ""
    suffix = " …" if end_word < len(boundaries) - 1 else ""
    return mark_safe(prefix + passage + suffix)
