"""English versions never appear on a Vietnamese page, feed, sitemap, search,
related box or alert (published() is Vietnamese unless asked), and Vietnamese
articles never on the English pages."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.utils import timezone

from cchc_portal.alerts.models import Alert
from news import selectors, services
from news.models import Article, Tag
from tests.factories import (
    ArticleFactory,
    ArticleLinkFactory,
    EnglishArticleFactory,
    ReviewerFactory,
    TagFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

ENGLISH_TITLE = "Quang Ninh steps up digital transformation"


@pytest.fixture
def tag():
    return TagFactory(name="Chuyển đổi số")


@pytest.fixture
def unit():
    return UnitFactory(name="Tỉnh Quảng Ninh", short_name="Quảng Ninh")


@pytest.fixture
def original(category, tag, unit):
    article = ArticleFactory(
        title="Quảng Ninh đẩy mạnh chuyển đổi số", category=category, tags=[tag]
    )
    article.units.add(unit)
    return article


@pytest.fixture
def english(original, category, tag, unit):
    """Shares the original's section, tag and unit, published and featured."""
    version = EnglishArticleFactory(
        translation_of=original,
        category=category,
        title=ENGLISH_TITLE,
        sapo="Digital transformation in the province.",
        featured=True,
        tags=[tag],
    )
    version.units.add(unit)
    version.refresh_from_db()
    return version


def text_of(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/tin-tuc/",
        "/tin-tuc/rss/",
        "/sitemap-tin-moi.xml",
    ],
)
def test_english_version_is_on_no_vietnamese_list(client, english, url):
    page = text_of(client, url)
    assert ENGLISH_TITLE not in page
    assert f"-{english.pk}/" not in page


def test_english_version_is_not_on_its_section_tag_or_unit_pages_and_feeds(
    client, english, category, tag, unit
):
    for url in (
        category.get_absolute_url(),
        f"/chuyen-muc/{category.slug}/rss/",
        tag.get_absolute_url(),
        f"/the/{tag.slug}/rss/",
        f"/tin-tuc/don-vi/{unit.slug}/rss/",
    ):
        assert ENGLISH_TITLE not in text_of(client, url), url


def test_english_version_is_not_in_the_unit_profile_news_box(english, unit):
    html = Template("{% load news_tags %}{% latest_news_about unit %}").render(
        Context({"unit": unit})
    )
    assert "Quảng Ninh đẩy mạnh" in html and ENGLISH_TITLE not in html


def test_english_version_is_not_in_the_month_archive(client, english):
    local = timezone.localtime(english.published_at)
    page = text_of(client, f"/tin-tuc/{local.year}/{local.month}/")
    assert ENGLISH_TITLE not in page


def test_english_only_month_has_no_vietnamese_archive(client, category):
    moment = timezone.make_aware(dt.datetime(2020, 3, 10, 9))
    EnglishArticleFactory(category=category, published_at=moment)
    assert client.get("/tin-tuc/2020/3/").status_code == 404
    # Nor is it the previous month of a later archive page.
    assert selectors.article_months_around(dt.date(2020, 4, 1))[0] is None


def test_a_tag_only_english_versions_carry_is_not_public(client, category):
    lonely = TagFactory(name="English only")
    EnglishArticleFactory(category=category, tags=[lonely])
    assert not Tag.objects.public().filter(pk=lonely.pk).exists()
    assert client.get(lonely.get_absolute_url()).status_code == 404


def test_english_version_is_not_found_by_the_vietnamese_search(client, english):
    for words in ("quang ninh", "digital transformation", "steps"):
        page = text_of(client, "/tim-kiem/", q=words)
        assert ENGLISH_TITLE not in page, words


def test_vietnamese_article_is_not_found_by_the_english_search(client, english):
    page = text_of(client, "/en/search/", q="chuyen doi so")
    assert "Quảng Ninh đẩy mạnh" not in page


def test_english_version_is_not_related_to_vietnamese_articles(
    client, original, english, category, tag
):
    other = ArticleFactory(title="Một bài khác", category=category, tags=[tag])
    ArticleLinkFactory(from_article=other, to_article=english)
    related = selectors.article_list_related(article=other)
    assert english not in related and original in related
    read_more = selectors.article_list_read_more(article=other)
    assert english not in read_more
    page = text_of(client, other.get_absolute_url())
    assert ENGLISH_TITLE not in page


def test_vietnamese_articles_are_not_on_the_english_pages(
    client, original, english, category
):
    ArticleFactory(title="Tin tiếng Việt mới nhất", category=category, featured=True)
    for url in ("/en/", "/en/news/", "/en/news/rss/", english.get_absolute_url()):
        page = text_of(client, url)
        assert "Tin tiếng Việt mới nhất" not in page, url
        assert "Quảng Ninh đẩy mạnh" not in page.split("<main", 1)[-1], url


def test_publishing_an_english_version_queues_no_subscriber_alert(
    committed, original, category
):
    reviewer = ReviewerFactory(email="")
    english = EnglishArticleFactory(
        translation_of=original,
        category=category,
        status=Article.Status.DRAFT,
        published_at=None,
    )
    committed(lambda: services.article_publish(article=english, user=reviewer))
    assert not Alert.objects.filter(article=english).exists()


def test_editors_are_told_the_english_pages_an_english_version_is_on(english):
    urls = [page.url for page in selectors.public_page_list(article=english)]
    assert urls == [
        english.get_absolute_url(),
        "/en/",
        "/en/news/",
        "/en/news/rss/",
        "/sitemap.xml",
    ]


def test_internal_link_to_an_english_version_leads_to_its_english_page(client, english):
    cache.clear()
    response = client.get(f"/lien-ket/tin-bai/{english.pk}/")
    assert response.status_code == 302
    assert response["Location"] == english.get_absolute_url()
