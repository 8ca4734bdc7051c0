"""PAR INDEX pages in a real browser, at phone and desktop sizes."""

import re

import pytest
from playwright.sync_api import expect

from parindex.demo import seed_parindex_demo
from tests.browser.actions import fits_the_screen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data(seeded):
    return seeded("parindex-demo", seed_parindex_demo)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_ranking_sorts_and_filters_without_javascript(live_server, page, demo_data):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(live_server.url + "/chi-so-cchc/2024/tinh/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("PAR INDEX 2024")
    assert fits_the_screen(page)

    page.get_by_role("link", name="Tổng điểm").click()
    page.wait_for_url("**/2024/tinh/?sort=total")
    header = page.locator("th[aria-sort]")
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(header).to_contain_text("Tổng điểm")

    page.get_by_label("Vùng kinh tế - xã hội").select_option(label="Tây Nguyên")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**vung=tay-nguyen**")
    expect(page.locator("tbody tr")).to_have_count(5)
    # The chosen sort survives the filter.
    expect(page.locator("th[aria-sort]")).to_contain_text("Tổng điểm")


def test_unit_profile_charts_fit_the_screen_and_have_names(
    live_server, page_at_viewport, demo_data
):
    page = page_at_viewport
    page.goto(live_server.url + "/chi-so-cchc/don-vi/thua-thien-hue/")
    page.wait_for_url("**/don-vi/hue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thành phố Huế")
    charts = page.get_by_role("img", name="Chỉ số CCHC của Huế qua các năm")
    expect(charts).to_be_visible()
    width = page.evaluate("window.innerWidth")
    box = charts.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert fits_the_screen(page)


def test_compare_form_works_from_the_profile_link(
    live_server, page_at_viewport, demo_data
):
    page = page_at_viewport
    page.goto(live_server.url + "/chi-so-cchc/don-vi/ha-noi/")
    page.get_by_role("link", name="So sánh Hà Nội với đơn vị khác").click()
    page.get_by_label("Đơn vị 2").select_option(label="Đà Nẵng (đến 06/2025)")
    page.get_by_role("button", name="So sánh").click()
    expect(page.get_by_role("img", name="Chỉ số CCHC qua các năm")).to_be_visible()
    # Twins carry their period: "Đà Nẵng (đến 06/2025) (tam giác)".
    legend = re.compile(r"Đà Nẵng.*\((tam giác|hình vuông)\)")
    expect(page.get_by_text(legend).first).to_be_visible()
    assert fits_the_screen(page)


def test_tile_maps_of_63_and_34_units_pass_axe_and_a_tile_leads_to_the_profile(
    live_server, page_at_viewport, demo_data
):
    from axe_playwright_python.sync_playwright import Axe

    from parindex.models import Group, Unit
    from tests.parindex.conftest import build_edition

    units = list(Unit.objects.in_group(Group.PROVINCE).expected_in_ranking(2025))
    build_edition(
        year=2025,
        units=units,
        totals=[f"{60 + i * 0.5:.2f}" for i in range(len(units))],
        is_demo=True,
    )
    page = page_at_viewport
    axe = Axe()
    for year, count in ((2024, 63), (2025, 34)):
        page.goto(live_server.url + f"/chi-so-cchc/{year}/tinh/")
        tiles = page.locator(".tile-map__tile")
        expect(tiles).to_have_count(count)
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}
            },
        )
        assert results.violations_count == 0, results.generate_report()
    first = page.get_by_role("link", name="Hà Nội: hạng ")
    expect(first).to_have_count(1)
    first.click()
    page.wait_for_url("**/chi-so-cchc/don-vi/ha-noi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thành phố Hà Nội")
