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
