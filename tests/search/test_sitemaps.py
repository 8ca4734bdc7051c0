"""sitemap.xml (an index of sections), the Google News sitemap and robots.txt."""

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import URLResolver, get_resolver, resolve
from django.utils import timezone

from news.sitemaps import ArticleSitemap
from tests.factories import (
    ArticleFactory,
    EditionFactory,
    ResultFactory,
    TagFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

# URL names that are not pages for search engines: machine formats, staff,
# the site search, print copies.
NOT_PAGES = {
    "healthz",
    "favicon",
    "media",
    "robots-txt",
    "sitemap",
    "sitemap-section",
    "search:results",
    "news:article-print",
    "news:article-preview",  # staff only, noindex
    "news:internal-link",  # a redirect to the target's page
    "news:feed",
    "news:category-feed",
    "news:tag-feed",
    "news:unit-feed",
    "parindex:download-csv",
    "parindex:download-csv-excel",
    "parindex:download-xlsx",
    "parindex:download-json",
    "parindex:download-datapackage",
    "parindex:archive-datapackage",
    "parindex:ranking-share-image",  # link-preview PNGs, not pages
    "parindex:unit-share-image",
    "parindex:api-root",
    "parindex:api-openapi",
    "parindex:api-edition-list",
    "parindex:api-edition-detail",
    "parindex:api-unit-list",
    "parindex:api-unit-detail",
    # E-mail alerts: forms and signed-link pages (noindex); privacy is listed.
    "alerts:subscribe",
    "alerts:subscribe-sent",
    "alerts:confirm",
    "alerts:manage-request",
    "alerts:manage",
    "alerts:manage-export",
    "alerts:unsubscribe",
    "alerts:editor-preferences",
    "alerts:editor-off",
}


def resolve_address(path: str):
    """resolve() in the language the address is in (English under /en/)."""
    from django.utils import translation

    from cchc_portal.web.language import language_of_path

    with translation.override(language_of_path(path)):
        return resolve(path)


def url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            prefix = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from url_names(pattern.url_patterns, prefix)
        elif pattern.name:
            yield namespace + pattern.name


def get_xml(client, url: str) -> ET.Element:
    parts = urlsplit(url)
    response = client.get(
        parts.path, dict(part.split("=") for part in parts.query.split("&") if part)
    )
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def sitemap_locations(client) -> list[str]:
    index = get_xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    locations = []
    for section in index.findall(f"{SITEMAP}sitemap"):
        urlset = get_xml(client, section.findtext(f"{SITEMAP}loc"))
        locations += [url.findtext(f"{SITEMAP}loc") for url in urlset]
    return locations


@pytest.fixture
def one_of_everything(db):
    tag = TagFactory(name="Một cửa")
    article = ArticleFactory(tags=[tag])
    unit = UnitFactory()
    article.units.add(unit)
    ResultFactory(unit=unit, edition=EditionFactory(year=2024))
    return article


def test_sitemap_lists_every_public_page_type(client, one_of_everything):
    locations = sitemap_locations(client)
    assert all(location.startswith("http://testserver/") for location in locations)
    listed = {
        resolve_address(urlsplit(location).path).view_name for location in locations
    }

    page_types = {
        name
        for name in url_names(get_resolver().url_patterns)
        if not name.startswith("admin:") and name not in NOT_PAGES
    }

    assert page_types - listed == set()


def test_sitemap_lists_public_articles_only_with_lastmod(client, category):
    public = ArticleFactory(category=category)
    draft = ArticleFactory(category=category, status="draft")
    urlset = get_xml(client, "/sitemap-tin-bai.xml")
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in urlset
    }
    public_url = f"http://testserver{public.get_absolute_url()}"
    assert entries[public_url] == f"{timezone.localtime(public.updated_at):%Y-%m-%d}"
    assert f"http://testserver{draft.get_absolute_url()}" not in entries


def test_article_sitemap_is_split_into_pages_listed_in_the_index(
    client, category, monkeypatch
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    ArticleFactory.create_batch(5, category=category)
    index = get_xml(client, "/sitemap.xml")
    article_pages = [
        loc.text for loc in index.iter(f"{SITEMAP}loc") if "sitemap-tin-bai" in loc.text
    ]
    assert len(article_pages) == 3
    assert sum(len(get_xml(client, page)) for page in article_pages) == 5
    assert client.get("/sitemap-tin-bai.xml?p=4").status_code == 404


def test_index_gives_the_latest_article_change(client, category):
    ArticleFactory(category=category)
    latest = ArticleFactory(category=category)
    index = get_xml(client, "/sitemap.xml")
    articles = [
        entry for entry in index if "sitemap-tin-bai" in entry.findtext(f"{SITEMAP}loc")
    ]
    assert len(articles) == 1
    lastmod = dt.datetime.fromisoformat(articles[0].findtext(f"{SITEMAP}lastmod"))
    assert lastmod == latest.updated_at
    assert lastmod.utcoffset() == dt.timedelta(hours=7)


def test_news_sitemap_has_the_last_two_days_in_google_news_form(client, category):
    now = timezone.now()
    recent = ArticleFactory(
        title="Tin hôm nay", category=category, published_at=now - dt.timedelta(hours=3)
    )
    ArticleFactory(
        title="Tin tuần trước",
        category=category,
        published_at=now - dt.timedelta(days=3),
    )

    urlset = get_xml(client, "/sitemap-tin-moi.xml")

    urls = urlset.findall(f"{SITEMAP}url")
    assert len(urls) == 1
    assert urls[0].findtext(f"{SITEMAP}loc") == (
        f"http://testserver{recent.get_absolute_url()}"
    )
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "Tin hôm nay"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "vi"
    assert news.findtext(f"{NEWS}publication/{NEWS}name")
    published = dt.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == recent.published_at
    assert published.utcoffset() == dt.timedelta(hours=7)


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_staff_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /quan-tri/" in lines
    assert "Disallow: /xem-truoc/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemaps_set_no_cookie_and_are_cached(client, settings, one_of_everything):
    settings.PAGE_CACHE_SECONDS = 600
    for url in ("/sitemap.xml", "/sitemap-tin-bai.xml", "/robots.txt"):
        first = client.get(url)
        assert not first.cookies
        assert "Cookie" not in first.get("Vary", "")
        assert client.get(url)["X-Page-Cache"] == "HIT", url


def test_news_sitemap_is_left_out_and_404_when_nothing_is_under_two_days_old(
    client, category
):
    ArticleFactory(
        category=category, published_at=timezone.now() - dt.timedelta(days=3)
    )

    index = get_xml(client, "/sitemap.xml")

    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert not any("sitemap-tin-moi" in location for location in locations)
    assert any("sitemap-tin-bai" in location for location in locations)
    # An empty <urlset> fails the sitemap schema (a <url> is required).
    assert client.get("/sitemap-tin-moi.xml").status_code == 404


def test_news_sitemap_comes_back_in_the_index_with_a_fresh_article(client, category):
    ArticleFactory(category=category, published_at=timezone.now())

    index = get_xml(client, "/sitemap.xml")

    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert any("sitemap-tin-moi" in location for location in locations)
    assert len(get_xml(client, "/sitemap-tin-moi.xml").findall(f"{SITEMAP}url")) == 1


XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap_alternates(client) -> dict[str, dict[str, str]]:
    """{loc: {hreflang: href}} of every <url> in every section."""
    index = get_xml(client, "/sitemap.xml")
    alternates = {}
    for section in index.findall(f"{SITEMAP}sitemap"):
        for url in get_xml(client, section.findtext(f"{SITEMAP}loc")):
            alternates[url.findtext(f"{SITEMAP}loc")] = {
                link.get("hreflang"): link.get("href")
                for link in url.findall(f"{XHTML}link")
                if link.get("rel") == "alternate"
            }
    return alternates


def test_hreflang_pairs_in_the_sitemap_point_both_ways(client, demo_site):
    import re

    alternates = sitemap_alternates(client)
    paired = {loc: links for loc, links in alternates.items() if links}
    assert paired, "no page is listed with its other language"
    for loc, links in paired.items():
        languages = {code: href for code, href in links.items() if code != "x-default"}
        # The page is among its own alternates, with the other language, and
        # x-default names the Vietnamese page.
        assert loc in languages.values(), loc
        assert set(languages) == {"vi", "en"}, (loc, links)
        assert links["x-default"] == languages["vi"], (loc, links)
        for href in languages.values():
            # Every alternate is listed itself, with the same set of pairs.
            assert alternates.get(href) == links, (loc, href)

    # The pages say what the sitemap says (one page of each kind).
    checked = set()
    for loc, links in paired.items():
        kind = resolve_address(urlsplit(loc).path).url_name
        if kind in checked:
            continue
        checked.add(kind)
        body = client.get(urlsplit(loc).path).content.decode()
        in_page = dict(
            re.findall(
                r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body
            )
        )
        assert in_page == links, loc
