"""The rules an edition must pass, read on a file before import and again on
the stored results before release (so a released edition always passed them).

Each rule gives a readable Problem naming the row and column; the database
enforces the same invariants again with constraints and triggers (migration
0002). news/prepublish.py is the twin for articles.
"""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from cchc_portal.vietnamese import fold, nfc
from parindex.models import (
    HUNDRED,
    Edition,
    Framework,
    Group,
    RegionalAverage,
    Unit,
    year_bounds,
)
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


# How a file's name found its unit (shown in the import preview).
HOW_EXACT = ""
HOW_CASE = "khác chữ hoa/thường hoặc dấu (so khớp bỏ dấu)"
HOW_ALIAS = "tên gọi khác / viết tắt"
HOW_FORMER = "tên cũ"
HOW_PUNCTUATION = "khác dấu câu, gạch nối hoặc khoảng trắng"
HOW_PREFIX = "bỏ tiền tố “Tỉnh”/“Thành phố”/“TP”"

# Prefixes official and press tables put before a province's name (folded).
NAME_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp.", "tp ")


def compact_key(text: str) -> str:
    """Folded text without punctuation or spaces: "BR-VT", "brvt" → "brvt"."""
    return re.sub(r"[^a-z0-9]+", "", fold(nfc(text)))


def strip_prefix(folded: str) -> str:
    for prefix in NAME_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded.removeprefix(prefix).strip()
    return folded


@dataclass
class CheckedRow:
    """A file row that passed the checks, with its unit and derived values."""

    row: TableRow
    unit: Unit
    rank: int
    index: Decimal
    published_name: str = ""  # what the portal will show (official, that year)
    how: str = HOW_EXACT  # how the file's name was matched ("" = as written)
    via: str = ""  # the alias or former name that matched, with its source note

    @property
    def name_differs(self) -> bool:
        """The preview flag: matched by alias, folding or a dropped prefix, or
        written otherwise than the unit's names ("Tỉnh Lạng Sơn" for a table
        that shows "Lạng Sơn" is not flagged; "Thua Thien Hue" is)."""
        spelling = nfc(self.row.name).strip()
        if self.how not in (HOW_EXACT, HOW_FORMER):
            return True
        return spelling not in {
            self.published_name,
            self.unit.name,
            self.unit.short_name,
        }


@dataclass
class NameMatch:
    unit: Unit | None
    problem: str | None = None
    how: str = HOW_EXACT
    via: str = ""
    unknown: bool = False  # no unit of any year or group has this name


class UnitNameMatcher:
    """Finds the unit a file row names: by folded name, alias or former name.

    Tried in order: the name folded (no marks, any case, NFC or NFD), then
    without punctuation and spaces ("BR-VT" = "BRVT"), then without a prefix
    ("Tỉnh", "Thành phố", "TP"). Aliases and abbreviations are reference data
    (parindex/data/unit_abbreviations.csv) or added by editors. A name may fit
    several units over time (a province before and after a merger); the unit
    in existence at the end of the year wins; two such units are an error
    naming both.
    """

    def __init__(self, *, group: str, year: int):
        self.group = group
        self.year = year
        self.first_day, self.last_day = year_bounds(year)
        units = Unit.objects.in_group(group).prefetch_related(
            "other_names", "successor_links__successor"
        )
        self.by_key: dict[str, list[tuple[Unit, str, str]]] = defaultdict(list)
        self.by_compact: dict[str, list[tuple[Unit, str, str]]] = defaultdict(list)
        # Spellings of the year's units, for "did you mean" suggestions.
        self.labels: dict[str, tuple[str, Unit]] = {}
        self.units_of_year: list[Unit] = []  # in name order (the queryset's)
        for unit in units:
            if self.at_year_end(unit):
                self.units_of_year.append(unit)
            names = [
                (unit.name, HOW_EXACT, ""),
                (unit.short_name, HOW_EXACT, ""),
            ]
            for other in unit.other_names.all():
                how = HOW_FORMER if other.kind == "former" else HOW_ALIAS
                via = f"“{other.name}”" + (f" ({other.note})" if other.note else "")
                names.append((other.name, how, via))
            for label, how, via in names:
                for index, key in (
                    (self.by_key, fold(label)),
                    (self.by_compact, compact_key(label)),
                ):
                    if all(found is not unit for found, _, _ in index[key]):
                        index[key].append((unit, how, via))
                if self.at_year_end(unit):
                    self.labels.setdefault(compact_key(label), (label, unit))

    def at_year_end(self, unit: Unit) -> bool:
        return (unit.valid_from is None or unit.valid_from <= self.last_day) and (
            unit.valid_to is None or unit.valid_to >= self.last_day
        )

    def match(self, name: str) -> tuple[Unit | None, str | None]:
        """(unit, None), or (None, what is wrong with the name, in Vietnamese)."""
        found = self.find(name)
        return found.unit, found.problem

    def find(self, name: str) -> NameMatch:
        """The unit a name means in this year, how it matched, or the problem."""
        candidates, fallback_how = self._candidates(name)
        if candidates:
            return self._pick(name, candidates, fallback_how)
        return self._unknown(name, fold(nfc(name)))

    def units_at_year_end(self, name: str) -> list[Unit]:
        """The units of the year a name would match (two or more: ambiguous)."""
        candidates, _ = self._candidates(name)
        return [unit for unit, _, _ in candidates if self.at_year_end(unit)]

    def _candidates(self, name: str) -> tuple[list[tuple[Unit, str, str]], str]:
        key = fold(nfc(name))
        lookups = [
            (self.by_key.get(key, []), HOW_CASE),
            (self.by_compact.get(compact_key(name), []), HOW_PUNCTUATION),
        ]
        bare = strip_prefix(key)
        if bare != key:
            lookups += [
                (self.by_key.get(bare, []), HOW_PREFIX),
                (self.by_compact.get(compact_key(bare), []), HOW_PREFIX),
            ]
        for candidates, fallback_how in lookups:
            if candidates:
                return candidates, fallback_how
        return [], HOW_EXACT

    def _pick(self, name, candidates, fallback_how) -> NameMatch:
        at_end = [c for c in candidates if self.at_year_end(c[0])]
        if len(at_end) > 1:
            names = " và ".join(f"{u.name} ({_period_text(u)})" for u, _, _ in at_end)
            return NameMatch(
                None,
                f"“{name}” khớp với hai đơn vị cùng tồn tại trong năm {self.year}: "
                f"{names}. Hãy ghi tên đầy đủ.",
            )
        if at_end:
            unit, how, via = at_end[0]
            if fallback_how != HOW_CASE:
                how = fallback_how if how == HOW_EXACT else f"{how}; {fallback_how}"
            elif how == HOW_EXACT and nfc(name).strip() not in {
                unit.name,
                unit.short_name,
            }:
                how = HOW_CASE
            return NameMatch(unit, None, how, via)
        unit = candidates[0][0]
        period = _period_text(unit)
        if not unit.existed_in(self.year):
            return NameMatch(
                None,
                f"“{name}” ({unit.name}) không tồn tại trong năm {self.year} "
                f"({period}).",
            )
        # Existed part of the year: the edition ranks the units at its end.
        message = (
            f"“{name}” ({unit.name}) không còn tồn tại vào cuối năm {self.year} "
            f"({period})"
        )
        links = list(unit.successor_links.all())
        if links:
            names = ", ".join(link.successor.name for link in links)
            message += f"; từ {links[0].effective_on:%d/%m/%Y} thuộc {names}"
        return NameMatch(None, message + ".")

    def _unknown(self, name: str, key: str) -> NameMatch:
        other = Unit.objects.matching(name).exclude(group=self.group).first()
        if other is not None:
            return NameMatch(
                None,
                f"“{name}” thuộc nhóm {other.get_group_display().lower()}, "
                f"không thuộc nhóm {Group(self.group).label.lower()}.",
            )
        return NameMatch(None, self.unknown_message(name), unknown=True)

    def suggestions(self, name: str, limit: int = 3) -> list[tuple[str, Unit]]:
        """Spellings of the year's units closest to name, best first."""
        wanted = compact_key(strip_prefix(fold(nfc(name))))
        scored = []
        for spelling, (label, unit) in self.labels.items():
            bare = compact_key(strip_prefix(fold(label)))
            ratio = max(
                difflib.SequenceMatcher(None, wanted, spelling).ratio(),
                difflib.SequenceMatcher(None, wanted, bare).ratio(),
            )
            if ratio >= 0.75:
                scored.append((ratio, label, unit))
        scored.sort(key=lambda item: (-item[0], item[1]))
        picked: list[tuple[str, Unit]] = []
        for _, label, unit in scored:
            if all(unit is not other for _, other in picked):
                picked.append((label, unit))
        return picked[:limit]

    def unknown_message(self, name: str) -> str:
        suggestions = [
            f"“{label}”" if label == unit.name else f"“{label}” ({unit.name})"
            for label, unit in self.suggestions(name)
        ]
        message = f"không tìm thấy đơn vị “{name}”."
        if suggestions:
            message += f" Có phải: {', '.join(suggestions)}?"
        return message


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
        found = NameMatch(None)
        if row.name:
            found = units.find(row.name)
            unit = found.unit
            if found.problem:
                problems.append(Problem(found.problem, row.line, name_column))
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
                CheckedRow(
                    row=row,
                    unit=unit,
                    rank=row.rank or 0,
                    index=index,
                    published_name=unit.published_name_in(year),
                    how=found.how,
                    via=found.via,
                )
            )

    problems.extend(_lineage_problems(checked, seen, name_column))
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


def _lineage_problems(checked, seen, column) -> list[Problem]:
    """A successor and its predecessor cannot both be ranked in one edition."""
    problems = []
    for item in checked:
        for link in item.unit.successor_links.all():
            if link.successor_id in seen:
                problems.append(
                    Problem(
                        f"{item.unit.name} và {link.successor.name} (dòng "
                        f"{seen[link.successor_id]}) cùng có trong bảng, nhưng "
                        f"{link.successor.name} kế thừa {item.unit.name} từ "
                        f"{link.effective_on:%d/%m/%Y}: một ấn bản chỉ xếp hạng "
                        "một trong hai.",
                        item.row.line,
                        column,
                    )
                )
    return problems


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
    """Every check an edition must pass before release: figures, provenance,
    and what its regional averages would be computed on."""
    return (
        figure_problems(edition)
        + provenance_problems(edition)
        + regional_problems(edition)
    )


def regional_problems(edition: Edition) -> list[Problem]:
    """Regional averages shown from the table itself (no published figures)
    must say that they cover only part of the units when some have no region.
    """
    if edition.group != Group.PROVINCE:
        return []
    if RegionalAverage.objects.filter(year=edition.year).exists():
        return []
    total = edition.results.count()
    unassigned = list(
        edition.results.filter(unit__region__isnull=True)
        .order_by("unit__sort_name")
        .values_list("published_name", flat=True)
    )
    if not unassigned or edition.regional_note.strip():
        return []
    return [
        Problem(
            f"Trung bình vùng sẽ tính trên {total - len(unassigned)}/{total} đơn vị: "
            f"{len(unassigned)} đơn vị chưa xác định vùng ({', '.join(unassigned)}). "
            "Hãy ghi “ghi chú về trung bình vùng” (tính trên bao nhiêu đơn vị, vì "
            "sao) trước khi công bố."
        )
    ]


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
