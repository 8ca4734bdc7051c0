"""Names: pages show the unit's official name of the edition's year; the file's
spelling is only an import record; the preview flags every difference."""

import datetime
import unicodedata

import pytest
from django.core.cache import cache

from cchc_portal.vietnamese import fold
from parindex.edition_checks import UnitNameMatcher
from parindex.models import Edition, Framework, Group, Unit
from parindex.services import edition_import, edition_release
from parindex.tables import read_table
from tests.parindex.conftest import PROVENANCE

pytestmark = pytest.mark.django_db

# How a real 2025 spreadsheet writes some of the 34 units (slug → spelling).
SPELLINGS_2025 = {
    "ho-chi-minh-2025": "TP.HCM",
    "hue": "Thua Thien Hue",  # the pre-2025 name, without diacritics
    "vinh-long-2025": "Vinh Long",
    "ha-noi": "TP Ha Noi",
    "lang-son": "Tinh Lang Son",
    "khanh-hoa-2025": "Khánh Hoà",  # other tone placement
    "dak-lak-2025": unicodedata.normalize("NFD", "Đắk Lắk"),
    "da-nang-2025": "Da Nang",
}


def units_2025() -> list[Unit]:
    return list(
        Unit.objects.in_group(Group.PROVINCE).expected_in_ranking(2025).order_by("slug")
    )


def table_2025_bytes() -> bytes:
    """Totals fall with the row: the abbreviated units lead the ranking."""
    units = units_2025()
    assert len(units) == 34
    first = [u for u in units if u.slug in SPELLINGS_2025]
    rest = [u for u in units if u.slug not in SPELLINGS_2025]
    lines = ["Xếp hạng;Tên đơn vị;Tổng điểm"]
    for position, unit in enumerate(first + rest):
        name = SPELLINGS_2025.get(unit.slug, fold(unit.short_name))
        total = f"{95 - position * 0.5:.2f}".replace(".", ",")
        lines.append(f"{position + 1};{name};{total}")
    return "\n".join(lines).encode()


def import_2025(**kwargs):
    framework = Framework.objects.filter(group=Group.PROVINCE).order_by("-code")[0]
    return edition_import(
        table=read_table(table_2025_bytes(), "par-2025.csv"),
        year=2025,
        group=Group.PROVINCE,
        framework=framework,
        **kwargs,
    )


def test_preview_lists_every_row_whose_file_name_differs(reference):
    outcome = import_2025(dry_run=True)

    assert outcome.ok, [str(p) for p in outcome.problems]
    flagged = {item.unit.slug: item for item in outcome.name_differences}
    # Every row is undiacritized or abbreviated (or "Khánh Hoà", tone placed
    # elsewhere) except the decomposed (NFD) "Đắk Lắk", equal once NFC.
    assert len(flagged) == 33
    assert "dak-lak-2025" not in flagged
    assert flagged["ho-chi-minh-2025"].published_name == "Hồ Chí Minh"
    assert "viết tắt" in flagged["ho-chi-minh-2025"].how
    assert flagged["hue"].published_name == "Huế"
    assert flagged["hue"].how == "tên cũ"
    assert flagged["lang-son"].published_name == "Lạng Sơn"
    assert "tiền tố" in flagged["ha-noi"].how or "tên gọi khác" in flagged["ha-noi"].how
    assert flagged["khanh-hoa-2025"].published_name == "Khánh Hòa"


def test_a_clean_file_is_not_flagged(reference):
    lines = ["Xếp hạng;Tên đơn vị;Tổng điểm"]
    for position, unit in enumerate(units_2025()):
        lines.append(f"{position + 1};{unit.name};{90 - position * 0.5:.2f}")
    framework = Framework.objects.filter(group=Group.PROVINCE).order_by("-code")[0]
    outcome = edition_import(
        table=read_table("\n".join(lines).encode(), "f.csv"),
        year=2025,
        group=Group.PROVINCE,
        framework=framework,
        dry_run=True,
    )
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.name_differences == []


def test_import_preview_page_shows_the_differences(reference, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    framework = Framework.objects.filter(group=Group.PROVINCE).order_by("-code")[0]
    response = admin_client.post(
        "/quan-tri/parindex/edition/nhap/",
        {
            "year": 2025,
            "group": Group.PROVINCE,
            "framework": framework.pk,
            "file": SimpleUploadedFile("par-2025.csv", table_2025_bytes()),
        },
    )
    page = response.content.decode()
    assert "33 tên trong tệp khác tên sẽ công bố" in page, page[:3000]
    assert "“TP.HCM” → <strong>Hồ Chí Minh</strong>" in page
    assert "“Thua Thien Hue” → <strong>Huế</strong>" in page


def test_a_2025_table_with_undiacritized_names_publishes_official_names(
    reference, client
):
    outcome = import_2025()
    assert outcome.ok, [str(p) for p in outcome.problems]
    edition = Edition.objects.get(year=2025, group=Group.PROVINCE)
    for field, value in PROVENANCE.items():
        setattr(edition, field, value)
    edition.announced_on = datetime.date(2026, 4, 1)
    edition.regional_note = "Trung bình vùng chỉ tính trên các đơn vị đã xác định vùng."
    edition.save()
    edition_release(edition=edition)
    cache.clear()

    stored = dict(edition.results.values_list("unit__slug", "file_name"))
    assert stored["ho-chi-minh-2025"] == "TP.HCM"  # the import record
    names = {u.published_name_in(2025) for u in units_2025()}
    spellings = set(SPELLINGS_2025.values()) | {"Thua Thien Hue", "Vinh Long"}

    pages = {
        "ranking": client.get("/chi-so-cchc/2025/tinh/"),
        "csv": client.get("/chi-so-cchc/2025/tinh.csv"),
        "json": client.get("/chi-so-cchc/2025/tinh.json"),
        "api": client.get("/chi-so-cchc/api/v1/editions/2025/tinh/"),
        "overview": client.get("/chi-so-cchc/"),
        "profile": client.get("/chi-so-cchc/don-vi/vinh-long-2025/"),
        "home": client.get("/"),
    }
    for label, response in pages.items():
        assert response.status_code == 200, label
        text = response.content.decode("utf-8-sig")
        for spelling in spellings:
            assert spelling not in text, (label, spelling)
    ranking = pages["ranking"].content.decode()
    for name in names:
        assert name in ranking
    assert "Thừa Thiên Huế" not in ranking
    assert "Vĩnh Long" in pages["profile"].content.decode()
    assert "Đà Nẵng</a>" in pages["home"].content.decode()
    xlsx = client.get("/chi-so-cchc/2025/tinh.xlsx")
    assert xlsx.status_code == 200


def test_the_2019_table_keeps_the_name_valid_then(reference):
    hue = Unit.objects.prefetch_related("other_names").get(slug="hue")
    assert hue.published_name_in(2019) == "Thừa Thiên Huế"
    assert hue.published_name_in(2025) == "Huế"


def test_matcher_says_how_it_matched(reference):
    matcher = UnitNameMatcher(group=Group.PROVINCE, year=2025)
    assert matcher.find("Thành phố Hồ Chí Minh").how == ""
    assert matcher.find("Hồ Chí Minh").how == ""
    assert matcher.find("ho chi minh").how.startswith("khác chữ hoa")
