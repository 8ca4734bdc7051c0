"""RSS 2.0 feeds: all news, categories, tags, PAR INDEX units."""

import datetime as dt
import html
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone

from news.feeds import FEED_ITEMS
from news.models import Article
from parindex.models import UnitSlug
from tests.factories import ArticleFactory, CategoryFactory, TagFactory, UnitFactory

pytestmark = pytest.mark.django_db


def parse_rss(response) -> ET.Element:
    """The <channel> of a valid RSS 2.0 document."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), required
    for item in channel.findall("item"):
        for required in ("title", "link", "description", "pubDate", "guid"):
            assert item.findtext(required), required
    return channel


def item_titles(channel) -> list[str]:
    return [item.findtext("title") for item in channel.findall("item")]


def test_news_feed_lists_public_articles_newest_first_with_absolute_links(client):
    now = timezone.now()
    older = ArticleFactory(title="Tin cũ", published_at=now - dt.timedelta(days=2))
    newer = ArticleFactory(title="Tin mới", published_at=now - dt.timedelta(hours=1))
    ArticleFactory(title="Bản nháp", status=Article.Status.DRAFT)
    ArticleFactory(title="Hẹn giờ", published_at=now + dt.timedelta(hours=3))

    channel = parse_rss(client.get("/tin-tuc/rss/"))

    assert item_titles(channel) == [newer.title, older.title]
    item = channel.find("item")
    assert item.findtext("link") == f"http://testserver{newer.get_absolute_url()}"
    assert item.findtext("guid") == item.findtext("link")
    assert channel.findtext("link") == "http://testserver/tin-tuc/"
    assert channel.findtext("language") == "vi"


def test_feed_dates_are_hanoi_time(client):
    published = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)
    ArticleFactory(title="Tin sáng sớm", published_at=published)

    channel = parse_rss(client.get("/tin-tuc/rss/"))
    pub_date = channel.find("item").findtext("pubDate")

    assert pub_date == "Sun, 01 Mar 2026 08:30:00 +0700"
    assert parsedate_to_datetime(pub_date) == published
    assert channel.findtext("lastBuildDate").endswith("+0700")


def test_empty_feed_still_dates_itself_in_hanoi_time(client):
    channel = parse_rss(client.get("/tin-tuc/rss/"))
    assert channel.findall("item") == []
    assert channel.findtext("lastBuildDate").endswith("+0700")


def test_feed_items_carry_sapo_author_and_categories(client):
    tag = TagFactory(name="Chuyển đổi số")
    category = CategoryFactory(name="Chính phủ số")
    ArticleFactory(
        title="Tin số", sapo="Tóm tắt <quan trọng>", category=category, tags=[tag]
    )
    channel = parse_rss(client.get("/tin-tuc/rss/"))
    item = channel.find("item")
    # HTML for the reader, which then shows the sapo's own "<" and ">".
    assert item.findtext("description") == "Tóm tắt &lt;quan trọng&gt;"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Huyền Anh"
    assert [c.text for c in item.findall("category")] == [
        "Chính phủ số",
        "Chuyển đổi số",
    ]


def test_feed_is_limited(client, category):
    ArticleFactory.create_batch(FEED_ITEMS + 3, category=category)
    assert len(parse_rss(client.get("/tin-tuc/rss/")).findall("item")) == FEED_ITEMS


def test_category_feed_includes_sub_sections(client):
    parent = CategoryFactory(name="Tin tức")
    child = CategoryFactory(name="Tin địa phương", parent=parent)
    ArticleFactory(title="Ở mục cha", category=parent)
    ArticleFactory(title="Ở mục con", category=child)
    ArticleFactory(title="Ở mục khác")

    channel = parse_rss(client.get(f"/chuyen-muc/{parent.slug}/rss/"))

    assert sorted(item_titles(channel)) == ["Ở mục cha", "Ở mục con"]
    assert channel.findtext("link") == f"http://testserver{parent.get_absolute_url()}"


def test_tag_feed_lists_the_tags_articles(client):
    tag = TagFactory(name="SIPAS")
    ArticleFactory(title="Có thẻ", tags=[tag])
    ArticleFactory(title="Không thẻ")
    channel = parse_rss(client.get(f"/the/{tag.slug}/rss/"))
    assert item_titles(channel) == ["Có thẻ"]
    assert "SIPAS" in channel.findtext("title")


def test_unit_feed_lists_news_linked_to_the_unit_and_follows_old_slugs(client):
    unit = UnitFactory(name="Thành phố Huế", slug="hue")
    UnitSlug.objects.create(unit=unit, slug="thua-thien-hue")
    linked = ArticleFactory(title="Tin về Huế")
    linked.units.add(unit)
    ArticleFactory(title="Tin khác")

    for slug in ("hue", "thua-thien-hue"):
        channel = parse_rss(client.get(f"/tin-tuc/don-vi/{slug}/rss/"))
        assert item_titles(channel) == ["Tin về Huế"]
        assert channel.findtext("link") == "http://testserver/chi-so-cchc/don-vi/hue/"


@pytest.mark.parametrize(
    "url", ["/chuyen-muc/khong-co/rss/", "/the/khong-co/rss/", "/tin-tuc/don-vi/x/rss/"]
)
def test_unknown_feed_answers_404(client, url):
    assert client.get(url).status_code == 404


def test_feed_query_budget(client, category, django_assert_max_num_queries):
    tags = [TagFactory() for _ in range(5)]
    for number in range(20):
        ArticleFactory(category=category, tags=tags[: number % 5])
    with django_assert_max_num_queries(3):  # category, articles, their tags
        parse_rss(client.get(f"/chuyen-muc/{category.slug}/rss/"))


def test_pages_link_to_their_feeds(client):
    category = CategoryFactory(name="Văn bản")
    tag = TagFactory(name="PAR INDEX")
    unit = UnitFactory()
    article = ArticleFactory(category=category, tags=[tag])
    article.units.add(unit)
    site_feed = '<link rel="alternate" type="application/rss+xml"'
    pages = {
        "/": "/tin-tuc/rss/",
        "/tin-tuc/": "/tin-tuc/rss/",
        category.get_absolute_url(): f"/chuyen-muc/{category.slug}/rss/",
        tag.get_absolute_url(): f"/the/{tag.slug}/rss/",
        unit.get_absolute_url(): f"/tin-tuc/don-vi/{unit.slug}/rss/",
        article.get_absolute_url(): f"/chuyen-muc/{category.slug}/rss/",
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert site_feed in html, page
        assert f'href="{feed}"' in html, page
        assert client.get(feed).status_code == 200


def test_feeds_set_no_cookie_and_are_cached(client, settings, article):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/tin-tuc/rss/")
    assert not first.cookies
    assert "Cookie" not in first.get("Vary", "")
    assert client.get("/tin-tuc/rss/")["X-Page-Cache"] == "HIT"


HOSTILE = 'Cải cách <script>alert(1)</script> & <svg onload="alert(2)"> "thủ tục"'


def shown(value: str, detail) -> str:
    """What a feed reader shows for a field feedparser read as `detail.type`."""
    return html.unescape(value) if detail.type == "text/html" else value


def test_feed_readers_show_plain_text_never_markup(client):
    import feedparser

    tag = TagFactory(name="<b>Thẻ</b> & mục")
    article = ArticleFactory(title=HOSTILE, sapo=HOSTILE, byline=HOSTILE)
    article.tags.add(tag)

    feed = feedparser.parse(client.get("/tin-tuc/rss/").content)
    assert not feed.bozo, feed.bozo_exception
    (entry,) = feed.entries
    assert shown(entry.title, entry.title_detail) == HOSTILE
    assert shown(entry.summary, entry.summary_detail) == HOSTILE
    assert html.unescape(entry.author) == HOSTILE
    assert tag.name in [html.unescape(term.term) for term in entry.tags]
    for value in (entry.title, entry.summary, entry.author):
        assert "<script" not in value and "<svg" not in value

    tag_feed = feedparser.parse(client.get(f"/the/{tag.slug}/rss/").content)
    assert shown(tag_feed.feed.title, tag_feed.feed.title_detail).startswith(
        f"Thẻ {tag.name} · "
    )
