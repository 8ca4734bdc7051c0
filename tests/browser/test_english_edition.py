"""A foreign reader switches to English and back: home, an article with an
English version, the 2023 ministry ranking and a unit profile. Every English
page passes axe (WCAG 2.2 AA and best practices) at the phone and the desktop
viewport, and the switch always lands on the same page in the other language.
"""

import re

import pytest
from playwright.sync_api import expect

from news.models import Article
from tests.browser.test_accessibility import axe, axe_report

pytestmark = pytest.mark.django_db(transaction=True)


def switch_to(page, language_name: str, code: str) -> None:
    """Follow the header's language link and land on a page in that language."""
    page.locator(".language-switch").get_by_role("link", name=language_name).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_a_reader_switches_each_page_type_to_english_and_back(
    live_server, page_at_viewport, demo_site
):
    page = page_at_viewport
    # The demo data's English versions (news/demo.py), as `make run` shows them.
    english = Article.objects.published(language="en").select_related(
        "translation_of"
    )[0]
    original = english.translation_of
    journeys = [
        ("/", "/en/", "Public Administration"),
        (original.get_absolute_url(), english.get_absolute_url(), english.title),
        ("/chi-so-cchc/2023/bo/", "/en/par-index/2023/ministries/", "Ministry of Justice"),
        ("/chi-so-cchc/don-vi/ha-noi/", "/en/par-index/units/ha-noi/", "Ha Noi"),
    ]
    checker = axe()
    for vietnamese, english_path, english_text in journeys:
        page.goto(live_server.url + vietnamese)
        expect(page.locator("html")).to_have_attribute("lang", "vi")

        switch_to(page, "English", "en")
        assert page.url == live_server.url + english_path
        expect(page.locator("main")).to_contain_text(english_text)
        # Both ways: the English page names its Vietnamese twin, and x-default.
        hreflang = dict(
            page.locator('link[rel="alternate"][hreflang]').evaluate_all(
                "links => links.map(l => [l.hreflang, l.href])"
            )
        )
        assert hreflang == {
            "vi": live_server.url + vietnamese,
            "en": live_server.url + english_path,
            "x-default": live_server.url + vietnamese,
        }
        assert not (report := axe_report(page, checker)), report

        switch_to(page, "Tiếng Việt", "vi")
        assert page.url == live_server.url + vietnamese


def test_an_article_without_an_english_version_switches_to_the_english_home(
    live_server, page_at_viewport, demo_site
):
    page = page_at_viewport
    article = (
        Article.objects.published().filter(translations__isnull=True).latest("id")
    )
    page.goto(live_server.url + article.get_absolute_url())

    switch_to(page, "English", "en")
    assert page.url == live_server.url + "/en/"
    assert re.search(r"Public Administration", page.title())
