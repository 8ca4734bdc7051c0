"""Text pasted from Word or a web page, made into a body the editor can hold.

Word's clipboard HTML carries its own markup: `mso-` styles and classes,
conditional comments, `<o:p>`, and lists written as paragraphs
(`MsoListParagraph…`, `mso-list:l0 level1`) whose bullet or number is text
in a hidden span. The body editor would keep only the paragraphs, with a
"·   " in front. clean_pasted_html() rebuilds real lists, turns Heading 1
into a second-level heading (the first level is the article's title), keeps
tables, bold, italic and links, uploads images given as data: URLs into the
image library (other images cannot be fetched: they are reported), and says
in Vietnamese what it changed or removed. The result goes through the body's
own sanitiser (news.html.sanitize_html): nothing the paste held can bypass it.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from news.html import library_figure, sanitize_html

# At most this much pasted HTML is read (a 100-page report is about 2 MB).
MAX_PASTE_LENGTH = 5_000_000
# Alt text and caption of a pasted image that had none (the editor is told).
PASTED_IMAGE_TEXT = "Ảnh minh hoạ trong bài"

_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"}
# Dropped with their content; the first ones are reported (Word's <head>,
# <style> and <xml> are not news to the editor).
_DANGEROUS = {"script", "iframe", "object", "embed", "template", "noscript"}
_DROP_WITH_CONTENT = _DANGEROUS | {"head", "title", "style", "xml", "svg", "math"}
_RENAME = {"b": "strong", "i": "em", "h1": "h2", "h5": "h4", "h6": "h4"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote"}
_BLOCKS |= {"table", "caption", "thead", "tbody", "tr", "th", "td", "hr", "div"}
_SPACES = re.compile(r"\s+")

_SUPPORT_LISTS = re.compile(
    r"<!\[if !supportLists\]>(.*?)<!\[endif\]>", re.DOTALL | re.IGNORECASE
)
_CONDITIONAL_COMMENT = re.compile(r"<!--\[if.*?<!\[endif\]-->", re.DOTALL)
_DOWNLEVEL = re.compile(r"<!\[(?:end)?if[^\]]*\]>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_WORD_MARKS = re.compile(r"mso-|class=\"?Mso|<o:p|urn:schemas-microsoft", re.I)
_LIST_STYLE = re.compile(r"mso-list:\s*l(\d+)\s+level(\d+)", re.IGNORECASE)
_ORDERED_MARKER = re.compile(r"^\(?([0-9]+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]")
_DATA_URL = re.compile(
    r"^data:image/(png|jpeg|jpg|webp);base64,([A-Za-z0-9+/=\s]+)$", re.IGNORECASE
)


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving element tree (the standard library's parser)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag.lower(), {k.lower(): (v or "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if node.tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        tag = tag.lower()
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


@dataclass
class PasteResult:
    html: str
    notes: list[str]


class _Cleaner:
    def __init__(self, *, user, store_image):
        self.user = user
        self.store_image = store_image
        self.headings = 0
        self.list_items = 0
        self.uploaded = 0
        self.unreachable = 0
        self.refused: list[str] = []
        self.dropped: set[str] = set()

    # --- Images -----------------------------------------------------------

    def image(self, node: Node) -> str:
        """A library figure for a data: URL image, else "" (counted)."""
        found = _DATA_URL.match(node.attrs.get("src", "").strip())
        if not found:
            self.unreachable += 1
            return ""
        kind, payload = found.groups()
        try:
            data = base64.b64decode(re.sub(r"\s", "", payload), validate=True)
        except (binascii.Error, ValueError):
            self.refused.append("dữ liệu ảnh bị hỏng")
            return ""
        extension = "jpg" if kind.lower() in ("jpeg", "jpg") else kind.lower()
        text = (node.attrs.get("alt") or node.attrs.get("title") or "").strip()
        try:
            image = self.store_image(
                upload=SimpleUploadedFile(f"anh-dan.{extension}", data),
                alt=text[:250] or PASTED_IMAGE_TEXT,
                caption=text[:300] or PASTED_IMAGE_TEXT,
                user=self.user,
            )
        except ValidationError as error:
            self.refused.append(" ".join(error.messages).rstrip("."))
            return ""
        self.uploaded += 1
        return library_figure(image.pk)

    # --- Tree to HTML -----------------------------------------------------

    def inline(self, node, figures: list[str]) -> str:
        """HTML of a node inside a block; images become figures placed after it."""
        if isinstance(node, str):
            return escape(node.replace("\xa0", " "), quote=False)
        tag = node.tag
        if tag in _DROP_WITH_CONTENT:
            self.dropped.add(tag)
            return ""  # never shown, so not made into text either
        if tag == "img":
            figures.append(self.image(node))
            return ""
        if ":" in tag or (tag in ("span", "font") and _ignored(node)):
            return ""  # o:p, v:shape, w:…; Word's hidden list markers
        inner = "".join(self.inline(child, figures) for child in node.children)
        if tag == "a":
            href = node.attrs.get("href", "")
            inner = re.sub(r"</?u>", "", inner)  # Word underlines link text
            return f'<a href="{escape(href)}">{inner}</a>' if href else inner
        if tag == "br":
            return "<br>"
        tag = _RENAME.get(tag, tag)
        if tag in ("strong", "em", "u", "s", "sub", "sup"):
            return f"<{tag}>{inner}</{tag}>" if inner.strip() else inner
        return inner

    def block(self, node, out: list[str]) -> None:
        if isinstance(node, str):
            if node.strip():
                out.append(f"<p>{escape(node.strip(), quote=False)}</p>")
            return
        tag = _RENAME.get(node.tag, node.tag)
        if node.tag == "h1":
            self.headings += 1
        if node.tag in _DROP_WITH_CONTENT:
            self.dropped.add(node.tag)
            return
        if tag in ("p", "h2", "h3", "h4", "li", "th", "td", "caption"):
            figures: list[str] = []
            inner = "".join(self.inline(child, figures) for child in node.children)
            inner = _SPACES.sub(" ", inner).strip()
            if tag in ("th", "td", "caption", "li"):
                out.append(f"<{tag}{_span(node)}>{inner}</{tag}>")
                out.extend(figures)
                return
            if inner:
                out.append(f"<{tag}>{inner}</{tag}>")
            out.extend(figures)
            return
        if tag in ("table", "thead", "tbody", "tr", "ul", "ol", "blockquote"):
            inner: list[str] = []
            self.blocks(node.children, inner)
            out.append(f"<{tag}>{''.join(inner)}</{tag}>")
            return
        if tag == "hr":
            out.append("<hr>")
            return
        if tag == "img":
            out.append(self.image(node))
            return
        # div, body, html, span at top level, Word's own tags: their content.
        self.blocks(node.children, out)

    def blocks(self, children: list, out: list[str]) -> None:
        """Blocks in order, runs of Word list paragraphs made into lists."""
        run: list[tuple[int, bool, Node]] = []
        for child in children:
            item = _list_paragraph(child)
            if item is not None:
                run.append(item)
                continue
            if isinstance(child, str) and not child.strip() and run:
                continue  # whitespace between list paragraphs
            if run:
                out.append(self.word_list(run))
                run = []
            if (
                isinstance(child, Node)
                and child.tag not in _BLOCKS
                and not (
                    child.tag in _DROP_WITH_CONTENT or child.tag in ("body", "html")
                )
            ):
                # Inline content at block level: one paragraph.
                figures: list[str] = []
                inner = self.inline(child, figures).strip()
                if inner:
                    out.append(f"<p>{inner}</p>")
                out.extend(figures)
                continue
            self.block(child, out)
        if run:
            out.append(self.word_list(run))

    def word_list(self, run: list[tuple[int, bool, Node]]) -> str:
        """Nested <ul>/<ol> from Word list paragraphs (level, ordered, node)."""
        self.list_items += len(run)
        html: list[str] = []
        open_lists: list[str] = []
        for level, ordered, node in run:
            tag = "ol" if ordered else "ul"
            while len(open_lists) > level:
                html.append(f"</li></{open_lists.pop()}>")
            if len(open_lists) == level:
                html.append("</li>")
            while len(open_lists) < level:
                open_lists.append(tag)
                html.append(f"<{tag}>")
            figures: list[str] = []
            inner = "".join(self.inline(child, figures) for child in node.children)
            html.append(f"<li><p>{_SPACES.sub(' ', inner).strip()}</p>")
            html.extend(figures)
        while open_lists:
            html.append(f"</li></{open_lists.pop()}>")
        return "".join(html)

    def notes(self, word: bool) -> list[str]:
        notes = []
        if word:
            notes.append(
                "Đã bỏ định dạng riêng của Word (kiểu mso-, chú thích điều kiện, "
                "thẻ <o:p>, phông chữ và màu chữ)."
            )
        if self.list_items:
            notes.append(
                f"Đã chuyển {self.list_items} đoạn danh sách của Word thành danh "
                "sách có dấu đầu dòng hoặc đánh số."
            )
        if self.headings:
            notes.append(
                f"Đã đổi {self.headings} tiêu đề cấp 1 thành tiêu đề cấp 2 (cấp 1 "
                "là tiêu đề của bài)."
            )
        if self.uploaded:
            notes.append(
                f"Đã đưa {self.uploaded} ảnh vào Thư viện ảnh: hãy kiểm tra mô tả "
                "(alt) và chú thích của ảnh trong Thư viện ảnh."
            )
        if self.unreachable:
            notes.append(
                f"Đã bỏ {self.unreachable} ảnh nằm trên máy tính hoặc trang web "
                "khác (không tải về được): hãy tải ảnh lên bằng nút “Chèn ảnh”."
            )
        for reason in self.refused:
            notes.append(f"Đã bỏ một ảnh không nhận được: {reason}.")
        if dangerous := sorted(self.dropped & _DANGEROUS):
            notes.append(
                "Đã bỏ phần không được phép trong nội dung bài: "
                + ", ".join(f"<{tag}>" for tag in dangerous)
                + "."
            )
        return notes


def _ignored(node: Node) -> bool:
    return "mso-list:ignore" in node.attrs.get("style", "").replace(" ", "").lower()


def _span(node: Node) -> str:
    spans = []
    for name in ("colspan", "rowspan"):
        value = node.attrs.get(name, "")
        if value.isdigit() and value != "1":
            spans.append(f' {name}="{value}"')
    return "".join(spans)


def _text(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


def _marker(node: Node) -> str:
    """The bullet or number Word wrote before a list paragraph's text."""
    for child in node.children:
        if isinstance(child, Node):
            if _is_marker(child):
                return _text(child).replace("\xa0", " ").strip()
            found = _marker(child)
            if found:
                return found
    return ""


def _list_paragraph(node) -> tuple[int, bool, Node] | None:
    """(level, ordered, node) if `node` is one of Word's list paragraphs."""
    if not isinstance(node, Node) or node.tag != "p":
        return None
    style = _LIST_STYLE.search(node.attrs.get("style", ""))
    if style is None and "msolistparagraph" not in node.attrs.get("class", "").lower():
        return None
    level = int(style.group(2)) if style else 1
    ordered = bool(_ORDERED_MARKER.match(_marker(node)))
    _drop_markers(node)
    return max(1, min(level, 6)), ordered, node


def _is_marker(node) -> bool:
    return isinstance(node, Node) and (node.tag == "word-marker" or _ignored(node))


def _drop_markers(node: Node) -> None:
    node.children = [child for child in node.children if not _is_marker(child)]
    for child in node.children:
        if isinstance(child, Node):
            _drop_markers(child)


def looks_pasted_from_word(html: str) -> bool:
    """Whether `html` still carries Word's own markup (a body sent as pasted,
    without the editor's paste cleaning)."""
    return bool(_WORD_MARKS.search(html or ""))


def clean_pasted_html(html: str, *, user=None, store_image=None) -> PasteResult:
    """Pasted HTML as a body fragment, and what was changed, in Vietnamese.

    `store_image(upload=, alt=, caption=, user=)` makes a library image
    (news.services.image_create unless given).
    """
    if store_image is None:
        from news.services import image_create as store_image
    html = (html or "")[:MAX_PASTE_LENGTH]
    word = looks_pasted_from_word(html)
    # Word writes each list marker between <![if !supportLists]> and <![endif]>.
    html = _SUPPORT_LISTS.sub(r"<word-marker>\1</word-marker>", html)
    html = _CONDITIONAL_COMMENT.sub("", html)
    html = _DOWNLEVEL.sub("", html)
    html = _COMMENT.sub("", html)
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    cleaner = _Cleaner(user=user, store_image=store_image)
    out: list[str] = []
    cleaner.blocks(builder.root.children, out)
    return PasteResult(html=sanitize_html("".join(out)), notes=cleaner.notes(word))
