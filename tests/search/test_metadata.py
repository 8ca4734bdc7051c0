"""Every page's title, description and canonical URL; article and unit metadata."""

import json
import re
from html import unescape

import pytest

from news.services import article_set_hero_image
from parindex.models import NameKind, UnitKind, UnitName
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    EditionFactory,
    ResultFactory,
    TagFactory,
    UnitFactory,
    image_upload,
)

pytestmark = pytest.mark.django_db

DEFAULT_DESCRIPTION = (
    "Tin tức cải cách hành chính và Chỉ số CCHC (PAR INDEX) của các bộ, ngành và "
    "tỉnh, thành phố."
)


def head(html: str) -> dict:
    """title, description and canonical of a page."""
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    description = re.search(r'<meta name="description" content="([^"]*)">', html)
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', html)
    return {
        "title": unescape(title.strip()),
        "description": unescape(description.group(1)) if description else "",
        "canonical": unescape(canonical.group(1)) if canonical else "",
    }


def meta(html: str, key: str) -> str:
    found = re.search(
        rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html
    )
    return unescape(found.group(1)) if found else ""


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return [json.loads(block) for block in blocks]


@pytest.fixture
def site(db):
    category = CategoryFactory(name="Chính phủ số", description="Tin chuyển đổi số.")
    tag = TagFactory(name="Một cửa")
    articles = [ArticleFactory(category=category, tags=[tag]) for _ in range(13)]
    unit = UnitFactory()
    ResultFactory(unit=unit, edition=EditionFactory(year=2024))
    return {"category": category, "tag": tag, "article": articles[0], "unit": unit}


def test_every_page_has_its_own_title_description_and_canonical(client, site):
    article = site["article"]
    month = article.published_at
    pages = {
        "/": "/",
        "/tin-tuc/": "/tin-tuc/",
        "/tin-tuc/?page=2": "/tin-tuc/?page=2",
        site["category"].get_absolute_url() + "?page=1": site[
            "category"
        ].get_absolute_url(),
        site["tag"].get_absolute_url(): site["tag"].get_absolute_url(),
        f"/tin-tuc/{month:%Y}/{month.month}/": f"/tin-tuc/{month:%Y}/{month.month}/",
        article.get_absolute_url(): article.get_absolute_url(),
        article.get_print_url(): article.get_absolute_url(),
        "/thuat-ngu/": "/thuat-ngu/",
        "/tuyen-bo-kha-nang-tiep-can/": "/tuyen-bo-kha-nang-tiep-can/",
        "/tim-kiem/?q=mot+cua": "/tim-kiem/",
        "/chi-so-cchc/": "/chi-so-cchc/",
        "/chi-so-cchc/2024/tinh/": "/chi-so-cchc/2024/tinh/",
        site["unit"].get_absolute_url(): site["unit"].get_absolute_url(),
        "/chi-so-cchc/so-sanh/": "/chi-so-cchc/so-sanh/",
        "/chi-so-cchc/phuong-phap/": "/chi-so-cchc/phuong-phap/",
        "/chi-so-cchc/du-lieu-mo/": "/chi-so-cchc/du-lieu-mo/",
    }
    titles = {}
    for url, canonical in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        found = head(response.content.decode())
        assert found["title"], url
        assert found["description"], url
        assert found["description"] != DEFAULT_DESCRIPTION, url
        assert found["canonical"] == f"http://testserver{canonical}", url
        titles.setdefault(found["title"], []).append(url)
    shared = {title: urls for title, urls in titles.items() if len(urls) > 1}
    assert shared == {}, shared


def test_article_page_has_link_preview_tags_with_an_image_and_its_alt(client, category):
    article = ArticleFactory(
        title="Đà Nẵng số hóa hồ sơ",
        sapo="Tóm tắt bài.",
        category=category,
        tags=[TagFactory(name="Chuyển đổi số")],
    )
    article_set_hero_image(article=article, upload=image_upload(), alt="Trụ sở UBND")
    article.save()

    html = client.get(article.get_absolute_url()).content.decode()

    url = f"http://testserver{article.get_absolute_url()}"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:title") == "Đà Nẵng số hóa hồ sơ"
    assert meta(html, "og:description") == "Tóm tắt bài."
    assert meta(html, "og:url") == url
    assert meta(html, "og:image").startswith("http://testserver/media/news/")
    assert meta(html, "og:image:alt") == "Trụ sở UBND"
    assert meta(html, "og:image:width") == "1600"
    assert meta(html, "article:published_time").endswith("+07:00")
    assert meta(html, "article:tag") == "Chuyển đổi số"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image") == meta(html, "og:image")
    assert meta(html, "twitter:image:alt") == "Trụ sở UBND"


def test_article_json_ld_is_a_news_article_with_breadcrumbs(client):
    parent = CategoryFactory(name="Tin tức")
    category = CategoryFactory(name="Tin địa phương", parent=parent)
    article = ArticleFactory(
        title="Điện Biên rút ngắn thời gian", category=category, byline="Thu Hà"
    )
    article.hero_image = "news/anh.jpg"
    article.hero_alt = "Bộ phận một cửa"
    article.hero_renditions = [
        {"width": 800, "height": 450, "name": "news/anh-800.jpg"}
    ]
    article.save()

    html = client.get(article.get_absolute_url()).content.decode()
    news_article, breadcrumbs = json_ld(html)

    assert news_article["@type"] == "NewsArticle"
    assert news_article["headline"] == "Điện Biên rút ngắn thời gian"
    assert news_article["datePublished"].endswith("+07:00")
    assert news_article["dateModified"].endswith("+07:00")
    assert news_article["dateModified"] >= news_article["datePublished"]
    assert news_article["author"] == [{"@type": "Person", "name": "Thu Hà"}]
    assert news_article["image"][0]["url"] == "http://testserver/media/news/anh-800.jpg"
    assert news_article["publisher"]["name"] == "Cổng thông tin Cải cách hành chính"
    assert news_article["publisher"]["logo"]["url"].endswith("/static/img/logo.png")
    assert news_article["mainEntityOfPage"]["@id"] == (
        f"http://testserver{article.get_absolute_url()}"
    )
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "Trang chủ",
        "Tin tức",
        "Tin địa phương",
        "Điện Biên rút ngắn thời gian",
    ]
    assert client.get("/static/img/logo.png").status_code == 200


def test_article_without_image_shares_the_portal_logo(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == "http://testserver/static/img/logo.png"
    assert meta(html, "og:image:alt").startswith("Biểu trưng")
    assert meta(html, "twitter:card") == "summary"
    assert "image" not in json_ld(html)[0]


def test_json_ld_cannot_close_its_script_element(client, category):
    title = '</script><script>alert("x")</script> & <!--'
    article = ArticleFactory(title=title, category=category)

    html = client.get(article.get_absolute_url()).content.decode()

    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    assert all("<" not in block and ">" not in block for block in blocks)
    assert json_ld(html)[0]["headline"] == title
    assert '<script>alert("x")' not in html


def test_the_only_inline_scripts_are_the_text_size_one_and_json_ld(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert sorted(inline) == [
        "",
        ' type="application/ld+json"',
        ' type="application/ld+json"',
    ]


def test_unit_profile_has_government_organization_json_ld(client):
    unit = UnitFactory(
        kind=UnitKind.CITY,
        name="Thành phố Huế",
        short_name="Huế",
        slug="hue",
        gso_code="46",
    )
    UnitName.objects.create(unit=unit, name="Thừa Thiên Huế", kind=NameKind.FORMER)

    html = client.get(unit.get_absolute_url()).content.decode()
    organization, breadcrumbs = json_ld(html)

    assert organization["@type"] == "GovernmentOrganization"
    assert organization["name"] == "Thành phố Huế"
    assert organization["url"] == "http://testserver/chi-so-cchc/don-vi/hue/"
    assert organization["alternateName"] == ["Huế", "Thừa Thiên Huế"]
    assert organization["identifier"]["value"] == "46"
    assert organization["areaServed"]["name"] == "Huế"
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "Trang chủ",
        "Chỉ số CCHC",
        "Huế",
    ]


def test_search_results_are_not_indexed(client):
    html = client.get("/tim-kiem/?q=mot+cua").content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html


def test_every_public_page_type_has_link_preview_tags_and_a_canonical(client, site):
    article = site["article"]
    month = article.published_at
    pages = [
        "/",
        "/tin-tuc/",
        site["category"].get_absolute_url(),
        site["tag"].get_absolute_url(),
        f"/tin-tuc/{month:%Y}/{month.month}/",
        article.get_absolute_url(),
        "/thuat-ngu/",
        "/tuyen-bo-kha-nang-tiep-can/",
        "/tim-kiem/?q=mot+cua",
        "/chi-so-cchc/",
        "/chi-so-cchc/2024/tinh/",
        site["unit"].get_absolute_url(),
        "/chi-so-cchc/so-sanh/",
        "/chi-so-cchc/phuong-phap/",
        "/chi-so-cchc/du-lieu-mo/",
        "/chi-so-cchc/dinh-chinh/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        found = head(html)
        assert found["canonical"].startswith("http://testserver/"), url
        for key in ("og:title", "og:description", "og:url", "og:image"):
            assert meta(html, key), (url, key)
        for key in ("twitter:card", "twitter:title", "twitter:image"):
            assert meta(html, key), (url, key)
        assert meta(html, "og:url") == found["canonical"] or url.startswith(
            "/tim-kiem/"
        ), url
        assert meta(html, "og:title") == found["title"] or meta(html, "og:type") in (
            "article",
            "website",
        ), url
        assert "\n" not in meta(html, "og:description"), url
    listing = client.get("/tin-tuc/").content.decode()
    assert meta(listing, "og:title") == head(listing)["title"]
    assert meta(listing, "og:description") == head(listing)["description"]
    assert html.count('property="og:title"') == 1
