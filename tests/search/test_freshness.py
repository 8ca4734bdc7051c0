"""Feeds, sitemaps and search pages are cached, and never stale."""

import pytest

from tests.factories import ArticleFactory, TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def test_a_new_article_appears_in_feeds_sitemaps_and_search_at_once(
    client, committed, category
):
    tag = TagFactory(name="Một cửa")
    committed(
        lambda: ArticleFactory(title="Tin đầu tiên", category=category, tags=[tag])
    )
    urls = [
        "/tin-tuc/rss/",
        f"/chuyen-muc/{category.slug}/rss/",
        f"/the/{tag.slug}/rss/",
        "/sitemap-tin-bai.xml",
        "/sitemap-tin-moi.xml",
        "/tim-kiem/?q=tin+moi+xuat+ban",
    ]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "HIT", url

    article = committed(
        lambda: ArticleFactory(title="Tin mới xuất bản", category=category, tags=[tag])
    )

    for url in urls[:3]:
        assert "Tin mới xuất bản" in client.get(url).content.decode(), url
    for url in urls[3:5]:
        assert article.get_absolute_url() in client.get(url).content.decode(), url
    assert article.get_absolute_url() in client.get(urls[5]).content.decode()


def test_renaming_a_tag_reaches_cached_search_pages_at_once(client, committed, article):
    tag = committed(lambda: TagFactory(name="Thí điểm"))
    committed(lambda: article.tags.add(tag))
    url = "/tim-kiem/?q=sang+kien"
    assert article.title not in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "HIT"

    def rename():
        tag.name = "Sáng kiến"
        tag.save()

    committed(rename)
    assert article.title in client.get(url).content.decode()
