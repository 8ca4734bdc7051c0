"""Abbreviations, prefixes and spellings real tables use; the row errors a
name can cause (ambiguous, not valid that year, duplicate, lineage)."""

import datetime
import unicodedata

import pytest

from parindex.edition_checks import UnitNameMatcher, check_rows
from parindex.models import Group, UnitName, UnitSuccession
from parindex.tables import read_table
from tests.factories import FrameworkFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "spelling", "slug"),
    [
        (2024, "TP.HCM", "ho-chi-minh"),
        (2025, "TP.HCM", "ho-chi-minh-2025"),
        (2025, "Tp. Hồ Chí Minh", "ho-chi-minh-2025"),
        (2024, "BRVT", "ba-ria-vung-tau"),
        (2024, "BR-VT", "ba-ria-vung-tau"),
        (2024, "Bà Rịa Vũng Tàu", "ba-ria-vung-tau"),
        (2024, "TT-Huế", "hue"),
        (2024, "Thừa Thiên - Huế", "hue"),
        (2025, "TT Huế", "hue"),
        (2024, "Tỉnh Hòa Bình", "hoa-binh"),
        (2024, "Hoà Bình", "hoa-binh"),
        (2024, "HOA BINH", "hoa-binh"),
        (2025, "TP Đà Nẵng", "da-nang-2025"),
        (2025, "Thành phố Cần Thơ", "can-tho-2025"),
        (2025, "TP. Can Tho", "can-tho-2025"),
        (2025, "Tỉnh An Giang", "an-giang-2025"),
        (2025, "tinh an giang", "an-giang-2025"),
        (2025, unicodedata.normalize("NFD", "Khánh Hoà"), "khanh-hoa-2025"),
        (2024, unicodedata.normalize("NFD", "Đắk Lắk"), "dak-lak"),
        (2024, "Daklak", "dak-lak"),
    ],
)
def test_common_spellings_of_provinces_match(reference, year, spelling, slug):
    unit, problem = UnitNameMatcher(group=Group.PROVINCE, year=year).match(spelling)
    assert problem is None
    assert unit.slug == slug


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("Bộ KH&ĐT", "bo-ke-hoach-va-dau-tu"),
        ("Bộ LĐ-TB&XH", "bo-lao-dong-thuong-binh-va-xa-hoi"),
        ("NHNN", "ngan-hang-nha-nuoc-viet-nam"),
        ("Bộ GD&ĐT", "bo-giao-duc-va-dao-tao"),
    ],
)
def test_ministry_abbreviations_match(reference, spelling, slug):
    unit, problem = UnitNameMatcher(group=Group.MINISTRY, year=2023).match(spelling)
    assert problem is None
    assert unit.slug == slug


def test_abbreviations_are_reference_data_with_a_source_note(reference):
    alias = UnitName.objects.get(unit__slug="ba-ria-vung-tau", name="BR-VT")
    assert alias.kind == "alias"
    assert "nguồn:" in alias.note
    found = UnitNameMatcher(group=Group.PROVINCE, year=2024).find("BR-VT")
    assert found.how == "tên gọi khác / viết tắt"
    assert "nguồn:" in found.via


def test_unknown_names_get_ranked_suggestions(reference):
    matcher = UnitNameMatcher(group=Group.PROVINCE, year=2025)
    suggestions = matcher.suggestions("Tinh Quang Ngai x")
    assert suggestions[0][1].slug == "quang-ngai-2025"
    # Only units valid that year are suggested (Quảng Nam ended in 2025).
    assert all(unit.existed_in(2025) for _, unit in matcher.suggestions("Quang Nm"))


def test_a_name_matching_two_units_valid_that_year_is_an_error_naming_both(
    reference,
):
    from parindex.models import Unit

    for slug in ("ha-noi", "hai-phong-2025"):
        UnitName.objects.create(unit=Unit.objects.get(slug=slug), name="Thành phố Cảng")
    unit, problem = UnitNameMatcher(group=Group.PROVINCE, year=2025).match(
        "Thanh pho cang"
    )
    assert unit is None
    assert "Thành phố Hà Nội" in problem and "Thành phố Hải Phòng" in problem
    assert "khớp với hai đơn vị cùng tồn tại trong năm 2025" in problem


def test_a_unit_that_ended_during_the_year_names_its_successor(reference):
    unit, problem = UnitNameMatcher(group=Group.PROVINCE, year=2025).match("Quảng Nam")
    assert unit is None
    assert problem == (
        "“Quảng Nam” (Tỉnh Quảng Nam) không còn tồn tại vào cuối năm 2025 (đến "
        "30/06/2025); từ 01/07/2025 thuộc Thành phố Đà Nẵng."
    )


def rows_problems(content: str, *, year: int):
    framework = FrameworkFactory(group=Group.PROVINCE)
    _, problems = check_rows(
        table=read_table(content.encode(), "f.csv"),
        year=year,
        group=Group.PROVINCE,
        framework=framework,
    )
    return [str(p) for p in problems]


def test_duplicate_unit_and_successor_with_predecessor_are_row_errors():
    old = UnitFactory(name="Tỉnh Cũ", short_name="Cũ", slug="cu")
    new = UnitFactory(
        name="Tỉnh Mới",
        short_name="Mới",
        slug="moi",
        valid_from=datetime.date(2030, 7, 1),
    )
    UnitSuccession.objects.create(
        predecessor=old, successor=new, effective_on=datetime.date(2030, 7, 1)
    )
    messages = rows_problems(
        "Xếp hạng;Tên đơn vị;Tổng điểm\n1;Mới;80\n2;Tinh Cu;70\n3;Cũ;60\n",
        year=2030,
    )
    assert "Dòng 4, cột “Tên đơn vị”: “Cũ” trùng với dòng 3 (Tỉnh Cũ)." in messages
    assert (
        "Dòng 3, cột “Tên đơn vị”: Tỉnh Cũ và Tỉnh Mới (dòng 2) cùng có trong bảng, "
        "nhưng Tỉnh Mới kế thừa Tỉnh Cũ từ 01/07/2030: một ấn bản chỉ xếp hạng một "
        "trong hai."
    ) in messages


def test_a_unit_not_valid_in_the_year_is_a_row_error():
    UnitFactory(
        name="Tỉnh Sau",
        short_name="Sau",
        slug="sau",
        valid_from=datetime.date(2031, 1, 1),
    )
    messages = rows_problems("Xếp hạng;Tên đơn vị;Tổng điểm\n1;Sau;80\n", year=2030)
    assert (
        "Dòng 2, cột “Tên đơn vị”: “Sau” (Tỉnh Sau) không tồn tại trong năm 2030 "
        "(từ 01/01/2031)."
    ) in messages
