"""Citizens' and editors' journeys end to end, at phone and desktop sizes.

Each journey also leaves screenshots of the pages it passes through in
tests/browser/screenshots/ (git-ignored), for people to look at.
"""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture
def demo_site():
    """Everything `make run` loads: news, units, editions."""
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def shoot(viewport_name):
    """Save a full-page screenshot named after the page and the viewport."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(
            path=SCREENSHOTS / f"{name}-{viewport_name}.png", full_page=True
        )

    return take


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_citizen_checks_a_ranking_a_merged_province_and_downloads_the_data(
    live_server, page_at_viewport, demo_site, shoot
):
    page = page_at_viewport
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Chỉ số CCHC"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chỉ số")
    shoot(page, "chi-so-cchc")

    # The 2024 provincial ranking, sorted by its first component area.
    page.goto(live_server.url + "/chi-so-cchc/2024/tinh/")
    expect(
        page.get_by_text("Dữ liệu minh họa, không phải số liệu chính thức").first
    ).to_be_visible()
    page.locator("thead a[href*='sort=area-1']").click()
    page.wait_for_url("**sort=area-1**")
    sorted_header = page.locator("th[aria-sort]")
    expect(sorted_header).to_have_attribute("aria-sort", "descending")

    # Filter by region: the sort is kept, only that region's provinces remain.
    page.get_by_label("Vùng kinh tế - xã hội").select_option(
        label="Trung du và miền núi phía Bắc"
    )
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**vung=**")
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() < 63
    shoot(page, "xep-hang-tinh-2024")

    # A province merged in 2025: its profile links to its successor, and back.
    page.locator("tbody").get_by_role("link", name="Hà Giang", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hà Giang")
    merged = page.get_by_text("Từ 01/07/2025 hợp nhất vào")
    expect(merged).to_be_visible()
    shoot(page, "ho-so-ha-giang")
    merged.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tuyên Quang")
    page.get_by_text("trên cơ sở hợp nhất").get_by_role(
        "link", name="tỉnh Hà Giang"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hà Giang")
    assert fits_the_screen(page)

    # Compare it with another province over the years.
    page.get_by_role("link", name="So sánh Hà Giang với đơn vị khác").click()
    page.get_by_label("Đơn vị 2").select_option(label="Lào Cai (đến 06/2025)")
    page.get_by_role("button", name="So sánh").click()
    expect(page.get_by_role("img", name="Chỉ số CCHC qua các năm")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Lào Cai")
    shoot(page, "so-sanh")

    # Download the 2024 table as CSV: the file holds every ranked province.
    page.goto(live_server.url + "/chi-so-cchc/2024/tinh/")
    with page.expect_download() as download_info:
        page.locator("ul.downloads").get_by_role("link", name="CSV").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "Dữ liệu minh họa, không phải số liệu chính thức" in content
    rows = list(csv.reader(io.StringIO(content)))
    header = next(index for index, row in enumerate(rows) if row[:1] == ["Xếp hạng"])
    assert rows[header][1] == "Tên đơn vị"
    assert len([row for row in rows[header + 1 :] if row and row[0].isdigit()]) == 63
