"""The PAR INDEX in English in a real browser: from the English ranking to an
English unit profile, and back to Vietnamese. (axe and the HTML checker run
on every English page type in test_accessibility.py.)"""

import pytest
from playwright.sync_api import expect

from parindex.demo import seed_parindex_demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data(seeded):
    return seeded("parindex-demo", seed_parindex_demo)


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
