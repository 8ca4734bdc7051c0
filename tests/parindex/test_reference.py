"""The real reference data: units over time, frameworks, the official 2023 table."""

import datetime

import pytest
from django.core.management import call_command

from parindex.models import (
    AnnualSummary,
    Area,
    Edition,
    Group,
    ParStatus,
    RegionalAverage,
    Result,
    Unit,
    UnitSuccession,
)
from parindex.reference import load_reference_data
from parindex.services import correcting

pytestmark = pytest.mark.django_db


def test_provinces_are_63_before_and_34_after_the_2025_merger(reference):
    provinces = Unit.objects.in_group(Group.PROVINCE)
    assert provinces.current(on=datetime.date(2025, 6, 30)).count() == 63
    assert provinces.current(on=datetime.date(2025, 7, 1)).count() == 34
    assert sum(1 for unit in provinces if unit.existed_in(2024)) == 63
    assert provinces.exclude(gso_code="").count() == provinces.count()
    assert UnitSuccession.objects.filter(successor__group=Group.PROVINCE).count() == 52


def test_ministries_merge_on_1_march_2025(reference):
    planning = Unit.objects.get(slug="bo-ke-hoach-va-dau-tu")
    assert planning.valid_to == datetime.date(2025, 2, 28)
    finance = planning.successor_links.get().successor
    assert (finance.slug, finance.valid_from) == (
        "bo-tai-chinh-2025",
        datetime.date(2025, 3, 1),
    )
    assert set(
        finance.predecessor_links.values_list("predecessor__slug", flat=True)
    ) == {
        "bo-tai-chinh",
        "bo-ke-hoach-va-dau-tu",
    }
    # A ministry that only continued itself stays one unit.
    justice = Unit.objects.get(slug="bo-tu-phap")
    assert justice.valid_to is None and not justice.successor_links.exists()
    assert Unit.objects.get(slug="thanh-tra-chinh-phu").par_status == ParStatus.ASSESSED
    assert Unit.objects.get(slug="bo-quoc-phong").par_status == ParStatus.NOT_ASSESSED


def test_units_are_found_by_current_or_former_slug(reference):
    found = Unit.objects.by_slug(["ha-noi", "thua-thien-hue", "khong-co"])
    assert {slug: unit.slug for slug, unit in found.items()} == {
        "ha-noi": "ha-noi",
        "thua-thien-hue": "hue",
    }


def test_search_finds_units_by_folded_name_and_former_name(reference):
    hue = list(Unit.objects.search("hue"))
    assert [u.name for u in hue] == ["Thành phố Huế"]
    assert hue[0].other_names.filter(name="Thừa Thiên Huế", kind="former").exists()
    assert list(Unit.objects.search("thua thien")) == hue
    assert {u.slug for u in Unit.objects.search("Hồ Chí Minh")} == {
        "ho-chi-minh",
        "ho-chi-minh-2025",
    }
    assert {u.slug for u in Unit.objects.matching("TP HCM")} == {
        "ho-chi-minh",
        "ho-chi-minh-2025",
    }
    assert Unit.objects.search("thue").count() == 0  # whole words only
    assert Unit.objects.search("   ").count() == 0


def test_frameworks_areas_and_averages_are_loaded(reference):
    areas = Area.objects.filter(framework__code="2948", framework__group=Group.PROVINCE)
    assert areas.count() == 8
    assert sum(a.max_points for a in areas) == 100
    assert (
        Area.objects.get(
            framework__code="876", framework__group="bo", number=7
        ).max_points
        is None
    )
    summary = AnnualSummary.objects.get(year=2024, group=Group.PROVINCE)
    assert str(summary.national_average) == "88.37"
    assert RegionalAverage.objects.filter(year=2024).count() == 6


def test_official_2023_ministry_edition_is_released_and_not_demo(reference):
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    assert Edition.objects.released().filter(pk=edition.pk).exists()
    assert not edition.is_demo
    assert (edition.n_ranked, str(edition.national_average)) == (17, "84.38")
    assert edition.announced_on == datetime.date(2024, 4, 17)
    justice = edition.results.get(rank=1)
    assert (justice.published_name, str(justice.total)) == ("Bộ Tư pháp", "89.95")


def test_loading_twice_adds_nothing_and_never_rewrites(reference):
    Unit.objects.filter(slug="ha-noi").update(note="Sửa bởi biên tập viên")
    with correcting():  # the only way published rows change
        Result.objects.filter(edition__year=2023).update(published_name="X")
    counts = {model: model.objects.count() for model in (Unit, Area, Edition, Result)}

    again = load_reference_data()

    assert not any(again.values())
    assert {model: model.objects.count() for model in counts} == counts
    assert Unit.objects.get(slug="ha-noi").note == "Sửa bởi biên tập viên"
    assert set(
        Result.objects.filter(edition__year=2023).values_list(
            "published_name", flat=True
        )
    ) == {"X"}


def test_command_loads_the_reference_data(db, capsys):
    call_command("load_parindex_reference")
    assert "Reference data loaded" in capsys.readouterr().out
    assert Unit.objects.count() == 114


def test_merged_provinces_note_area_and_population_in_vietnamese_numbers(reference):
    notes = {
        slug: Unit.objects.get(slug=slug).note
        for slug in ("tuyen-quang-2025", "ho-chi-minh-2025", "quang-tri-2025")
    }
    assert (
        "Diện tích 13.795,50 km², dân số 1.865.270 người" in notes["tuyen-quang-2025"]
    )
    assert "dân số 14.002.598 người" in notes["ho-chi-minh-2025"]
    # A whole number of km² still shows its two decimals.
    assert "Diện tích 12.700,00 km²" in notes["quang-tri-2025"]
