"""Who may do what with an article: one answer for the admin, services and views.

Permissions come from the editorial roles (news/roles.py); superusers have
them all. The admin hides what a user may not do, and the services refuse it
again, so a forged request is refused as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from news.models import Article

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    User = AbstractBaseUser | AnonymousUser

VIEW = "news.view_article"
CHANGE = "news.change_article"
SUBMIT = "news.submit_article"
REVIEW = "news.review_article"
PUBLISH = "news.publish_article"

Status = Article.Status


def can_publish(user: User) -> bool:
    """Publish, schedule, unpublish, and edit published articles."""
    return user.has_perm(PUBLISH)


def can_review(user: User) -> bool:
    """Return pending articles to their writer with a comment."""
    return user.has_perm(REVIEW)


def can_edit(user: User, article: Article) -> bool:
    """Change this article's content; published ones belong to reviewers."""
    if not user.has_perm(CHANGE):
        return False
    return article.status != Status.PUBLISHED or can_publish(user)


def can_preview(user: User) -> bool:
    """See unpublished articles through the preview page (staff only)."""
    return bool(
        user.is_active
        and user.is_staff
        and (user.has_perm(VIEW) or user.has_perm(CHANGE))
    )


def allowed_statuses(user: User, current: str | None) -> list[str]:
    """Statuses this user may leave an article in, from `current` (None: new).

    Draft → pending needs "submit"; pending → draft is a return to the writer
    and needs "review"; anything → published and published → draft need
    "publish". Staying in the current status is an ordinary edit.
    """
    current = current or Status.DRAFT
    if current == Status.PUBLISHED:
        return [Status.PUBLISHED, Status.DRAFT] if can_publish(user) else []
    allowed = [current]
    if current == Status.DRAFT and user.has_perm(SUBMIT):
        allowed.append(Status.PENDING)
    if current == Status.PENDING and can_review(user):
        allowed.insert(0, Status.DRAFT)
    if can_publish(user):
        allowed.append(Status.PUBLISHED)
    return allowed
