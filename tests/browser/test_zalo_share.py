"""Zalo's share button in a real browser: the address to copy without
JavaScript or when Zalo is unreachable, Zalo's own button once its SDK runs.

Zalo's servers are not reached from tests: the SDK's URL is answered by a
stand-in that does what the real SDK does to the page (defines
ZaloSocialSDK and draws a button into .zalo-share-button)."""

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

SDK_URL = "https://sp.zalo.me/plugins/sdk.js"
STAND_IN_SDK = """
window.ZaloSocialSDK = { reload: function () {} };
document.querySelectorAll(".zalo-share-button").forEach(function (holder) {
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "Chia sẻ qua Zalo";
  holder.appendChild(button);
});
"""


@pytest.fixture
def zalo_article(settings, db):
    settings.ZALO_OA_ID = "1234567890123456789"
    return ArticleFactory(title="Đẩy mạnh chuyển đổi số")


def csp_errors(page) -> list[str]:
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_zalo_offers_the_address_to_copy(
    live_server, page, zalo_article
):
    page.route(SDK_URL, lambda route: route.abort())
    page.goto(live_server.url + zalo_article.get_absolute_url())
    copy = page.get_by_label("Zalo: sao chép liên kết")
    expect(copy).to_be_visible()
    expect(copy).to_have_value(live_server.url + zalo_article.get_absolute_url())


def test_when_zalo_is_unreachable_the_address_to_copy_stays(
    live_server, page, zalo_article
):
    page.route(SDK_URL, lambda route: route.abort())
    page.goto(live_server.url + zalo_article.get_absolute_url())
    page.wait_for_load_state("load")
    copy = page.get_by_label("Zalo: sao chép liên kết")
    expect(copy).to_be_visible()
    copy.focus()
    assert page.evaluate("document.activeElement.selectionEnd") > 0


def test_once_the_sdk_runs_its_button_replaces_the_address_to_copy(
    live_server, page, zalo_article
):
    errors = csp_errors(page)
    page.route(
        SDK_URL,
        lambda route: route.fulfill(
            status=200, content_type="text/javascript", body=STAND_IN_SDK
        ),
    )
    page.goto(live_server.url + zalo_article.get_absolute_url())
    expect(page.get_by_role("button", name="Chia sẻ qua Zalo")).to_be_visible()
    expect(page.get_by_text("Zalo: sao chép liên kết")).to_be_hidden()
    assert errors == []


def test_the_zalo_control_passes_axe_and_the_html_checker_and_fits_a_phone(
    live_server, page, zalo_article, tmp_path
):
    from tests.browser.actions import fits_the_screen
    from tests.browser.nu_checker import nu_errors
    from tests.browser.test_accessibility import axe, axe_report

    page.set_viewport_size({"width": 320, "height": 640})
    page.route(SDK_URL, lambda route: route.abort())
    response = page.goto(live_server.url + zalo_article.get_absolute_url())
    expect(page.get_by_label("Zalo: sao chép liên kết")).to_be_visible()
    assert axe_report(page, axe()) == ""
    assert fits_the_screen(page)
    served = tmp_path / "article-zalo.html"
    served.write_bytes(response.body())
    assert nu_errors([served], tmp_path) == []
