"""Search in a real browser: a reader types without diacritics and finds the news."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from news.demo import FEATURED_ARTICLES

pytestmark = pytest.mark.django_db(transaction=True)

DA_NANG_TITLE = FEATURED_ARTICLES[0]["title"]


@pytest.fixture
def demo_news(db):
    call_command("seed_demo")


def test_typing_da_nang_in_the_header_finds_the_da_nang_article(
    live_server, page_at_viewport, demo_news
):
    page = page_at_viewport
    page.goto(live_server.url + "/")

    box = page.get_by_role("searchbox", name="Tìm kiếm trên cổng thông tin")
    box.fill("da nang")
    box.press("Enter")

    page.wait_for_url("**/tim-kiem/?q=da+nang")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kết quả tìm kiếm cho “da nang”"
    )
    units = page.get_by_role("region", name="Đơn vị trong Chỉ số CCHC")
    expect(units.get_by_role("link", name="Thành phố Đà Nẵng").first).to_be_visible()
    first = page.locator(".result-list > li").first
    expect(first.get_by_role("heading", level=3)).to_have_text(DA_NANG_TITLE)
    expect(first.locator("mark").first).to_have_text("Đà Nẵng")

    first.get_by_role("link", name=DA_NANG_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DA_NANG_TITLE)

    # The unit's profile, with its JSON-LD, loads without a CSP violation too.
    page.go_back()
    units.get_by_role("link", name="Thành phố Đà Nẵng").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thành phố Đà Nẵng")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_filters_work_without_javascript_on_a_phone(live_server, page, demo_news):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/tim-kiem/?q=chuyen+doi+so")

    page.get_by_text("Bộ lọc và sắp xếp").click()
    page.get_by_label("Chuyên mục").select_option(label="Chính phủ số")
    page.get_by_label("Sắp xếp").select_option(label="Mới nhất")
    apply = page.get_by_role("button", name="Áp dụng")
    apply.click()

    page.wait_for_url("**chuyen_muc=chinh-phu-so**")
    results = page.locator(".result-list > li")
    expect(results.first).to_be_visible()
    for category in results.locator(".meta a").all_inner_texts():
        assert category == "Chính phủ số"
    # Nothing spills sideways at 320 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
