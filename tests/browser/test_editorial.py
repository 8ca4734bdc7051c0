"""The whole editorial flow in a real browser: write, preview, submit, publish."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from news.models import Article
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    CategoryFactory,
    ReviewerFactory,
    TagFactory,
    WriterFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Điện Biên số hóa toàn bộ hồ sơ một cửa"


@pytest.fixture(autouse=True)
def production_like(settings):
    # The anonymous page cache is on, as in production: the published article
    # must still appear at once. Logins hash with a fast algorithm.
    settings.PAGE_CACHE_SECONDS = 600
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def watch_csp(page, violations: list[str]):
    """Collect CSP violations of a page opened outside the `page` fixture."""

    def record(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", record)
    return page


def log_in(page, live_server, username):
    page.goto(live_server.url + "/quan-tri/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/quan-tri/")


def pick(page, select_id, search, option_text):
    """Choose in an admin autocomplete (select2) the way an editor does."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    field = page.locator(
        f"#{select_id} + .select2 .select2-search__field, "
        ".select2-dropdown .select2-search__field"
    ).first
    field.fill(search)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def test_writer_writes_reviewer_publishes_and_readers_see_it_at_once(
    live_server, page, browser
):
    category = CategoryFactory(name="Chính phủ số", show_in_nav=True)
    TagFactory(name="Dịch vụ công trực tuyến")
    related = ArticleFactory(title="Hướng dẫn nộp hồ sơ trực tuyến", category=category)
    WriterFactory(username="bientap", first_name="Nguyễn Thu Hà")
    ReviewerFactory(username="duyetbai", first_name="Trần Minh Đức")
    violations: list[str] = []

    # A reader's home page is in the page cache before anything happens (the
    # browser revalidates with its ETag, so ask the cache directly).
    reader = watch_csp(browser.new_context().new_page(), violations)
    reader.goto(live_server.url + "/")
    expect(reader.get_by_text(TITLE)).to_have_count(0)
    host = urlsplit(live_server.url).netloc
    assert Client().get("/", HTTP_HOST=host)["X-Page-Cache"] == "HIT"

    # The writer writes the article.
    writer = page
    log_in(writer, live_server, "bientap")
    writer.goto(live_server.url + "/quan-tri/news/article/add/")
    expect(writer.locator(".editorial-panel")).to_contain_text("Chờ duyệt")
    writer.locator("#id_title").fill(TITLE)
    writer.locator("#id_sapo").fill("Điện Biên hoàn thành số hóa hồ sơ (tin thử).")
    writer.locator(".ProseMirror[contenteditable=true]").click()
    writer.keyboard.type("Toàn bộ hồ sơ một cửa đã được số hóa.")
    writer.locator("#id_byline").fill("Thu Hà")
    pick(writer, "id_category", "Chính phủ", "Chính phủ số")
    writer.locator("#id_hero_image").set_input_files(
        files=[{"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()}]
    )
    writer.locator("#id_hero_alt").fill("Cán bộ một cửa quét hồ sơ giấy")
    pick(writer, "id_tags", "Dịch vụ", "Dịch vụ công trực tuyến")
    pick(writer, "id_outgoing_links-0-to_article", "Hướng dẫn", related.title)
    expect(writer.locator("#id_status option[value=published]")).to_have_count(0)
    writer.locator("input[name=_continue]").click()
    expect(writer.locator(".messagelist")).to_contain_text(TITLE)
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.DRAFT

    # ...previews it exactly as readers would see it...
    with writer.expect_popup() as popup:
        writer.locator(".object-tools").get_by_role("link", name="Xem trước").click()
    preview = watch_csp(popup.value, violations)
    expect(preview.locator(".preview-banner")).to_contain_text("Bản xem trước")
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(preview.locator(".article__hero img")).to_have_attribute(
        "alt", "Cán bộ một cửa quét hồ sơ giấy"
    )
    expect(preview.locator("#tin-lien-quan + ul")).to_contain_text(related.title)
    expect(preview.locator('meta[name="robots"]')).to_have_attribute(
        "content", "noindex"
    )
    preview.close()

    # ...cannot publish, even by forging the form...
    writer.evaluate(
        """() => {
            const status = document.querySelector('#id_status');
            status.add(new Option('Đã xuất bản', 'published'));
            status.value = 'published';
        }"""
    )
    writer.locator("input[name=_continue]").click()
    expect(writer.locator(".errorlist")).to_contain_text(
        "Bạn không có quyền chuyển bài sang trạng thái này"
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT

    # ...and submits it for review.
    writer.goto(live_server.url + f"/quan-tri/news/article/{article.pk}/change/")
    writer.locator("#id_status").select_option("pending")
    writer.locator("input[name=_save]").click()
    expect(writer.locator(".messagelist")).to_contain_text("Đã gửi bài để duyệt")

    # The reviewer finds it waiting, sees the checks and publishes it.
    reviewer = watch_csp(browser.new_context().new_page(), violations)
    log_in(reviewer, live_server, "duyetbai")
    reviewer.goto(live_server.url + "/quan-tri/news/article/?status__exact=pending")
    reviewer.get_by_role("link", name=TITLE).click()
    expect(reviewer.locator(".editorial-panel")).to_contain_text(
        "bài sẵn sàng để xuất bản"
    )
    reviewer.locator("#id_status").select_option("published")
    reviewer.locator("input[name=_save]").click()
    refreshed = reviewer.locator(".messagelist")
    expect(refreshed).to_contain_text("Các trang công khai đã được làm mới ngay")
    expect(refreshed.get_by_role("link", name="Trang chủ")).to_be_visible()

    # Readers see it on the home page at once, then open it.
    reader.goto(live_server.url + "/")
    reader.get_by_role("link", name=TITLE).first.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.locator(".article__hero img")).to_have_attribute(
        "alt", "Cán bộ một cửa quét hồ sơ giấy"
    )
    expect(reader.locator(".article__tags")).to_contain_text("Dịch vụ công trực tuyến")
    expect(reader.locator(".preview-banner")).to_have_count(0)

    # The writer can no longer change the published article.
    writer.goto(live_server.url + f"/quan-tri/news/article/{article.pk}/change/")
    expect(writer.locator("#id_title")).to_have_count(0)
    expect(writer.locator(".editorial-panel")).to_contain_text(
        "chỉ người duyệt bài mới sửa hoặc gỡ được"
    )
    assert not violations, violations
