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
# the matching tags. No <img>: a photo in the body is a library image named
# by its id, <figure data-image="42"></figure> (the LibraryImage extension,
# static/js/admin/library-image.js), which the page expands into a figure
# with its cleaned renditions (expand_library_images). A pasted <img>, which
# skipped the Pillow checks, never reaches a page.
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
    "LibraryImage": True,
    # Pasted HTML is cleaned by the server first (news/paste.py).
    "PasteCleaning": True,
    # Links to the portal's own pages by id (news/internal_links.py).
    "InternalLink": True,
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
    "figure",
}
ALLOWED_ATTRIBUTES = {
    "figure": {"data-image"},
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


# A figure naming a library image, whatever it holds; any other figure.
_LIBRARY_FIGURE = re.compile(
    r'<figure data-image="0*([1-9][0-9]{0,9})">.*?</figure>', re.DOTALL
)
_CANONICAL_FIGURE = re.compile(r'(<figure data-image="[0-9]+"></figure>)')
_FIGURE_TAG = re.compile(r"</?figure\b[^>]*>")


def library_figure(image_id: int) -> str:
    """How the body names library image `image_id`."""
    return f'<figure data-image="{int(image_id)}"></figure>'


def _canonical_figures(html: str) -> str:
    """Each library figure as library_figure() writes it (content dropped);
    other <figure> tags removed, their content kept."""
    html = _LIBRARY_FIGURE.sub(lambda match: library_figure(match.group(1)), html)
    # Odd items are the canonical figures (the split's captured group).
    parts = _CANONICAL_FIGURE.split(html)
    return "".join(
        part if number % 2 else _FIGURE_TAG.sub("", part)
        for number, part in enumerate(parts)
    )


def library_image_ids(html: str) -> list[int]:
    """The library images a (sanitised) body names, in order, each once."""
    return list(
        dict.fromkeys(int(found) for found in _LIBRARY_FIGURE.findall(html or ""))
    )


def expand_library_images(html: str, render) -> str:
    """Replace each library figure of a sanitised body by `render(image_id)`
    (trusted markup, or "" for an image that no longer exists)."""
    return _LIBRARY_FIGURE.sub(lambda match: render(int(match.group(1))), html)


def sanitize_html(html: str) -> str:
    """Return `html` with only the tags, attributes and URL schemes allowed."""
    cleaned = _canonical_figures(_cleaner.clean(html or ""))
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
