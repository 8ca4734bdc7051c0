"""News details in a real browser: slug pre-fill, "Xem thêm" to the last page.

The reader's and the editor's whole journeys are in test_journeys.py.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from cchc_portal.vietnamese import slugify
from news.models import Article, Category, Tag
from news.views import ARTICLES_PER_PAGE
from tests.browser.actions import log_in
from tests.factories import PASSWORD, ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLES = [
    "Đẩy mạnh cải cách hành chính",
    "Điện Biên",
    "Đà Nẵng: Một cửa liên thông – năm 2026!",
    "Thừa Thiên Huế đổi mới ứng dụng CNTT",
    "ƯU TIÊN dịch vụ công “toàn trình”",
    "Quảng Ngãi, Bà Rịa - Vũng Tàu   và Đắk Lắk",
]


@pytest.mark.parametrize(
    ("model", "source_field"),
    [(Article, "title"), (Category, "name"), (Tag, "name")],
    ids=["article", "category", "tag"],
)
def test_admin_slug_prefill_matches_the_server_slugify(
    live_server, page, model, source_field
):
    get_user_model().objects.create_superuser("bientap", "bt@example.gov.vn", PASSWORD)
    log_in(page, live_server, "bientap")
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


def test_xem_them_appends_pages_until_the_last_and_the_address_is_shareable(
    live_server, page
):
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
