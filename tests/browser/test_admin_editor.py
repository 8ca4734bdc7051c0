"""The article editor in a real browser speaks Vietnamese: toolbar tooltips,
the block menu and the link dialog (their words are written by the editor's
script, not by the server, so only a browser can check them)."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.browser.actions import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH_WORDS = re.compile(
    r"\b(bold|italic|underline|strike|paragraph|heading|undo|redo|blockquote|"
    r"list|link|table|insert|update|cancel|title|edit)\b",
    re.IGNORECASE,
)


def test_the_editor_toolbar_menu_and_link_dialog_are_in_vietnamese(live_server, page):
    get_user_model().objects.create_superuser("bientap", "bt@example.gov.vn", PASSWORD)
    log_in(page, live_server, "bientap")
    page.goto(live_server.url + "/quan-tri/news/article/add/")
    menubar = page.locator(".prose-menubar").first
    menubar.wait_for()
    page.wait_for_timeout(300)  # the translation runs right after the editor

    titles = menubar.evaluate(
        "bar => [...bar.querySelectorAll('[title]')].map(e => e.getAttribute('title'))"
    )
    assert "Chữ đậm" in titles and "Hoàn tác" in titles, titles
    assert [t for t in titles if ENGLISH_WORDS.search(t)] == []
    menu_words = menubar.evaluate("bar => bar.textContent")
    assert not ENGLISH_WORDS.search(menu_words.replace("format_", "")), menu_words

    page.locator(".ProseMirror:visible").first.click()
    page.keyboard.type("Cổng dịch vụ công")
    page.keyboard.press("Control+A")
    menubar.locator('[title="Chèn liên kết"]').click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.wait_for()
    text = dialog.inner_text()
    assert "Sửa liên kết" in text and "Cập nhật" in text and "Huỷ" in text, text
    assert not ENGLISH_WORDS.search(text), text


def test_a_15_word_title_fits_in_the_title_box(live_server, page):
    get_user_model().objects.create_superuser("bientap", "bt@example.gov.vn", PASSWORD)
    log_in(page, live_server, "bientap")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/quan-tri/news/article/add/")
    title = page.locator("#id_title")
    title.fill(
        "Thủ tướng yêu cầu các bộ, ngành đẩy mạnh cải cách thủ tục hành chính "
        "trong năm 2026"
    )
    assert len(title.input_value().split()) >= 15
    assert title.evaluate("box => box.scrollWidth <= box.clientWidth")
