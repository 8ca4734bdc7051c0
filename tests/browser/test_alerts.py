"""A citizen subscribes to a province's alerts from its page, JavaScript off."""

import re

import pytest
from playwright.sync_api import expect

from cchc_portal.alerts.models import Subscription
from tests.alerts.conftest import run_tasks
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_subscribing_from_a_unit_page_without_javascript(
    live_server, new_page, settings, mailoutbox
):
    settings.SITE_URL = live_server.url
    unit = UnitFactory(
        name="Tỉnh Quảng Ninh", short_name="Quảng Ninh", slug="quang-ninh"
    )
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + unit.get_absolute_url())
    page.get_by_role("link", name="Nhận thư khi có tin mới về Quảng Ninh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhận thư khi có tin mới")
    expect(page.get_by_text("Đơn vị “Tỉnh Quảng Ninh”")).to_be_visible()

    page.get_by_role("button", name="Đăng ký").click()  # nothing filled in
    expect(page.get_by_text("Hãy nhập địa chỉ thư điện tử.")).to_be_visible()
    expect(page.get_by_text("Cần đánh dấu ô đồng ý")).to_be_visible()

    page.get_by_label("Địa chỉ thư điện tử", exact=True).fill("cong-dan@example.vn")
    page.get_by_label("Một thư tổng hợp mỗi ngày").check()
    page.get_by_label(re.compile("^Tôi đồng ý")).check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hãy kiểm tra hộp thư của bạn"
    )
    subscription = Subscription.objects.get()
    assert (subscription.unit, subscription.frequency) == (unit, "hang-ngay")
    assert subscription.confirmed_at is None

    run_tasks()
    [message] = mailoutbox
    confirm = re.search(r"http://\S+/nhan-tin/xac-nhan/\S+/", message.body).group(0)
    page.goto(confirm)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Đã xác nhận")
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_the_subscribe_form_with_errors_and_the_privacy_notice_pass_axe(
    live_server, page
):
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.test_accessibility import WCAG_21_AA

    unit = UnitFactory(
        name="Tỉnh Quảng Ninh", short_name="Quảng Ninh", slug="quang-ninh"
    )
    axe = Axe()
    page.goto(f"{live_server.url}/nhan-tin/dang-ky/?loai=don-vi&muc={unit.slug}")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_text("Hãy nhập địa chỉ thư điện tử.")).to_be_visible()
    for path in (None, "/nhan-tin/bao-ve-du-lieu-ca-nhan/"):
        if path:
            page.goto(live_server.url + path)
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}}
        )
        assert results.violations_count == 0, results.generate_report()
