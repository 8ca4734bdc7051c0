"""The rules an edition must pass, read on a file before import and again on
the stored results before release (so a released edition always passed them).

Each rule gives a readable Problem naming the row and column; the database
enforces the same invariants again with constraints and triggers (migration
0002). news/prepublish.py is the twin for articles.
"""

import difflib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from cchc_portal.vietnamese import fold
from parindex.models import HUNDRED, Edition, Framework, Group, Unit, year_bounds
from parindex.selectors import edition_get_table
from parindex.tables import (
    APPRAISAL,
    CENT,
    INDEX,
    NAME,
    RANK,
    SURVEY,
    TOTAL,
    Problem,
    Table,
    TableRow,
)

SPLIT_TOLERANCE = Decimal("0.01")  # published tables round each part


def sum_tolerance(parts: int) -> Decimal:
    """How far a total may differ from the sum of its rounded parts."""
    return max(SPLIT_TOLERANCE, (Decimal("0.005") * parts).quantize(CENT))


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """1, 2, 2, 4: ties share a rank, the next rank skips."""
    return [1 + sum(1 for other in totals if other > total) for total in totals]


@dataclass
class CheckedRow:
    """A file row that passed the checks, with its unit and derived values."""

    row: TableRow
    unit: Unit
    rank: int
    index: Decimal


class UnitNameMatcher:
    """Finds the unit a file row names: by folded name, alias or former name.

    A name may fit several units over time (a province before and after a
    merger); the one that existed in the year, and at its end, wins.
    """

    def __init__(self, *, group: str, year: int):
        self.group = group
        self.year = year
        self.first_day, self.last_day = year_bounds(year)
        units = Unit.objects.in_group(group).prefetch_related("other_names")
        self.by_key: dict[str, list[Unit]] = defaultdict(list)
        # Spellings of the year's units, for "did you mean" suggestions.
        self.labels: dict[str, tuple[str, Unit]] = {}
        for unit in units:
            names = [
                (unit.name_folded, unit.name),
                (unit.short_name_folded, unit.short_name),
            ]
            names += [(other.folded, other.name) for other in unit.other_names.all()]
            for key, label in names:
                if unit not in self.by_key[key]:
                    self.by_key[key].append(unit)
                if unit.existed_in(year):
                    self.labels.setdefault(key, (label, unit))

    def at_year_end(self, unit: Unit) -> bool:
        return (unit.valid_from is None or unit.valid_from <= self.last_day) and (
            unit.valid_to is None or unit.valid_to >= self.last_day
        )

    def match(self, name: str) -> tuple[Unit | None, str | None]:
        """(unit, None), or (None, what is wrong with the name, in Vietnamese)."""
        key = fold(name)
        candidates = self.by_key.get(key, [])
        existing = [unit for unit in candidates if unit.existed_in(self.year)]
        if len(existing) > 1:
            existing = [unit for unit in existing if self.at_year_end(unit)]
        if len(existing) == 1:
            return existing[0], None
        if len(existing) > 1:
            names = ", ".join(unit.name for unit in existing)
            return None, f"“{name}” khớp với nhiều đơn vị ({names})."
        if candidates:
            unit = candidates[0]
            period = _period_text(unit)
            return None, (
                f"“{name}” ({unit.name}) không tồn tại trong năm {self.year} "
                f"({period})."
            )
        other = Unit.objects.matching(name).exclude(group=self.group).first()
        if other is not None:
            return None, (
                f"“{name}” thuộc nhóm {other.get_group_display().lower()}, "
                f"không thuộc nhóm {Group(self.group).label.lower()}."
            )
        close = difflib.get_close_matches(key, list(self.labels), n=6, cutoff=0.75)
        suggestions: list[str] = []
        seen: set[int] = set()
        for match in close:
            label, unit = self.labels[match]
            if unit.pk in seen:
                continue
            seen.add(unit.pk)
            suggestions.append(
                f"“{label}”" if label == unit.name else f"“{label}” ({unit.name})"
            )
        message = f"không tìm thấy đơn vị “{name}”."
        if suggestions:
            message += f" Có phải: {', '.join(suggestions[:3])}?"
        return None, message


def _period_text(unit: Unit) -> str:
    start = f"từ {unit.valid_from:%d/%m/%Y}" if unit.valid_from else ""
    end = f"đến {unit.valid_to:%d/%m/%Y}" if unit.valid_to else ""
    return " ".join(part for part in (start, end) if part) or "không rõ thời gian"


def check_rows(
    *,
    table: Table,
    year: int,
    group: str,
    framework: Framework,
    n_ranked: int | None = None,
) -> tuple[list[CheckedRow], list[Problem]]:
    """Check every row of a table against the framework and the unit list."""
    problems = list(table.problems)
    units = UnitNameMatcher(group=group, year=year)
    areas = {area.number: area for area in framework.areas.all()}
    name_column = table.column_name("name", NAME)

    # Area columns must be exactly the framework's areas, each with a maximum.
    if table.area_columns:
        for number, header in table.area_columns.items():
            area = areas.get(number)
            if area is None:
                problems.append(
                    Problem(
                        f"{framework.decision} không có lĩnh vực {number}.",
                        column=header,
                    )
                )
            elif area.max_points is None:
                problems.append(
                    Problem(
                        f"chưa có điểm tối đa của lĩnh vực {number} trong "
                        f"{framework.decision}; hãy nhập điểm tối đa trong bộ chỉ số "
                        "trước khi nhập điểm theo lĩnh vực.",
                        column=header,
                    )
                )
        for number in sorted(set(areas) - set(table.area_columns)):
            problems.append(Problem(f"Thiếu cột “{areas[number].column_header}”."))

    checked: list[CheckedRow] = []
    seen: dict[int, int] = {}
    maximum = framework.max_points
    for row in table.rows:
        unit = None
        if row.name:
            unit, message = units.match(row.name)
            if message:
                problems.append(Problem(message, row.line, name_column))
        if unit is not None:
            if unit.pk in seen:
                problems.append(
                    Problem(
                        f"“{row.name}” trùng với dòng {seen[unit.pk]} ({unit.name}).",
                        row.line,
                        name_column,
                    )
                )
            else:
                seen[unit.pk] = row.line
        problems.extend(_check_points(row, table, areas, maximum))
        if unit is not None and row.total is not None:
            index = row.index
            if index is None:
                index = (row.total * HUNDRED / maximum).quantize(CENT)
            checked.append(
                CheckedRow(row=row, unit=unit, rank=row.rank or 0, index=index)
            )

    problems.extend(_check_ranks(table))
    if not table.has_rank:
        ranks = competition_ranks([c.row.total for c in checked])
        for item, rank in zip(checked, ranks, strict=True):
            item.rank = rank

    if table.rows:
        expected = Unit.objects.in_group(group).expected_in_ranking(year)
        missing = [unit for unit in expected if unit.pk not in seen]
        if missing and not any(p.column == name_column for p in problems):
            names = ", ".join(unit.name for unit in missing)
            problems.append(
                Problem(f"Thiếu đơn vị trong bảng: {names}.", column=name_column)
            )
        if n_ranked is not None and len(table.rows) != n_ranked:
            problems.append(
                Problem(
                    f"Bảng có {len(table.rows)} đơn vị, ấn bản ghi {n_ranked} "
                    "đơn vị được xếp hạng."
                )
            )
    return checked, problems


def _check_points(row, table, areas, maximum) -> list[Problem]:
    problems = []
    values = {
        "appraisal": (row.appraisal, table.column_name("appraisal", APPRAISAL)),
        "survey": (row.survey, table.column_name("survey", SURVEY)),
        "total": (row.total, table.column_name("total", TOTAL)),
    }
    for value, column in values.values():
        if value is not None and not (0 <= value <= maximum):
            problems.append(
                Problem(
                    f"{number_format(value, 2)} nằm ngoài khoảng "
                    f"0–{number_format(maximum, 2)} điểm.",
                    row.line,
                    column,
                )
            )
    if row.index is not None and not (0 <= row.index <= HUNDRED):
        problems.append(
            Problem(
                f"{number_format(row.index, 2)} nằm ngoài khoảng 0–100.",
                row.line,
                table.column_name("index", INDEX),
            )
        )
    total = row.total
    if total is None:
        return problems
    if row.appraisal is not None and row.survey is not None:
        parts = row.appraisal + row.survey
        if abs(parts - total) > SPLIT_TOLERANCE:
            problems.append(
                Problem(
                    f"tổng điểm {number_format(total, 2)} khác điểm thẩm định + điểm "
                    f"điều tra = {number_format(parts, 2)}.",
                    row.line,
                    values["total"][1],
                )
            )
    if row.index is not None:
        expected = total * HUNDRED / maximum
        if abs(row.index - expected) > SPLIT_TOLERANCE:
            problems.append(
                Problem(
                    f"chỉ số {number_format(row.index, 2)} không khớp với tổng điểm "
                    f"{number_format(total, 2)} / {number_format(maximum, 2)}.",
                    row.line,
                    table.column_name("index", INDEX),
                )
            )
    if table.area_columns:
        for number, points in row.areas.items():
            area = areas.get(number)
            if points is None or area is None or area.max_points is None:
                continue
            if not (0 <= points <= area.max_points):
                problems.append(
                    Problem(
                        f"{number_format(points, 2)} vượt điểm tối đa "
                        f"{number_format(area.max_points, 2)} của lĩnh vực {number}.",
                        row.line,
                        table.area_columns[number],
                    )
                )
        known = [p for p in row.areas.values() if p is not None]
        if len(known) == len(table.area_columns):
            area_sum = sum(known, Decimal(0))
            if abs(area_sum - total) > sum_tolerance(len(known)):
                problems.append(
                    Problem(
                        f"tổng điểm {number_format(total, 2)} khác tổng điểm các lĩnh "
                        f"vực = {number_format(area_sum, 2)}.",
                        row.line,
                        values["total"][1],
                    )
                )
    return problems


def _check_ranks(table: Table) -> list[Problem]:
    """Ranks follow totals; ties may share a rank (1, 2, 2, 4)."""
    if not table.has_rank:
        return []
    ranked = table.rows
    # A rank or total that could not be read is already reported; comparing the
    # other rows against an incomplete list would only add noise.
    if any(r.rank is None for r in ranked):
        return []
    totals_known = all(r.total is not None for r in ranked)
    column = table.column_name("rank", RANK)
    problems = []
    for row in ranked:
        above = sum(1 for other in ranked if other.rank < row.rank)
        if row.rank != above + 1:
            problems.append(
                Problem(
                    f"hạng {row.rank} không hợp lệ: có {above} đơn vị xếp trên nên "
                    f"hạng phải là {above + 1}.",
                    row.line,
                    column,
                )
            )
            continue
        if not totals_known:
            continue
        better = sum(1 for other in ranked if other.total > row.total)
        equal = sum(1 for other in ranked if other.total == row.total)
        if not (better + 1 <= row.rank <= better + equal):
            problems.append(
                Problem(
                    f"hạng {row.rank} không khớp với tổng điểm "
                    f"{number_format(row.total, 2)} (theo tổng điểm là hạng "
                    f"{better + 1}).",
                    row.line,
                    column,
                )
            )
    return problems


def provenance_problems(edition: Edition) -> list[Problem]:
    """What an edition must say about where its figures come from, before release.

    The announcement date and body, the document and a source (address or
    PDF), the framework, and for the national average and the survey size
    either the published figure or an explicit "not published". Demo editions
    have no official document or source: they are labelled everywhere instead.
    """
    problems = []
    if edition.announced_on is None:
        problems.append(Problem("Thiếu ngày công bố chính thức."))
    if not edition.announcing_body.strip():
        problems.append(Problem("Thiếu cơ quan công bố (ví dụ: Bộ Nội vụ)."))
    if not edition.is_demo:
        if not edition.announcement_document.strip():
            problems.append(
                Problem(
                    "Thiếu văn bản công bố (số quyết định, báo cáo hoặc thông cáo "
                    "báo chí)."
                )
            )
        if not edition.source_url and not edition.source_file:
            problems.append(
                Problem("Thiếu nguồn: địa chỉ trang công bố hoặc tệp PDF gốc.")
            )
        if edition.framework_id and edition.framework.is_demo:
            problems.append(
                Problem(
                    "Bộ chỉ số minh họa chỉ dùng cho dữ liệu minh họa; hãy chọn bộ "
                    "chỉ số chính thức."
                )
            )
    published = (
        ("giá trị trung bình", edition.national_average, edition.average_not_published),
        ("số phiếu điều tra", edition.survey_size, edition.survey_size_not_published),
    )
    for name, value, not_published in published:
        if value is None and not not_published:
            problems.append(
                Problem(
                    f"Thiếu {name} công bố; nếu nguồn không công bố, hãy đánh dấu "
                    f"“không công bố {name}”."
                )
            )
        elif value is not None and not_published:
            problems.append(
                Problem(f"Đã nhập {name} nhưng lại đánh dấu “không công bố {name}”.")
            )
    return problems


def edition_problems(edition: Edition) -> list[Problem]:
    """Every check an edition must pass before release: figures, then provenance."""
    return figure_problems(edition) + provenance_problems(edition)


def figure_problems(edition: Edition) -> list[Problem]:
    """Consistency checks of an edition's stored figures."""
    table = edition_get_table(edition)
    if not table.rows:
        return [Problem("Ấn bản chưa có kết quả nào.")]
    _, problems = check_rows(
        table=table,
        year=edition.year,
        group=edition.group,
        framework=edition.framework,
        n_ranked=edition.n_ranked,
    )
    if edition.national_average is not None:
        mean = sum((r.index for r in table.rows), Decimal(0)) / len(table.rows)
        published = edition.national_average
        if abs(mean - published) > SPLIT_TOLERANCE:
            problems.append(
                Problem(
                    f"Giá trị trung bình công bố {number_format(published, 2)} khác "
                    f"trung bình của bảng {number_format(mean.quantize(CENT), 2)}."
                )
            )
    return problems


def correction_problems(
    *, edition: Edition, table: Table
) -> tuple[list[CheckedRow], list[Problem]]:
    """The checks a corrected table must pass: those of an import, same units.

    Ranks must still follow the totals: a correction that would leave them
    inconsistent is refused with the row and column, like an import.
    """
    checked, problems = check_rows(
        table=table,
        year=edition.year,
        group=edition.group,
        framework=edition.framework,
        n_ranked=edition.n_ranked,
    )
    if problems:
        return checked, problems
    stored = dict(edition.results.values_list("unit_id", "published_name"))
    given = {item.unit.pk: item.unit.name for item in checked}
    added = [name for pk, name in given.items() if pk not in stored]
    missing = [name for pk, name in stored.items() if pk not in given]
    if added:
        problems.append(
            Problem(
                "Đính chính không thêm đơn vị vào ấn bản đã công bố: "
                f"{', '.join(added)}."
            )
        )
    if missing:
        problems.append(
            Problem(f"Bảng đính chính thiếu đơn vị đã công bố: {', '.join(missing)}.")
        )
    return checked, problems
