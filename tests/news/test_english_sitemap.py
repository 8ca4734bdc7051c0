"""English versions in the sitemap, paired with their originals by hreflang."""

import pytest

from news.models import Article
from tests.factories import ArticleFactory, EnglishArticleFactory
from tests.search.test_sitemaps import get_xml, sitemap_alternates

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def absolute(path: str) -> str:
    return f"http://testserver{path}"


@pytest.fixture
def pair(category):
    original = ArticleFactory(title="Bài gốc tiếng Việt", category=category)
    english = EnglishArticleFactory(
        translation_of=original, category=category, title="The English version"
    )
    return original, english


def test_english_version_and_original_name_each_other_in_the_sitemap(client, pair):
    original, english = pair
    alternates = sitemap_alternates(client)
    links = {
        "vi": absolute(original.get_absolute_url()),
        "en": absolute(english.get_absolute_url()),
        "x-default": absolute(original.get_absolute_url()),
    }
    assert alternates[absolute(original.get_absolute_url())] == links
    assert alternates[absolute(english.get_absolute_url())] == links


def test_a_pair_is_named_only_while_both_are_public(client, pair, category):
    original, english = pair
    alone = ArticleFactory(title="Chưa có bản tiếng Anh", category=category)
    Article.objects.filter(pk=english.pk).update(status=Article.Status.DRAFT)
    alternates = sitemap_alternates(client)
    assert absolute(english.get_absolute_url()) not in alternates
    assert alternates[absolute(original.get_absolute_url())] == {}
    assert alternates[absolute(alone.get_absolute_url())] == {}


def test_english_version_whose_original_is_down_is_listed_alone(client, pair):
    original, english = pair
    Article.objects.filter(pk=original.pk).update(status=Article.Status.DRAFT)
    alternates = sitemap_alternates(client)
    assert alternates[absolute(english.get_absolute_url())] == {}
    assert absolute(original.get_absolute_url()) not in alternates


def test_the_google_news_section_stays_vietnamese(client, pair):
    original, english = pair
    urls = get_xml(client, "/sitemap-tin-moi.xml").findall(f"{SITEMAP}url")
    locations = [url.findtext(f"{SITEMAP}loc") for url in urls]
    assert locations == [absolute(original.get_absolute_url())]


def test_article_sitemap_page_reads_its_pairs_in_one_query(
    client, category, django_assert_max_num_queries
):
    for number in range(5):
        EnglishArticleFactory(category=category, title=f"English {number}")
    client.get("/sitemap-tin-bai.xml")  # warm the content-type/site caches
    # The items and their pairs: one query each, whatever their number.
    with django_assert_max_num_queries(3):
        response = client.get("/sitemap-tin-bai.xml")
    # Five pairs, each named on both of its pages.
    assert response.content.count(b'hreflang="en"') == 10
