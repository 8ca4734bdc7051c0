"""News in a real browser: slug pre-fill, "Xem thêm", a reader's journey."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from cchc_portal.vietnamese import slugify
from news.models import Article, Category, Tag
from news.views import ARTICLES_PER_PAGE
from tests.factories import (
    ArticleFactory,
    ArticleLinkFactory,
    CategoryFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-thu-nghiem-2026"
TITLES = [
    "Đẩy mạnh cải cách hành chính",
    "Điện Biên",
    "Đà Nẵng: Một cửa liên thông – năm 2026!",
    "Thừa Thiên Huế đổi mới ứng dụng CNTT",
    "ƯU TIÊN dịch vụ công “toàn trình”",
    "Quảng Ngãi, Bà Rịa - Vũng Tàu   và Đắk Lắk",
]


def log_in(page, live_server):
    get_user_model().objects.create_superuser("bientap", "bt@example.gov.vn", PASSWORD)
    page.goto(live_server.url + "/quan-tri/login/")
    page.locator("#id_username").fill("bientap")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/quan-tri/")


@pytest.mark.parametrize(
    ("model", "source_field"),
    [(Article, "title"), (Category, "name"), (Tag, "name")],
    ids=["article", "category", "tag"],
)
def test_admin_slug_prefill_matches_the_server_slugify(
    live_server, page, model, source_field
):
    log_in(page, live_server)
    max_length = model._meta.get_field("slug").max_length
    url = f"{live_server.url}/quan-tri/news/{model._meta.model_name}/add/"
    for title in [*TITLES, "Cải cách thủ tục hành chính " * 12]:
        page.goto(url)
        source = page.locator(f"#id_{source_field}")
        source.fill(title)
        source.press("Tab")
        # The field's maxlength may have clipped a long title: slug what was typed.
        typed = source.input_value()
        expect(page.locator("#id_slug")).to_have_value(
            slugify(typed, max_length=max_length)
        )


def make_articles(count, category):
    now = timezone.now()
    return [
        ArticleFactory(
            title=f"Tin thứ {number:02d}",
            category=category,
            published_at=now - dt.timedelta(hours=number + 1),
        )
        for number in range(count)
    ]


def test_xem_them_appends_the_next_page_in_place_and_moves_focus(
    live_server, page_at_viewport
):
    page = page_at_viewport
    make_articles(ARTICLES_PER_PAGE * 2 + 3, CategoryFactory())
    page.goto(live_server.url + "/tin-tuc/")
    cards = page.locator("[data-load-more-list] > li")
    expect(cards).to_have_count(ARTICLES_PER_PAGE)

    page.get_by_role("link", name="Xem thêm").click()

    expect(cards).to_have_count(ARTICLES_PER_PAGE * 2)
    expect(page).to_have_url(live_server.url + "/tin-tuc/?page=2")
    first_new = cards.nth(ARTICLES_PER_PAGE).locator("a").first
    expect(first_new).to_be_focused()
    expect(first_new).to_have_text(f"Tin thứ {ARTICLES_PER_PAGE:02d}")
    expect(page.locator("[data-load-more-status]")).to_have_text("Trang 2")

    page.get_by_role("link", name="Xem thêm").click()
    expect(cards).to_have_count(ARTICLES_PER_PAGE * 2 + 3)
    expect(page).to_have_url(live_server.url + "/tin-tuc/?page=3")
    expect(page.get_by_role("link", name="Xem thêm")).to_have_count(0)

    # The address is shareable: opening it shows that page.
    page.reload()
    expect(cards.first.locator("a").first).to_have_text(
        f"Tin thứ {ARTICLES_PER_PAGE * 2:02d}"
    )


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_xem_them_is_a_plain_link_without_javascript(live_server, page):
    make_articles(ARTICLES_PER_PAGE + 2, CategoryFactory())
    page.goto(live_server.url + "/tin-tuc/")

    page.get_by_role("link", name="Xem thêm").click()

    page.wait_for_url("**/tin-tuc/?page=2")
    cards = page.locator("[data-load-more-list] > li")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text(f"Tin thứ {ARTICLES_PER_PAGE:02d}")
    page.get_by_role("link", name="Trang trước").click()
    page.wait_for_url("**/tin-tuc/?page=1")
    expect(cards).to_have_count(ARTICLES_PER_PAGE)


def test_reader_goes_from_home_to_category_to_article_to_related(
    live_server, page_at_viewport
):
    page = page_at_viewport
    category = CategoryFactory(name="Chính phủ số", show_in_nav=True)
    tag = TagFactory(name="Dịch vụ công trực tuyến")
    main = ArticleFactory(
        title="Đà Nẵng mở rộng dịch vụ công trực tuyến",
        category=category,
        tags=[tag],
        body="<p>Người dân Đà Nẵng nộp hồ sơ trực tuyến.</p>",
    )
    related = ArticleFactory(
        title="Hướng dẫn nộp hồ sơ trực tuyến", category=CategoryFactory()
    )
    ArticleLinkFactory(from_article=main, to_article=related)

    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Chính phủ số").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chính phủ số")

    page.get_by_role("link", name=main.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(main.title)
    expect(page.locator(".article__body")).to_contain_text("Người dân Đà Nẵng")

    page.locator("#tin-lien-quan + ul").get_by_role("link", name=related.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(related.title)
    expect(page).to_have_url(live_server.url + related.get_absolute_url())


def test_editor_writes_and_publishes_with_the_rich_text_editor(live_server, page):
    category = CategoryFactory(name="Tin tức")
    log_in(page, live_server)
    page.goto(live_server.url + "/quan-tri/news/article/add/")

    page.locator("#id_title").fill("Điện Biên công khai thủ tục hành chính")
    page.locator("#id_sapo").fill("Tóm tắt bài viết.")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("Nội dung soạn trong trình soạn thảo.")
    page.locator("#id_byline").fill("Huyền Anh")
    # Category is an autocomplete (select2): search and pick like an editor.
    page.locator("#id_category + .select2 .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Tin")
    page.locator(".select2-results__option", has_text=category.name).click()
    page.locator("#id_status").select_option("published")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    article = Article.objects.get(slug="dien-bien-cong-khai-thu-tuc-hanh-chinh")
    assert "Nội dung soạn trong trình soạn thảo." in article.body
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator(".article__body")).to_contain_text(
        "Nội dung soạn trong trình soạn thảo."
    )
