"""Cached news pages are never stale: changes and scheduled times show at once."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def affected_pages(article):
    tag_urls = [tag.get_absolute_url() for tag in article.tags.all()]
    return ["/", "/tin-tuc/", article.category.get_absolute_url(), *tag_urls]


def test_cached_pages_are_served_from_the_cache(client, article):
    client.get("/tin-tuc/")
    assert client.get("/tin-tuc/")["X-Page-Cache"] == "HIT"


def test_publishing_shows_on_every_listing_at_once(client, committed, category):
    tag = TagFactory(name="Một cửa")
    first = committed(lambda: ArticleFactory(category=category, tags=[tag]))
    for url in affected_pages(first):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "HIT", url

    second = committed(
        lambda: ArticleFactory(title="Tin mới xuất bản", category=category, tags=[tag])
    )
    for url in affected_pages(second):
        assert "Tin mới xuất bản" in client.get(url).content.decode(), url


def test_editing_a_title_shows_on_the_article_and_listings_at_once(
    client, committed, article
):
    pages = [article.get_absolute_url(), *affected_pages(article)]
    for url in pages:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "HIT", url

    def rename():
        article.title = "Tiêu đề đã sửa"
        article.save()

    committed(rename)
    url = Article.objects.get(pk=article.pk).get_absolute_url()
    assert "Tiêu đề đã sửa" in client.get(url, follow=True).content.decode()
    for url in affected_pages(article):
        assert "Tiêu đề đã sửa" in client.get(url).content.decode(), url


def test_unpublishing_takes_the_article_down_at_once(client, committed, article):
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "HIT"

    def unpublish():
        article.status = Article.Status.DRAFT
        article.save()

    committed(unpublish)
    assert client.get(url).status_code == 404
    assert article.title not in client.get("/tin-tuc/").content.decode()


def test_scheduled_article_appears_at_its_time_without_any_write(client, category):
    start = timezone.now()
    ArticleFactory(
        title="Tin hẹn giờ đăng",
        category=category,
        published_at=start + dt.timedelta(minutes=30),
    )
    with time_machine.travel(start, tick=False):
        assert "Tin hẹn giờ đăng" not in client.get("/tin-tuc/").content.decode()
        assert client.get("/tin-tuc/")["X-Page-Cache"] == "HIT"
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = client.get("/tin-tuc/")
        assert response["X-Page-Cache"] == "MISS"
        assert "Tin hẹn giờ đăng" in response.content.decode()


def test_expiring_article_disappears_at_its_time_without_any_write(client, category):
    start = timezone.now()
    article = ArticleFactory(
        title="Tin hết hạn", category=category, expires_at=start + dt.timedelta(hours=2)
    )
    with time_machine.travel(start, tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "HIT"
    with time_machine.travel(start + dt.timedelta(hours=2, seconds=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert "Tin hết hạn" not in client.get("/tin-tuc/").content.decode()


def test_next_scheduled_change_is_the_earliest_publish_or_expiry(category):
    now = timezone.now()
    ArticleFactory(category=category, published_at=now + dt.timedelta(hours=5))
    ArticleFactory(category=category, expires_at=now + dt.timedelta(hours=3))
    ArticleFactory(
        category=category,
        status=Article.Status.DRAFT,
        published_at=now + dt.timedelta(hours=1),
    )
    upcoming = Article.objects.next_scheduled_change(now)
    assert upcoming == now + dt.timedelta(hours=3)


def test_listing_paging_follows_new_articles_at_once(client, committed, category):
    ArticleFactory.create_batch(12, category=category)
    assert "?page=2" not in client.get("/tin-tuc/").content.decode()
    committed(lambda: ArticleFactory.create_batch(2, category=category))
    assert 'href="?page=2"' in client.get("/tin-tuc/").content.decode()
