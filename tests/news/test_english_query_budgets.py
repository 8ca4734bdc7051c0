"""The English pages run no more queries than their Vietnamese twins, however
many articles (of either language) exist."""

import pytest

from news.models import ArticleLink
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    EnglishArticleFactory,
    TagFactory,
    UnitFactory,
)
from tests.news.test_query_budgets import ARTICLE_BUDGET, HOME_BUDGET, LISTING_BUDGET
from tests.search.test_search_page import SEARCH_BUDGET

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_english(db):
    """Menu categories, tags and units; 40 English versions, 40 Vietnamese."""
    categories = [CategoryFactory(show_in_nav=True) for _ in range(4)]
    tags = [TagFactory() for _ in range(8)]
    units = [UnitFactory(name=f"Tỉnh Mẫu {n}") for n in range(4)]
    english = []
    for number in range(40):
        category = categories[number % 4]
        ArticleFactory(category=category, tags=tags[number % 8 : number % 8 + 2])
        version = EnglishArticleFactory(
            category=category,
            title=f"One-stop shop number {number}",
            tags=tags[number % 8 : number % 8 + 3],
            featured=number % 10 == 0,
        )
        version.units.add(units[number % 4])
        english.append(version)
    ArticleLink.objects.bulk_create(
        ArticleLink(from_article=english[0], to_article=target, position=index)
        for index, target in enumerate(english[1:20])
    )
    return english


def test_english_home_query_budget(client, many_english, django_assert_max_num_queries):
    with django_assert_max_num_queries(HOME_BUDGET):
        response = client.get("/en/")
    assert response.status_code == 200
    assert "One-stop shop number" in response.content.decode()


@pytest.mark.parametrize("page", ["", "?page=2"])
def test_english_news_list_query_budget(
    client, many_english, django_assert_max_num_queries, page
):
    with django_assert_max_num_queries(LISTING_BUDGET):
        response = client.get(f"/en/news/{page}")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 12


@pytest.mark.parametrize("number", [0, 25])  # with and without curated links
def test_english_article_query_budget(
    client, many_english, django_assert_max_num_queries, number
):
    article = many_english[number]
    with django_assert_max_num_queries(ARTICLE_BUDGET):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    related = html[html.index('id="tin-lien-quan"') : html.index('id="doc-them"')]
    assert related.count("<li>") == 5


@pytest.mark.parametrize("page", [1, 2])
def test_english_search_query_budget(
    client, many_english, django_assert_max_num_queries, page
):
    with django_assert_max_num_queries(SEARCH_BUDGET):
        response = client.get(
            "/en/search/", {"q": "one-stop shop mau", "page": page, "khop": "bat-ky"}
        )
    assert response.status_code == 200
    assert response.content.decode().count('class="result"') == 12


def test_english_feed_query_budget(client, many_english, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # as the Vietnamese feed
        response = client.get("/en/news/rss/")
    assert response.status_code == 200
