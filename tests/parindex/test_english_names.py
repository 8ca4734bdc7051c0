"""Official English names as reference data: every unit, region, framework and
area has one, with a source; one accessor per model follows the language."""

import csv

import pytest
from django.utils import translation

from parindex.models import Area, Framework, Group, Region, Unit
from parindex.reference import DATA_DIR, fill_english_names, load_reference_data
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_reference_unit_region_framework_and_area_has_an_english_name(
    reference,
):
    assert not Unit.objects.filter(name_en="").exists()
    assert not Unit.objects.filter(short_name_en="").exists()
    assert not Region.objects.filter(name_en="").exists()
    assert not Framework.objects.filter(decision_en="").exists()
    assert not Area.objects.filter(name_en="").exists()
    # The 22 ministries and agencies of 2021, the 2025 ones, 63 + 23 provinces.
    assert Unit.objects.count() == len(read("unit_names_en.csv"))


def test_every_english_name_says_where_it_comes_from():
    for name in ("unit_names_en.csv", "labels_en.csv"):
        for row in read(name):
            assert row["source"].strip(), row
            assert row["name_en"].isascii(), row


@pytest.mark.parametrize(
    ("slug", "name_en", "short_name_en"),
    [
        ("bo-tu-phap", "Ministry of Justice", "Ministry of Justice"),
        ("ngan-hang-nha-nuoc-viet-nam", "State Bank of Viet Nam", None),
        (
            "bo-nong-nghiep-va-moi-truong",
            "Ministry of Agriculture and Environment",
            None,
        ),
        ("bo-dan-toc-va-ton-giao", "Ministry of Ethnic and Religious Affairs", None),
        ("ha-noi", "Ha Noi City", "Ha Noi"),
        ("ho-chi-minh-2025", "Ho Chi Minh City", "Ho Chi Minh City"),
        ("quang-ninh", "Quang Ninh Province", "Quang Ninh"),
        ("dak-lak-2025", "Dak Lak Province", "Dak Lak"),
    ],
)
def test_units_carry_their_official_english_names(
    reference, slug, name_en, short_name_en
):
    unit = Unit.objects.get(slug=slug)
    assert unit.name_en == name_en
    if short_name_en:
        assert unit.short_name_en == short_name_en


def test_the_name_follows_the_active_language(reference):
    ministry = Unit.objects.get(slug="bo-tu-phap")
    province = Unit.objects.get(slug="quang-ninh")
    assert (ministry.display_name, province.display_name) == (
        "Bộ Tư pháp",
        "Quảng Ninh",
    )
    with translation.override("en"):
        assert ministry.display_name == "Ministry of Justice"
        assert province.display_name == "Quang Ninh"
        assert province.full_name == "Quang Ninh Province"
        assert province.region.display_name == "Red River Delta"


def test_twins_are_told_apart_in_english(reference):
    before = Unit.objects.get(slug="an-giang")
    after = Unit.objects.get(slug="an-giang-2025")
    with translation.override("en"):
        assert before.short_label == "An Giang (until 06/2025)"
        assert after.short_label == "An Giang (from 07/2025)"
    assert before.short_label == "An Giang (đến 06/2025)"


def test_a_unit_without_an_english_name_shows_its_vietnamese_one():
    unit = UnitFactory(name="Tỉnh Thử", short_name="Thử")
    with translation.override("en"):
        assert unit.display_name == "Thử"
        assert unit.full_name == "Tỉnh Thử"


def test_the_loader_never_rewrites_an_editors_english_name(reference):
    unit = Unit.objects.get(slug="bo-noi-vu")
    unit.name_en = "Ministry of the Interior (editor)"
    unit.save()
    load_reference_data()
    assert fill_english_names() == 0
    unit.refresh_from_db()
    assert unit.name_en == "Ministry of the Interior (editor)"


def test_demo_frameworks_get_english_area_names(demo):
    areas = Area.objects.filter(framework__is_demo=True)
    assert areas.exists()
    assert not areas.filter(name_en="").exists()
    assert Framework.objects.get(code="minh-hoa", group=Group.PROVINCE).decision_en


def test_editors_edit_the_english_names_in_the_admin(admin_client, reference):
    unit = Unit.objects.get(slug="quang-ninh")
    page = admin_client.get(f"/quan-tri/parindex/unit/{unit.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="name_en"' in content
    assert 'name="short_name_en"' in content
    region_page = admin_client.get(
        f"/quan-tri/parindex/region/{unit.region.pk}/change/"
    )
    assert 'name="name_en"' in region_page.content.decode()
    framework = Framework.objects.get(code="876", group=Group.MINISTRY)
    framework_page = admin_client.get(
        f"/quan-tri/parindex/framework/{framework.pk}/change/"
    ).content.decode()
    assert 'name="decision_en"' in framework_page
    assert 'name="areas-0-name_en"' in framework_page


def test_the_api_gives_the_english_names_beside_the_vietnamese(reference, client):
    unit = client.get("/chi-so-cchc/api/v1/units/bo-tu-phap/").json()["unit"]
    assert unit["name"] == "Bộ Tư pháp"
    assert unit["name_en"] == "Ministry of Justice"
    assert unit["short_name_en"] == "Ministry of Justice"
