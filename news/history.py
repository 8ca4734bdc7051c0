"""Reading article versions (django-simple-history) for the admin.

Which fields each version changed, and how a version differs from the
current article. Tags, units and curated links are part of every version. Pages of
versions cost a fixed number of queries: their tags and links are read in
bulk and compared in Python.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape

from django.core.paginator import Page, Paginator
from django.utils import formats, timezone
from django.utils.html import strip_tags

from news.models import Article, ArticleLink, Category, Tag
from parindex.models import Unit

VERSIONS_PER_PAGE = 25

# What restoring a version brings back: the content. Status, publication and
# expiry times, the home-page "featured" flag and the reviewer's comment stay
# as they are, so a restore never publishes, unpublishes or reschedules.
RESTORED_FIELDS = (
    "title",
    "slug",
    "sapo",
    "body",
    "hero_image",
    "hero_alt",
    "hero_caption",
    "hero_width",
    "hero_height",
    "hero_renditions",
    "byline",
    "source_agency",
    "category_id",
    "change_note",
    "change_noted_at",
)

# Compared fields, in form order: (attribute, label).
COMPARED_FIELDS = (
    ("title", "Tiêu đề"),
    ("slug", "Đường dẫn"),
    ("sapo", "Sapo"),
    ("body", "Nội dung"),
    ("hero_image", "Ảnh đại diện"),
    ("hero_alt", "Mô tả ảnh (alt)"),
    ("hero_caption", "Chú thích ảnh"),
    ("category_id", "Chuyên mục"),
    ("tags", "Thẻ"),
    ("units", "Đơn vị liên quan"),
    ("featured", "Tin nổi bật"),
    ("byline", "Tác giả"),
    ("source_agency", "Nguồn"),
    ("status", "Trạng thái"),
    ("published_at", "Thời điểm xuất bản"),
    ("expires_at", "Hết hạn"),
    ("change_note", "Ghi chú cập nhật"),
    ("review_comment", "Nhận xét của người duyệt"),
    ("related", "Tin liên quan"),
)
LABELS = dict(COMPARED_FIELDS)
MANY_VALUED = ("tags", "units", "related")
# What a restore brings back; the other compared fields (status, times,
# "featured", the reviewer's comment) stay as they are.
RESTORED = frozenset({*RESTORED_FIELDS, *MANY_VALUED})
HISTORY_TYPES = {"+": "Tạo", "~": "Sửa", "-": "Xoá"}
# Block-level ends in article bodies: each block is one line of the body diff.
_BLOCK_END = re.compile(
    r"</(?:p|h2|h3|h4|li|blockquote|tr|caption)>|<br\s*/?>|<hr\s*/?>"
)


def user_label(user) -> str:
    """How an editor is named in the admin: full name, else user name."""
    if user is None:
        return "Hệ thống"
    return user.get_full_name() or user.get_username()


@dataclass
class Snapshot:
    """The compared values of an article or of one of its versions."""

    values: dict
    tag_ids: list[int]
    unit_ids: list[int]
    link_ids: list[int]

    def get(self, name: str):
        if name == "tags":
            return self.tag_ids
        if name == "units":
            return self.unit_ids
        if name == "related":
            return self.link_ids
        return self.values[name]


def _scalar_values(obj) -> dict:
    values = {}
    for name, _label in COMPARED_FIELDS:
        if name in MANY_VALUED:
            continue
        value = getattr(obj, name)
        if name == "hero_image":
            value = getattr(value, "name", value) or ""
        values[name] = value
    return values


def changed_fields(old: Snapshot | None, new: Snapshot) -> list[str]:
    """Labels of the fields that differ between two snapshots (all for a first)."""
    if old is None:
        return []
    return [label for name, label in COMPARED_FIELDS if old.get(name) != new.get(name)]


@dataclass
class VersionRow:
    """One line of an article's history: when, who, what step, which fields."""

    version: object
    when: object
    who: str
    kind: str
    reason: str
    changed: list[str] = field(default_factory=list)


def _ids_per_version(history_rows, ids: list[int], field: str, *order) -> dict:
    """{history_id: [field values in order]} for the versions with these ids."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for history_id, value in (
        history_rows.filter(history_id__in=ids)
        .order_by(*order)
        .values_list("history_id", field)
    ):
        grouped[history_id].append(value)
    return grouped


def _version_snapshots(versions: list) -> dict[int, Snapshot]:
    """Snapshots of many versions: three queries for all their tags, units, links."""
    history_model = Article.history.model
    ids = [version.history_id for version in versions]
    tags = _ids_per_version(history_model.tags.model.objects, ids, "tag_id", "tag_id")
    units = _ids_per_version(
        history_model.units.model.objects, ids, "unit_id", "unit_id"
    )
    links = _ids_per_version(
        history_model.related.model.objects, ids, "to_article_id", "position", "id"
    )
    return {
        version.history_id: Snapshot(
            _scalar_values(version),
            tags[version.history_id],
            units[version.history_id],
            links[version.history_id],
        )
        for version in versions
    }


def version_snapshot(version) -> Snapshot:
    """One version's compared values (three queries: tags, units, links)."""
    return _version_snapshots([version])[version.history_id]


def latest_version(article: Article, *, reason: str | None = None):
    """The article's newest version, or its newest recorded with `reason`,
    with the editor who saved it (one query; None when there is none)."""
    versions = article.history.select_related("history_user")
    if reason is not None:
        versions = versions.filter(history_change_reason=reason)
    return versions.first()


def article_snapshot(article: Article) -> Snapshot:
    """The current article's compared values (three queries: tags, units, links)."""
    return Snapshot(
        _scalar_values(article),
        sorted(article.tags.values_list("pk", flat=True)),
        sorted(article.units.values_list("pk", flat=True)),
        list(
            ArticleLink.objects.filter(from_article=article)
            .order_by("position", "id")
            .values_list("to_article_id", flat=True)
        ),
    )


def article_versions(
    *, article: Article, page_number=None
) -> tuple[Page, list[VersionRow]]:
    """A page of the article's versions, newest first, with the fields each changed."""
    queryset = article.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    page = Paginator(queryset, VERSIONS_PER_PAGE).get_page(page_number)
    versions = list(page.object_list)
    # The version just before this page's oldest one, to see what it changed.
    following = list(queryset[page.end_index() : page.end_index() + 1])
    older = following[0] if following else None
    snapshots = _version_snapshots(versions + ([older] if older else []))
    rows = []
    # Newest first: each version's predecessor is the next one in the list.
    for version, previous in zip(versions, [*versions[1:], older], strict=True):
        rows.append(
            VersionRow(
                version=version,
                when=version.history_date,
                who=user_label(version.history_user),
                kind=HISTORY_TYPES.get(version.history_type, version.history_type),
                reason=version.history_change_reason or "",
                changed=changed_fields(
                    snapshots[previous.history_id] if previous else None,
                    snapshots[version.history_id],
                ),
            )
        )
    return page, rows


@dataclass
class Difference:
    """A field whose value in a version differs from the current article."""

    label: str
    version_value: str
    current_value: str
    # For the body: (marker, text) lines, marker "-" only in the version,
    # "+" only in the current article.
    lines: list[tuple[str, str]] = field(default_factory=list)
    # Whether restoring the version brings this field's value back.
    restored: bool = True


def _body_blocks(html: str) -> list[str]:
    """The body's blocks as plain text: tags removed, entities decoded
    ("&nbsp;" is a space), spaces collapsed."""
    blocks = (
        unescape(strip_tags(part)).strip() for part in _BLOCK_END.split(html or "")
    )
    return [" ".join(block.split()) for block in blocks if block]


# Two blocks at the same place this alike are one paragraph edited: its
# words are compared; less alike, one was removed and the other added.
EDITED_BLOCK_RATIO = 0.5


def _word_segments(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, words) runs of an edited block: "=" kept, "-" removed, "+" added."""
    before, after = old.split(), new.split()
    segments = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            segments.append(("=", " ".join(before[a1:a2])))
            continue
        if a2 > a1:
            segments.append(("-", " ".join(before[a1:a2])))
        if b2 > b1:
            segments.append(("+", " ".join(after[b1:b2])))
    return segments


def _body_lines(old: str, new: str) -> list[tuple[str, object]]:
    """The body's changes block by block: ("-", text) only in the version,
    ("+", text) only in the current article, ("~", segments) a block edited
    word by word (see _word_segments)."""
    before, after = _body_blocks(old), _body_blocks(new)
    lines: list[tuple[str, object]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            continue
        removed, added = before[a1:a2], after[b1:b2]
        while removed and added:
            pair = difflib.SequenceMatcher(
                a=removed[0].split(), b=added[0].split(), autojunk=False
            )
            if pair.ratio() < EDITED_BLOCK_RATIO:
                break
            lines.append(("~", _word_segments(removed.pop(0), added.pop(0))))
        lines += [("-", text) for text in removed]
        lines += [("+", text) for text in added]
    return lines


def _display(name: str, value, names: dict) -> str:
    if value in (None, "", []):
        return "—"
    if name == "category_id":
        return names["categories"].get(value, f"(chuyên mục đã xoá, mã {value})")
    if name == "tags":
        return ", ".join(
            names["tags"].get(pk, f"(thẻ đã xoá, mã {pk})") for pk in value
        )
    if name == "units":
        return ", ".join(
            names["units"].get(pk, f"(đơn vị đã xoá, mã {pk})") for pk in value
        )
    if name == "related":
        return "; ".join(
            names["articles"].get(pk, f"(bài đã xoá, mã {pk})") for pk in value
        )
    if name == "status":
        return Article.Status(value).label
    if name == "featured":
        return "Có" if value else "Không"
    if name in ("published_at", "expires_at"):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if name == "body":
        return " ".join(_body_blocks(value))
    return str(value)


def version_differences(*, version, article: Article) -> list[Difference]:
    """How `version` differs from the current `article`, field by field."""
    old = version_snapshot(version)
    new = article_snapshot(article)
    names = {
        "categories": dict(
            Category.objects.filter(
                pk__in={old.get("category_id"), new.get("category_id")} - {None}
            ).values_list("pk", "name")
        ),
        "tags": dict(
            Tag.objects.filter(pk__in={*old.tag_ids, *new.tag_ids}).values_list(
                "pk", "name"
            )
        ),
        "units": dict(
            Unit.objects.filter(pk__in={*old.unit_ids, *new.unit_ids}).values_list(
                "pk", "name"
            )
        ),
        "articles": dict(
            Article.objects.filter(pk__in={*old.link_ids, *new.link_ids}).values_list(
                "pk", "title"
            )
        ),
    }
    differences = []
    for name, label in COMPARED_FIELDS:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        differences.append(
            Difference(
                label=label,
                version_value=_display(name, before, names),
                current_value=_display(name, after, names),
                lines=_body_lines(before, after) if name == "body" else [],
                restored=name in RESTORED,
            )
        )
    return differences
