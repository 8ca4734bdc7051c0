"""The preview frames below the article form show the unsaved text, with or
without JavaScript, at a phone's width and at a desktop's."""

import pytest

from news.models import Article
from tests.browser.actions import log_in
from tests.factories import WriterFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_frames_show_the_unsaved_article_on_demand(
    live_server, browser, javascript
):
    writer = WriterFactory(username="bientapvien")
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    log_in(page, live_server, writer.username)
    page.goto(live_server.url + "/quan-tri/news/article/add/")
    page.locator("#id_title").fill("Tiêu đề chưa lưu trong khung xem trước")

    page.get_by_role("button", name="Cập nhật khung điện thoại").click()
    phone = page.frame_locator('iframe[name="article-preview-phone"]')
    headline = phone.locator("h1")
    headline.wait_for()
    assert headline.inner_text() == "Tiêu đề chưa lưu trong khung xem trước"
    width = page.locator('iframe[name="article-preview-phone"]').evaluate(
        "frame => frame.contentWindow.innerWidth"
    )
    assert width == 360

    page.get_by_role("button", name="Cập nhật khung máy tính").click()
    desktop = page.frame_locator('iframe[name="article-preview-desktop"]')
    desktop.locator("h1").wait_for()
    assert "chưa lưu" in desktop.locator(".preview-banner").inner_text()
    assert not Article.objects.exists()
    context.close()
