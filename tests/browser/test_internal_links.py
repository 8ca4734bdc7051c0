"""The body editor's internal-link button in a real browser: the chooser
window passes axe, hands the chosen target's id-based address to the editor,
the selected words become the link (nothing selected: the target's title is
inserted), and the saved body keeps the address that follows the slug."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from news.models import Article
from tests.browser.actions import log_in
from tests.browser.test_accessibility import WCAG_21_AA
from tests.factories import ArticleFactory, CategoryFactory, WriterFactory

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = '[title="Liên kết nội bộ (bài viết, chuyên mục, đơn vị, bảng xếp hạng)"]'


def choose_in_chooser(page, query: str, label: str):
    with page.expect_popup() as opened:
        page.locator(".prose-menubar").first.locator(BUTTON).click()
    chooser = opened.value
    chooser.wait_for_load_state()
    chooser.get_by_label("Tìm").fill(query)
    chooser.get_by_role("button", name="Tìm").click()
    chooser.wait_for_load_state()
    results = Axe().run(
        chooser, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}}
    )
    assert results.violations_count == 0, results.generate_report()
    with chooser.expect_event("close"):
        chooser.get_by_role("button", name=f"Chọn {label}").first.click()


def test_the_internal_link_button_links_the_selection_or_inserts_the_title(
    live_server, page
):
    CategoryFactory(name="Tin tức")
    target = ArticleFactory(title="Kết quả Chỉ số cải cách hành chính năm 2024")
    WriterFactory(username="bientap")
    log_in(page, live_server, "bientap")
    page.goto(live_server.url + "/quan-tri/news/article/add/")
    page.fill("#id_title", "Tin có liên kết nội bộ")
    page.fill("#id_byline", "Huyền Anh")
    editor = page.locator(".ProseMirror:visible").first
    editor.click()
    page.keyboard.type("Xem bảng xếp hạng")
    # Select the last two words, then link them.
    for _ in range(len("xếp hạng")):
        page.keyboard.press("Shift+ArrowLeft")
    choose_in_chooser(page, "chi so cai cach", target.title)
    address = f"/lien-ket/tin-bai/{target.pk}/"
    expect(editor.locator(f'a[href="{address}"]')).to_have_text("xếp hạng")

    # Nothing selected: the target's title is inserted as the link.
    page.keyboard.press("End")
    page.keyboard.type(". ")
    choose_in_chooser(page, "chi so cai cach", target.title)
    expect(editor.locator(f'a[href="{address}"]').nth(1)).to_have_text(target.title)

    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".messagelist")).to_be_visible()
    body = Article.objects.get(title="Tin có liên kết nội bộ").body
    assert body.count(f'href="{address}"') == 2
