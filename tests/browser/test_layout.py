import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_has_header_skip_link_and_a_remembered_text_size(
    live_server, page_at_viewport
):
    page = page_at_viewport
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator(".brand")).to_contain_text("Cải cách hành chính")

    # The skip link comes first for keyboard users and moves focus to the content.
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#noi-dung")).to_be_focused()

    # The text-size control appears with JavaScript and its choice survives a new page.
    bigger = page.get_by_role("button", name="Tăng cỡ chữ")
    expect(bigger).to_be_visible()
    base_size = page.evaluate(
        "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    )
    bigger.click()
    expect(page.locator("html")).to_have_attribute("data-text-size", "1")
    page.goto(live_server.url + "/tuyen-bo-kha-nang-tiep-can/")
    expect(page.locator("html")).to_have_attribute("data-text-size", "1")
    new_size = page.evaluate(
        "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    )
    assert new_size > base_size


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_home_page_works_without_javascript(live_server, page):
    page.goto(live_server.url + "/")
    expect(page.locator(".brand")).to_be_visible()
    # Without JavaScript the control stays hidden rather than showing dead buttons.
    expect(page.locator("[data-text-size-control]")).to_be_hidden()
    page.locator("#site-search").fill("cải cách")
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=*")
