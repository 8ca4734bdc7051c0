"""Writes that span PAR INDEX models: importing an edition, releasing it.

Everything is checked before anything is written; one problem means nothing
is saved. The rules live in parindex.edition_checks, read on the file by the
import and again on what is stored by the release, so a released edition
always passed them.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parindex.edition_checks import CheckedRow, check_rows, edition_problems
from parindex.models import (
    Area,
    AreaScore,
    Edition,
    EditionStatus,
    Framework,
    Group,
    Result,
)
from parindex.tables import RESULT_FIELDS, Problem, Table


@dataclass
class ImportOutcome:
    """What an import found and did."""

    year: int
    group: str
    problems: list[Problem] = field(default_factory=list)
    rows: list[CheckedRow] = field(default_factory=list)
    edition: Edition | None = None
    created: bool = False
    changed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _result_of(
    item: CheckedRow, *, edition: Edition, areas: dict[int, Area]
) -> tuple[Result, list[AreaScore]]:
    """The result (and area points) a checked file row becomes, not yet saved.

    The inverse of parindex.selectors.result_to_row, which the downloads use.
    """
    row = item.row
    result = Result(
        edition=edition,
        unit=item.unit,
        **{field: getattr(row, kind) for kind, field in RESULT_FIELDS.items()},
    )
    # A file may leave out the rank or the index: the checks worked them out.
    result.rank, result.index = item.rank, item.index
    scores = [
        AreaScore(result=result, area=areas[number], points=points)
        for number, points in row.areas.items()
    ]
    return result, scores


def _fingerprint(results: Iterable[tuple[Result, Iterable[AreaScore]]]) -> list:
    """Results as comparable values (for "nothing changed").

    Area points carry their area's framework: the same numbers scored on
    another framework are a change (the scores must move to its areas).
    """
    return sorted(
        (
            result.unit_id,
            *(getattr(result, field) for field in RESULT_FIELDS.values()),
            tuple(
                sorted((s.area.framework_id, s.area.number, s.points) for s in scores)
            ),
        )
        for result, scores in results
    )


@transaction.atomic
def edition_import(
    *,
    table: Table,
    year: int,
    group: str,
    framework: Framework | None = None,
    is_demo: bool = False,
    dry_run: bool = False,
) -> ImportOutcome:
    """Check a table and, if it is clean, make it the draft edition's results."""
    outcome = ImportOutcome(year=year, group=group)
    edition = (
        Edition.objects.select_for_update()
        .select_related("framework")
        .filter(year=year, group=group)
        .first()
    )
    if edition is not None and edition.is_released:
        outcome.problems.append(
            Problem(f"{edition} đã được công bố; số liệu đã công bố không được ghi đè.")
        )
        return outcome
    framework = framework or (edition.framework if edition else None)
    if framework is None:
        outcome.problems.append(Problem("Cần chọn bộ chỉ số (khung điểm) cho ấn bản."))
        return outcome
    if framework.group != group:
        outcome.problems.append(
            Problem(f"{framework} không dùng cho nhóm {Group(group).label.lower()}.")
        )
        return outcome
    n_ranked = edition.n_ranked if edition else None
    outcome.rows, outcome.problems = check_rows(
        table=table, year=year, group=group, framework=framework, n_ranked=n_ranked
    )
    if not outcome.ok or dry_run:
        return outcome

    if edition is None:
        edition = Edition(year=year, group=group, framework=framework, is_demo=is_demo)
        edition.full_clean()
        edition.save()
        outcome.created = True
    elif edition.framework_id != framework.pk or edition.is_demo != is_demo:
        edition.framework = framework
        edition.is_demo = is_demo
        edition.full_clean()
        edition.save()
        outcome.changed = True
    outcome.edition = edition
    areas = {area.number: area for area in framework.areas.all()}
    new = [_result_of(item, edition=edition, areas=areas) for item in outcome.rows]
    if not outcome.created:
        stored = edition.results.with_area_scores()
        if _fingerprint((r, r.area_scores.all()) for r in stored) == _fingerprint(new):
            return outcome

    outcome.changed = True
    edition.results.all().delete()
    for result, scores in new:
        result.full_clean(exclude=["edition", "unit"], validate_constraints=False)
        result.save()
        for score in scores:
            score.result = result
            score.full_clean(exclude=["result", "area"], validate_constraints=False)
    AreaScore.objects.bulk_create(score for _, scores in new for score in scores)
    edition.save(update_fields=["updated_at"])
    return outcome


@transaction.atomic
def edition_release(
    *, edition: Edition, release_at: datetime.datetime | None = None
) -> Edition:
    """Release an edition at a time (now by default) after the checks pass."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_released:
        raise ValidationError(f"{edition} đã được công bố.")
    problems = edition_problems(edition)
    if problems:
        raise ValidationError([str(problem) for problem in problems])
    edition.status = EditionStatus.RELEASED
    edition.release_at = release_at or timezone.now()
    edition.full_clean()
    edition.save(update_fields=["status", "release_at", "updated_at"])
    return edition


@transaction.atomic
def edition_unschedule(*, edition: Edition) -> Edition:
    """Put a scheduled edition back to draft before its release time."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if not edition.is_scheduled:
        raise ValidationError(
            "Chỉ có thể hủy lịch của ấn bản chưa đến thời điểm công bố."
        )
    edition.status = EditionStatus.DRAFT
    edition.release_at = None
    edition.save(update_fields=["status", "release_at", "updated_at"])
    return edition
