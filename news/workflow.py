"""The editorial workflow as one table: status, step, next status, permission.

TRANSITIONS is the whole state graph of an article. The services
(news/services.py) run a step only from a status the table lists for it,
and news/permissions.py answers from it which statuses a user may choose in
the admin and who may edit an article. A new step or status is a row here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from news.models import Article

Status = Article.Status

# The workflow's own permissions (Article.Meta.permissions; roles in news/roles.py).
SUBMIT = "news.submit_article"
REVIEW = "news.review_article"
PUBLISH = "news.publish_article"


class Step(StrEnum):
    """What an editor does to an article."""

    EDIT = "edit"  # save the content, the status stays
    SUBMIT = "submit"
    RETURN = "return"  # to the writer, with the reviewer's comment
    PUBLISH = "publish"  # now or at a time (scheduled)
    UNPUBLISH = "unpublish"


class Move(NamedTuple):
    """Where a step leads and the permission it needs.

    None: no workflow permission, only the right to change articles at all
    (news.change_article, checked by permissions.can_edit).
    """

    target: str
    permission: str | None


# (status now, step) -> Move. Rows leaving one status are in the order the
# admin offers their target statuses.
TRANSITIONS: dict[tuple[str, Step], Move] = {
    (Status.DRAFT, Step.EDIT): Move(Status.DRAFT, None),
    (Status.DRAFT, Step.SUBMIT): Move(Status.PENDING, SUBMIT),
    (Status.DRAFT, Step.PUBLISH): Move(Status.PUBLISHED, PUBLISH),
    (Status.PENDING, Step.RETURN): Move(Status.DRAFT, REVIEW),
    (Status.PENDING, Step.EDIT): Move(Status.PENDING, None),
    (Status.PENDING, Step.PUBLISH): Move(Status.PUBLISHED, PUBLISH),
    # A published article belongs to the reviewers.
    (Status.PUBLISHED, Step.EDIT): Move(Status.PUBLISHED, PUBLISH),
    (Status.PUBLISHED, Step.UNPUBLISH): Move(Status.DRAFT, PUBLISH),
}


def move(status: str | None, step: Step) -> Move | None:
    """The row for `step` from `status` (None: an article not saved yet, a draft)."""
    return TRANSITIONS.get((status or Status.DRAFT, step))


def moves_from(status: str | None) -> list[tuple[Step, Move]]:
    """Every step that leaves `status`, in the table's order."""
    status = status or Status.DRAFT
    return [
        (step, row) for (source, step), row in TRANSITIONS.items() if source == status
    ]


def step_between(status: str | None, target: str) -> Step | None:
    """The step that takes an article from `status` to `target`, if there is one."""
    for step, row in moves_from(status):
        if row.target == target:
            return step
    return None


def step_into(target: str) -> Step | None:
    """The step that leads to `target` from another status (PENDING: SUBMIT)."""
    for (source, step), row in TRANSITIONS.items():
        if row.target == target and source != target:
            return step
    return None


def step_permission(step: Step) -> str | None:
    """The permission `step` needs from whichever status it leaves.

    Every step but EDIT needs the same one from everywhere (a test keeps it
    so), which lets the services refuse a user before looking at the status.
    """
    for (_source, each), row in TRANSITIONS.items():
        if each == step:
            return row.permission
    return None
