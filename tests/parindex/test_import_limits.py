"""Crafted files that would cost the import preview seconds and gigabytes are
refused while they are read, with a message that says why (figures: bench/)."""

import pytest

from parindex.tables import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_LINES,
    MAX_XLSX_MEMBER_BYTES,
    read_table,
)
from tests.parindex import hostile_files
from tests.parindex.test_admin import editor, upload  # noqa: F401 (fixture)
from tests.parindex.test_import import vietnamese_excel_csv

pytestmark = pytest.mark.django_db


def only_problem(table) -> str:
    assert table.rows == []
    (problem,) = table.problems
    return str(problem)


def test_a_workbook_member_that_unpacks_too_large_is_refused_before_it_is_read():
    content = hostile_files.xlsx_with_one_huge_cell(MAX_XLSX_MEMBER_BYTES + 1)
    assert len(content) < 64 * 1024  # a few kilobytes on the wire
    message = only_problem(read_table(content, "bang.xlsx"))
    assert "quá lớn khi giải nén" in message and "sheet1.xml" in message


def test_a_workbook_of_empty_rows_stops_at_the_line_limit():
    content = hostile_files.xlsx_with_empty_rows(rows=MAX_LINES * 4)
    message = only_problem(read_table(content, "bang.xlsx"))
    assert "dòng (kể cả dòng trống)" in message


def test_a_workbook_with_one_distant_row_is_not_filled_with_empty_rows():
    message = only_problem(read_table(hostile_files.xlsx_with_a_distant_row()))
    assert "dòng (kể cả dòng trống)" in message


def test_a_csv_of_blank_lines_stops_at_the_line_limit():
    message = only_problem(read_table(hostile_files.csv_with_blank_lines(), "a.csv"))
    assert "5.000 dòng" in message


@pytest.mark.parametrize(
    "content",
    [
        hostile_files.csv_with_a_long_name(MAX_CELL_CHARS + 1),
        hostile_files.xlsx_with_one_huge_cell(MAX_CELL_CHARS + 1),
    ],
    ids=["csv", "xlsx"],
)
def test_an_overlong_cell_is_refused_before_any_name_lookup(content):
    message = only_problem(read_table(content, "bang"))
    assert message.startswith("Dòng 2, cột 1: ô dài 301 ký tự")


def test_a_table_wider_than_the_column_limit_is_refused():
    header = ",".join(["Tên đơn vị", "Tổng điểm"] + ["Ghi chú"] * MAX_COLUMNS)
    message = only_problem(read_table(f"{header}\r\nBộ Tư pháp,80\r\n".encode()))
    assert f"quá {MAX_COLUMNS} cột" in message


def test_json_rows_count_against_the_line_limit():
    rows = ",".join(["{}"] * (MAX_LINES + 1))
    content = f'{{"columns": ["Tên đơn vị", "Tổng điểm"], "rows": [{rows}]}}'
    assert "kể cả dòng trống" in only_problem(read_table(content.encode(), "a.json"))


def test_real_files_with_trailing_blank_lines_still_read():
    plain = read_table(vietnamese_excel_csv(), "bo.csv")
    padded = read_table(vietnamese_excel_csv() + b";;;;\r\n" * 1000, "bo.csv")
    assert padded.problems == [] and padded.rows == plain.rows


def test_the_admin_preview_answers_a_crafted_workbook_with_its_report(editor):  # noqa: F811
    response = upload(
        editor, hostile_files.xlsx_with_one_huge_cell(), name="bo-2022.xlsx"
    )
    assert response.status_code == 200
    assert "quá lớn khi giải nén" in response.content.decode()
