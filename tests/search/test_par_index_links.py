"""A search naming the PAR INDEX offers the matching ranking or profile first."""

import re

import pytest
from django.urls import reverse

from parindex.models import Edition, Unit
from tests.search.test_search_page import search

pytestmark = pytest.mark.django_db


def par_index_links(response) -> list[str]:
    """The addresses offered in the "Chỉ số CCHC" box, in order."""
    html = response.content.decode()
    box = re.search(
        r'<section class="search-units search-par-index".*?</section>', html, re.S
    )
    return re.findall(r'<a href="([^"]+)"', box.group()) if box else []


def ranking(year, group="tinh"):
    return reverse("parindex:ranking", args=[year, group])


def profiles(short_name) -> set[str]:
    """Every unit of that name: the former Đà Nẵng (the scores until 2024) and
    the one formed in 2025."""
    return {
        unit.get_absolute_url() for unit in Unit.objects.filter(short_name=short_name)
    }


@pytest.mark.parametrize(
    "typed",
    ["chi so cchc 2024", "Chỉ số CCHC 2024", "PAR INDEX 2024", "par index năm 2024"],
)
def test_a_year_offers_that_years_rankings(client, demo_site, typed):
    response = search(client, q=typed)
    assert par_index_links(response) == [ranking(2024)]
    html = response.content.decode()
    assert html.index("search-par-index") < html.index('id="tin-bai-phu-hop"')


def test_a_year_with_both_rankings_offers_both(client, demo_site):
    assert par_index_links(search(client, q="chỉ số cải cách hành chính 2020")) == [
        ranking(2020, "bo"),
        ranking(2020, "tinh"),
    ]


@pytest.mark.parametrize("typed", ["par index da nang", "Chỉ số CCHC Đà Nẵng"])
def test_a_unit_offers_its_profile(client, demo_site, typed):
    links = par_index_links(search(client, q=typed))
    assert set(links) == profiles("Đà Nẵng")
    assert len(links) == 2


def test_a_unit_and_a_year_offer_the_ranking_and_the_profile(client, demo_site):
    links = par_index_links(search(client, q="par index đà nẵng 2023"))
    assert links[0] == ranking(2023)
    assert set(links[1:]) == profiles("Đà Nẵng")


def test_the_par_index_alone_offers_the_latest_rankings(client, demo_site):
    latest = Edition.objects.released().latest_per_group()
    assert [(e.year, e.group) for e in latest] == [(2023, "bo"), (2024, "tinh")]
    assert par_index_links(search(client, q="par index")) == [
        ranking(2023, "bo"),
        ranking(2024, "tinh"),
    ]


def test_a_year_without_a_released_edition_offers_nothing(client, demo_site):
    assert par_index_links(search(client, q="chi so cchc 2031")) == []


@pytest.mark.parametrize("typed", ["đà nẵng 2024", "chỉ số hài lòng", "cchc 2024"])
def test_a_search_not_naming_the_par_index_offers_no_link(client, demo_site, typed):
    assert par_index_links(search(client, q=typed)) == []


def test_the_links_cost_one_query(client, demo_site, django_assert_max_num_queries):
    from tests.search.test_search_page import SEARCH_BUDGET

    with django_assert_max_num_queries(SEARCH_BUDGET + 2):  # glossary, editions
        search(client, q="chi so cchc 2024")
