"""The English news pages in a real browser: axe finds nothing, nothing
scrolls sideways, and the language switch goes from an article to its
English version and back."""

import pytest
from playwright.sync_api import expect

from news.models import Article
from tests.browser.actions import fits_the_screen
from tests.browser.test_accessibility import axe, axe_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_english_news_pages_pass_axe_and_switch_to_vietnamese_and_back(
    live_server, page_at_viewport, demo_site, shoot
):
    page = page_at_viewport
    original = Article.objects.published().get(slug__startswith="da-nang")
    english = Article.objects.published(language="en").get(translation_of=original)
    checker = axe()
    reports = {}
    for name, path in {
        "en-home": "/en/",
        "en-listing": "/en/news/",
        "en-article": english.get_absolute_url(),
        "en-search": "/en/search/?q=da+nang+digital",
        "en-search-no-results": "/en/search/?q=xyzw+nothing",
    }.items():
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        if report := axe_report(page, checker):
            reports[name] = report
        assert fits_the_screen(page), name
        shoot(page, name)
    assert not reports, "\n\n".join(f"{k}:\n{v}" for k, v in reports.items())

    page.goto(live_server.url + original.get_absolute_url())
    page.locator(".language-switch").get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + english.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(english.title)
    page.locator(".language-switch").get_by_role("link", name="Tiếng Việt").click()
    expect(page).to_have_url(live_server.url + original.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "vi")
