"""English versions of articles, written by editors (never machine-translated).

An English version is an Article row with `language` "en" and
`translation_of` its Vietnamese original: its own title, sapo, body and
slug, and its own status, review, schedule, publication, history and
working drafts through the same workflow as any article (news/services.py,
news/drafts.py). It is started from the original's admin page as a draft
that shares the original's photo, section, tags and units and has every
text left for the translator to write.

The rules, each refused with a Vietnamese message and nothing written: one
English version per original (also a unique key), of a Vietnamese article
that is not a working draft (also a trigger, migration news/0014).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from news.models import ENGLISH, VIETNAMESE, Article

if TYPE_CHECKING:
    from news.services import User

REASON_TRANSLATION_STARTED = "Tạo bản tiếng Anh"

# Copied from the original into a new English version: what is not text.
# Captions, alt text and the byline are words, so the translator writes them.
SHARED_FIELDS = (
    "hero_image",
    "hero_width",
    "hero_height",
    "hero_renditions",
    "category",
    "source_agency",
)
SHARED_RELATIONS = ("tags", "units", "editions")


def reading_language() -> str:
    """The edition the current request reads: English under /en/ (the URL
    decides, cchc_portal.web.language), Vietnamese everywhere else."""
    active = (translation.get_language() or "").split("-")[0]
    return ENGLISH if active == ENGLISH else VIETNAMESE


def translation_of(article: Article) -> Article | None:
    """The live English version of a Vietnamese article, if any (one query)."""
    if article.pk is None or article.language != VIETNAMESE:
        return None
    return Article.objects.filter(translation_of=article, language=ENGLISH).first()


def start_refusal(original: Article) -> str | None:
    """Why an English version of `original` may not be started (None: it may)."""
    if original.language != VIETNAMESE:
        return "Đây đã là bản tiếng Anh: bản tiếng Anh được tạo từ bài tiếng Việt."
    if original.draft_of_id is not None:
        return (
            "Đây là bản sửa của một bài đang công khai: hãy tạo bản tiếng Anh "
            "từ bài đang công khai."
        )
    existing = translation_of(original)
    if existing is not None:
        return f"Bài này đã có bản tiếng Anh (“{existing}”): hãy mở bản đó để sửa."
    return None


@transaction.atomic
def article_translation_start(*, original: Article, user: User) -> Article:
    """Start the English version of a Vietnamese article: a draft (saved and
    returned) with the original's photo, section, tags and units, empty texts."""
    from news import services

    if not user.has_perm("news.add_article"):
        raise PermissionDenied("Bạn không có quyền viết bài mới.")
    # Locked, so two editors starting one at once are told about each other.
    original = Article.objects.select_for_update().filter(pk=original.pk).first()
    if original is None:
        raise ValidationError("Tin bài này đã bị xoá: không tạo được bản tiếng Anh.")
    refusal = start_refusal(original)
    if refusal:
        raise ValidationError(refusal)
    english = Article(
        language=ENGLISH,
        translation_of=original,
        status=Article.Status.DRAFT,
        **{name: getattr(original, name) for name in SHARED_FIELDS},
    )
    if english.hero_image:
        # Alt text is required with a photo; the translator replaces it.
        english.hero_alt = original.hero_alt
    with services.history_paused(english):
        english._history_user = user
        english.created_by = user if user.is_authenticated else None
        # The texts are the translator's to write: the form asks for them.
        english.full_clean(exclude=["title", "body", "byline"])
        try:
            with transaction.atomic():
                english.save()
        except IntegrityError:  # started meanwhile (unique original + language)
            raise ValidationError(start_refusal(original) or "") from None
        for relation in SHARED_RELATIONS:
            getattr(english, relation).set(getattr(original, relation).all())
    services.article_record_version(
        article=english, user=user, reason=REASON_TRANSLATION_STARTED, created=True
    )
    return english
