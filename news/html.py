"""Article body HTML: what the editor may produce, sanitising, glossary marks.

The body is cleaned with nh3 when it is saved and again when it is shown, so
neither a paste into the editor nor a row written by hand (shell, import,
older code) can put scripts, event handlers, `javascript:` URLs, inline styles
or iframes on a public page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import nh3
from django.utils.html import escape

# What editors can make in django-prose-editor; the sanitiser allows exactly
# the matching tags. Images are not part of the body: the hero image goes
# through the Pillow checks and gets responsive sizes, a pasted <img> would not.
BODY_EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "HTML": True,
}

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "a",
    "abbr",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    # Contents of these are dropped with the tag, not kept as text.
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)

_EMPTY_DOCUMENT = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")


def sanitize_html(html: str) -> str:
    """Return `html` with only the tags, attributes and URL schemes allowed."""
    cleaned = _cleaner.clean(html or "")
    # The editor leaves "<p></p>" in an empty field; store it as empty.
    return "" if _EMPTY_DOCUMENT.match(cleaned) else cleaned


# Markup split into tags and the text between them.
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
# Inside these, text is left as it is (already marked, or not prose).
_SKIP_INSIDE = {"abbr", "a", "h2", "h3", "h4"}


def mark_abbreviations(html: str, terms: Iterable[tuple[str, str]]) -> str:
    """Wrap the first use of each glossary abbreviation in <abbr title="…">.

    `html` must already be sanitised (its text parts are escaped); only text
    between tags is touched, never attribute values, links or headings.
    """
    meanings = dict(terms)
    if not html or not meanings:
        return html
    alternatives = sorted(meanings, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w])"
    )
    remaining = set(meanings)
    skip_depth = 0
    parts = _TAG_OR_TEXT.split(html)
    for number, part in enumerate(parts):
        if not remaining:
            break
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _SKIP_INSIDE:
                skip_depth += -1 if part.startswith("</") else 1
            continue
        if skip_depth > 0 or not part:
            continue

        def replace(match: re.Match) -> str:
            word = match.group(1)
            if word not in remaining:
                return word
            remaining.discard(word)
            return f'<abbr title="{escape(meanings[word])}">{word}</abbr>'

        parts[number] = pattern.sub(replace, part)
    return "".join(parts)
