"""Regions that add up: every average says what it covers; a mean over part
of a region is never shown as the region's average (the 2025 case)."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parindex.models import Group, Unit
from parindex.selectors.overview import regional_computed
from parindex.services import edition_release
from tests.factories import RegionFactory, UnitFactory
from tests.parindex.conftest import PROVENANCE, build_edition

pytestmark = pytest.mark.django_db

# Hand-set totals for the 2025 table; every other unit scores 70.00.
TOTALS_2025 = {
    "ha-noi": "90.00",
    "quang-ninh": "81.70",  # with Hà Nội: 85,85, the figure shown in 2025
    "hai-phong-2025": "80.00",
    "hung-yen-2025": "75.00",
    "ninh-binh-2025": "78.30",
    "dong-nai-2025": "88.00",
    "ho-chi-minh-2025": "92.00",
}
# Worked out by hand from provinces_63.csv (NQ 81/2023/QH15) and the merger:
# region → (mean, units with that region, units that may belong but have none)
EXPECTED_2025 = {
    "Đồng bằng sông Hồng": ("81,00", 5, "Bắc Ninh, Phú Thọ"),
    "Đông Nam Bộ": ("90,00", 2, "Tây Ninh"),
    "Trung du và miền núi phía Bắc": ("70,00", 8, "Bắc Ninh, Phú Thọ"),
    "Bắc Trung Bộ và duyên hải miền Trung": (
        "70,00",
        7,
        "Đắk Lắk, Gia Lai, Lâm Đồng, Quảng Ngãi",
    ),
    "Đồng bằng sông Cửu Long": ("70,00", 5, "Tây Ninh"),
    "Tây Nguyên": ("—", 0, "Đắk Lắk, Gia Lai, Lâm Đồng, Quảng Ngãi"),
}


def units_2025():
    return list(
        Unit.objects.in_group(Group.PROVINCE)
        .expected_in_ranking(2025)
        .order_by("gso_code")
    )


def edition_2025(**fields):
    units = units_2025()
    return build_edition(
        year=2025,
        units=units,
        totals=[TOTALS_2025.get(unit.slug, "70.00") for unit in units],
        **fields,
    )


def test_merged_units_have_a_region_only_where_all_their_parts_agree(reference):
    units = {unit.slug: unit for unit in units_2025()}
    assert len(units) == 34
    assert units["ninh-binh-2025"].region.name == "Đồng bằng sông Hồng"
    assert units["ninh-binh-2025"].region_source.startswith("Suy ra: ")
    assert "Chưa tìm thấy văn bản công bố phân vùng" in (
        units["ninh-binh-2025"].region_source
    )
    assert units["ha-noi"].region_source.startswith("NQ 81/2023/QH15")
    phu_tho = units["phu-tho-2025"]
    assert phu_tho.region is None
    assert phu_tho.region_source.startswith("Chưa xác định vùng")
    assert "Vĩnh Phúc thuộc Đồng bằng sông Hồng" in phu_tho.region_source
    assert sum(1 for unit in units.values() if unit.region is None) == 7


def test_overview_2025_regional_figures_equal_hand_computed_means(reference, client):
    edition_2025(regional_note="Tính trên 27/34 đơn vị đã xác định vùng.")
    html = client.get("/chi-so-cchc/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    assert "trên 27/34 đơn vị đã xác định vùng" in text
    assert "Tính trên 27/34 đơn vị đã xác định vùng." in text  # the edition's note
    for region, (mean, count, missing) in EXPECTED_2025.items():
        row = re.search(
            rf'<tr id="vung-[a-z-]+">\s*<th scope="row">{region}</th>(.*?)</tr>',
            html,
            flags=re.S,
        )
        assert row, region
        cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", row.group(1)))
        assert f"|{mean}|" in cells, (region, cells)
        assert f"|{count}|" in cells, (region, cells)
        assert f"không phải của cả vùng (thiếu {missing})" in cells, (region, cells)
    # The old figure (Hà Nội and Quảng Ninh only) is gone, and no chart draws
    # partial means as regional averages.
    assert "85,85" not in text
    assert "Trung bình theo vùng, PAR INDEX 2025" not in html


def test_complete_regions_are_drawn_and_said_complete(client):
    north, south = RegionFactory.create_batch(2)
    units = UnitFactory.create_batch(2, region=north) + [UnitFactory(region=south)]
    build_edition(year=2023, units=units, totals=["90", "80", "70"])
    html = " ".join(client.get("/chi-so-cchc/").content.decode().split())
    assert "trên 3/3 đơn vị đã xác định vùng" in html
    assert "Đủ các đơn vị của vùng" in html
    assert "Trung bình theo vùng, PAR INDEX 2023" in html


def test_regional_computed_counts_units_without_region_everywhere_when_unknown():
    region = RegionFactory()
    units = [UnitFactory(region=region), UnitFactory(region=None)]
    edition = build_edition(year=2023, units=units, totals=["90", "80"])
    results = list(edition.results.select_related("unit", "unit__region"))
    figures, coverage = regional_computed(results)
    assert coverage.label == "1/2 đơn vị"
    assert [(f.region, f.average, f.count) for f in figures] == [
        (region, Decimal("90.00"), 1)
    ]
    assert figures[0].missing == [units[1].short_name]


def test_release_is_blocked_while_partial_regional_averages_lack_a_note(reference):
    edition = edition_2025(released=False, **PROVENANCE)
    with pytest.raises(ValidationError) as error:
        edition_release(edition=edition)
    assert any(
        message.startswith("Trung bình vùng sẽ tính trên 27/34 đơn vị: 7 đơn vị")
        for message in error.value.messages
    ), error.value.messages
    edition.regional_note = "Chỉ tính trên 27/34 đơn vị đã xác định vùng."
    edition.save()
    edition_release(edition=edition)
    edition.refresh_from_db()
    assert edition.status == "released"
