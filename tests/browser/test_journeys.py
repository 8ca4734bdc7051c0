"""Citizens' and editors' journeys end to end, at phone and desktop sizes.

One test per persona, each run at a 360x740 phone viewport and a desktop one.
They also leave screenshots of the states they pass through in
tests/browser/screenshots/ (git-ignored), for people to look at.
"""

import csv
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from news.demo import FEATURED_ARTICLES
from news.models import Article
from news.views import ARTICLES_PER_PAGE
from tests.browser.actions import fits_the_screen, log_in, pick
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    ReviewerFactory,
    TagFactory,
    UnitFactory,
    WriterFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db(transaction=True)

DA_NANG_TITLE = FEATURED_ARTICLES[0]["title"]


def root_font_size(page) -> float:
    return page.evaluate(
        "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    )


# The page's height in screens, and what makes it up, for the failure message.
HOME_HEIGHT = """() => {
  const screen = window.innerHeight;
  const parts = [...document.querySelectorAll("main .home > *, .home-grid > *")]
    .filter(el => el.getBoundingClientRect().height)
    .map(el => (el.querySelector("h2")?.textContent || el.className).trim().slice(0, 30)
      + ": " + (el.getBoundingClientRect().height / screen).toFixed(1));
  return {screens: document.documentElement.scrollHeight / screen, parts};
}"""


def check_home_page_fits_eight_phone_screens(page) -> None:
    """At most eight screens tall at 360 px, no article twice, and each
    shortened block leads on to its category."""
    # Before: about 11,100 CSS px at 360 px, 15 screens, on the demo data.
    height = page.evaluate(HOME_HEIGHT)
    assert height["screens"] <= 8, height
    for section in page.locator(".home-section").all():
        expect(
            section.get_by_role("link", name=re.compile("^Xem tất cả: "))
        ).to_be_visible()
    links = page.locator("main .card__title a, main .featured__title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(links) == len(set(links)), "an article is shown twice"


def test_citizen_reads_the_news_searches_and_prints(
    live_server, page_at_viewport, viewport_name, demo_site, new_page, shoot
):
    page = page_at_viewport
    heading = page.get_by_role("heading", level=1)
    page.goto(live_server.url + "/")
    if viewport_name == "phone":
        check_home_page_fits_eight_phone_screens(page)

    # A reader who needs larger text raises it once; it stays on the next pages.
    normal_size = root_font_size(page)
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    expect(page.locator("html")).to_have_attribute("data-text-size", "1")
    assert root_font_size(page) > normal_size

    # Home → a section from the main navigation → its newest article.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Chính phủ số"
    ).click()
    expect(heading).to_have_text("Chính phủ số")
    expect(page.locator("html")).to_have_attribute("data-text-size", "1")
    assert root_font_size(page) > normal_size
    newest = page.locator("[data-load-more-list] .card__title a").first
    title = newest.inner_text()
    newest.click()
    expect(heading).to_have_text(title)
    expect(page.locator(".article__body")).to_be_visible()
    assert fits_the_screen(page)

    # → an article from "Tin liên quan".
    related = page.get_by_role("region", name="Tin liên quan").get_by_role("link")
    related_title = related.first.inner_text()
    related.first.click()
    expect(heading).to_have_text(related_title)
    page.get_by_role("button", name="Cỡ chữ mặc định").click()
    expect(page.locator("html")).not_to_have_attribute("data-text-size", "1")

    # All news, "Xem thêm" with JavaScript: the next page is appended in place
    # and keyboard focus lands on its first article.
    page.get_by_role("link", name="Trang chủ").first.click()
    page.get_by_role("link", name="Tất cả tin tức").click()
    cards = page.locator("[data-load-more-list] > li")
    expect(cards).to_have_count(ARTICLES_PER_PAGE)
    page.get_by_role("link", name="Xem thêm").press("Enter")
    expect(cards).to_have_count(ARTICLES_PER_PAGE * 2)
    expect(page).to_have_url(live_server.url + "/tin-tuc/?page=2")
    first_new = cards.nth(ARTICLES_PER_PAGE).locator("a").first
    expect(first_new).to_be_focused()
    thirteenth = first_new.inner_text()

    # Without JavaScript "Xem thêm" is a plain link to the next page, and the
    # text-size control stays hidden rather than showing dead buttons.
    plain = new_page(java_script_enabled=False)
    plain.goto(live_server.url + "/tin-tuc/")
    expect(plain.locator("[data-text-size-control]")).to_be_hidden()
    plain.get_by_role("link", name="Xem thêm").click()
    plain.wait_for_url("**/tin-tuc/?page=2")
    plain_cards = plain.locator("[data-load-more-list] > li")
    expect(plain_cards).to_have_count(ARTICLES_PER_PAGE)
    expect(plain_cards.first.locator("a").first).to_have_text(thirteenth)
    plain.get_by_role("link", name="Trang trước").click()
    plain.wait_for_url("**/tin-tuc/?page=1")

    # Search typed without diacritics finds the Đà Nẵng article and the unit.
    box = page.get_by_role("searchbox", name="Tìm kiếm trên cổng thông tin")
    box.fill("da nang")
    box.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=da+nang")
    expect(heading).to_have_text("Kết quả tìm kiếm cho “da nang”")
    units = page.get_by_role("region", name="Đơn vị trong Chỉ số CCHC")
    expect(units.get_by_role("link", name="Thành phố Đà Nẵng").first).to_be_visible()
    first = page.locator(".result-list > li").first
    expect(first.get_by_role("heading", level=3)).to_have_text(DA_NANG_TITLE)
    expect(first.locator("mark").first).to_have_text("Đà Nẵng")
    assert fits_the_screen(page)
    first.get_by_role("link", name=DA_NANG_TITLE).click()
    expect(heading).to_have_text(DA_NANG_TITLE)

    # Printing leaves the article without the site's navigation and tools.
    furniture = [
        page.locator(".primary-nav"),
        page.locator(".site-header .search-form"),
        page.locator("[data-text-size-control]"),
        page.locator(".site-footer nav"),
        page.locator(".share-links"),
    ]
    for item in furniture:
        expect(item).to_be_visible()
    page.emulate_media(media="print")
    for item in [*furniture, page.locator(".skip-link")]:
        expect(item).to_be_hidden()
    expect(heading).to_have_text(DA_NANG_TITLE)
    expect(page.locator(".article__body")).to_be_visible()
    shoot(page, "journey-article-print")
    page.emulate_media(media="screen")
    # The "Bản in" page shows the same on screen.
    page.get_by_role("link", name="Bản in").click()
    expect(heading).to_have_text(DA_NANG_TITLE)
    expect(page.locator(".primary-nav")).to_be_hidden()


def test_citizen_checks_a_ranking_a_merged_province_and_downloads_the_data(
    live_server, page_at_viewport, demo_site, shoot
):
    page = page_at_viewport
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Chỉ số CCHC"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chỉ số")

    # The 2024 provincial ranking, sorted by its first component area.
    page.goto(live_server.url + "/chi-so-cchc/2024/tinh/")
    expect(
        page.get_by_text("Dữ liệu minh họa, không phải số liệu chính thức").first
    ).to_be_visible()
    page.locator("thead a[href*='sort=area-1']").click()
    page.wait_for_url("**sort=area-1**")
    sorted_header = page.locator("th[aria-sort]")
    expect(sorted_header).to_have_attribute("aria-sort", "descending")

    # Filter by region: the sort is kept, only that region's provinces remain.
    page.get_by_label("Vùng kinh tế - xã hội").select_option(
        label="Trung du và miền núi phía Bắc"
    )
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**vung=**")
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() < 63
    assert fits_the_screen(page)
    shoot(page, "journey-ranking-filtered")

    # A province merged in 2025: its profile links to its successor, and back.
    page.locator("tbody").get_by_role("link", name="Hà Giang", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hà Giang")
    merged = page.get_by_text("Từ 01/07/2025 hợp nhất vào")
    expect(merged).to_be_visible()
    shoot(page, "journey-profile-merged")
    merged.get_by_role("link", name="tỉnh Tuyên Quang").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tuyên Quang")
    page.get_by_text("trên cơ sở hợp nhất").get_by_role(
        "link", name="tỉnh Hà Giang"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hà Giang")
    assert fits_the_screen(page)

    # Compare it with another province over the years.
    page.get_by_role("link", name="So sánh Hà Giang với đơn vị khác").click()
    page.get_by_label("Đơn vị 2").select_option(label="Lào Cai (đến 06/2025)")
    page.get_by_role("button", name="So sánh").click()
    expect(page.get_by_role("img", name="Chỉ số CCHC qua các năm")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Lào Cai")
    assert fits_the_screen(page)

    # Download the 2024 table as CSV: the file holds every ranked province.
    page.goto(live_server.url + "/chi-so-cchc/2024/tinh/")
    with page.expect_download() as download_info:
        page.locator("ul.downloads").get_by_role("link", name="CSV", exact=True).click()
    assert "minh-hoa" in download_info.value.suggested_filename
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    # The header is the first line; the demo notice is in the name and metadata.
    assert rows[0][:2] == ["Xếp hạng", "Tên đơn vị"]
    assert len([row for row in rows[1:] if row and row[0].isdigit()]) == 63


EDITOR_TITLE = "Điện Biên số hóa toàn bộ hồ sơ một cửa"


def test_writer_writes_reviewer_publishes_and_readers_see_it_at_once(
    live_server, page_at_viewport, new_page, settings, shoot
):
    # The anonymous page cache is on, as in production: the published article
    # must still appear at once. Logins hash with a fast algorithm.
    settings.PAGE_CACHE_SECONDS = 600
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    category = CategoryFactory(name="Chính phủ số", show_in_nav=True)
    TagFactory(name="Dịch vụ công trực tuyến")
    UnitFactory(name="Tỉnh Điện Biên", short_name="Điện Biên", slug="dien-bien")
    related = ArticleFactory(title="Hướng dẫn nộp hồ sơ trực tuyến", category=category)
    WriterFactory(username="bientap", first_name="Nguyễn Thu Hà")
    ReviewerFactory(username="duyetbai", first_name="Trần Minh Đức")

    # A reader's home page is in the page cache before anything happens (the
    # browser revalidates with its ETag, so ask the cache directly).
    reader = new_page()
    reader.goto(live_server.url + "/")
    expect(reader.get_by_text(EDITOR_TITLE)).to_have_count(0)
    host = urlsplit(live_server.url).netloc
    assert Client().get("/", HTTP_HOST=host)["X-Page-Cache"] == "HIT"

    # The writer writes the article: text, image, tags, units, related links.
    writer = page_at_viewport
    log_in(writer, live_server, "bientap")
    writer.goto(live_server.url + "/quan-tri/news/article/add/")
    expect(writer.locator(".editorial-panel")).to_contain_text("Chờ duyệt")
    writer.get_by_label("Tiêu đề").fill(EDITOR_TITLE)
    writer.get_by_label("Sapo (tóm tắt)").fill(
        "Điện Biên hoàn thành số hóa hồ sơ (tin thử)."
    )
    writer.get_by_role("textbox", name="Nội dung").click()
    writer.keyboard.type("Toàn bộ hồ sơ một cửa đã được số hóa.")
    writer.get_by_label("Tác giả").fill("Thu Hà")
    pick(writer, "id_category", "Chính phủ", "Chính phủ số")
    writer.get_by_label("Ảnh đại diện:", exact=True).set_input_files(
        files=[{"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()}]
    )
    writer.get_by_label("Mô tả ảnh (alt)").fill("Cán bộ một cửa quét hồ sơ giấy")
    pick(writer, "id_tags", "Dịch vụ", "Dịch vụ công trực tuyến")
    pick(writer, "id_units", "Điện Biên", "Điện Biên")
    pick(writer, "id_outgoing_links-0-to_article", "Hướng dẫn", related.title)
    expect(writer.locator("#id_status option[value=published]")).to_have_count(0)
    assert fits_the_screen(writer)
    shoot(writer, "journey-admin-article-filled")
    writer.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(writer.locator(".messagelist")).to_contain_text(EDITOR_TITLE)
    article = Article.objects.get(title=EDITOR_TITLE)
    assert article.status == Article.Status.DRAFT
    assert "Toàn bộ hồ sơ một cửa đã được số hóa." in article.body

    # ...previews it exactly as readers would see it...
    with writer.expect_popup() as popup:
        writer.locator(".object-tools").get_by_role("link", name="Xem trước").click()
    preview = popup.value
    expect(preview.locator(".preview-banner")).to_contain_text("Bản xem trước")
    expect(preview.get_by_role("heading", level=1)).to_have_text(EDITOR_TITLE)
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
    writer.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(writer.locator(".errorlist")).to_contain_text(
        "Bạn không có quyền chuyển bài sang trạng thái này"
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT

    # ...and submits it for review.
    writer.goto(live_server.url + f"/quan-tri/news/article/{article.pk}/change/")
    writer.get_by_label("Trạng thái").select_option("pending")
    writer.get_by_role("button", name="Lưu lại").click()
    expect(writer.locator(".messagelist")).to_contain_text("Đã gửi bài để duyệt")

    # The reviewer finds it waiting, sees the checks and publishes it.
    reviewer = new_page()
    log_in(reviewer, live_server, "duyetbai")
    reviewer.goto(live_server.url + "/quan-tri/news/article/?status__exact=pending")
    reviewer.get_by_role("link", name=EDITOR_TITLE).click()
    expect(reviewer.locator(".editorial-panel")).to_contain_text(
        "bài sẵn sàng để xuất bản"
    )
    reviewer.get_by_label("Trạng thái").select_option("published")
    reviewer.get_by_role("button", name="Lưu lại").click()
    refreshed = reviewer.locator(".messagelist")
    expect(refreshed).to_contain_text("Các trang công khai đã được làm mới ngay")
    expect(refreshed.get_by_role("link", name="Trang chủ")).to_be_visible()

    # Readers see it on the home page at once, then open it.
    reader.goto(live_server.url + "/")
    reader.get_by_role("link", name=EDITOR_TITLE).first.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(EDITOR_TITLE)
    expect(reader.locator(".article__body")).to_contain_text(
        "Toàn bộ hồ sơ một cửa đã được số hóa."
    )
    expect(reader.locator(".article__hero img")).to_have_attribute(
        "alt", "Cán bộ một cửa quét hồ sơ giấy"
    )
    expect(reader.locator(".article__tags")).to_contain_text("Dịch vụ công trực tuyến")
    expect(
        reader.get_by_role("region", name="Chỉ số CCHC của đơn vị trong tin")
    ).to_contain_text("Điện Biên")
    expect(reader.locator(".preview-banner")).to_have_count(0)

    # The writer corrects the published article: the edit is a working draft
    # and readers keep the published text until a reviewer publishes it.
    writer.goto(live_server.url + f"/quan-tri/news/article/{article.pk}/change/")
    expect(writer.locator(".editorial-panel")).to_contain_text(
        "sửa rồi bấm Lưu để tạo bản sửa"
    )
    writer.get_by_label("Sapo (tóm tắt)").fill("Sapo đã sửa, chờ duyệt (tin thử).")
    writer.get_by_role("button", name="Lưu lại").click()
    expect(writer.locator(".messagelist")).to_contain_text("bản sửa chờ duyệt")
    expect(writer.locator(".editorial-panel")).to_contain_text(
        "Bản sửa của bài đang công khai"
    )
    reader.goto(live_server.url + article.get_absolute_url())
    expect(reader.get_by_role("heading", level=1)).to_have_text(EDITOR_TITLE)
    expect(reader.get_by_text("Sapo đã sửa, chờ duyệt")).to_have_count(0)
