"""The PAR INDEX in English in a real browser: axe finds nothing on the English
pages, and the language switch goes from a page to its English page and back."""

import pytest
from playwright.sync_api import expect

from parindex.demo import seed_parindex_demo
from tests.browser.actions import fits_the_screen
from tests.browser.test_accessibility import axe, axe_report

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH_PAGES = [
    "/en/par-index/",
    "/en/par-index/2023/ministries/",
    "/en/par-index/2024/provinces/?sort=-area-3",
    "/en/par-index/units/hue/",
    "/en/par-index/units/bo-tu-phap/",
    "/en/par-index/compare/?don_vi=ha-noi&don_vi=quang-ninh&don_vi=hai-phong",
    "/en/par-index/methods/",
    "/en/par-index/open-data/",
    "/en/par-index/corrections/",
]


@pytest.fixture
def demo_data(seeded):
    return seeded("parindex-demo", seed_parindex_demo)


def test_english_par_index_pages_pass_axe_and_fit_the_screen(
    live_server, page_at_viewport, demo_data
):
    page = page_at_viewport
    checker = axe()
    reports = {}
    for path in ENGLISH_PAGES:
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        if report := axe_report(page, checker):
            reports[path] = report
        assert fits_the_screen(page), path
    assert not reports, "\n".join(f"{path}: {r}" for path, r in reports.items())


def test_the_switch_goes_to_the_english_ranking_and_profile_and_back(
    live_server, page, demo_data
):
    page.goto(live_server.url + "/chi-so-cchc/2023/bo/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/par-index/2023/ministries/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "PAR INDEX 2023 ranking"
    )
    page.get_by_role("link", name="Ministry of Justice", exact=True).click()
    page.wait_for_url("**/en/par-index/units/bo-tu-phap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ministry of Justice")

    page.get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url("**/chi-so-cchc/don-vi/bo-tu-phap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bộ Tư pháp")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
