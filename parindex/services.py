"""Writes that span PAR INDEX models: import, check, release, correct, withdraw.

Everything is checked before anything is written; one problem means nothing
is saved. The rules live in parindex.edition_checks, read on the file by the
import and again on what is stored by the check and the release, so a
released edition always passed them. Each step is a row of the state graph
(parindex.workflow): the service reads the stored state, refuses a user
without the row's permission, and refuses a release by the person who
imported or last changed the figures (four-eyes; superusers may, and the
system, user=None, e.g. seed_demo, does). Every step is a version in the
edition's history (who, when, which step), and results and area points keep
theirs, so every released state stays retrievable (parindex.history).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cchc_portal.vietnamese import fold, nfc
from parindex import history, signals, workflow
from parindex.edition_checks import (
    CheckedRow,
    UnitNameMatcher,
    check_rows,
    correction_problems,
    edition_problems,
)
from parindex.models import (
    Area,
    AreaScore,
    Correction,
    CorrectionChange,
    Edition,
    Framework,
    Group,
    NameKind,
    Result,
    Unit,
    UnitName,
)
from parindex.tables import RESULT_FIELDS, Problem, Table
from parindex.workflow import Step

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    User = AbstractBaseUser | AnonymousUser

# Names of the steps, recorded as each version's "change reason".
REASON_IMPORTED = "Nhập bảng xếp hạng"
REASON_EDITED = "Sửa ấn bản"
REASON_CHECKED = "Đánh dấu đã kiểm tra"
REASON_RELEASED = "Công bố"
REASON_SCHEDULED = "Hẹn giờ công bố"
REASON_UNSCHEDULED = "Hủy lịch công bố"
REASON_CORRECTED = "Đính chính"
REASON_WITHDRAWN = "Thu hồi"

# What each step answers when refused: (the user may not take it, the stored
# state does not allow it).
REFUSALS = {
    Step.EDIT: (
        "Bạn không có quyền nhập hoặc sửa ấn bản chỉ số.",
        "Ấn bản đã công bố: số liệu chỉ thay đổi qua đính chính.",
    ),
    Step.CHECK: (
        "Bạn không có quyền đánh dấu ấn bản đã kiểm tra.",
        "Chỉ bản nháp mới đánh dấu đã kiểm tra được.",
    ),
    Step.RELEASE: (
        "Bạn không có quyền công bố ấn bản chỉ số.",
        "Chỉ ấn bản đã kiểm tra mới công bố được; hãy đánh dấu đã kiểm tra trước.",
    ),
    Step.SCHEDULE: (
        "Bạn không có quyền hẹn giờ công bố ấn bản chỉ số.",
        "Chỉ ấn bản đã kiểm tra mới hẹn giờ công bố được.",
    ),
    Step.UNSCHEDULE: (
        "Bạn không có quyền hủy lịch công bố.",
        "Chỉ có thể hủy lịch của ấn bản chưa đến thời điểm công bố.",
    ),
    Step.CORRECT: (
        "Bạn không có quyền đính chính ấn bản chỉ số.",
        "Chỉ ấn bản đã công bố (và đã đến thời điểm công bố) mới đính chính được.",
    ),
    Step.WITHDRAW: (
        "Bạn không có quyền thu hồi ấn bản chỉ số.",
        "Chỉ ấn bản đã công bố mới thu hồi được.",
    ),
}
FOUR_EYES_REFUSAL = (
    "Cần người thứ hai: người đã nhập hoặc sửa số liệu của ấn bản ({who}) không "
    "tự công bố được. Hãy nhờ một người duyệt dữ liệu khác."
)


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

    @property
    def name_differences(self) -> list[CheckedRow]:
        """Rows whose file name is not the name that will be published, or
        that matched only by alias, folding or a dropped prefix (preview)."""
        return [item for item in self.rows if item.name_differs]


# --- Steps ------------------------------------------------------------------


def _person(user: User | None):
    """The user to record (None for the system or an anonymous caller)."""
    return user if user is not None and user.is_authenticated else None


def _begin(edition: Edition, user: User | None, step: Step) -> workflow.Move:
    """The table's row for `step` on `edition` as stored, once `user` may take it."""
    row = workflow.move(edition.state, step)
    if row is None:
        if step in (Step.RELEASE, Step.SCHEDULE) and edition.is_released:
            raise ValidationError(f"{edition} đã được công bố.")
        raise ValidationError(REFUSALS[step][1])
    if not workflow.may_take(user, row):
        raise PermissionDenied(REFUSALS[step][0])
    if row.four_eyes and user is not None and not user.is_superuser:
        preparers = {
            pk for pk in (edition.imported_by_id, edition.figures_changed_by_id) if pk
        }
        if user.pk in preparers:
            names = ", ".join(
                sorted(
                    {
                        history.user_label(person)
                        for person in (edition.imported_by, edition.figures_changed_by)
                        if person is not None
                    }
                )
            )
            raise PermissionDenied(FOUR_EYES_REFUSAL.format(who=names))
    return row


def _save(
    edition: Edition, *, user: User | None, reason: str, fields: Iterable[str]
) -> Edition:
    edition._history_user = _person(user)
    edition._change_reason = reason
    edition.full_clean()
    edition.save(update_fields=[*fields, "updated_at"])
    return edition


def _locked(edition: Edition) -> Edition:
    return (
        Edition.objects.select_for_update(of=("self",))
        .select_related("framework", "imported_by", "figures_changed_by")
        .get(pk=edition.pk)
    )


@contextmanager
def _database_flag(name: str) -> Iterator[None]:
    """Let the triggers of migration 0005 allow one guarded write, this once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [name])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [name])


def correcting():
    """Published results may change inside this block (corrections only)."""
    return _database_flag("parindex.correcting")


def resetting_demo():
    """Released demo editions may be deleted inside this block (seed_demo --reset)."""
    return _database_flag("parindex.demo_reset")


# --- Import ---------------------------------------------------------------


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
    # Pages show the unit's official name of that year; the file's spelling
    # is kept as a record of the import (admin only).
    result.published_name = item.published_name or item.unit.published_name_in(
        edition.year
    )
    result.file_name = nfc(row.name).strip()
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
    user: User | None = None,
) -> ImportOutcome:
    """Check a table and, if it is clean, make it the draft edition's results.

    A checked edition whose figures change goes back to draft, and the person
    who imported is recorded: they cannot release it alone.
    """
    outcome = ImportOutcome(year=year, group=group)
    edition = (
        Edition.objects.select_for_update(of=("self",))
        .select_related("framework")
        .filter(year=year, group=group)
        .first()
    )
    if edition is not None and edition.is_released:
        outcome.problems.append(
            Problem(
                f"{edition} đã được công bố; số liệu đã công bố chỉ thay đổi qua "
                "đính chính."
            )
        )
        return outcome
    if user is not None and not user.has_perm(workflow.CHANGE):
        outcome.problems.append(Problem(REFUSALS[Step.EDIT][0]))
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

    person = _person(user)
    if edition is None:
        edition = Edition(
            year=year,
            group=group,
            framework=framework,
            is_demo=is_demo,
            imported_by=person,
            figures_changed_by=person,
        )
        edition._history_user = person
        edition._change_reason = REASON_IMPORTED
        edition.full_clean()
        edition.save()
        outcome.created = True
    outcome.edition = edition
    areas = {area.number: area for area in framework.areas.all()}
    new = [_result_of(item, edition=edition, areas=areas) for item in outcome.rows]
    if not outcome.created:
        stored = edition.results.with_area_scores()
        same = _fingerprint((r, r.area_scores.all()) for r in stored) == _fingerprint(
            new
        )
        if same and edition.framework_id == framework.pk and edition.is_demo == is_demo:
            return outcome
        edition.framework = framework
        edition.is_demo = is_demo
        edition.status = workflow.move(edition.state, Step.EDIT).target
        edition.imported_by = edition.imported_by or person
        edition.figures_changed_by = person
        _save(
            edition,
            user=user,
            reason=REASON_IMPORTED,
            fields=[
                "framework",
                "is_demo",
                "status",
                "imported_by",
                "figures_changed_by",
            ],
        )
        if same:
            outcome.changed = True
            return outcome

    outcome.changed = True
    edition.results.all().delete()
    for result, scores in new:
        result._history_user = person
        result._change_reason = REASON_IMPORTED
        result.full_clean(exclude=["edition", "unit"], validate_constraints=False)
        result.save()
        for score in scores:
            score.result = result
            score.full_clean(exclude=["result", "area"], validate_constraints=False)
    bulk_create_with_history(
        [score for _, scores in new for score in scores],
        AreaScore,
        default_user=person,
        default_change_reason=REASON_IMPORTED,
    )
    return outcome


ALIAS_PERMISSION = "parindex.add_unitname"


@transaction.atomic
def unit_alias_add(
    *, name: str, unit: Unit, year: int, user: User | None, source: str = ""
) -> UnitName:
    """Keep a file's unknown name as an alias of a unit, so the file matches.

    The unit must exist at the end of the edition's year (as the matcher
    requires); a name that would then match two units of that year is refused
    naming both. Nothing else changes; a refusal saves nothing.
    """
    if user is None or not user.has_perm(ALIAS_PERMISSION):
        raise PermissionDenied("Bạn không có quyền thêm tên gọi khác của đơn vị.")
    name = nfc(name).strip()
    if not name:
        raise ValidationError("Tên gọi khác không được để trống.")
    matcher = UnitNameMatcher(group=unit.group, year=year)
    if all(other.pk != unit.pk for other in matcher.units_of_year):
        raise ValidationError(
            f"{unit.label} không tồn tại vào cuối năm {year}; "
            "hãy chọn một đơn vị của năm đó."
        )
    matching = matcher.units_at_year_end(name)
    others = [other for other in matching if other != unit]
    if others:
        raise ValidationError(
            f"Không lưu tên gọi khác “{name}” cho {unit.label}: tên này sẽ khớp "
            f"với hai đơn vị cùng tồn tại trong năm {year}: {unit.label} và "
            f"{' và '.join(other.label for other in others)}."
        )
    if (
        unit in matching
        or UnitName.objects.filter(unit=unit, folded=fold(name)).exists()
    ):
        raise ValidationError(f"“{name}” đã là một tên của {unit.label}.")
    alias = UnitName(
        unit=unit,
        name=name,
        kind=NameKind.ALIAS,
        note=source[:300],
        added_by=_person(user),
        added_at=timezone.now(),
    )
    alias.full_clean()
    alias.save()
    return alias


# Fields whose change counts as a change of the figures (four-eyes).
FIGURE_FIELDS = frozenset(
    {"framework", "n_ranked", "national_average", "survey_size", "is_demo"}
)


@transaction.atomic
def edition_save(
    *, edition: Edition, user: User | None, changed: Iterable[str] = ()
) -> Edition:
    """Save an edit of a draft or checked edition (a checked one returns to draft).

    `changed` names the fields the form changed; a change of the figures
    makes `user` the last person who changed them.
    """
    if edition.pk is None:
        if user is not None and not user.has_perm("parindex.add_edition"):
            raise PermissionDenied(REFUSALS[Step.EDIT][0])
        edition.status = workflow.DRAFT
        edition.imported_by = edition.figures_changed_by = _person(user)
        edition._history_user = _person(user)
        edition._change_reason = REASON_EDITED
        edition.full_clean()
        edition.save()
        return edition
    stored = _locked(edition)
    row = _begin(stored, user, Step.EDIT)
    edition.status = row.target
    if FIGURE_FIELDS & set(changed):
        edition.figures_changed_by = _person(user)
    if stored.status == workflow.CHECKED:
        edition.checked_by = None
    edition._history_user = _person(user)
    edition._change_reason = REASON_EDITED
    edition.full_clean()
    edition.save()
    return edition


@transaction.atomic
def edition_mark_checked(*, edition: Edition, user: User | None = None) -> Edition:
    """Bản nháp → Đã kiểm tra: every check passes; a second person may release."""
    edition = _locked(edition)
    row = _begin(edition, user, Step.CHECK)
    problems = edition_problems(edition)
    if problems:
        raise ValidationError([str(problem) for problem in problems])
    edition.status = row.target
    edition.checked_by = _person(user)
    _save(edition, user=user, reason=REASON_CHECKED, fields=["status", "checked_by"])
    signals.send_on_commit(signals.edition_checked, edition=edition, user=user)
    return edition


@transaction.atomic
def edition_release(
    *,
    edition: Edition,
    release_at: datetime.datetime | None = None,
    user: User | None = None,
) -> Edition:
    """Release a checked edition at a time (now by default), by a second person.

    The system (user None: seed_demo, the reference loader) checks a draft
    itself first, as one step.
    """
    edition = _locked(edition)
    if user is None and edition.state == workflow.DRAFT:
        edition = edition_mark_checked(edition=edition)
    now = timezone.now()
    scheduled = release_at is not None and release_at > now
    row = _begin(edition, user, Step.SCHEDULE if scheduled else Step.RELEASE)
    problems = edition_problems(edition)
    if problems:
        raise ValidationError([str(problem) for problem in problems])
    edition.status = workflow.STORED_STATUS[row.target]
    edition.release_at = release_at or now
    edition.released_by = _person(user)
    _save(
        edition,
        user=user,
        reason=REASON_SCHEDULED if scheduled else REASON_RELEASED,
        fields=["status", "release_at", "released_by"],
    )
    signals.send_on_commit(
        signals.edition_released, edition=edition, user=user, scheduled=scheduled
    )
    return edition


@transaction.atomic
def edition_unschedule(*, edition: Edition, user: User | None = None) -> Edition:
    """Put a scheduled edition back to checked before its release time."""
    edition = _locked(edition)
    row = _begin(edition, user, Step.UNSCHEDULE)
    edition.status = workflow.STORED_STATUS[row.target]
    edition.release_at = None
    edition.released_by = None
    return _save(
        edition,
        user=user,
        reason=REASON_UNSCHEDULED,
        fields=["status", "release_at", "released_by"],
    )


def _clean_note(note: str, field_name: str, message: str) -> str:
    note = nfc(note or "").strip()
    if not note:
        raise ValidationError({field_name: message})
    return note


@transaction.atomic
def edition_correct(
    *, edition: Edition, table: Table, note: str, user: User | None = None
) -> Correction:
    """Correct a released edition's figures in public: one unit or many.

    `table` is the whole corrected table (an upload, or the stored table with
    the rows the reviewer edited); it must pass the same checks as an import
    and list the same units. The changed results and area points are updated
    in place (their history keeps the old values) and the change list, old →
    new per unit and field, is kept for the public corrections page.
    """
    edition = _locked(edition)
    row = _begin(edition, user, Step.CORRECT)
    note = _clean_note(
        note,
        "note",
        "Hãy ghi chú công khai cho đính chính: sửa gì và vì sao (người đọc sẽ thấy).",
    )
    checked, problems = correction_problems(edition=edition, table=table)
    if problems:
        raise ValidationError([str(problem) for problem in problems])
    stored = list(edition.results.with_area_scores())
    changes = history.result_changes(stored, checked)
    if not changes:
        raise ValidationError(
            "Bảng đính chính giống hệt số liệu đang công bố; không có gì để đính chính."
        )
    person = _person(user)
    number = edition.corrections.count() + 1
    reason = f"{REASON_CORRECTED} lần {number}: {note}"
    by_unit = {result.unit_id: result for result in stored}
    areas = {area.number: area for area in edition.framework.areas.all()}
    started = timezone.now()
    with correcting():
        for item in checked:
            result = by_unit[item.unit.pk]
            fresh, scores = _result_of(item, edition=edition, areas=areas)
            fields = [
                name
                for name in RESULT_FIELDS.values()
                if getattr(result, name) != getattr(fresh, name)
            ]
            if fields:
                for name in fields:
                    setattr(result, name, getattr(fresh, name))
                result._history_user = person
                result._change_reason = reason
                result.full_clean(
                    exclude=["edition", "unit"], validate_constraints=False
                )
                result.save(update_fields=fields)
            current = {score.area.number: score for score in result.area_scores.all()}
            for score in scores:
                old = current.get(score.area.number)
                if old is None:
                    score.result = result
                    score._history_user = person
                    score._change_reason = reason
                    score.save()
                elif old.points != score.points:
                    old.points = score.points
                    old._history_user = person
                    old._change_reason = reason
                    old.save(update_fields=["points"])
    correction = Correction.objects.create(
        edition=edition,
        number=number,
        corrected_at=started,
        note=note,
        corrected_by=person,
    )
    CorrectionChange.objects.bulk_create(
        CorrectionChange(correction=correction, position=position, **change)
        for position, change in enumerate(changes)
    )
    edition.status = workflow.STORED_STATUS[row.target]
    _save(edition, user=user, reason=reason, fields=["status"])
    signals.send_on_commit(
        signals.edition_corrected, edition=edition, user=user, correction=correction
    )
    return correction


@transaction.atomic
def edition_withdraw(
    *, edition: Edition, note: str, user: User | None = None
) -> Edition:
    """Hide a released edition with a public note; nothing is deleted."""
    edition = _locked(edition)
    row = _begin(edition, user, Step.WITHDRAW)
    edition.withdrawal_note = _clean_note(
        note,
        "withdrawal_note",
        "Hãy ghi lý do thu hồi (người đọc sẽ thấy ở địa chỉ của ấn bản).",
    )
    edition.withdrawn_at = timezone.now()
    edition.status = workflow.STORED_STATUS[row.target]
    _save(
        edition,
        user=user,
        reason=f"{REASON_WITHDRAWN}: {edition.withdrawal_note}",
        fields=["status", "withdrawn_at", "withdrawal_note"],
    )
    signals.send_on_commit(signals.edition_withdrawn, edition=edition, user=user)
    return edition


def step_refusal(*, edition: Edition, user: User | None, step: Step) -> str | None:
    """Why `user` may not take `step` on `edition` now (None: they may).

    The admin shows it instead of the step's button; the step's service
    refuses it again with the same words.
    """
    try:
        _begin(edition, user, step)
    except (PermissionDenied, ValidationError) as error:
        return " ".join(getattr(error, "messages", None) or [str(error)])
    return None
