"""Links inside article bodies to the portal's own pages, stored by id.

The editor's chooser (ArticleAdmin.internal_link_chooser) gives addresses
such as `/lien-ket/tin-bai/42/`; the body keeps that address, and
`news:internal-link` answers it with a redirect to the target's current
page, so the link follows the target's slug changes and never breaks when
an article, a category, a unit or a PAR INDEX edition is renamed. A target
readers cannot see (a draft, an edition not released) answers 404, and the
pre-publish checks flag it (`hidden_link_labels`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from cchc_portal.vietnamese import fold
from news.models import Article, Category, article_state_label
from news.search import parse_query
from parindex.models import Edition, Unit

# URL word of each kind of target, its name, all its rows, the public ones.
KINDS = {
    "tin-bai": "tin bài",
    "chuyen-muc": "chuyên mục",
    "don-vi": "đơn vị Chỉ số CCHC",
    "an-ban": "bảng xếp hạng Chỉ số CCHC",
}
CHOOSER_LIMIT = 10
_LINK = re.compile(r'href="/lien-ket/(tin-bai|chuyen-muc|don-vi|an-ban)/(\d+)/"')


def _every(kind: str):
    return {
        "tin-bai": Article.objects.filter(draft_of__isnull=True),
        "chuyen-muc": Category.objects.all(),
        "don-vi": Unit.objects.all(),
        "an-ban": Edition.objects.all(),
    }[kind]


def _public(kind: str):
    return {
        # A link may point at an English version too (its /en/ page).
        "tin-bai": Article.objects.published(language=None),
        "chuyen-muc": Category.objects.all(),
        "don-vi": Unit.objects.all(),
        "an-ban": Edition.objects.released(),
    }[kind]


def link_path(kind: str, pk: int) -> str:
    """The stored address of a link to one target."""
    return reverse("news:internal-link", kwargs={"kind": kind, "pk": pk})


def public_target_url(kind: str, pk: int) -> str | None:
    """The current page of a target readers may see (None: hidden or gone)."""
    if kind not in KINDS:
        return None
    target = _public(kind).filter(pk=pk).first()
    return target.get_absolute_url() if target is not None else None


def hidden_link_labels(html: str) -> list[str]:
    """The body's internal links readers cannot follow: "tin bài “X” (nháp)".

    One query per kind of target linked.
    """
    wanted: dict[str, set[int]] = {}
    for kind, pk in _LINK.findall(html or ""):
        wanted.setdefault(kind, set()).add(int(pk))
    labels = []
    for kind, ids in wanted.items():
        public = set(_public(kind).filter(pk__in=ids).values_list("pk", flat=True))
        hidden = ids - public
        if not hidden:
            continue
        found = {row.pk: row for row in _every(kind).filter(pk__in=hidden)}
        for pk in sorted(hidden):
            row = found.get(pk)
            if row is None:
                labels.append(f"{KINDS[kind]} mã {pk} (đã xoá)")
            elif kind == "tin-bai":
                labels.append(f"{KINDS[kind]} “{row}” ({article_state_label(row)})")
            else:
                labels.append(f"{KINDS[kind]} “{row}” (chưa công bố)")
    return labels


@dataclass(frozen=True)
class Choice:
    """One result of the chooser: what it is, its stored address, visibility."""

    kind: str
    label: str
    path: str
    public: bool
    # What the link says when the editor inserts it with nothing selected.
    text: str = ""


def internal_link_choices(query: str) -> list[Choice]:
    """Targets matching `query` (typed with or without diacritics), by kind."""
    text = (query or "").strip()
    if not text:
        return []
    folded = fold(text)
    choices: list[Choice] = []
    parsed = parse_query(text)
    if parsed:
        articles = (
            Article.objects.filter(draft_of__isnull=True)
            .containing(parsed)
            .select_related("category")
            .newest_first()[:CHOOSER_LIMIT]
        )
        choices += [
            Choice(
                KINDS["tin-bai"],
                f"{a.title} ({article_state_label(a)})",
                link_path("tin-bai", a.pk),
                a.is_public(),
                a.title,
            )
            for a in articles
        ]
    categories = Category.objects.filter(name_folded__contains=folded)
    choices += [
        Choice(KINDS["chuyen-muc"], c.name, link_path("chuyen-muc", c.pk), True)
        for c in categories[:CHOOSER_LIMIT]
    ]
    units = Unit.objects.filter(
        Q(name_folded__contains=folded) | Q(short_name_folded__contains=folded)
    ).order_by("sort_name")
    choices += [
        Choice(KINDS["don-vi"], u.name, link_path("don-vi", u.pk), True)
        for u in units[:CHOOSER_LIMIT]
    ]
    if text.isdigit():
        released = set(Edition.objects.released().values_list("pk", flat=True))
        choices += [
            Choice(KINDS["an-ban"], str(e), link_path("an-ban", e.pk), e.pk in released)
            for e in Edition.objects.filter(year=int(text)).order_by("group")
        ]
    return choices
