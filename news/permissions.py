"""Who may do what with an article: one answer for the admin, services and views.

Permissions come from the editorial roles (news/roles.py); superusers have
them all. Which permission each workflow step needs is the workflow table
(news/workflow.py). The admin hides what a user may not do, and the services
refuse it again, so a forged request is refused as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from news.workflow import PUBLISH, REVIEW, Move, Status, Step, move, moves_from

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from news.models import Article

    User = AbstractBaseUser | AnonymousUser

VIEW = "news.view_article"
CHANGE = "news.change_article"


def may_take(user: User, row: Move) -> bool:
    """Whether `user` holds the permission a row of the workflow table needs."""
    return row.permission is None or user.has_perm(row.permission)


def can_publish(user: User) -> bool:
    """Publish, schedule, unpublish, and edit published articles."""
    return user.has_perm(PUBLISH)


def can_review(user: User) -> bool:
    """Return pending articles to their writer with a comment."""
    return user.has_perm(REVIEW)


def is_writer_of(user: User, article: Article) -> bool:
    """Whether `user` wrote the article (anyone is, of one not saved yet)."""
    return article.pk is None or (
        article.created_by_id is not None and article.created_by_id == user.pk
    )


def edit_refusal(user: User, article: Article) -> str | None:
    """Why `user` may not change this article's content (None: they may).

    A writer changes only the articles they wrote (a colleague's draft is
    theirs to finish); reviewers change every article; a published one
    belongs to reviewers (the workflow table's EDIT step needs "publish").
    """
    if not user.has_perm(CHANGE):
        return "Tài khoản của bạn không có quyền sửa tin bài."
    row = move(article.status, Step.EDIT)
    if row is None or not may_take(user, row):
        return "Bài đã xuất bản chỉ người duyệt bài mới sửa được."
    if not (can_review(user) or is_writer_of(user, article)):
        return (
            "Bài này do biên tập viên khác viết: chỉ người viết và người duyệt bài "
            "sửa được."
        )
    return None


def stage_refusal(user: User, article: Article) -> str | None:
    """Why `user` may not start a working draft of this article (news/drafts.py).

    Anyone who changes articles may, writers included: the live article
    stays as it is until a reviewer publishes the draft.
    """
    if not user.has_perm(CHANGE):
        return "Tài khoản của bạn không có quyền sửa tin bài."
    if article.pk is None or article.draft_of_id is not None:
        return "Chỉ tin bài đã xuất bản mới có bản sửa."
    if article.status != Status.PUBLISHED:
        return "Chỉ tin bài đã xuất bản mới có bản sửa."
    return None


def can_stage(user: User, article: Article) -> bool:
    """Edit a published article through a working draft (see stage_refusal)."""
    return stage_refusal(user, article) is None


def sees_only_own_drafts(user: User) -> bool:
    """A writer: changes articles but does not review them (admin list)."""
    return user.has_perm(CHANGE) and not can_review(user)


def can_edit(user: User, article: Article) -> bool:
    """Change this article's content (see edit_refusal for who may)."""
    return edit_refusal(user, article) is None


def can_preview(user: User) -> bool:
    """See unpublished articles through the preview page (staff only)."""
    return bool(
        user.is_active
        and user.is_staff
        and (user.has_perm(VIEW) or user.has_perm(CHANGE))
    )


def allowed_statuses(user: User, current: str | None) -> list[str]:
    """Statuses this user may leave an article in, from `current` (None: new).

    The targets of the workflow steps leaving `current` whose permission the
    user holds (news.workflow.TRANSITIONS), staying put (an edit) included.
    """
    return [row.target for _step, row in moves_from(current) if may_take(user, row)]
