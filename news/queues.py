"""The editors' queues on the admin home: what waits for whom, as one table.

Each queue is a filter on articles and the role that sees it. The admin home
(`{% review_queue %}`, news_admin_tags) shows every queue the user's role
sees with its count and first few articles; each links to the article list
filtered by the same queue (`QueueFilter`), so the count and the list agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone

from news import permissions
from news.models import Article

if TYPE_CHECKING:
    from news.services import User

Status = Article.Status

# Articles shown under each queue on the admin home (the link lists them all).
QUEUE_PREVIEW = 5


@dataclass(frozen=True)
class Queue:
    """One queue: its key in the article list's URL and its name.

    Reviewers see every article in it, writers their own ones (the role's
    difference is in `condition`).
    """

    key: str
    label: str

    def condition(self, user: User, now: dt.datetime) -> Q:
        """Which articles are in this queue for `user`."""
        mine = Q(created_by=user.pk)
        own_only = not permissions.can_review(user)
        live = Q(draft_of__isnull=True)
        if self.key == "pending":
            found = live & Q(status=Status.PENDING)
        elif self.key == "returned":
            found = Q(status=Status.DRAFT) & ~Q(review_comment="")
        elif self.key == "scheduled":
            found = Q(status=Status.PUBLISHED, published_at__gt=now) | Q(
                replaces_at__isnull=False
            )
        elif self.key == "mine":
            return mine & Q(status=Status.DRAFT, review_comment="")
        elif self.key == "drafts-of-live":
            found = Q(draft_of__isnull=False, status=Status.PENDING)
        else:
            raise ValueError(self.key)
        return found & mine if own_only else found


QUEUES = (
    Queue("pending", "Chờ duyệt"),
    Queue("returned", "Bị trả lại"),
    Queue("scheduled", "Đã hẹn giờ"),
    Queue("mine", "Bản nháp của tôi"),
    Queue("drafts-of-live", "Bản sửa chờ duyệt của tin đã xuất bản"),
)
BY_KEY = {queue.key: queue for queue in QUEUES}


def queues_for(user: User) -> list[Queue]:
    """The queues this user sees (none for an account that changes no articles)."""
    return list(QUEUES) if user.has_perm(permissions.CHANGE) else []


@dataclass
class QueueSection:
    """A queue on the admin home: its count and first articles."""

    queue: Queue
    count: int
    articles: list[Article] = field(default_factory=list)


def review_queue_list(*, user: User, now: dt.datetime | None = None) -> list:
    """The user's queues with counts (one query) and first articles (one per
    non-empty queue)."""
    now = now or timezone.now()
    queues = queues_for(user)
    if not queues:
        return []
    counts = Article.objects.aggregate(
        **{
            queue.key: Count("pk", filter=queue.condition(user, now))
            for queue in queues
        }
    )
    sections = []
    for queue in queues:
        section = QueueSection(queue=queue, count=counts[queue.key])
        if section.count:
            section.articles = list(
                Article.objects.filter(queue.condition(user, now))
                .select_related("category")
                .only(
                    "id", "title", "language", "status", "updated_at", "category__name"
                )
                .order_by("-updated_at", "-id")[:QUEUE_PREVIEW]
            )
        sections.append(section)
    return sections


class QueueFilter(admin.SimpleListFilter):
    """The article list filtered by one queue of the admin home."""

    title = "hàng đợi"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(queue.key, queue.label) for queue in queues_for(request.user)]

    def queryset(self, request, queryset):
        queue = BY_KEY.get(self.value() or "")
        if queue is None:
            return queryset
        return queryset.filter(queue.condition(request.user, timezone.now()))
