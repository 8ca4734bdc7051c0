"""Every news page runs a bounded number of queries, however many rows exist."""

import pytest

from news.models import ArticleLink, GlossaryTerm
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    GlossaryTermFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

# Navigation categories + the page of cards: NextPagePaginator reads one card
# more than it shows instead of counting. Pages of a category or a tag add
# their own reads; nothing grows with the number of articles.
LISTING_BUDGET = 2
HOME_BUDGET = (
    8  # nav, featured, latest, sub-sections, section ids, cards, PAR INDEX box (2)
)
# nav, the article (with its tags, unit ids and whether it has a gallery),
# "Tin liên quan" and "Đọc thêm" (one statement), glossary; a gallery, body
# images (test_image_library) and linked units' score cards add their own.
ARTICLE_BUDGET = 4
PRINT_BUDGET = 3  # nav, article, glossary: no related lists


@pytest.fixture
def many_rows(db):
    """Several menu categories, many tags, articles and links."""
    categories = [CategoryFactory(show_in_nav=True) for _ in range(6)]
    children = [CategoryFactory(parent=category) for category in categories[:3]]
    tags = [TagFactory() for _ in range(15)]
    articles = []
    for number in range(60):
        category = (categories + children)[number % 9]
        articles.append(
            ArticleFactory(
                category=category,
                tags=tags[number % 15 : number % 15 + 4],
                featured=number % 10 == 0,
            )
        )
    ArticleLink.objects.bulk_create(
        ArticleLink(from_article=articles[0], to_article=target, position=index)
        for index, target in enumerate(articles[1:40])
    )
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(abbreviation=f"VT{n}", meaning=f"viết tắt {n}") for n in range(30)
    )
    GlossaryTermFactory(abbreviation="CCHC", meaning="cải cách hành chính")
    return {"categories": categories, "tags": tags, "articles": articles}


def test_home_page_query_budget(client, many_rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(HOME_BUDGET):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('class="home-section"') == 6


@pytest.mark.parametrize("page", ["", "?page=2"])
def test_news_list_query_budget(client, many_rows, django_assert_max_num_queries, page):
    with django_assert_max_num_queries(LISTING_BUDGET):
        response = client.get(f"/tin-tuc/{page}")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 12


def test_category_page_query_budget(client, many_rows, django_assert_max_num_queries):
    category = many_rows["categories"][0]
    # + the category, its sub-sections' ids (for the cards), their links
    with django_assert_max_num_queries(LISTING_BUDGET + 3):
        response = client.get(category.get_absolute_url())
    assert response.status_code == 200


def test_tag_page_query_budget(client, many_rows, django_assert_max_num_queries):
    tag = many_rows["tags"][3]
    with django_assert_max_num_queries(LISTING_BUDGET + 1):  # + the tag
        response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert 'class="card"' in response.content.decode()


def test_month_archive_query_budget(client, many_rows, django_assert_max_num_queries):
    article = many_rows["articles"][0]
    url = f"/tin-tuc/{article.published_at.year}/{article.published_at.month}/"
    # + the nearest months with articles, for the neighbour links.
    with django_assert_max_num_queries(LISTING_BUDGET + 1):
        response = client.get(url)
    assert response.status_code == 200


def test_article_page_query_budget(client, many_rows, django_assert_max_num_queries):
    article = many_rows["articles"][0]
    with django_assert_max_num_queries(ARTICLE_BUDGET):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    related = html[html.index('id="tin-lien-quan"') : html.index('id="doc-them"')]
    assert related.count("<li>") == 5


def test_article_page_without_curated_links_tops_up_within_budget(
    client, many_rows, django_assert_max_num_queries
):
    article = many_rows["articles"][45]
    with django_assert_max_num_queries(ARTICLE_BUDGET):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_admin_article_list_query_budget(
    admin_client, many_rows, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = admin_client.get("/quan-tri/news/article/")
    assert response.status_code == 200


def test_print_page_skips_the_related_lists_queries(
    client, many_rows, django_assert_max_num_queries
):
    article = many_rows["articles"][0]
    with django_assert_max_num_queries(PRINT_BUDGET):
        response = client.get(article.get_print_url())
    assert response.status_code == 200
    assert 'id="tin-lien-quan"' not in response.content.decode()
