"""axe-core finds no WCAG 2.1 A/AA violation on the main page types.

The same visit writes a full-page screenshot of each main page at both
viewports to tests/browser/screenshots/ (git-ignored), for people to look at.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from news.models import Article
from news.services import article_set_related
from parindex.models import Unit
from tests.browser.actions import fits_the_screen, log_in
from tests.factories import ArticleFactory, TagFactory, WriterFactory

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def public_pages() -> dict[str, str]:
    """Page name (also the screenshot's) → path, on the demo data."""
    article = Article.objects.published().get(slug__startswith="da-nang")
    return {
        "home": "/",
        "listing": "/tin-tuc/",
        "category": article.category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "search": "/tim-kiem/?q=da+nang",
        "search-no-results": "/tim-kiem/?q=kh%C3%B4ng+c%C3%B3+b%C3%A0i+n%C3%A0o+xyzw",
        "search-form-error": "/tim-kiem/?q=da+nang&tu_ngay=31%2F02%2F2026",
        "overview": "/chi-so-cchc/",
        "ranking": "/chi-so-cchc/2024/tinh/?sort=-total",
        "ranking-ministries": "/chi-so-cchc/2023/bo/",
        "profile": "/chi-so-cchc/don-vi/ha-noi/",
        "compare": "/chi-so-cchc/so-sanh/?don_vi=ha-noi&don_vi=da-nang",
        "open-data": "/chi-so-cchc/du-lieu-mo/",
        "corrections": "/chi-so-cchc/dinh-chinh/",
        "not-found": "/trang-khong-ton-tai/",
        "accessibility-statement": "/tuyen-bo-kha-nang-tiep-can/",
    }


# Pages whose screenshots are kept for people to look at.
SCREENSHOT_PAGES = {
    "home",
    "listing",
    "article",
    "search",
    "search-form-error",
    "overview",
    "ranking",
    "profile",
    "compare",
}


def writers_draft(writer) -> Article:
    """A writer's draft with everything the form can hold: tags, units, links."""
    draft = ArticleFactory(
        created_by=writer,
        title="Bản nháp: Hà Nội mở rộng một cửa liên thông",
        status=Article.Status.DRAFT,
        published_at=None,
        tags=[TagFactory(name="Một cửa liên thông (thử)")],
    )
    draft.units.set(Unit.objects.filter(slug__in=["ha-noi", "da-nang"]))
    related = Article.objects.published().order_by("-published_at")[:2]
    article_set_related(article=draft, related=list(related))
    return draft


def test_main_pages_and_the_admin_article_form_have_no_wcag_violations(
    live_server, page_at_viewport, demo_site, settings, shoot
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    page = page_at_viewport
    axe = Axe()
    reports = {}

    def check(name: str) -> None:
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}}
        )
        if results.violations_count:
            reports[name] = results.generate_report()

    for name, path in public_pages().items():
        page.goto(live_server.url + path)
        check(name)
        assert fits_the_screen(page), name
        if name in SCREENSHOT_PAGES:
            shoot(page, name)
    # The search variants show what their names say.
    page.goto(live_server.url + public_pages()["search-no-results"])
    expect(page.get_by_text("Không tìm thấy tin bài nào")).to_be_visible()
    page.goto(live_server.url + public_pages()["search-form-error"])
    expect(page.get_by_label("Từ ngày")).to_have_attribute("aria-invalid", "true")

    # The admin article form, as a writer: a new article, then a full draft.
    draft = writers_draft(WriterFactory(username="bientap"))
    log_in(page, live_server, "bientap")
    for name, path in {
        "admin-article-add": "/quan-tri/news/article/add/",
        "admin-article-change": f"/quan-tri/news/article/{draft.pk}/change/",
    }.items():
        page.goto(live_server.url + path)
        # The editor and the autocompletes are built, and named, by scripts.
        expect(page.get_by_role("textbox", name="Nội dung")).to_be_visible()
        expect(page.get_by_role("combobox", name="Chuyên mục")).to_be_visible()
        check(name)
        assert fits_the_screen(page), name
        shoot(page, name)

    assert not reports, "\n".join(
        f"{name}: {report}" for name, report in reports.items()
    )
