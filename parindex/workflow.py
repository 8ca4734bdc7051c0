"""An edition's life as one table: state, step, next state, permission.

TRANSITIONS is the whole state graph of a PAR INDEX edition, the twin of
news/workflow.py for articles:

    draft ─check─► checked ─release─► released ─correct─► corrected
      ▲              │  └──schedule─► scheduled              │
      └────edit──────┘      │ (public at its minute)         │
                 checked ◄──unschedule        released/corrected ─withdraw─► withdrawn

"scheduled" is not stored: it is a released edition before its release
time (Edition.state). The services (parindex/services.py) run a step only
from a state the table lists for it, with the permission it names; the admin
offers the same steps from the same table. Roles: parindex/roles.py.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from parindex.models import EditionStatus

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    User = AbstractBaseUser | AnonymousUser

DRAFT = EditionStatus.DRAFT.value
CHECKED = EditionStatus.CHECKED.value
SCHEDULED = "scheduled"
RELEASED = EditionStatus.RELEASED.value
CORRECTED = EditionStatus.CORRECTED.value
WITHDRAWN = EditionStatus.WITHDRAWN.value

STATE_LABELS = {
    DRAFT: "Bản nháp",
    CHECKED: "Đã kiểm tra, chờ công bố",
    SCHEDULED: "Đã hẹn giờ công bố",
    RELEASED: "Đã công bố",
    CORRECTED: "Đã đính chính",
    WITHDRAWN: "Đã thu hồi",
}

# The data team's permissions (Edition.Meta.permissions; roles in roles.py).
CHANGE = "parindex.change_edition"
CHECK = "parindex.check_edition"
RELEASE = "parindex.release_edition"
CORRECT = "parindex.correct_edition"


class Step(StrEnum):
    """What the data team does to an edition."""

    EDIT = "edit"  # import a table or change a draft's fields
    CHECK = "check"  # all checks pass: ready for a second person to release
    RELEASE = "release"  # public now
    SCHEDULE = "schedule"  # public at a later minute
    UNSCHEDULE = "unschedule"
    CORRECT = "correct"  # change published figures, with a public note
    WITHDRAW = "withdraw"  # hide, with a public note


class Move(NamedTuple):
    """Where a step leads, the permission it needs, and whether a second
    person must take it (not the one who imported or changed the figures)."""

    target: str
    permission: str
    four_eyes: bool = False


TRANSITIONS: dict[tuple[str, Step], Move] = {
    (DRAFT, Step.EDIT): Move(DRAFT, CHANGE),
    (DRAFT, Step.CHECK): Move(CHECKED, CHECK),
    # Changing the figures of a checked edition sends it back to be checked.
    (CHECKED, Step.EDIT): Move(DRAFT, CHANGE),
    (CHECKED, Step.RELEASE): Move(RELEASED, RELEASE, four_eyes=True),
    (CHECKED, Step.SCHEDULE): Move(SCHEDULED, RELEASE, four_eyes=True),
    (SCHEDULED, Step.UNSCHEDULE): Move(CHECKED, RELEASE),
    (RELEASED, Step.CORRECT): Move(CORRECTED, CORRECT),
    (CORRECTED, Step.CORRECT): Move(CORRECTED, CORRECT),
    (RELEASED, Step.WITHDRAW): Move(WITHDRAWN, RELEASE),
    (CORRECTED, Step.WITHDRAW): Move(WITHDRAWN, RELEASE),
}

# The status stored for each state a step leads to.
STORED_STATUS = {
    DRAFT: EditionStatus.DRAFT,
    CHECKED: EditionStatus.CHECKED,
    SCHEDULED: EditionStatus.RELEASED,
    RELEASED: EditionStatus.RELEASED,
    CORRECTED: EditionStatus.CORRECTED,
    WITHDRAWN: EditionStatus.WITHDRAWN,
}


def move(state: str | None, step: Step) -> Move | None:
    """The row for `step` from `state` (None: an edition not saved yet, a draft)."""
    return TRANSITIONS.get((state or DRAFT, step))


def moves_from(state: str | None) -> list[tuple[Step, Move]]:
    """Every step that leaves `state`, in the table's order."""
    state = state or DRAFT
    return [
        (step, row) for (source, step), row in TRANSITIONS.items() if source == state
    ]


def may_take(user: User | None, row: Move) -> bool:
    """Whether `user` holds the row's permission (None: the system, e.g. seed_demo)."""
    return user is None or user.has_perm(row.permission)


def steps_for(user: User | None, state: str | None) -> list[Step]:
    """The steps `user` may take from `state` (the admin offers these)."""
    return [step for step, row in moves_from(state) if may_take(user, row)]
