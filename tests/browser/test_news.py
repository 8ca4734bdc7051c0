"""News details in a real browser: slug pre-fill, "Xem thêm" to the last page,
the home page's height on a phone.

The reader's and the editor's whole journeys are in test_journeys.py.
"""

import datetime as dt
import re

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


# The page's height in screens, and what makes it up, for the failure message.
HOME_HEIGHT = """() => {
  const screen = window.innerHeight;
  const parts = [...document.querySelectorAll("main .home > *, .home-grid > *")]
    .filter(el => el.getBoundingClientRect().height)
    .map(el => (el.querySelector("h2")?.textContent || el.className).trim().slice(0, 30)
      + ": " + (el.getBoundingClientRect().height / screen).toFixed(1));
  return {screens: document.documentElement.scrollHeight / screen, parts};
}"""


def test_home_page_is_at_most_eight_screens_tall_on_a_phone(
    live_server, page, demo_site
):
    # Before: about 11,100 CSS px at 360 px, 15 screens, on the demo data.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    height = page.evaluate(HOME_HEIGHT)
    assert height["screens"] <= 8, height
    # The blocks shortened still lead on: each ends with its category's link.
    for section in page.locator(".home-section").all():
        expect(
            section.get_by_role("link", name=re.compile("^Xem tất cả: "))
        ).to_be_visible()
    links = page.locator("main .card__title a, main .featured__title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(links) == len(set(links)), "an article is shown twice"
