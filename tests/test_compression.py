"""Brotli and gzip answers: negotiation, variants, ETags, the page cache, BREACH."""

import gzip
import json
import re
import xml.etree.ElementTree as ET

import brotli
import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory

from cchc_portal.runtime import compression
from news.models import Tag

pytestmark = pytest.mark.django_db

# One of every kind of answer the brief names (demo data).
TEXT_ANSWERS = {
    "html": "/",
    "ranking": "/chi-so-cchc/2024/tinh/",
    "rss": "/tin-tuc/rss/",
    "sitemap": "/sitemap-tin-bai.xml",
    "json": "/chi-so-cchc/api/v1/editions/",
    "csv": "/chi-so-cchc/2024/tinh.csv",
}
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda body: body}


def fetch(client, url, encoding, **headers):
    accept = {"br": "br, gzip", "gzip": "gzip, deflate", None: "identity"}[encoding]
    return client.get(url, HTTP_ACCEPT_ENCODING=accept, **headers)


def same_page(body: bytes, other: bytes) -> bool:
    """Equal bodies, but for the numbers of element ids (charts number their
    ids per render, so two renders of one page differ there)."""
    return re.sub(rb"\d+", b"0", body) == re.sub(rb"\d+", b"0", other)


@pytest.fixture(params=["cache off", "cache on"])
def either_cache(request, settings):
    """Pages the page cache stores and pages it does not are alike on the wire."""
    if request.param == "cache on":
        settings.PAGE_CACHE_SECONDS = 600
    return request.param


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("br, gzip", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("x-gzip", "gzip"),
        ("GZIP;Q=0.8", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("gzip;q=0.4, br;q=0.5", "br"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("gzip;q=0.1, *;q=0.5", "br"),
        ("*;q=0", None),
        ("br;q=0, gzip;q=0", None),
        ("identity", None),
        ("deflate", None),
        ("", None),
        ("gzip;q=nonsense", None),
        (" , ;q=1,", None),
    ],
)
def test_accept_encoding_is_negotiated_with_q_values_preferring_brotli(accept, chosen):
    assert compression.accepted_encoding(accept) == chosen


@pytest.mark.usefixtures("demo_site", "either_cache")
@pytest.mark.parametrize("kind", TEXT_ANSWERS)
def test_every_text_answer_is_compressed_when_accepted_and_identity_when_not(
    client, kind, either_cache
):
    url = TEXT_ANSWERS[kind]
    answers = {encoding: fetch(client, url, encoding) for encoding in DECODE}
    identity = answers[None]
    assert identity.status_code == 200
    assert not identity.has_header("Content-Encoding")
    for encoding, response in answers.items():
        assert response.status_code == 200, (url, encoding)
        assert response.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        assert same_page(DECODE[encoding](response.content), identity.content)
    assert len(answers["br"].content) < len(identity.content) / 2
    assert len(answers["gzip"].content) < len(identity.content) / 2
    etags = {response["ETag"] for response in answers.values()}
    assert len(etags) == 3
    for encoding in ("br", "gzip"):
        assert answers[encoding]["ETag"].endswith(f'-{encoding}"')
        if either_cache == "cache on":  # one stored page, so one identity ETag
            etag = compression.variant_etag(identity["ETag"], encoding)
            assert answers[encoding]["ETag"] == etag


@pytest.mark.usefixtures("demo_site", "either_cache")
@pytest.mark.parametrize("kind", ["csv", "rss"])
def test_a_304_is_answered_only_for_the_encoding_the_client_holds(client, kind):
    # Pages whose body is the same on every render, so that the cache-off
    # case can match too.
    url = TEXT_ANSWERS[kind]
    held = fetch(client, url, "br")["ETag"]
    assert held.endswith('-br"')

    again = fetch(client, url, "br", HTTP_IF_NONE_MATCH=held)
    assert again.status_code == 304
    assert again["ETag"] == held
    assert "Accept-Encoding" in again["Vary"]

    as_gzip = fetch(client, url, "gzip", HTTP_IF_NONE_MATCH=held)
    assert as_gzip.status_code == 200 and as_gzip["Content-Encoding"] == "gzip"
    plain = fetch(client, url, None, HTTP_IF_NONE_MATCH=held)
    assert plain.status_code == 200 and not plain.has_header("Content-Encoding")
    assert fetch(client, url, None, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304


@pytest.mark.usefixtures("demo_site", "page_cache_on")
def test_a_cached_page_is_compressed_once_and_hits_serve_the_stored_bodies(
    client, monkeypatch
):
    calls = []
    real = compression.compress

    def counting(content, encoding):
        calls.append(encoding)
        return real(content, encoding)

    monkeypatch.setattr(compression, "compress", counting)
    url = TEXT_ANSWERS["ranking"]
    first = fetch(client, url, "br")
    assert first["X-Page-Cache"] == "MISS"
    assert sorted(calls) == ["br", "gzip"]  # every variant, once, when stored

    hits = [fetch(client, url, encoding) for encoding in ("br", "gzip", None) * 3]
    assert {hit["X-Page-Cache"] for hit in hits} == {"HIT"}
    assert sorted(calls) == ["br", "gzip"]
    assert hits[0].content == first.content
    assert gzip.decompress(hits[1].content) == hits[2].content
    assert brotli.decompress(hits[0].content) == hits[2].content


@pytest.mark.usefixtures("demo_site", "either_cache")
def test_pages_with_a_csrf_token_are_never_compressed(client):
    tag = Tag.objects.filter(articles__isnull=False).first()
    response = fetch(client, f"/nhan-tin/dang-ky/?loai=the&muc={tag.slug}", "br")
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert not response.has_header("Content-Encoding")


@pytest.mark.usefixtures("demo_site", "either_cache")
def test_nothing_a_signed_in_editor_sees_is_compressed(client):
    staff = get_user_model().objects.create_superuser("bientap", "b@example.vn", "x")
    client.force_login(staff)
    for url in ("/", "/quan-tri/", TEXT_ANSWERS["json"]):
        response = fetch(client, url, "br")
        assert response.status_code == 200, url
        assert not response.has_header("Content-Encoding"), url


@pytest.mark.parametrize(
    ("path", "content_type", "compressed"),
    [
        ("/static/css/site.css", "text/css", False),
        ("/media/anh/trang.html", "text/html", False),
        ("/tai-lieu/", "image/png", False),
        ("/tai-lieu/", "application/vnd.ms-excel", False),
        ("/tai-lieu/", "text/event-stream", False),
        ("/tai-lieu/", "application/geo+json", True),
        ("/tai-lieu/", "application/atom+xml; charset=utf-8", True),
    ],
)
def test_files_and_binary_types_are_left_alone(path, content_type, compressed):
    request = RequestFactory().get(path, HTTP_ACCEPT_ENCODING="br")
    body = b"a" * 4096
    middleware = compression.CompressionMiddleware(
        lambda request: HttpResponse(body, content_type=content_type)
    )
    response = middleware(request)
    assert (response.get("Content-Encoding") == "br") is compressed
    if not compressed:
        assert response.content == body


def test_tiny_or_already_encoded_bodies_are_not_compressed_again():
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    tiny = compression.CompressionMiddleware(lambda request: HttpResponse("ngắn"))
    assert not tiny(request).has_header("Content-Encoding")

    body = gzip.compress(b"x" * 4096)

    def encoded_view(request):
        response = HttpResponse(body, content_type="text/html")
        response["Content-Encoding"] = "gzip"
        return response

    response = compression.CompressionMiddleware(encoded_view)(request)
    assert response.content == body


@pytest.mark.usefixtures("demo_site", "page_cache_on")
def test_feed_sitemap_and_json_readers_read_the_compressed_answers(client):
    feed = feedparser.parse(
        brotli.decompress(fetch(client, "/tin-tuc/rss/", "br").content)
    )
    assert not feed.bozo and feed.entries

    sitemap = fetch(client, "/sitemap.xml", "gzip")
    root = ET.fromstring(gzip.decompress(sitemap.content))
    assert root.tag.endswith("sitemapindex") and len(root)

    editions = fetch(client, TEXT_ANSWERS["json"], "br")
    assert json.loads(brotli.decompress(editions.content))["editions"]


@pytest.mark.usefixtures("demo_site", "either_cache")
def test_a_head_request_announces_the_length_of_the_variant_a_get_would_send(client):
    url = TEXT_ANSWERS["rss"]
    body = fetch(client, url, "br").content
    head = client.head(url, HTTP_ACCEPT_ENCODING="br")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Encoding"] == "br"
    assert int(head["Content-Length"]) == len(body)
