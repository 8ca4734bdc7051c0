"""The body editor in a real browser: the image button's chooser window passes
axe and hands the chosen library image to the editor (the saved body names it
by id); Word HTML pasted into the editor is published with its heading, lists,
table, link and inline image."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from news import services
from news.models import Article
from tests.browser.actions import log_in, pick
from tests.browser.test_accessibility import WCAG_21_AA
from tests.factories import (
    CategoryFactory,
    ReviewerFactory,
    WriterFactory,
    image_upload,
)
from tests.news.test_paste import WORD_HTML

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

    # The library's own pages pass too.
    for path in ("/quan-tri/news/image/", "/quan-tri/news/image/add/"):
        page.goto(live_server.url + path)
        results = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}}
        )
        assert results.violations_count == 0, results.generate_report()


def paste_html(page, html: str) -> None:
    """Paste `html` into the body editor as the clipboard of Word would."""
    page.locator(".ProseMirror:visible").first.evaluate(
        """(editor, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "");
            editor.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


def test_word_html_pasted_into_the_editor_is_published_with_its_lists_table_and_image(
    live_server, page, new_page
):
    category = CategoryFactory(name="Chính phủ số", show_in_nav=True)
    ReviewerFactory(username="duyetbai")
    log_in(page, live_server, "duyetbai")
    page.goto(live_server.url + "/quan-tri/news/article/add/")
    page.fill("#id_title", "Kết quả cải cách hành chính quý III")
    page.fill("#id_byline", "Huyền Anh")
    page.locator(".ProseMirror:visible").first.click()

    paste_html(page, WORD_HTML)

    notes = page.locator(".paste-notes")
    expect(notes).to_contain_text("Đã chuyển 6 đoạn danh sách của Word")
    expect(notes).to_contain_text("Đã đưa 1 ảnh vào Thư viện ảnh")
    expect(notes).to_contain_text("Đã bỏ 1 ảnh nằm trên máy tính")
    editor = page.locator(".ProseMirror:visible").first
    expect(editor.locator("figure.library-image figcaption")).to_have_text(
        "Biểu đồ hồ sơ trực tuyến theo tháng"
    )
    pick(page, "id_category", "Chính phủ", category.name)
    page.get_by_label("Trạng thái").select_option("published")
    page.get_by_role("button", name="Lưu lại").click()
    expect(page.locator(".messagelist")).to_contain_text("Các trang công khai")

    article = Article.objects.get(title="Kết quả cải cách hành chính quý III")
    reader = new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    body = reader.locator(".article__body")
    expect(body.locator("h2").first).to_have_text("Kết quả cải cách hành chính quý III")
    expect(body.locator("h1")).to_have_count(0)
    expect(body.locator(":scope > ul > li")).to_have_count(3)
    expect(body.locator("ul > li ul > li")).to_have_text(["trong đó cấp huyện 97,9%;"])
    expect(body.locator("ol > li")).to_have_text(
        ["Rà soát quy trình nội bộ;", "Công khai kết quả trên cổng thông tin."]
    )
    expect(body.locator("table td")).to_have_text(
        ["Chỉ tiêu", "Kết quả", "Hồ sơ đúng hạn", "98,6%"]
    )
    expect(body.locator("strong", has_text="đẩy mạnh")).to_be_visible()
    expect(body.locator("em", has_text="trực tuyến toàn trình")).to_be_visible()
    link = body.get_by_role("link", name="Cổng Dịch vụ công quốc gia")
    expect(link).to_have_attribute("href", "https://dichvucong.gov.vn/")
    expect(link.locator("u")).to_have_count(0)
    figure = body.locator("figure.body-figure")
    expect(figure.locator("img")).to_have_attribute(
        "alt", "Biểu đồ hồ sơ trực tuyến theo tháng"
    )
    expect(figure.locator("img")).to_have_attribute("loading", "lazy")
    expect(figure.locator("img")).to_have_attribute("width", "400")
    figure.scroll_into_view_if_needed()  # lazy: loads when near the viewport
    # The cleaned file is served (naturalWidth is 0 for a missing image).
    page_image = figure.locator("img")
    expect(page_image).to_have_js_property("complete", True)
    assert page_image.evaluate("img => img.naturalWidth") > 0
    expect(body).not_to_contain_text("·")
    expect(body).not_to_contain_text("clip_image")
