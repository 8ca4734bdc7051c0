"""Zalo share button: only with the portal's Zalo Official Account id
(DJANGO_ZALO_OA_ID), only on article pages, with its sources in those pages'
CSP; without JavaScript the address to copy, never a dead button."""

import re

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

OA_ID = "1234567890123456789"
SDK = '<script src="https://sp.zalo.me/plugins/sdk.js" id="zalo-sdk" async></script>'


def directive(response, name: str) -> str:
    found = re.search(rf"(?:^|; ){name} ([^;]*)", response["Content-Security-Policy"])
    return found.group(1) if found else ""


@pytest.fixture
def article(db):
    return ArticleFactory(title="Đẩy mạnh chuyển đổi số")


def test_without_a_zalo_account_there_is_no_zalo_control_script_or_source(
    client, article, settings
):
    settings.ZALO_OA_ID = ""
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "facebook.com/sharer" in html
    assert "zalo" not in html.lower()
    assert '<script src="https://' not in html
    assert "zalo" not in response["Content-Security-Policy"]
    assert directive(response, "frame-src") == ""


def test_with_a_zalo_account_the_article_shows_zalo_beside_the_other_links(
    client, article, settings
):
    settings.ZALO_OA_ID = OA_ID
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    url = f"http://testserver{article.get_absolute_url()}"

    share = html[html.index('class="share-links"') :]
    share = share[: share.index("</ul>")]
    assert share.index("LinkedIn") < share.index("zalo-share-button")
    assert share.index("zalo-share-button") < share.index("Bản in")
    button = re.search(r'<div class="zalo-share-button"([^>]*)></div>', share)
    assert button, share
    attributes = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', button.group(1)))
    assert attributes == {
        "data-href": url,
        "data-oaid": OA_ID,
        "data-layout": "1",
        "data-color": "blue",
        "data-customize": "false",
    }
    # Without JavaScript (or with Zalo unreachable): the address to copy.
    fallback = re.search(
        r"<label [^>]*data-zalo-fallback[^>]*>(.*?)</label>", share, re.S
    )
    assert fallback and "hidden" not in fallback.group(0).split(">")[0]
    assert "Zalo: sao chép liên kết" in fallback.group(1)
    assert f'value="{url}" readonly' in fallback.group(1)

    assert html.count(SDK) == 1
    assert "js/zalo-share" in html


def test_with_a_zalo_account_the_article_csp_allows_zalo_and_nothing_inline(
    client, article, settings
):
    settings.ZALO_OA_ID = OA_ID
    response = client.get(article.get_absolute_url())
    script_src = directive(response, "script-src").split()
    frame_src = directive(response, "frame-src").split()
    assert "https://sp.zalo.me" in script_src
    assert "'self'" in script_src and "'unsafe-inline'" not in script_src
    assert set(frame_src) == {
        "'self'",
        "https://sp.zalo.me",
        "https://button-share.zalo.me",
    }
    assert directive(response, "default-src") == "'self'"
    assert "zalo" not in directive(response, "connect-src")
    assert "zalo" not in directive(response, "img-src")


def test_with_a_zalo_account_other_pages_load_nothing_from_zalo(
    client, article, settings
):
    settings.ZALO_OA_ID = OA_ID
    for path in ("/", article.get_print_url(), "/tim-kiem/?q=chuyen+doi+so"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "zalo" not in response.content.decode().lower(), path
        assert "zalo" not in response["Content-Security-Policy"], path
