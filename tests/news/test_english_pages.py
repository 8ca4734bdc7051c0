"""The English news pages: article, list, feed, home; the language switch
between an article and its English version."""

import datetime as dt

import feedparser
import pytest
from django.conf import settings

from news.models import Article, whole_second_now
from tests.factories import (
    ArticleFactory,
    ArticleLinkFactory,
    EnglishArticleFactory,
    TagFactory,
)
from tests.test_language import hreflang_pairs, html_lang, language_switch

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(category):
    """A Vietnamese article and its published English version."""
    original = ArticleFactory(
        title="Quảng Ninh đẩy mạnh chuyển đổi số",
        category=category,
        tags=[TagFactory(name="Chuyển đổi số")],
    )
    english = EnglishArticleFactory(
        translation_of=original,
        category=category,
        title="Quang Ninh steps up digital transformation",
        sapo="The province moves its procedures online.",
    )
    return original, english


def absolute(path: str) -> str:
    return f"http://testserver{path}"


def test_english_article_url_is_under_en_news(pair):
    _original, english = pair
    assert english.get_absolute_url() == (
        f"/en/news/quang-ninh-steps-up-digital-transformation-{english.pk}/"
    )


def test_english_article_page_is_english_with_hreflang_to_its_original(client, pair):
    original, english = pair
    response = client.get(english.get_absolute_url())
    assert response.status_code == 200
    assert html_lang(response) == "en"
    page = response.content.decode()
    assert "Quang Ninh steps up digital transformation" in page
    assert hreflang_pairs(response) == {
        "vi": absolute(original.get_absolute_url()),
        "en": absolute(english.get_absolute_url()),
        "x-default": absolute(original.get_absolute_url()),
    }
    assert original.get_absolute_url() in language_switch(response)
    assert 'content="en_GB"' in page
    assert '"inLanguage": "en"' in page
    assert '<h2 class="share-links__title">Share</h2>' in page


def test_vietnamese_article_page_links_to_its_english_version(client, pair):
    original, english = pair
    response = client.get(original.get_absolute_url())
    assert html_lang(response) == "vi"
    assert hreflang_pairs(response)["en"] == absolute(english.get_absolute_url())
    assert english.get_absolute_url() in language_switch(response)


def test_vietnamese_article_without_english_version_has_no_hreflang_pair(
    client, article
):
    response = client.get(article.get_absolute_url())
    assert "en" not in hreflang_pairs(response)
    # The switch leads to the English home instead.
    assert 'href="/en/"' in language_switch(response)


def test_unpublished_english_version_is_not_offered_from_the_original(client, pair):
    original, english = pair
    Article.objects.filter(pk=english.pk).update(status=Article.Status.DRAFT)
    response = client.get(original.get_absolute_url())
    assert "en" not in hreflang_pairs(response)
    assert client.get(english.get_absolute_url()).status_code == 404


def test_vietnamese_article_id_under_en_is_an_english_404(client, article):
    response = client.get(f"/en/news/{article.slug}-{article.pk}/")
    assert response.status_code == 404
    assert html_lang(response) == "en"
    # …which points the reader to the Vietnamese page of that address.
    assert f"/tin-tuc/{article.slug}-{article.pk}/" in response.content.decode()


def test_english_id_under_the_vietnamese_address_is_404(client, pair):
    _original, english = pair
    assert client.get(f"/tin-tuc/{english.slug}-{english.pk}/").status_code == 404


def test_english_article_with_a_stale_slug_redirects_to_its_english_address(
    client, pair
):
    _original, english = pair
    response = client.get(f"/en/news/old-title-{english.pk}/")
    assert response.status_code == 301
    assert response["Location"] == english.get_absolute_url()


def test_english_article_page_links_to_no_vietnamese_only_page(client, pair):
    original, english = pair
    page = client.get(english.get_absolute_url()).content.decode()
    category = english.category
    assert category.get_absolute_url() not in page
    assert original.tags.first().get_absolute_url() not in page
    assert "/ban-in/" not in page
    assert "/tin-tuc/20" not in page  # the month's archive


def test_english_article_shows_english_related_news_only(client, pair, category):
    _original, english = pair
    EnglishArticleFactory(category=category, title="Ha Noi cuts paperwork")
    vietnamese = ArticleFactory(category=category, title="Tin tiếng Việt cùng mục")
    ArticleLinkFactory(from_article=english, to_article=vietnamese)
    page = client.get(english.get_absolute_url()).content.decode()
    assert "Ha Noi cuts paperwork" in page
    assert "Tin tiếng Việt cùng mục" not in page


def test_english_dates_are_written_the_english_way(client, pair):
    _original, english = pair
    moment = dt.datetime(2026, 5, 30, 14, 27, tzinfo=dt.UTC)
    Article.objects.filter(pk=english.pk).update(published_at=moment)
    page = client.get(english.get_absolute_url()).content.decode()
    assert "30 May 2026, 21:27" in page


def test_english_news_list_lists_english_articles_only(client, pair):
    original, english = pair
    response = client.get("/en/news/")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    page = response.content.decode()
    assert english.title in page
    assert original.title not in page
    assert "<h1>News</h1>" in page


def test_english_news_list_pages_with_show_more(client, category):
    for number in range(13):
        EnglishArticleFactory(category=category, title=f"English item {number}")
    page = client.get("/en/news/").content.decode()
    assert 'href="?page=2" rel="next" data-load-more>Show more</a>' in page
    second = client.get("/en/news/", {"page": 2})
    assert second.status_code == 200
    assert "English item 0<" in second.content.decode()


def test_english_feed_has_english_articles_and_language_en(client, pair):
    original, english = pair
    response = client.get("/en/news/rss/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert feed.feed.language == "en"
    assert feed.feed.title == f"News · {settings.SITE_NAME_EN}"
    assert [entry.title for entry in feed.entries] == [english.title]
    assert feed.entries[0].link == absolute(english.get_absolute_url())


def test_vietnamese_feed_stays_vietnamese(client, pair):
    original, english = pair
    feed = feedparser.parse(client.get("/tin-tuc/rss/").content)
    assert feed.feed.language == "vi"
    assert [entry.title for entry in feed.entries] == [original.title]


def test_english_home_shows_english_news_and_the_par_index(client, pair):
    original, english = pair
    response = client.get("/en/")
    assert response.status_code == 200
    page = response.content.decode()
    assert english.title in page
    assert original.title not in page
    assert 'href="/en/par-index/"' in page
    assert 'href="/en/news/"' in page


def test_vietnamese_home_unchanged_by_english_versions(client, pair):
    original, english = pair
    page = client.get("/").content.decode()
    assert original.title in page
    assert english.title not in page


def test_scheduled_english_version_appears_at_its_time(client, pair):
    _original, english = pair
    Article.objects.filter(pk=english.pk).update(
        published_at=whole_second_now() + dt.timedelta(hours=1)
    )
    assert english.title not in client.get("/en/news/").content.decode()


def test_english_article_preview_is_shown_to_staff(client, pair, reviewer):
    _original, english = pair
    client.force_login(reviewer)
    response = client.get(english.get_preview_url())
    assert response.status_code == 200
    assert english.title in response.content.decode()


def test_english_strings_of_the_news_pages_are_translated(client, pair):
    _original, english = pair
    page = client.get(english.get_absolute_url()).content.decode()
    for vietnamese in ("Tin liên quan", "Chia sẻ", "Trang chủ", "Thư điện tử"):
        assert vietnamese not in page


def test_staff_preview_of_an_english_draft_has_the_english_interface(
    client, category, reviewer
):
    draft = EnglishArticleFactory(
        category=category,
        status=Article.Status.DRAFT,
        published_at=None,
        title="A draft in English",
    )
    client.force_login(reviewer)
    response = client.get(draft.get_preview_url())
    assert response.status_code == 200
    assert html_lang(response) == "en"
    page = response.content.decode()
    assert "A draft in English" in page and ">Share</h2>" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
