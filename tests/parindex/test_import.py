"""Importing an edition from CSV, XLSX and JSON: all checks before any write."""

import csv
import io
import json
import unicodedata
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from parindex.edition_checks import UnitNameMatcher
from parindex.models import AreaScore, Edition, Framework, Group, Result
from parindex.services import edition_import, edition_release
from parindex.tables import read_table
from tests.factories import FrameworkFactory, UnitFactory
from tests.parindex.conftest import PROVENANCE

pytestmark = pytest.mark.django_db

MINISTRIES_2023 = [
    (1, "Bộ Tư pháp", "61,86", "28,10", "89,95"),
    (2, "Ngân hàng Nhà nước Việt Nam", "62,67", "27,21", "89,89"),
    (3, "Bộ Tài chính", "61,52", "27,66", "89,18"),
    (4, "Bộ Nội vụ", "60,65", "26,38", "87,04"),
    (5, "Bộ Tài nguyên và Môi trường", "61,15", "25,85", "87,01"),
    (6, "Bộ Nông nghiệp và Phát triển Nông thôn", "60,25", "26,17", "86,41"),
    (7, "Bộ Xây dựng", "61,18", "25,10", "86,28"),
    (8, "Bộ Giao thông vận tải", "60,27", "25,91", "86,18"),
    (9, "Bộ Thông tin và Truyền thông", "60,50", "25,33", "85,83"),
    (10, "Bộ Lao động - Thương binh và Xã hội", "60,99", "24,81", "85,81"),
    (11, "Bộ Văn hóa, Thể thao và Du lịch", "58,10", "25,47", "83,56"),
    (12, "Bộ Giáo dục và Đào tạo", "55,46", "25,07", "80,53"),
    (13, "Bộ Khoa học và Công nghệ", "56,49", "23,88", "80,38"),
    (14, "Bộ Kế hoạch và Đầu tư", "54,59", "25,48", "80,07"),
    (15, "Bộ Y tế", "55,81", "23,99", "79,80"),
    (16, "Bộ Ngoại giao", "52,12", "26,35", "78,48"),
    (17, "Bộ Công Thương", "54,21", "23,82", "78,03"),
]


def vietnamese_excel_csv(rows=MINISTRIES_2023, title=True) -> bytes:
    """What "CSV UTF-8" from a Vietnamese-locale spreadsheet looks like."""
    lines = []
    if title:
        lines.append("BẢNG XẾP HẠNG CHỈ SỐ CCHC NĂM 2022;;;;;")
    lines.append("STT;Tên đơn vị;Điểm thẩm định;Điểm điều tra XHH;Tổng điểm;Chỉ số")
    for rank, name, appraisal, survey, total in rows:
        lines.append(f"{rank};{name};{appraisal};{survey};{total};{total}%")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def ministries_json(total_literal: str) -> bytes:
    """The ministry table as JSON, the first total written as total_literal."""
    columns = ["Xếp hạng", "Tên đơn vị", "Tổng điểm"]
    rows = [
        dict(zip(columns, (rank, name, float(total.replace(",", "."))), strict=True))
        for rank, name, _, _, total in MINISTRIES_2023
    ]
    rows[0]["Tổng điểm"] = "TOTAL"
    text = json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False)
    return text.replace('"TOTAL"', total_literal).encode()


def broken_sheet_xlsx() -> bytes:
    """A workbook that opens but whose sheet XML is cut off half-way."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Xếp hạng", "Tên đơn vị", "Tổng điểm"])
    for rank, name, _, _, total in MINISTRIES_2023:
        sheet.append([rank, name, float(total.replace(",", "."))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return broken.getvalue()


def with_first_total(total: str) -> bytes:
    rows = list(MINISTRIES_2023)
    rows[0] = (*rows[0][:4], total)
    return vietnamese_excel_csv(rows)


# (file name, content, what the report says): files that once raised instead.
UNREADABLE_FILES = {
    "1e30": (
        "f.csv",
        with_first_total("1e30"),
        "Dòng 3, cột “Tổng điểm”: “1e30” là số quá lớn.",
    ),
    "29 digits": (
        "f.csv",
        with_first_total("1" * 29),
        f"Dòng 3, cột “Tổng điểm”: “{'1' * 29}” là số quá lớn.",
    ),
    "json NaN": (
        "f.json",
        ministries_json("NaN"),
        "Dòng 1, cột “Tổng điểm”: “nan” không phải là số.",
    ),
    "json 1e400": (
        "f.json",
        ministries_json("1e400"),
        "Dòng 1, cột “Tổng điểm”: “inf” không phải là số.",
    ),
    "csv cell over 128 KB": (
        "f.csv",
        vietnamese_excel_csv() + b'18;"' + b"x" * 200_000 + b'";1;1;1;1\r\n',
        "Không đọc được tệp CSV ở dòng 20: có ô dài quá 128 KB",
    ),
    "broken xlsx sheet": (
        "f.xlsx",
        broken_sheet_xlsx(),
        "Không đọc được tệp XLSX (tệp hỏng hoặc sai định dạng).",
    ),
}


@pytest.fixture
def framework_876(reference):
    return Framework.objects.get(code="876", group=Group.MINISTRY)


def import_bytes(
    content, *, year=2022, group=Group.MINISTRY, framework=None, name="f.csv"
):
    return edition_import(
        table=read_table(content, name), year=year, group=group, framework=framework
    )


def test_csv_saved_from_a_vietnamese_locale_spreadsheet_imports(framework_876):
    outcome = import_bytes(vietnamese_excel_csv(), framework=framework_876)

    assert outcome.ok, [str(p) for p in outcome.problems]
    edition = Edition.objects.get(year=2022, group=Group.MINISTRY)
    assert edition.status == "draft"
    justice = edition.results.get(unit__slug="bo-tu-phap")
    assert (str(justice.appraisal), str(justice.survey), str(justice.total)) == (
        "61.86",
        "28.10",
        "89.95",
    )
    assert justice.rank == 1
    # Pages show the official name; the file's spelling is kept as a record.
    agriculture = edition.results.get(rank=6)
    assert agriculture.published_name == "Bộ Nông nghiệp và Phát triển nông thôn"
    assert agriculture.file_name == "Bộ Nông nghiệp và Phát triển Nông thôn"


def test_comma_separated_csv_without_bom_and_decimal_point_imports(framework_876):
    lines = ["Xếp hạng,Tên đơn vị,Tổng điểm"]
    for rank, name, _, _, total in MINISTRIES_2023:
        lines.append(f'{rank},"{name}",{total.replace(",", ".")}')
    outcome = import_bytes("\n".join(lines).encode(), framework=framework_876)

    assert outcome.ok, [str(p) for p in outcome.problems]
    result = Result.objects.get(unit__slug="bo-y-te", edition__year=2022)
    assert str(result.index) == "79.80"  # computed from the total
    assert result.appraisal is None


def test_xlsx_file_imports(framework_876):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Bảng xếp hạng"])
    sheet.append(["Xếp hạng", "Tên đơn vị", "Tổng điểm", "Chỉ số (%)"])
    for rank, name, _, _, total in MINISTRIES_2023:
        value = float(total.replace(",", "."))
        sheet.append([rank, name, value, value])
    buffer = io.BytesIO()
    workbook.save(buffer)

    outcome = import_bytes(buffer.getvalue(), framework=framework_876, name="x.xlsx")

    assert outcome.ok, [str(p) for p in outcome.problems]
    assert Result.objects.filter(edition__year=2022).count() == 17


def test_decomposed_unicode_names_match(framework_876):
    rows = [
        (r, unicodedata.normalize("NFD", n), a, s, t)
        for r, n, a, s, t in MINISTRIES_2023
    ]
    outcome = import_bytes(vietnamese_excel_csv(rows), framework=framework_876)
    assert outcome.ok
    assert Result.objects.get(
        unit__slug="bo-tu-phap", edition__year=2022
    ).published_name == ("Bộ Tư pháp")


def test_broken_file_gets_a_row_and_column_report_and_nothing_is_saved(framework_876):
    rows = list(MINISTRIES_2023)
    rows[2] = (3, "Bộ Tài chính", "61,52", "27,66", "8x,18")
    rows[4] = (5, "Bộ Tài nguyên và Môi trường", "61,15", "25,85", "88,01")
    content = vietnamese_excel_csv(rows)

    outcome = import_bytes(content, framework=framework_876)

    messages = [str(p) for p in outcome.problems]
    assert not outcome.ok
    # Row numbers are spreadsheet lines: title line 1, header line 2, data from 3.
    assert "Dòng 5, cột “Tổng điểm”: “8x,18” không phải là số." in messages
    assert any(
        m.startswith("Dòng 7, cột “Tổng điểm”: tổng điểm 88,01 khác điểm thẩm định")
        for m in messages
    )
    assert not Edition.objects.filter(year=2022).exists()
    assert not Result.objects.filter(edition__year=2022).exists()


def test_near_miss_names_get_ranked_suggestions(reference):
    framework = Framework.objects.get(code="2948", group=Group.PROVINCE)
    content = (
        "Xếp hạng;Tên đơn vị;Tổng điểm\n1;Thừa Thiện Hu;80,00\n2;Bà Rịa Vũng Tà;79,00\n"
    ).encode()

    outcome = import_bytes(
        content, year=2019, group=Group.PROVINCE, framework=framework
    )

    messages = [str(p) for p in outcome.problems]
    assert (
        "Dòng 2, cột “Tên đơn vị”: không tìm thấy đơn vị “Thừa Thiện Hu”. "
        "Có phải: “Thừa Thiên Huế” (Thành phố Huế)?"
    ) in messages
    assert (
        "Dòng 3, cột “Tên đơn vị”: không tìm thấy đơn vị “Bà Rịa Vũng Tà”. "
        "Có phải: “Bà Rịa - Vũng Tàu” (Tỉnh Bà Rịa - Vũng Tàu)?"
    ) in messages
    assert not Edition.objects.filter(year=2019).exists()


def test_former_names_and_aliases_match_in_their_years(reference):
    matcher = UnitNameMatcher(group=Group.PROVINCE, year=2019)
    assert matcher.match("Thừa Thiên Huế")[0].slug == "hue"
    assert matcher.match("TP HCM")[0].slug == "ho-chi-minh"
    assert matcher.match("tp. hồ chí minh")[0].slug == "ho-chi-minh"
    later = UnitNameMatcher(group=Group.PROVINCE, year=2026)
    assert later.match("TP HCM")[0].slug == "ho-chi-minh-2025"
    unit, message = later.match("Hà Giang")
    assert unit is None and "không tồn tại trong năm 2026" in message


def test_duplicate_missing_and_other_group_units_are_reported(framework_876):
    rows = list(MINISTRIES_2023[:16])
    rows[15] = (16, "Bộ Tư pháp", "52,12", "26,35", "78,48")
    rows.append((17, "Hà Nội", "54,21", "23,82", "78,03"))
    outcome = import_bytes(vietnamese_excel_csv(rows), framework=framework_876)

    messages = [str(p) for p in outcome.problems]
    assert (
        "Dòng 18, cột “Tên đơn vị”: “Bộ Tư pháp” trùng với dòng 3 (Bộ Tư pháp)."
        in messages
    )
    assert any("“Hà Nội” thuộc nhóm tỉnh, thành phố" in m for m in messages)


def test_missing_unit_is_reported_when_names_are_clean(framework_876):
    outcome = import_bytes(
        vietnamese_excel_csv(MINISTRIES_2023[:16]), framework=framework_876
    )
    assert [str(p) for p in outcome.problems] == [
        "cột “Tên đơn vị”: Thiếu đơn vị trong bảng: Bộ Công Thương."
    ]


def test_ranks_inconsistent_with_totals_are_reported_but_ties_may_share(framework_876):
    rows = list(MINISTRIES_2023)
    rows[0], rows[1] = (2, *rows[0][1:]), (1, *rows[1][1:])
    outcome = import_bytes(vietnamese_excel_csv(rows), framework=framework_876)
    assert any(
        str(p).startswith("Dòng 3, cột “STT”: hạng 2 không khớp với tổng điểm 89,95")
        for p in outcome.problems
    )

    tied = list(MINISTRIES_2023)
    tied[1] = (1, tied[1][1], "62,73", "27,22", "89,95")
    outcome = import_bytes(vietnamese_excel_csv(tied), framework=framework_876)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert sorted(r.rank for r in Result.objects.filter(edition__year=2022))[:3] == [
        1,
        1,
        3,
    ]


def test_points_above_an_area_maximum_and_area_sums_are_checked(reference):
    framework = Framework.objects.get(code="2948", group=Group.PROVINCE)
    content = (
        "Tên đơn vị;Tổng điểm;Lĩnh vực 1;Lĩnh vực 2;Lĩnh vực 3;Lĩnh vực 4;Lĩnh vực 5;"
        "Lĩnh vực 6;Lĩnh vực 7;Lĩnh vực 8\n"
        "Hà Nội;90,00;11,00;10;14;10;15;6;14;10\n"
        "Hải Phòng;80,00;9;9;13;10;14;6;14;10\n"
    ).encode()
    outcome = import_bytes(
        content, year=2019, group=Group.PROVINCE, framework=framework
    )
    messages = [str(p) for p in outcome.problems]
    assert (
        "Dòng 2, cột “Lĩnh vực 1”: 11,00 vượt điểm tối đa 10,00 của lĩnh vực 1."
        in messages
    )
    assert (
        "Dòng 3, cột “Tổng điểm”: tổng điểm 80,00 khác tổng điểm các lĩnh vực = 85,00."
        in messages
    )


def test_area_points_need_known_maxima(framework_876):
    content = "Tên đơn vị;Tổng điểm;Lĩnh vực 1\nBộ Tư pháp;89,95;10\n".encode()
    outcome = import_bytes(content, framework=framework_876)
    assert any("chưa có điểm tối đa của lĩnh vực 1" in str(p) for p in outcome.problems)


def test_reimporting_the_same_file_changes_nothing(framework_876):
    content = vietnamese_excel_csv()
    first = import_bytes(content, framework=framework_876)
    edition = Edition.objects.get(year=2022, group=Group.MINISTRY)
    ids = set(edition.results.values_list("id", flat=True))

    second = import_bytes(content, framework=framework_876)

    assert first.created and second.ok and not second.changed
    assert set(edition.results.values_list("id", flat=True)) == ids


def test_reimporting_the_same_rows_with_another_framework_moves_the_area_points(db):
    units = UnitFactory.create_batch(2)
    first, second = (FrameworkFactory(area_maxima=["60", "40"]) for _ in range(2))
    content = (
        "Tên đơn vị;Tổng điểm;Lĩnh vực 1;Lĩnh vực 2\n"
        f"{units[0].short_name};80,00;48,00;32,00\n"
        f"{units[1].short_name};70,00;42,00;28,00\n"
    ).encode()
    import_bytes(content, year=2020, group=Group.PROVINCE, framework=first)

    outcome = import_bytes(content, year=2020, group=Group.PROVINCE, framework=second)

    assert outcome.ok and outcome.changed
    assert outcome.edition.framework == second
    scores = AreaScore.objects.filter(result__edition=outcome.edition)
    assert scores.count() == 4
    assert set(scores.values_list("area__framework", flat=True)) == {second.pk}


def test_importing_a_corrected_file_replaces_the_draft(framework_876):
    import_bytes(vietnamese_excel_csv(), framework=framework_876)
    rows = list(MINISTRIES_2023)
    rows[16] = (17, "Bộ Công Thương", "54,21", "23,83", "78,04")
    outcome = import_bytes(vietnamese_excel_csv(rows))

    assert outcome.ok and outcome.changed
    assert (
        str(Result.objects.get(unit__slug="bo-cong-thuong", edition__year=2022).total)
        == "78.04"
    )
    assert Result.objects.filter(edition__year=2022).count() == 17


def test_released_editions_are_never_overwritten(reference):
    outcome = import_bytes(vietnamese_excel_csv(), year=2023)
    assert not outcome.ok
    assert "đã được công bố" in str(outcome.problems[0])
    assert str(Result.objects.get(edition__year=2023, rank=17).total) == "78.03"


def test_import_command_imports_and_reports_problems(framework_876, tmp_path, capsys):
    good = tmp_path / "bo-2022.csv"
    good.write_bytes(vietnamese_excel_csv())
    call_command("import_parindex", str(good), year=2022, group="bo", framework="876")
    assert Result.objects.filter(edition__year=2022).count() == 17
    assert "17 đơn vị" in capsys.readouterr().out

    bad = tmp_path / "bo-2021.csv"
    bad.write_bytes(vietnamese_excel_csv(MINISTRIES_2023[:16]))
    with pytest.raises(CommandError, match="Thiếu đơn vị trong bảng: Bộ Công Thương"):
        call_command(
            "import_parindex", str(bad), year=2021, group="bo", framework="876"
        )
    assert not Edition.objects.filter(year=2021).exists()


@pytest.mark.parametrize("case", UNREADABLE_FILES)
def test_import_command_reports_absurd_numbers_and_unreadable_files(
    framework_876, tmp_path, case
):
    name, content, message = UNREADABLE_FILES[case]
    path = tmp_path / name
    path.write_bytes(content)
    # A CommandError is printed as one line of text, without a traceback.
    with pytest.raises(CommandError, match="không có gì được lưu") as error:
        call_command(
            "import_parindex", str(path), year=2022, group="bo", framework="876"
        )
    assert message in str(error.value)
    assert not Edition.objects.filter(year=2022).exists()


def test_released_2023_table_passes_the_checks_with_rounding(framework_876):
    content = vietnamese_excel_csv()
    outcome = import_bytes(content, year=2022, framework=framework_876)
    edition = outcome.edition
    edition.n_ranked = 17
    for name, value in PROVENANCE.items():
        setattr(edition, name, value)
    edition.save()
    edition_release(edition=edition)
    edition.refresh_from_db()
    assert edition.status == "released"


def test_a_rank_of_superscript_digits_is_reported_in_vietnamese(framework_876):
    rows = list(MINISTRIES_2023)
    rows[0] = ("²", *rows[0][1:])
    outcome = import_bytes(vietnamese_excel_csv(rows), framework=framework_876)
    assert [(p.row, p.column, p.message) for p in outcome.problems] == [
        (3, "STT", "“²” không phải số nguyên dương.")
    ]
    assert outcome.edition is None


@pytest.fixture
def csv_limit_raised_by_another_library():
    """What importing frictionless's CSV parser does to the whole process."""
    before = csv.field_size_limit(2**31 - 2)
    yield
    csv.field_size_limit(before)


def test_an_oversized_csv_cell_is_refused_whatever_limit_another_library_set(
    framework_876, csv_limit_raised_by_another_library
):
    name, content, message = UNREADABLE_FILES["csv cell over 128 KB"]
    table = read_table(content, name)
    assert message in str(table.problems[0])
