"""The PAR INDEX table layout: reading CSV/XLSX/JSON files and writing them.

One layout serves import and export, so a downloaded file imports unchanged:
optional title lines (the import skips them; CSV downloads have none), then a
header row with the Vietnamese column names of
published tables (Xếp hạng, Tên đơn vị, Điểm thẩm định, Điểm điều tra XHH,
Tổng điểm, Chỉ số (%), one "Lĩnh vực N: …" column per area), then one row per
unit. CSV may be UTF-8 with or without BOM, comma-, semicolon- or
tab-separated, with a decimal point or the Vietnamese decimal comma ("84,09").
"""

import csv
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext, gettext_noop

from cchc_portal.vietnamese import fold, nfc

# Marked for the catalogue: the English downloads write their translation
# (gettext at export time); the import and the Vietnamese files use these.
RANK = gettext_noop("Xếp hạng")
NAME = gettext_noop("Tên đơn vị")
APPRAISAL = gettext_noop("Điểm thẩm định")
SURVEY = gettext_noop("Điểm điều tra XHH")
TOTAL = gettext_noop("Tổng điểm")
INDEX = gettext_noop("Chỉ số (%)")
# Column kind → header, in the order of published tables and downloads.
STANDARD_COLUMNS = {
    "rank": RANK,
    "name": NAME,
    "appraisal": APPRAISAL,
    "survey": SURVEY,
    "total": TOTAL,
    "index": INDEX,
}
STANDARD_HEADERS = list(STANDARD_COLUMNS.values())
# The Result field each column kind is stored in: the import writes them, the
# downloads, the API and the release checks read them back (same order).
RESULT_FIELDS = {
    "rank": "rank",
    "name": "published_name",
    "appraisal": "appraisal",
    "survey": "survey",
    "total": "total",
    "index": "index",
}

DEMO_NOTICE = gettext_noop("Dữ liệu minh họa, không phải số liệu chính thức")


def demo_notice() -> str:
    """The demo-data flag in the active language (pages, English downloads)."""
    return gettext(DEMO_NOTICE)


CENT = Decimal("0.01")
# Far above any points or percentage: larger cells are typing or export errors.
LARGEST_NUMBER = Decimal("1000000")
MAX_ROWS = 500
HEADER_SEARCH_ROWS = 15
# Limits applied while a file is read, before any other work: a crafted file
# of a few kilobytes can otherwise hold millions of (empty) rows or one cell
# of a hundred million characters (bench/hostile_imports.py measures them).
MAX_LINES = 5000  # title, header, data and blank lines together
MAX_COLUMNS = 60
MAX_CELL_CHARS = 300  # the longest unit name or column header is about 80
# Uncompressed size of each member of an XLSX (zip) file and of all of them:
# a 500-unit sheet is well under 1 MB of XML.
MAX_XLSX_MEMBER_BYTES = 8 * 1024 * 1024
MAX_XLSX_TOTAL_BYTES = 32 * 1024 * 1024
MAX_XLSX_MEMBERS = 200

# Folded, punctuation-free header spellings seen in published tables.
_HEADER_KEYS = {
    "rank": {"xep hang", "thu hang", "hang", "xh"},
    "ordinal": {"stt", "so thu tu", "tt"},
    "name": {
        "ten don vi",
        "don vi",
        "ten",
        "bo nganh",
        "bo co quan ngang bo",
        "tinh thanh pho",
        "dia phuong",
    },
    "appraisal": {"diem tham dinh", "tham dinh"},
    "survey": {
        "diem dieu tra xhh",
        "diem dieu tra xa hoi hoc",
        "diem dtxhh",
        "dieu tra xhh",
        "diem dieu tra",
    },
    "total": {"tong diem", "tong"},
    "index": {"chi so", "chi so cchc", "par index", "chi so par index"},
    "ignored": {"ghi chu"},
}
_AREA_HEADER = re.compile(r"^(?:linh vuc|lv)\s*(\d{1,2})\b")


def header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(nfc(text))).strip()


@dataclass
class Problem:
    """One thing wrong with a file or an edition, named by row and column."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self):
        where = []
        if self.row:
            where.append(f"Dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass
class TableRow:
    """One unit's line as read from a file (values not yet checked)."""

    line: int
    name: str
    rank: int | None = None
    appraisal: Decimal | None = None
    survey: Decimal | None = None
    total: Decimal | None = None
    index: Decimal | None = None
    areas: dict[int, Decimal | None] = field(default_factory=dict)


@dataclass
class Table:
    """A parsed file: which columns it has, its rows, and reading problems."""

    rows: list[TableRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # kind → header text
    area_columns: dict[int, str] = field(default_factory=dict)  # number → header

    @property
    def has_rank(self) -> bool:
        return "rank" in self.columns

    def column_name(self, kind: str, default: str) -> str:
        return self.columns.get(kind, default)


class TableError(Exception):
    """The file cannot be read at all."""


def parse_decimal(raw: Any) -> Decimal:
    """Read a number written with a decimal point or comma; at most 2 decimals."""
    if isinstance(raw, bool):
        raise ValueError("không phải là số")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | float):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        text = text.removesuffix("%")
        if text.count(",") + text.count(".") > 1:
            raise ValueError("không phải là số (dùng một dấu thập phân)")
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError("không phải là số") from None
    # Checked before quantize(), which raises InvalidOperation on NaN, infinity
    # and numbers with more digits than the decimal context holds (1e30).
    if not value.is_finite():
        raise ValueError("không phải là số")
    if not -LARGEST_NUMBER < value < LARGEST_NUMBER:
        raise ValueError("là số quá lớn")
    if isinstance(raw, float):
        rounded = value.quantize(CENT)
        # Spreadsheet formulas leave binary noise (89.96000000000001).
        if abs(rounded - value) < Decimal("0.000001"):
            value = rounded
    if value != value.quantize(CENT):
        raise ValueError("có quá hai chữ số thập phân")
    return value.quantize(CENT)


def parse_rank(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("không phải số nguyên")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        text = str(raw).strip()
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        if not text.isdecimal():
            raise ValueError("không phải số nguyên dương")
        value = int(text)
    if value < 1:
        raise ValueError("phải từ 1 trở lên")
    return value


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _classify_header(cell: Any) -> tuple[str, int | None] | None:
    if _is_blank(cell):
        return None
    key = header_key(str(cell))
    match = _AREA_HEADER.match(key)
    if match:
        return "area", int(match.group(1))
    for kind, spellings in _HEADER_KEYS.items():
        if key in spellings:
            return kind, None
    return "unknown", None


def _find_header(lines: list[tuple[int, list[Any]]]) -> int | None:
    for position, (_, cells) in enumerate(lines[:HEADER_SEARCH_ROWS]):
        kinds = [_classify_header(cell) for cell in cells]
        if any(k and k[0] == "name" for k in kinds) and any(
            k and k[0] in {"total", "rank", "area"} for k in kinds
        ):
            return position
    return None


def table_from_lines(lines: list[tuple[int, list[Any]]]) -> Table:
    """Build a Table from (line number, cells) pairs in file order."""
    table = Table()
    header_at = _find_header(lines)
    if header_at is None:
        table.problems.append(
            Problem(
                f"Không tìm thấy dòng tiêu đề: cần có cột “{NAME}” và cột “{TOTAL}” "
                f"(hoặc “{RANK}”). Hãy dùng tệp mẫu."
            )
        )
        return table
    header_line, header_cells = lines[header_at]
    positions: dict[str, int] = {}
    area_positions: dict[int, int] = {}
    for position, cell in enumerate(header_cells):
        kind = _classify_header(cell)
        if kind is None:
            continue
        label = nfc(str(cell)).strip()
        name, number = kind
        if name == "ignored":
            continue
        if name == "unknown":
            table.problems.append(
                Problem("tên cột không được nhận diện.", header_line, label)
            )
            continue
        if name == "area":
            if number in area_positions:
                table.problems.append(
                    Problem("cột lĩnh vực bị lặp.", header_line, label)
                )
            area_positions[number] = position
            table.area_columns[number] = label
            continue
        if name in positions:
            table.problems.append(Problem("cột bị lặp.", header_line, label))
            continue
        positions[name] = position
        table.columns[name] = label
    # "STT" is a rank only when the table has no "Xếp hạng" column.
    if "ordinal" in positions:
        ordinal = positions.pop("ordinal")
        label = table.columns.pop("ordinal")
        if "rank" not in positions:
            positions["rank"] = ordinal
            table.columns["rank"] = label
    if "total" not in positions:
        table.problems.append(Problem(f"Thiếu cột “{TOTAL}”.", header_line))
    if ("appraisal" in positions) != ("survey" in positions):
        table.problems.append(
            Problem(
                f"Cần có cả hai cột “{APPRAISAL}” và “{SURVEY}” hoặc không có cột nào.",
                header_line,
            )
        )

    def cell_at(cells: list[Any], position: int | None) -> Any:
        if position is None or position >= len(cells):
            return None
        return cells[position]

    body = [(line, cells) for line, cells in lines[header_at + 1 :]]
    for line, cells in body:
        if all(_is_blank(cell) for cell in cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            table.problems.append(Problem(f"Tệp có quá {MAX_ROWS} dòng dữ liệu.", line))
            break
        raw_name = cell_at(cells, positions.get("name"))
        row = TableRow(
            line=line, name="" if _is_blank(raw_name) else nfc(str(raw_name)).strip()
        )
        if not row.name:
            table.problems.append(
                Problem("thiếu tên đơn vị.", line, table.columns["name"])
            )
        readers = {
            "appraisal": parse_decimal,
            "survey": parse_decimal,
            "total": parse_decimal,
            "index": parse_decimal,
            "rank": parse_rank,
        }
        for kind, reader in readers.items():
            if kind not in positions:
                continue
            raw = cell_at(cells, positions[kind])
            if _is_blank(raw):
                table.problems.append(Problem("ô trống.", line, table.columns[kind]))
                continue
            try:
                setattr(row, kind, reader(raw))
            except ValueError as error:
                table.problems.append(
                    Problem(f"“{raw}” {error}.", line, table.columns[kind])
                )
        for number, position in area_positions.items():
            raw = cell_at(cells, position)
            if _is_blank(raw):
                table.problems.append(
                    Problem("ô trống.", line, table.area_columns[number])
                )
                row.areas[number] = None
                continue
            try:
                row.areas[number] = parse_decimal(raw)
            except ValueError as error:
                row.areas[number] = None
                table.problems.append(
                    Problem(f"“{raw}” {error}.", line, table.area_columns[number])
                )
        table.rows.append(row)
    if not table.rows and not table.problems:
        table.problems.append(Problem("Tệp không có dòng dữ liệu nào."))
    return table


# The longest CSV cell read (Python's default). The limit is process-wide and
# other libraries raise it (frictionless sets 2**31 - 1 when imported), so it
# is set again before every read.
CSV_FIELD_LIMIT = 128 * 1024


def _csv_rows(text: str, delimiter: str = ",") -> list[tuple[int, list[Any]]]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return bounded_lines((reader.line_num, row) for row in reader)
    except csv.Error:
        # Raised mainly for a cell over the reader's 128 KB limit (often an
        # unclosed quote swallowing the rest of the file); its text is English.
        raise TableError(
            f"Không đọc được tệp CSV ở dòng {reader.line_num}: có ô dài quá "
            "128 KB (thường do thiếu dấu ngoặc kép đóng) hoặc sai định dạng."
        ) from None


def _csv_lines(text: str) -> list[tuple[int, list[Any]]]:
    best: list[tuple[int, list[Any]]] = []
    best_score = -1
    failure: TableError | None = None
    for delimiter in (",", ";", "\t"):
        try:
            lines = _csv_rows(text, delimiter)
        except TableError as error:
            # Split on the wrong delimiter, a quote may open a field that never
            # closes; the right delimiter may still read the file.
            failure = failure or error
            continue
        header_at = _find_header(lines)
        if header_at is None:
            continue
        score = sum(
            1
            for cell in lines[header_at][1]
            if (_classify_header(cell) or ("unknown",))[0] != "unknown"
        )
        if score > best_score:
            best, best_score = lines, score
    if best_score < 0:
        if failure is not None:
            raise failure
        best = _csv_rows(text)
    return best


def read_table(content: bytes, filename: str = "") -> Table:
    """Parse an uploaded CSV, XLSX or JSON file into a Table."""
    name = filename.lower()
    try:
        if content[:2] == b"PK" or name.endswith(".xlsx"):
            check_xlsx_archive(content)
            return table_from_lines(_xlsx_lines(content))
        stripped = content.lstrip(b"\xef\xbb\xbf \r\n\t")
        if name.endswith(".json") or stripped[:1] in (b"{", b"["):
            return table_from_lines(_json_lines(content))
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TableError(
                "Tệp CSV phải được lưu với mã hóa UTF-8 (trong Excel: "
                "“CSV UTF-8 (Comma delimited)”)."
            ) from None
        return table_from_lines(_csv_lines(text))
    except TableError as error:
        return Table(problems=[Problem(str(error))])


# What a damaged workbook raises, on opening or while its sheet is read.
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    KeyError,
    ValueError,
    ParseError,
)


def _xlsx_lines(content: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except XLSX_ERRORS:
        raise TableError(
            "Không đọc được tệp XLSX (tệp hỏng hoặc sai định dạng)."
        ) from None
    try:
        # Read-only mode parses the sheet's XML only while iterating.
        sheet = workbook.worksheets[0]
        # One column more than allowed, so that a wider sheet is noticed.
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        return bounded_lines(
            (number, list(values)) for number, values in enumerate(rows, 1)
        )
    except XLSX_ERRORS:
        raise TableError(
            "Không đọc được tệp XLSX (tệp hỏng hoặc sai định dạng)."
        ) from None
    finally:
        workbook.close()


def _json_lines(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        # Besides bad syntax and encoding (JSONDecodeError, UnicodeDecodeError):
        # integers over 4300 digits (ValueError), arrays nested thousands deep.
        raise TableError("Không đọc được tệp JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), list):
        raise TableError("Tệp JSON cần có “columns” và “rows” như tệp tải về.")
    columns = [str(column) for column in data["columns"]]
    rows = data.get("rows")
    if not isinstance(rows, list):
        raise TableError("Tệp JSON cần có “rows” là một danh sách.")

    def lines():
        yield 0, columns
        for number, row in enumerate(rows, 1):
            if not isinstance(row, dict):
                raise TableError(
                    f"Bản ghi {number} trong “rows” không phải một đối tượng."
                )
            yield number, [row.get(column) for column in columns]

    return bounded_lines(lines())


# Reading limits ------------------------------------------------------------


def check_xlsx_archive(content: bytes) -> None:
    """Refuse a workbook whose members would unpack too large, before opening it.

    The sizes come from the zip's directory; zipfile stops at the declared
    size (and fails the checksum) if a member holds more, so no reader can
    get more bytes out than this allows.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        raise TableError(
            "Không đọc được tệp XLSX (tệp hỏng hoặc sai định dạng)."
        ) from None
    limit_mb = MAX_XLSX_MEMBER_BYTES // 2**20
    if len(members) > MAX_XLSX_MEMBERS:
        raise TableError(f"Tệp XLSX có quá {MAX_XLSX_MEMBERS} thành phần.")
    for member in members:
        if member.file_size > MAX_XLSX_MEMBER_BYTES:
            raise TableError(
                f"Tệp XLSX quá lớn khi giải nén ({member.filename}: "
                f"{member.file_size // 2**20} MB, tối đa {limit_mb} MB mỗi phần). "
                "Hãy chỉ giữ bảng xếp hạng trong trang tính đầu tiên."
            )
    if sum(member.file_size for member in members) > MAX_XLSX_TOTAL_BYTES:
        raise TableError(
            f"Tệp XLSX quá lớn khi giải nén (tối đa "
            f"{MAX_XLSX_TOTAL_BYTES // 2**20} MB)."
        )


def bounded_lines(lines) -> list[tuple[int, list[Any]]]:
    """Read (line number, cells) pairs, stopping at the first line over a limit.

    Counts every line, blank ones too, and looks at each cell's length before
    anything else does (header detection, name matching, messages).
    """
    kept: list[tuple[int, list[Any]]] = []
    for count, (number, cells) in enumerate(lines, 1):
        if count > MAX_LINES:
            raise TableError(
                f"Tệp có quá {_count(MAX_LINES)} dòng (kể cả dòng trống); "
                "hãy xóa các dòng thừa ở cuối bảng."
            )
        if len(cells) > MAX_COLUMNS and any(
            not _is_blank(cell) for cell in cells[MAX_COLUMNS:]
        ):
            raise TableError(f"Dòng {number}: bảng có quá {MAX_COLUMNS} cột.")
        cells = [restore_text(cell) for cell in cells[:MAX_COLUMNS]]
        for position, cell in enumerate(cells, 1):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise TableError(
                    f"Dòng {number}, cột {position}: ô dài {_count(len(cell))} ký tự "
                    f"(tối đa {MAX_CELL_CHARS}); tệp không giống một bảng xếp hạng."
                )
        kept.append((number, cells))
    return kept


def _count(number: int) -> str:
    """12.345: thousands grouped with a dot, as Vietnamese writes them."""
    return f"{number:,}".replace(",", ".")


# Writing ---------------------------------------------------------------------


@dataclass
class Layout:
    """What an export contains: title lines, headers, rows of cell values."""

    title_lines: list[str]
    headers: list[str]
    rows: list[list[Any]]
    metadata: dict[str, Any]


def table_layout(table: Table, *, title_lines: list[str], metadata: dict) -> Layout:
    """A table in the export layout: its standard columns in published order, areas."""
    kinds = [kind for kind in STANDARD_COLUMNS if kind in table.columns]
    return Layout(
        title_lines=title_lines,
        headers=[table.columns[kind] for kind in kinds]
        + list(table.area_columns.values()),
        rows=[
            [getattr(row, kind) for kind in kinds]
            + [row.areas.get(number) for number in table.area_columns]
            for row in table.rows
        ],
        metadata=metadata,
    )


def json_number(value: Any) -> Any:
    """Decimals as JSON numbers (84.09); anything else, None included, unchanged."""
    return float(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True)
class CsvFlavour:
    """How a CSV file separates cells and writes decimals."""

    delimiter: str
    decimal: str


# Tools (pandas, R, frictionless, spreadsheets in English) expect commas and
# points; Excel with Vietnamese regional settings splits rows on ";" and reads
# "84,09" as a number. The import reads both.
STANDARD_CSV = CsvFlavour(delimiter=",", decimal=".")
EXCEL_VI_CSV = CsvFlavour(delimiter=";", decimal=",")


def write_csv(layout: Layout, flavour: CsvFlavour = STANDARD_CSV) -> bytes:
    """UTF-8 with BOM (spreadsheets then read the diacritics), header first.

    The header is the first line, so tools detect it: the layout's title lines
    (edition, source, demo notice, corrections) belong in the metadata (the
    JSON download and datapackage.json), never above the header.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=flavour.delimiter, lineterminator="\r\n")
    writer.writerow([neutralise_text(header) for header in layout.headers])
    for row in layout.rows:
        writer.writerow(
            [
                "" if v is None else neutralise_text(_plain(v, flavour.decimal))
                for v in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _plain(value: Any, decimal: str = ".") -> Any:
    # A number's text is a number: Number, not str, so it is never neutralised.
    if isinstance(value, Decimal):
        return Number(f"{value:.2f}".replace(".", decimal))
    return value


class Number(str):
    """The text of a number in a CSV file (written as is, never neutralised)."""


# Formula injection: a spreadsheet runs a text cell that starts with one of
# these as a formula (=HYPERLINK(...), +cmd|...). Exports write such text with
# a leading apostrophe, which spreadsheets show as text; the import takes the
# apostrophe off again, so downloads still import unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: Any) -> Any:
    """A text cell that cannot start a formula; numbers and None unchanged."""
    if (
        isinstance(value, str)
        and not isinstance(value, Number)
        and value.startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


def restore_text(value: Any) -> Any:
    """The text neutralise_text() was given (the import's side)."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and value[1:].startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def write_xlsx(layout: Layout, sheet_title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    for line in layout.title_lines:
        sheet.append([line])
    sheet.append(layout.headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in layout.rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal | float):
                cell.number_format = "0.00"
    _text_cells_as_strings(sheet)
    sheet.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cells_as_strings(sheet) -> None:
    """Every text cell a string cell: openpyxl writes "=..." text as a live formula.

    A string cell is never calculated, so the text stays exactly as stored
    (no apostrophe needed, unlike CSV); numbers stay numbers.
    """
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def write_json(layout: Layout) -> bytes:
    payload = {
        **layout.metadata,
        "columns": layout.headers,
        "rows": [
            {
                header: json_number(value)
                for header, value in zip(layout.headers, row, strict=True)
            }
            for row in layout.rows
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
