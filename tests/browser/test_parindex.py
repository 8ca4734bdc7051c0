"""PAR INDEX pages in a real browser, at phone and desktop sizes."""

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
    expect(
        page.get_by_text("Đà Nẵng (tam giác)").or_(
            page.get_by_text("Đà Nẵng (hình vuông)")
        )
    ).to_be_visible()
    assert fits_the_screen(page)
