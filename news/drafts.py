"""Working drafts of published articles: staged changes, reviewed, then published.

Editing a published article does not touch it: the edit becomes a working
draft, an Article row with `draft_of` pointing at the live one (so it is
edited, previewed, submitted, returned and versioned like any article), and
readers keep seeing the live version (page, feeds, search, cached pages)
until a reviewer publishes the draft. Publishing copies the draft's content,
tags, units, editions and curated links into the live article in one
transaction, keeping its address, publication time and status, and deletes
the draft. A scheduled publish sets `replaces_at`; the first request after
that minute applies it (ScheduledDraftsMiddleware) and the page cache's
generation ends at that minute (`next_replacement`), so no cron is needed.

The rules, each refused with a Vietnamese message and nothing written:
one draft per live article (also a unique key), drafts only of published
articles, no publishing a draft whose live article was changed, taken down
or deleted after the draft was started.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save

from news import history, permissions, signals
from news.models import (
    Article,
    ArticleGalleryImage,
    ArticleLink,
    Image,
    time_label,
    whole_second_now,
)
from news.prepublish import publishing_blockers

if TYPE_CHECKING:
    from news.services import User

Status = Article.Status

# Copied from the live article into a new draft and back when it is
# published: the content (as a restore brings back) plus the expiry and the
# home-page flag. Status, publication time and address id stay the live one's.
DRAFT_FIELDS = (*history.RESTORED_FIELDS, "expires_at", "featured")
COPIED_RELATIONS = ("tags", "units", "editions")

REASON_DRAFT_STARTED = "Tạo bản sửa của bài đang công khai"
REASON_DRAFT_PUBLISHED = "Xuất bản bản sửa"
REASON_DRAFT_SCHEDULED = "Hẹn giờ xuất bản bản sửa"

GONE = (
    "Không còn bản sửa này: tin bài gốc đã bị xoá hoặc bản sửa đã được xuất bản. "
    "Không có gì thay đổi."
)


def _two_drafts(existing: Article) -> str:
    who = history.user_label(existing.created_by) if existing.created_by else "ai đó"
    return (
        f"Bài này đã có một bản sửa đang làm (của {who}, lưu lúc "
        f"{time_label(existing.updated_at)}): mỗi bài đang công khai chỉ có một "
        "bản sửa. Hãy mở bản sửa đó để sửa tiếp; thay đổi của bạn chưa được lưu."
    )


def _not_live(article: Article) -> str:
    return (
        f"Tin bài “{article.title}” không còn xuất bản (đang là "
        f"“{article.get_status_display()}”), nên không có bản công khai để thay: "
        "hãy sửa thẳng vào bài."
    )


def _live_changed(live: Article) -> str:
    latest = history.latest_version(live)
    who = history.user_label(latest.history_user) if latest else "một người khác"
    return (
        f"Bài đang công khai đã được {who} sửa lúc {time_label(live.updated_at)}, "
        "sau khi bản sửa này được tạo: xuất bản bản sửa sẽ xoá mất thay đổi đó, "
        "nên chưa xuất bản. Hãy so sánh với bài đang công khai, chép thay đổi còn "
        "thiếu vào bản sửa, rồi xoá bản sửa này và tạo bản mới từ bài đang công khai."
    )


def working_draft_of(article: Article) -> Article | None:
    """The working draft of a live article, with its writer (one query)."""
    if article.pk is None:
        return None
    return Article.objects.select_related("created_by").filter(draft_of=article).first()


def start_refusal(article: Article) -> str | None:
    """Why a draft of `article` may not be started now (None: it may)."""
    if article.draft_of_id is not None:
        return "Đây đã là một bản sửa: hãy sửa thẳng vào nó."
    stored = Article.objects.filter(pk=article.pk).first()
    if stored is None:
        return "Tin bài này đã bị xoá: không tạo được bản sửa."
    if stored.status != Status.PUBLISHED:
        return _not_live(stored)
    existing = working_draft_of(stored)
    if existing is not None:
        return _two_drafts(existing)
    return None


def publish_refusal(draft: Article) -> str | None:
    """Why `draft` may not be published into its live article now."""
    stored = Article.objects.filter(pk=draft.pk).first() if draft.pk else None
    if stored is None or stored.draft_of_id is None:
        return GONE
    live = Article.objects.filter(pk=stored.draft_of_id).first()
    if live is None:
        return GONE
    if live.status != Status.PUBLISHED:
        return _not_live(live)
    if live.updated_at != stored.draft_base:
        return _live_changed(live)
    return None


def _refuse(message: str | None) -> None:
    if message:
        raise ValidationError(message)


@transaction.atomic
def article_draft_start(
    *,
    article: Article,
    user: User,
    content: Article | None = None,
    tags=None,
    units=None,
    editions=None,
    related: list[Article] | None = None,
    gallery: list[Image] | None = None,
    reason: str = REASON_DRAFT_STARTED,
) -> Article:
    """Start the working draft of a published article and return it (saved).

    The draft holds `content`'s fields (the live article's when None) and
    the given tags, units, editions, links and gallery photos (else the live
    article's); the live article is not written at all.
    """
    from news import services

    if not user.has_perm(permissions.CHANGE):
        raise PermissionDenied("Tài khoản của bạn không có quyền sửa tin bài.")
    # Locking the live row makes two editors starting a draft at once wait
    # for each other: the second is told about the first one's draft.
    live = Article.objects.select_for_update().filter(pk=article.pk).first()
    if live is None:
        raise ValidationError("Tin bài này đã bị xoá: không tạo được bản sửa.")
    _refuse(start_refusal(live))
    source = content if content is not None else live
    draft = Article(
        draft_of=live,
        # The draft of an English version is English (searched, previewed
        # and checked as such); the link to the original stays on the live row.
        language=live.language,
        draft_base=live.updated_at,
        status=Status.DRAFT,
        created_by=user if user.is_authenticated else None,
    )
    for name in DRAFT_FIELDS:
        setattr(draft, name, getattr(source, name))
    given = {"tags": tags, "units": units, "editions": editions}
    if related is None:
        related = [
            link.to_article
            for link in ArticleLink.objects.filter(from_article=live)
            .select_related("to_article")
            .order_by("position", "id")
        ]
    with services.history_paused(draft):
        try:
            with transaction.atomic():
                services._save(draft, user=user, reason=reason)
        except IntegrityError:  # a draft started meanwhile (unique draft_of)
            raise ValidationError(_two_drafts(working_draft_of(live))) from None
        for relation in COPIED_RELATIONS:
            values = given[relation]
            getattr(draft, relation).set(
                getattr(live, relation).all() if values is None else values
            )
        services.article_set_related(
            article=draft, related=[t for t in related if t.pk != live.pk]
        )
        _set_gallery(draft, _gallery_of(live) if gallery is None else gallery)
    services.article_record_version(
        article=draft, user=user, reason=reason, created=True
    )
    return draft


def _gallery_of(article: Article) -> list[Image]:
    """The photos of an article's "Một số hình ảnh" block, in order."""
    return [
        item.image
        for item in ArticleGalleryImage.objects.filter(article=article).select_related(
            "image"
        )
    ]


def _set_gallery(article: Article, images: list[Image]) -> None:
    ArticleGalleryImage.objects.filter(article=article).delete()
    ArticleGalleryImage.objects.bulk_create(
        ArticleGalleryImage(article=article, image=image, position=number)
        for number, image in enumerate(images, start=1)
    )


def _publish_now(*, draft: Article, live: Article, user: User | None) -> Article:
    """Copy `draft` into `live`, delete the draft; one version of the live one."""
    from news import services

    for name in DRAFT_FIELDS:
        setattr(live, name, getattr(draft, name))
    values = {
        relation: list(getattr(draft, relation).all()) for relation in COPIED_RELATIONS
    }
    targets = [
        link.to_article
        for link in ArticleLink.objects.filter(from_article=draft)
        .select_related("to_article")
        .order_by("position", "id")
        if link.to_article_id != live.pk
    ]
    gallery = _gallery_of(draft)
    draft.delete()
    with services.history_paused(live):
        services._save(live, user=user, reason=REASON_DRAFT_PUBLISHED)
        for relation, items in values.items():
            getattr(live, relation).set(items)
        services.article_set_related(article=live, related=targets)
        _set_gallery(live, gallery)
    services.article_record_version(
        article=live, user=user, reason=REASON_DRAFT_PUBLISHED
    )
    return live


@transaction.atomic
def article_draft_publish(
    *, draft: Article, user: User, at: dt.datetime | None = None
) -> Article:
    """Publish a working draft into its live article now, or at `at` (future).

    Returns the live article. The draft must be saved as it should go out:
    its stored content, tags and links are what is copied.
    """
    if not permissions.can_publish(user):
        raise PermissionDenied("Bạn không có quyền xuất bản tin bài.")
    stored = Article.objects.select_for_update().filter(pk=draft.pk).first()
    if stored is None or stored.draft_of_id is None:
        raise ValidationError(GONE)
    live = Article.objects.select_for_update().filter(pk=stored.draft_of_id).first()
    _refuse(publish_refusal(stored))
    blockers = publishing_blockers(stored)
    if blockers:
        raise ValidationError([check.message for check in blockers])
    if at is not None and at > whole_second_now():
        stored.replaces_at = at
        stored.status = Status.PENDING
        stored.review_comment = ""
        stored._history_user = user
        stored._change_reason = f"{REASON_DRAFT_SCHEDULED} lúc {time_label(at)}"
        stored.save()
        draft.replaces_at, draft.status = stored.replaces_at, stored.status
        signals.send_on_commit(
            signals.article_draft_published, article=live, user=user, scheduled=True
        )
        return live
    _publish_now(draft=stored, live=live, user=user)
    signals.send_on_commit(
        signals.article_draft_published, article=live, user=user, scheduled=False
    )
    return live


def article_drafts_publish_due(now: dt.datetime | None = None) -> list[Article]:
    """Publish every draft whose scheduled minute has come; returns the live articles.

    One that can no longer go out (its live article changed or was taken down
    meanwhile) stays a draft, unscheduled, with the reason as the reviewer's
    comment, and the others still go.
    """
    now = now or whole_second_now()
    published = []
    with transaction.atomic():
        due = list(
            Article.objects.select_for_update(skip_locked=True)
            .filter(draft_of__isnull=False, replaces_at__lte=now)
            .order_by("replaces_at", "pk")
        )
        for draft in due:
            reason = publish_refusal(draft)
            if reason is None:
                live = Article.objects.select_for_update().get(pk=draft.draft_of_id)
                published.append(_publish_now(draft=draft, live=live, user=None))
                signals.send_on_commit(
                    signals.article_draft_published,
                    article=live,
                    user=None,
                    scheduled=True,
                    went_live=True,
                )
                continue
            when = time_label(draft.replaces_at)
            draft.replaces_at = None
            draft.review_comment = f"Hẹn giờ lúc {when} không thực hiện được: {reason}"
            draft._change_reason = "Hẹn giờ bản sửa không thực hiện được"
            draft.save()
    return published


# --- Scheduling without cron --------------------------------------------------

# The next scheduled replacement (epoch seconds, 0: none), shared by the app
# servers so that a request costs one cache read, not one query.
DUE_KEY = "news:drafts:next-replacement"
DUE_CHECK_SECONDS = 300


def next_replacement() -> dt.datetime | None:
    """When a scheduled draft next replaces its live article (page cache schedule)."""
    return Article.objects.filter(replaces_at__isnull=False).aggregate(
        next=Min("replaces_at")
    )["next"]


def publish_due_if_any() -> list[Article]:
    """Publish the drafts whose time has come, if any (one cache read otherwise)."""
    due = cache.get(DUE_KEY)
    if due is None:
        moment = next_replacement()
        due = moment.timestamp() if moment else 0.0
        cache.set(DUE_KEY, due, timeout=DUE_CHECK_SECONDS)
    if not due or due > time.time():
        return []
    published = article_drafts_publish_due()
    cache.delete(DUE_KEY)
    return published


class ScheduledDraftsMiddleware:
    """Before any view reads articles: publish drafts whose scheduled minute came.

    Cached pages never get here, but the page cache's generation ends at
    that minute (news.signals registers next_replacement), so the first
    request after it does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            publish_due_if_any()
        return self.get_response(request)


def _forget_due(sender, instance, **kwargs) -> None:
    # Now and again at the commit: a request in between may have read the
    # schedule as it was before this transaction.
    if instance.draft_of_id is not None:
        cache.delete(DUE_KEY)
        transaction.on_commit(lambda: cache.delete(DUE_KEY))


def connect() -> None:
    post_save.connect(_forget_due, sender=Article, dispatch_uid="news-drafts-due-save")
    post_delete.connect(
        _forget_due, sender=Article, dispatch_uid="news-drafts-due-delete"
    )
