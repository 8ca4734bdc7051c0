"""The body editor's image button in a real browser: the chooser window passes
axe, hands the chosen library image to the editor, and the saved body names
it by id."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from news import services
from news.models import Article
from tests.browser.actions import log_in
from tests.browser.test_accessibility import WCAG_21_AA
from tests.factories import CategoryFactory, WriterFactory, image_upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_image_chooser_inserts_a_library_image_and_passes_axe(live_server, page):
    CategoryFactory(name="Tin tức")
    photo = services.image_create(
        upload=image_upload(),
        alt="Người dân làm thủ tục tại bộ phận một cửa",
        caption="Bộ phận một cửa của tỉnh.",
        user=None,
    )
    WriterFactory(username="bientap")
    log_in(page, live_server, "bientap")
    page.goto(live_server.url + "/quan-tri/news/article/add/")
    page.fill("#id_title", "Tin có ảnh trong bài")
    page.fill("#id_byline", "Huyền Anh")
    page.locator(".ProseMirror:visible").first.click()
    page.keyboard.type("Mở đầu bài viết.")

    with page.expect_popup() as opened:
        page.locator(".prose-menubar").first.locator(
            '[title="Chèn ảnh (từ Thư viện ảnh hoặc tải lên)"]'
        ).click()
    chooser = opened.value
    chooser.wait_for_load_state()
    expect(chooser.get_by_role("heading", name="Chọn từ Thư viện ảnh")).to_be_visible()
    reports = []
    for state in ("list", "upload-error"):
        if state == "upload-error":
            chooser.get_by_role("button", name="Tải lên và chèn vào bài").click()
            expect(chooser.get_by_role("alert")).to_contain_text("chưa được tải lên")
        results = Axe().run(
            chooser, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}}
        )
        if results.violations_count:
            reports.append(f"{state}: {results.generate_report()}")
    assert not reports, "\n".join(reports)

    with chooser.expect_event("close"):
        chooser.locator(f'button[data-image-id="{photo.pk}"]').click()
    figure = page.locator(".ProseMirror figure.library-image")
    expect(figure.locator("figcaption")).to_have_text("Bộ phận một cửa của tỉnh.")
    expect(figure.locator("img")).to_have_attribute(
        "alt", "Người dân làm thủ tục tại bộ phận một cửa"
    )
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".messagelist")).to_be_visible()

    article = Article.objects.get(title="Tin có ảnh trong bài")
    assert f'<figure data-image="{photo.pk}"></figure>' in article.body
