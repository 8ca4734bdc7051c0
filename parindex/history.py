"""Editions over time: their versions, every released state, what changed.

Editions, results and area points are recorded by django-simple-history (as
articles are): every step of the data team is a version of the edition
(who, when, which step), and a correction updates results in place, so the
rows as they were before it stay in their history. A released state is the
table as it stood up to a correction (or now, for the last one); two states
differ by the change list a correction stores (old → new per unit and field).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from parindex.models import AreaScore, Correction, Edition, EditionStatus, Result
from parindex.tables import INDEX, RANK, STANDARD_COLUMNS, TOTAL, Table, TableRow

HISTORY_TYPES = {"+": "Tạo", "~": "Sửa", "-": "Xoá"}
# The figures a correction may change: (key, label), in table order.
RESULT_FIGURES = (
    ("rank", RANK),
    ("total", TOTAL),
    ("index", INDEX),
    ("appraisal", STANDARD_COLUMNS["appraisal"]),
    ("survey", STANDARD_COLUMNS["survey"]),
)
_EPSILON = datetime.timedelta(microseconds=1)


def user_label(user) -> str:
    """How a person is named in the admin: full name, else user name."""
    if user is None:
        return "Hệ thống"
    return user.get_full_name() or user.get_username()


def result_changes(stored: list[Result], checked) -> list[dict]:
    """Old → new per unit and figure between stored results and checked rows.

    `stored` carry their area scores; `checked` are CheckedRows (same units).
    Returns the CorrectionChange fields of each change, in table order.
    """
    by_unit = {result.unit_id: result for result in stored}
    changes = []
    for item in sorted(checked, key=lambda item: (item.rank, item.row.name)):
        result = by_unit[item.unit.pk]
        new = {
            "rank": Decimal(item.rank),
            "total": item.row.total,
            "index": item.index,
            "appraisal": item.row.appraisal,
            "survey": item.row.survey,
        }
        for key, label in RESULT_FIGURES:
            old = getattr(result, key)
            old = Decimal(old) if key == "rank" else old
            if old != new[key]:
                changes.append(_change(result, key, label, old, new[key]))
        before = {score.area.number: score for score in result.area_scores.all()}
        for number, points in sorted(item.row.areas.items()):
            score = before.get(number)
            old = score.points if score else None
            if old != points:
                label = score.area.column_header if score else f"Lĩnh vực {number}"
                changes.append(_change(result, f"area-{number}", label, old, points))
    return changes


def _change(result: Result, key: str, label: str, old, new) -> dict:
    return {
        "unit": result.unit,
        "published_name": result.published_name,
        "field": key,
        "label": label,
        "old_value": old,
        "new_value": new,
    }


@dataclass
class VersionRow:
    """One line of an edition's history: when, who, which step."""

    when: datetime.datetime
    who: str
    kind: str
    reason: str
    status: str


def edition_versions(edition: Edition) -> list[VersionRow]:
    """The edition's versions, newest first (one query)."""
    return [
        VersionRow(
            when=version.history_date,
            who=user_label(version.history_user),
            kind=HISTORY_TYPES.get(version.history_type, version.history_type),
            reason=version.history_change_reason or "",
            status=EditionStatus(version.status).label,
        )
        for version in edition.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
    ]


@dataclass
class ReleasedState:
    """The published table as it stood from one moment to the next correction."""

    number: int  # 0: as released; N: after correction N
    since: datetime.datetime | None
    until: datetime.datetime | None
    correction: Correction | None
    changes: list = field(default_factory=list)  # CorrectionChanges into this state


def edition_released_states(edition: Edition) -> list[ReleasedState]:
    """Every state the public has seen: as released, then after each correction."""
    corrections = list(
        edition.corrections.prefetch_related("changes").select_related("corrected_by")
    )
    states = [
        ReleasedState(
            number=0,
            since=edition.release_at,
            until=corrections[0].corrected_at if corrections else None,
            correction=None,
        )
    ]
    for position, correction in enumerate(corrections):
        following = (
            corrections[position + 1] if position + 1 < len(corrections) else None
        )
        states.append(
            ReleasedState(
                number=correction.number,
                since=correction.corrected_at,
                until=following.corrected_at if following else None,
                correction=correction,
                changes=list(correction.changes.all()),
            )
        )
    return states


def edition_table_as_of(edition: Edition, moment: datetime.datetime | None) -> Table:
    """The edition's results as they stood just before `moment` (None: now).

    Read from the results' and area points' history, so a state replaced by a
    correction is still there, exactly as the public saw it.
    """
    moment = (moment or timezone.now() + _EPSILON) - _EPSILON
    results = list(
        Result.history.filter(edition_id=edition.pk, history_date__lte=moment)
        .latest_of_each()
        .exclude(history_type="-")
        .order_by("rank", "published_name")
    )
    scores: dict[int, dict[int, Decimal]] = {}
    areas = {area.pk: area for area in edition.framework.areas.all()}
    for score in (
        AreaScore.history.filter(
            result_id__in=[r.id for r in results], history_date__lte=moment
        )
        .latest_of_each()
        .exclude(history_type="-")
    ):
        area = areas.get(score.area_id)
        if area is not None:
            scores.setdefault(score.result_id, {})[area.number] = score.points
    table = Table(columns={"name": "Tên đơn vị", "rank": RANK, "total": TOTAL})
    table.columns["index"] = INDEX
    if any(r.appraisal is not None for r in results):
        table.columns.update(
            appraisal=STANDARD_COLUMNS["appraisal"], survey=STANDARD_COLUMNS["survey"]
        )
    numbers = sorted({n for points in scores.values() for n in points})
    by_number = {area.number: area for area in areas.values()}
    for number in numbers:
        area = by_number.get(number)
        table.area_columns[number] = (
            area.column_header if area else f"Lĩnh vực {number}"
        )
    table.rows = [
        TableRow(
            line=line,
            name=result.published_name,
            rank=result.rank,
            appraisal=result.appraisal,
            survey=result.survey,
            total=result.total,
            index=result.index,
            areas=scores.get(result.id, {}),
        )
        for line, result in enumerate(results, 1)
    ]
    return table
