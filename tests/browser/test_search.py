"""Search filters in a real browser, without JavaScript, on a narrow phone.

Typing "da nang" in the header and finding the Đà Nẵng article is part of the
reader's journey in test_journeys.py.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_filters_work_without_javascript_on_a_phone(live_server, page, demo_site):
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
