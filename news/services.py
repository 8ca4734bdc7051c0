"""Writes that touch files or several rows, and the editorial workflow.

Every status change of an article goes through one function here: it checks
the user's permission and the status stored in the database against the
workflow table (news.workflow), validates, saves once and names the step in
the article's history. The admin's form and actions only call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone

from cchc_portal.vietnamese import nfc
from news import history, permissions, signals, workflow
from news.images import delete_stored, store_image
from news.models import Article, ArticleLink, Image, Tag, whole_second_now
from news.prepublish import publishing_blockers
from news.workflow import Step
from parindex.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from simple_history.models import HistoricalChanges

    User = AbstractBaseUser | AnonymousUser

Status = Article.Status

# Names of workflow steps, recorded as each version's "change reason".
REASON_CREATED = "Tạo bài"
REASON_EDITED = "Sửa bài"
REASON_SUBMITTED = "Gửi duyệt"
REASON_PUBLISHED = "Xuất bản"
REASON_SCHEDULED = "Hẹn giờ xuất bản"
REASON_RETURNED = "Trả về người viết"
REASON_UNPUBLISHED = "Gỡ bài"
REASON_RESTORED = "Khôi phục phiên bản"


def article_set_hero_image(*, article: Article, upload, alt: str = "") -> Article:
    """Check, clean and store `upload` as the article's hero image (not saved).

    The caller saves the article; the stored original and its renditions
    replace whatever the upload was called.
    """
    stored = store_image(upload)
    # Assigning the name (not setting .name on the field file) drops the
    # upload: saving the article then stores nothing more, so the raw file
    # with its EXIF and GPS position never reaches the disk.
    article.hero_image = stored.name
    article.hero_width = stored.width
    article.hero_height = stored.height
    article.hero_renditions = stored.renditions
    if alt:
        article.hero_alt = alt
    return article


# Where library photos are stored (the hero images are under news/).
LIBRARY_FOLDER = "news/thu-vien"


def image_store_file(*, image: Image, upload) -> Image:
    """Check, clean and store `upload` as the library image's file (not saved).

    The same checks and renditions as a hero image (news.images.store_image);
    a file it replaces is deleted once the transaction commits, so the old
    photo stops being served wherever the image was used.
    """
    stored = store_image(upload, folder=LIBRARY_FOLDER)
    if image.renditions:
        transaction.on_commit(lambda old=list(image.renditions): delete_stored(old))
    image.file = stored.name
    image.width, image.height = stored.width, stored.height
    image.renditions = stored.renditions
    return image


@transaction.atomic
def image_create(*, upload, alt: str, caption: str, user: User | None) -> Image:
    """A new library image from an upload (ValidationError in Vietnamese if
    the file, the alt text or the caption is refused; nothing stored then)."""
    image = Image(alt=nfc(alt or "").strip(), caption=nfc(caption or "").strip())
    image.created_by = user if user is not None and user.pk else None
    # Alt text and caption first: a refusal then stores no file.
    image.full_clean(exclude=["file"])
    image_store_file(image=image, upload=upload)
    image.save()
    return image


@transaction.atomic
def article_set_related(*, article: Article, related: list[Article]) -> None:
    """Replace the curated "Tin liên quan" links with `related`, in that order."""
    # Old links go first so that re-adding one is not taken for a duplicate.
    ArticleLink.objects.filter(from_article=article).delete()
    seen: set[int] = set()
    links = []
    for target in related:
        if target.pk == article.pk or target.pk in seen:
            continue
        seen.add(target.pk)
        link = ArticleLink(from_article=article, to_article=target, position=len(links))
        link.full_clean()
        links.append(link)
    ArticleLink.objects.bulk_create(links)


# --- Versions -----------------------------------------------------------------


@contextmanager
def history_paused(article: Article) -> Iterator[None]:
    """Save `article`, its tags and links without recording a version each time.

    Record one version afterwards with article_record_version().
    """
    article.skip_history_when_saving = True
    try:
        yield
    finally:
        del article.skip_history_when_saving


def article_record_version(
    *,
    article: Article,
    user: User | None = None,
    reason: str = "",
    created: bool = False,
) -> None:
    """Record `article` as it now is (fields, tags and links) as one version."""
    if user is not None and user.is_authenticated:
        article._history_user = user
    article._change_reason = reason
    Article.version_recorder.create_historical_record(article, "+" if created else "~")


# --- Workflow -----------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _stored_status(article: Article) -> str | None:
    """The status in the database (None for an article not saved yet)."""
    if article.pk is None:
        return None
    return (
        Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()
    )


def _save(article: Article, *, user: User | None, reason: str) -> Article:
    if user is not None and user.is_authenticated:
        article._history_user = user
        if article.pk is None and article.created_by_id is None:
            article.created_by = user
    article._change_reason = reason
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def article_save(*, article: Article, user: User) -> Article:
    """Save an edit that keeps the article's status (a new article is a draft)."""
    stored = _stored_status(article)
    if article.status != (stored or Status.DRAFT):
        raise ValidationError(
            "Đổi trạng thái tin bài phải qua gửi duyệt, xuất bản, trả bài hoặc gỡ bài."
        )
    if stored is None:
        _require(user.has_perm("news.add_article"), "Bạn không có quyền viết bài mới.")
    refusal = permissions.edit_refusal(user, article)
    _require(refusal is None, refusal or "")
    return _save(
        article, user=user, reason=REASON_CREATED if stored is None else REASON_EDITED
    )


# What each workflow step answers when refused: (the user may not take it,
# the stored status does not allow it).
REFUSALS = {
    Step.SUBMIT: (
        "Bạn không có quyền gửi bài để duyệt.",
        "Chỉ bài nháp mới gửi duyệt được.",
    ),
    Step.RETURN: (
        "Bạn không có quyền trả bài về người viết.",
        "Chỉ bài đang chờ duyệt mới trả về người viết được.",
    ),
    Step.PUBLISH: ("Bạn không có quyền xuất bản tin bài.", "Tin bài này đã xuất bản."),
    Step.UNPUBLISH: ("Bạn không có quyền gỡ tin bài.", "Tin bài này chưa xuất bản."),
}


def _require_step_permission(user: User, step: Step) -> None:
    _require(user.has_perm(workflow.step_permission(step)), REFUSALS[step][0])


def _begin(article: Article, user: User, step: Step) -> workflow.Move:
    """The workflow row for taking `step` on `article`, once `user` may take it.

    Refuses a user without the step's permission (PermissionDenied, whatever
    the status), then a step the stored status does not allow (ValidationError).
    """
    _require_step_permission(user, step)
    stored = _stored_status(article)
    row = workflow.move(stored, step)
    if row is None:
        raise ValidationError(REFUSALS[step][1])
    if stored is None:
        _require(user.has_perm("news.add_article"), "Bạn không có quyền viết bài mới.")
    return row


@transaction.atomic
def article_submit_for_review(*, article: Article, user: User) -> Article:
    """Nháp → Chờ duyệt: the writer hands the article to the reviewers."""
    row = _begin(article, user, Step.SUBMIT)
    article.status = Status.DRAFT
    _require(permissions.can_edit(user, article), "Bạn không có quyền sửa bài này.")
    article.status = row.target
    _save(article, user=user, reason=REASON_SUBMITTED)
    signals.send_on_commit(signals.article_submitted, article=article, user=user)
    return article


@transaction.atomic
def article_return_to_writer(*, article: Article, user: User, comment: str) -> Article:
    """Chờ duyệt → Nháp with the reviewer's comment, kept on the article."""
    row = _begin(article, user, Step.RETURN)
    comment = nfc(comment or "").strip()
    if not comment:
        raise ValidationError(
            {
                "review_comment": "Hãy ghi nhận xét cho người viết: cần sửa gì "
                "trước khi gửi duyệt lại."
            }
        )
    article.status = row.target
    article.review_comment = comment
    _save(article, user=user, reason=REASON_RETURNED)
    signals.send_on_commit(signals.article_returned, article=article, user=user)
    return article


@transaction.atomic
def article_publish(
    *, article: Article, user: User, at: dt.datetime | None = None
) -> Article:
    """Publish now, or at `at` (a future time is a schedule); blockers refuse it.

    Without `at` the article keeps a publication time it already has (an
    article taken down and published again keeps its date), else gets now.
    """
    if article.draft_of_id is not None:
        # A working draft goes into its live article (news/drafts.py).
        from news import drafts

        return drafts.article_draft_publish(draft=article, user=user, at=at)
    row = _begin(article, user, Step.PUBLISH)
    blockers = publishing_blockers(article)
    if blockers:
        raise ValidationError([check.message for check in blockers])
    now = whole_second_now()
    article.status = row.target
    if at is not None:
        article.published_at = at
    elif article.published_at is None:
        article.published_at = now
    article.review_comment = ""
    scheduled = article.published_at > now
    _save(
        article,
        user=user,
        reason=REASON_SCHEDULED if scheduled else REASON_PUBLISHED,
    )
    signals.send_on_commit(
        signals.article_published, article=article, user=user, scheduled=scheduled
    )
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user: User) -> Article:
    """Đã xuất bản → Nháp: take the article off every public page at once."""
    row = _begin(article, user, Step.UNPUBLISH)
    article.status = row.target
    return _save(article, user=user, reason=REASON_UNPUBLISHED)


@transaction.atomic
def article_change_status(
    *, article: Article, user: User, status: str, comment: str = ""
) -> Article:
    """Save `article` and move it to `status` through the matching workflow step.

    A status the table does not reach from the stored one is asked of the
    step that leads there from elsewhere, which refuses it in its own words.
    """
    stored = _stored_status(article) or Status.DRAFT
    article.status = stored
    step = workflow.step_between(stored, status) or workflow.step_into(status)
    if step is None:
        raise ValidationError(f"Tin bài không có trạng thái “{status}”.")
    if step == Step.RETURN:
        return article_return_to_writer(article=article, user=user, comment=comment)
    return STEP_SERVICES[step](article=article, user=user)


# The service that takes each workflow step (RETURN also needs the comment).
STEP_SERVICES = {
    Step.EDIT: article_save,
    Step.SUBMIT: article_submit_for_review,
    Step.PUBLISH: article_publish,
    Step.UNPUBLISH: article_unpublish,
}


@transaction.atomic
def articles_publish(*, articles: Sequence[Article], user: User) -> list[Article]:
    """Publish every article given, or none: one that cannot be refuses the batch.

    Returns the articles published (those already published are left alone);
    for a working draft, the live article it went into (news/drafts.py).
    """
    from news import drafts

    _require_step_permission(user, Step.PUBLISH)
    waiting = [a for a in articles if workflow.move(a.status, Step.PUBLISH)]
    problems = [
        f"“{article.title}”: " + " ".join(reasons)
        for article in waiting
        if (
            reasons := [check.message for check in publishing_blockers(article)]
            + (
                [refusal]
                if article.draft_of_id and (refusal := drafts.publish_refusal(article))
                else []
            )
        )
    ]
    if problems:
        raise ValidationError(problems)
    return [article_publish(article=article, user=user) for article in waiting]


@transaction.atomic
def articles_unpublish(*, articles: Sequence[Article], user: User) -> list[Article]:
    """Take every given published article down, all in one transaction."""
    _require_step_permission(user, Step.UNPUBLISH)
    published = [a for a in articles if workflow.move(a.status, Step.UNPUBLISH)]
    for article in published:
        article_unpublish(article=article, user=user)
    return published


def restored_slug_note(*, article: Article, version: HistoricalChanges) -> str:
    """What a restore of a published article says when the version's address
    differs: the live address is kept (links to it stay valid)."""
    if article.status != Status.PUBLISHED or version.slug == article.slug:
        return ""
    return (
        f"Đường dẫn giữ nguyên “{article.slug}” (phiên bản này dùng “{version.slug}”) "
        "để liên kết tới bài đang công khai không đổi; muốn đổi đường dẫn, hãy sửa "
        "trong bản sửa."
    )


@transaction.atomic
def article_restore_version(
    *,
    article: Article,
    version: HistoricalChanges,
    user: User,
    publish_now: bool = False,
) -> Article:
    """Bring back the content of an earlier version, tags, units and links included.

    The status and publication times stay (history.RESTORED_FIELDS). For a
    published article the restore becomes its working draft (returned), to be
    reviewed, unless a reviewer asks to `publish_now`; either way its current
    address is kept (restored_slug_note). The restore is itself a new version.
    """
    if version.id != article.pk:
        raise ValidationError("Phiên bản này không thuộc bài viết này.")
    when = formats.date_format(timezone.localtime(version.history_date), "d/m/Y H:i")
    live = article.status == Status.PUBLISHED and article.draft_of_id is None
    if live and not publish_now:
        from news import drafts

        kept = history.version_snapshot(version)
        content = Article(
            **{name: getattr(version, name) for name in history.RESTORED_FIELDS}
        )
        content.slug = article.slug
        content.expires_at, content.featured = article.expires_at, article.featured
        targets = Article.objects.in_bulk(kept.link_ids)
        return drafts.article_draft_start(
            article=article,
            user=user,
            content=content,
            tags=Tag.objects.filter(pk__in=kept.tag_ids),
            units=Unit.objects.filter(pk__in=kept.unit_ids),
            related=[targets[pk] for pk in kept.link_ids if pk in targets],
            reason=f"{REASON_RESTORED} lúc {when} (bản sửa chờ duyệt)",
        )
    if live:
        _require_step_permission(user, Step.PUBLISH)
        if Article.objects.filter(draft_of=article).exists():
            raise ValidationError(
                "Bài đang có bản sửa chờ duyệt: hãy xuất bản hoặc xoá bản sửa đó "
                "trước khi khôi phục và xuất bản ngay."
            )
    else:
        _require(permissions.can_edit(user, article), "Bạn không có quyền sửa bài này.")
    current_slug = article.slug
    for name in history.RESTORED_FIELDS:
        setattr(article, name, getattr(version, name))
    if live:
        article.slug = current_slug
    kept = history.version_snapshot(version)
    with history_paused(article):
        _save(article, user=user, reason=REASON_RESTORED)
        article.tags.set(Tag.objects.filter(pk__in=kept.tag_ids))
        article.units.set(Unit.objects.filter(pk__in=kept.unit_ids))
        targets = Article.objects.in_bulk(kept.link_ids)
        article_set_related(
            article=article,
            related=[targets[pk] for pk in kept.link_ids if pk in targets],
        )
    article_record_version(
        article=article, user=user, reason=f"{REASON_RESTORED} lúc {when}"
    )
    return article
