"""The English search (/en/search/): English versions and English unit names."""

import pytest
from django.utils import translation

from news import selectors
from news.search import parse_query
from parindex.models import UnitKind
from tests.factories import (
    ArticleFactory,
    EnglishArticleFactory,
    MinistryFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

needs_english_names = pytest.mark.skipif(
    not selectors.UNIT_ENGLISH_NAMES,
    reason="Unit English names come with the PAR INDEX in English",
)


def search(client, **params):
    response = client.get("/en/search/", params)
    assert response.status_code == 200
    return response


@pytest.fixture
def english(category):
    return EnglishArticleFactory(
        category=category,
        title="One-stop shops go online in Quang Ninh",
        sapo="Procedures are filed electronically.",
        body="<p>The province digitised its records.</p>",
    )


def test_an_english_word_finds_the_english_article(client, english):
    response = search(client, q="digitised")
    page = response.content.decode()
    assert 'lang="en"' in page
    assert english.get_absolute_url() in page
    assert "<mark>digitised</mark>" in page


def test_english_title_words_find_it_in_any_case(client, english):
    page = search(client, q="ONLINE shops").content.decode()
    assert english.get_absolute_url() in page


def test_english_search_without_result_says_so_in_english(client, english):
    page = search(client, q="nonexistentword").content.decode()
    assert "No articles found with all the words “nonexistentword”." in page


def test_the_english_search_page_is_in_english(client):
    page = search(client).content.decode()
    assert "Search tips" in page
    assert "Mẹo tìm kiếm" not in page
    # Sections, tags and units are Vietnamese names: no such filters here.
    assert 'name="chuyen_muc"' not in page and 'name="sap_xep"' in page


def test_vietnamese_search_unchanged(client, english):
    vietnamese = ArticleFactory(title="Một cửa điện tử ở Quảng Ninh")
    page = client.get("/tim-kiem/", {"q": "mot cua"}).content.decode()
    assert vietnamese.get_absolute_url() in page
    assert 'name="chuyen_muc"' in page and "Mẹo tìm kiếm" not in page


def test_quang_ninh_finds_the_province_in_english(client):
    province = UnitFactory(name="Tỉnh Quảng Ninh", short_name="Quảng Ninh")
    page = search(client, q="Quang Ninh").content.decode()
    with translation.override("en"):
        assert f'href="{province.get_absolute_url()}"' in page
    assert "Units in the PAR INDEX" in page


@needs_english_names
def test_ministry_of_justice_finds_the_ministry_by_its_english_name(client):
    justice = MinistryFactory(
        name="Bộ Tư pháp", short_name="Tư pháp", name_en="Ministry of Justice"
    )
    page = search(client, q="Ministry of Justice").content.decode()
    with translation.override("en"):
        assert f'href="{justice.get_absolute_url()}"' in page
    # The Vietnamese search does not know the English name.
    assert not selectors.unit_search(query=parse_query("ministry of justice"))


@needs_english_names
def test_an_english_short_name_inside_a_longer_search_finds_the_unit(client):
    city = UnitFactory(
        kind=UnitKind.CITY,
        name="Thành phố Hồ Chí Minh",
        short_name="TP. Hồ Chí Minh",
        short_name_en="Ho Chi Minh City",
    )
    found = selectors.unit_search(
        query=parse_query("ho chi minh city digital services"), language="en"
    )
    assert city in found
