"""Checks a reviewer sees before publishing an article.

Blockers refuse publishing until fixed; warnings are advice. The same list
is shown on the admin change form and enforced by news.services.article_publish.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from cchc_portal.vietnamese import nfc
from news.internal_links import hidden_link_labels
from news.models import VIETNAMESE, Article, ArticleLink, time_label

# Beyond this the sapo no longer fits a card or a search result snippet.
SAPO_ADVISED_LENGTH = 300


@dataclass(frozen=True)
class Check:
    """One finding: what is wrong, whether it blocks publishing, which field."""

    code: str
    message: str
    blocks: bool
    field: str = ""


def prepublish_checks(
    article: Article, *, has_links: bool | None = None
) -> list[Check]:
    """Blockers first, then warnings, for `article` as it stands (saved or not).

    `has_links` says whether curated "Tin liên quan" exist; None reads them
    from the database (one query) for a saved article.
    """
    checks: list[Check] = []
    if article.hero_image and not article.hero_alt.strip():
        checks.append(
            Check(
                "missing-alt",
                "Ảnh đại diện chưa có mô tả (alt): người dùng trình đọc màn hình "
                "sẽ không biết ảnh nói gì.",
                blocks=True,
                field="hero_alt",
            )
        )
    if _alt_left_in_vietnamese(article):
        checks.append(
            Check(
                "untranslated-alt",
                "Mô tả ảnh (alt) vẫn là câu tiếng Việt của bài gốc: hãy viết mô "
                "tả bằng tiếng Anh cho bạn đọc bản tiếng Anh.",
                blocks=True,
                field="hero_alt",
            )
        )
    if article.category_id is None:
        checks.append(
            Check(
                "no-category",
                "Chưa chọn chuyên mục: bài sẽ không có chỗ trên trang chủ và "
                "trang chuyên mục.",
                blocks=True,
                field="category",
            )
        )
    sapo = article.sapo.strip()
    if not sapo:
        checks.append(
            Check(
                "empty-sapo",
                "Sapo đang trống: thẻ tin, kết quả tìm kiếm và chia sẻ mạng xã "
                "hội sẽ không có đoạn tóm tắt.",
                blocks=False,
                field="sapo",
            )
        )
    elif len(sapo) > SAPO_ADVISED_LENGTH:
        checks.append(
            Check(
                "long-sapo",
                f"Sapo dài {len(sapo)} ký tự (nên dưới {SAPO_ADVISED_LENGTH}): "
                "thẻ tin sẽ bị cắt bớt.",
                blocks=False,
                field="sapo",
            )
        )
    targets = []
    if has_links is None:
        targets = _link_targets(article)
        has_links = bool(targets)
    checks += _link_checks(targets, article.language)
    if not has_links:
        checks.append(
            Check(
                "no-related",
                "Chưa chọn “Tin liên quan”: trang bài sẽ tự gợi ý theo thẻ và "
                "chuyên mục.",
                blocks=False,
                field="",
            )
        )
    for label in hidden_link_labels(article.body):
        checks.append(
            Check(
                "internal-link-hidden",
                f"Nội dung có liên kết nội bộ tới {label}: bạn đọc chưa xem được "
                "trang đó, liên kết sẽ dẫn tới trang “không tìm thấy”.",
                blocks=False,
                field="body",
            )
        )
    not_nfc = [
        label
        for label, value in (
            ("tiêu đề", article.title),
            ("sapo", article.sapo),
            ("nội dung", article.body),
        )
        if value != nfc(value)
    ]
    if not_nfc:
        checks.append(
            Check(
                "not-nfc",
                "Chữ Việt chưa ở dạng Unicode dựng sẵn (NFC) trong "
                f"{', '.join(not_nfc)}: hệ thống tự chuẩn hoá khi lưu.",
                blocks=False,
            )
        )
    return checks


def _link_targets(article: Article) -> list[Article]:
    """The curated links' targets, in order (one query)."""
    if article.pk is None:
        return []
    links = (
        ArticleLink.objects.filter(from_article=article)
        .select_related("to_article")
        .only(
            "to_article__id",
            "to_article__title",
            "to_article__status",
            "to_article__published_at",
            "to_article__expires_at",
            "to_article__language",
        )
        .order_by("position", "id")
    )
    return [link.to_article for link in links]


def _link_checks(targets: list[Article], language: str) -> list[Check]:
    """A scheduled link appears only from its time; a hidden one, or one in
    the other language, not at all."""
    now = timezone.now()
    checks = []
    for target in targets:
        if target.language != language:
            checks.append(
                Check(
                    "related-other-language",
                    f"“Tin liên quan” có bài “{target}” bằng ngôn ngữ khác: "
                    "bài tiếng Việt chỉ hiện bài tiếng Việt, bản tiếng Anh chỉ "
                    "hiện bài tiếng Anh, nên bài đó sẽ không hiện.",
                    blocks=False,
                )
            )
            continue
        if not target.is_public(now) and target.status == Article.Status.PUBLISHED:
            if target.published_at and target.published_at > now:
                checks.append(
                    Check(
                        "related-scheduled",
                        f"“Tin liên quan” có bài hẹn giờ “{target.title}”: bài này "
                        f"chỉ hiện trong mục đó từ {time_label(target.published_at)}.",
                        blocks=False,
                    )
                )
                continue
        if not target.is_public(now):
            checks.append(
                Check(
                    "related-hidden",
                    f"“Tin liên quan” có bài “{target.title}” bạn đọc không xem "
                    "được (nháp, chờ duyệt hoặc hết hạn): bài đó sẽ không hiện.",
                    blocks=False,
                )
            )
    return checks


def publishing_blockers(article: Article) -> list[Check]:
    """Only the checks that refuse publishing (no database query, but one for
    an English version with a photo)."""
    return [
        check for check in prepublish_checks(article, has_links=True) if check.blocks
    ]


def _alt_left_in_vietnamese(article: Article) -> bool:
    """An English version whose photo keeps the original's Vietnamese alt text
    (copied when the version was started; one query, English versions only)."""
    if article.language == VIETNAMESE or not article.hero_image:
        return False
    original = article.translation_of_id
    if original is None and article.draft_of_id is not None:
        original = (
            Article.objects.filter(pk=article.draft_of_id)
            .values_list("translation_of_id", flat=True)
            .first()
        )
    alt = Article.objects.filter(pk=original).values_list("hero_alt", flat=True).first()
    return bool(alt) and nfc(alt).strip() == nfc(article.hero_alt).strip()
