"""Static files ship compressed with far-future caching; an article page stays light."""

import gzip
import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client, override_settings

from news.models import Article

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The performance issue's budget: article HTML + CSS + JS, compressed.
ARTICLE_PAGE_BUDGET_BYTES = 60 * 1024


MANIFEST_STORAGE = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic once with the production storage (hashed names, .gz, .br)."""
    root = tmp_path_factory.mktemp("static")
    storages = {**django_settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture
def collected_static(settings, static_root):
    """A client of a site serving those files as production does."""
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return Client()


@pytest.fixture
def article_page(demo_site, collected_static):
    article = Article.objects.published().get(slug__startswith="da-nang")
    return collected_static.get(article.get_absolute_url())


def local_assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+\.(?:css|js))"', html)


def test_static_files_are_hashed_brotli_compressed_and_immutable(collected_static):
    html = collected_static.get("/").content.decode()
    stylesheet = next(url for url in local_assets(html) if url.endswith(".css"))
    assert re.search(r"site\.[0-9a-f]{12}\.css$", stylesheet)

    response = collected_static.get(stylesheet, HTTP_ACCEPT_ENCODING="br, gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control and "max-age=315360000" in cache_control

    gzipped = collected_static.get(stylesheet, HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"


def test_article_page_uses_no_third_party_resources(article_page):
    html = article_page.content.decode()
    loaded = re.findall(r'<(?:script|img|iframe|source)[^>]+\ssrc="([^"]+)"', html)
    loaded += re.findall(
        r'<link[^>]+rel="(?:stylesheet|icon|preload)"[^>]+href="([^"]+)"', html
    )
    loaded += [
        candidate.split()[0]
        for srcset in re.findall(r'srcset="([^"]+)"', html)
        for candidate in srcset.split(",")
    ]
    assert loaded
    for address in loaded:
        assert not address.startswith(("http://", "https://", "//")), address


def test_article_page_weighs_less_than_60_kb_compressed(article_page, collected_static):
    html = article_page.content.decode()
    assets = local_assets(html)
    assert assets, "the page links its stylesheet and scripts"
    total = len(gzip.compress(article_page.content))
    for url in assets:
        response = collected_static.get(url, HTTP_ACCEPT_ENCODING="gzip")
        total += len(b"".join(response.streaming_content))
    assert total <= ARTICLE_PAGE_BUDGET_BYTES, f"{total} bytes"


def test_article_page_has_no_render_blocking_script(article_page):
    html = article_page.content.decode()
    for tag in re.findall(r"<script[^>]*\ssrc=[^>]*>", html):
        assert " defer" in tag or " async" in tag or 'type="module"' in tag, tag
