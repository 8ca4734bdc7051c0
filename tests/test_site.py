"""The shared layout, error pages and health check."""

import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import strip_tags

from cchc_portal import urls as portal_urls
from parindex.demo import seed_parindex_demo
from tests.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_home_page_speaks_vietnamese_and_has_the_site_furniture(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'href="#noi-dung"' in html and 'id="noi-dung"' in html
    assert "Cổng thông tin <strong>Cải cách hành chính</strong>" in html
    assert 'action="/tim-kiem/" method="get"' in html
    assert 'aria-label="A+ tăng cỡ chữ"' in html
    assert 'href="/tuyen-bo-kha-nang-tiep-can/"' in html


@pytest.mark.parametrize("page", ["%C2%B2", "%D9%A2"])
def test_a_page_number_of_unicode_digits_does_not_break_the_canonical_url(client, page):
    # "²" passes str.isdigit() but int() refuses it; "٢" is a real decimal 2.
    response = client.get(f"/tuyen-bo-kha-nang-tiep-can/?page={page}")
    assert response.status_code == 200
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', response.text)
    expected = {"%C2%B2": "", "%D9%A2": "?page=2"}[page]
    assert (
        canonical.group(1) == f"http://testserver/tuyen-bo-kha-nang-tiep-can/{expected}"
    )


def test_accessibility_statement_names_its_standards_review_date_and_limits(client):
    response = client.get("/tuyen-bo-kha-nang-tiep-can/")
    assert response.status_code == 200
    text = " ".join(strip_tags(response.content.decode()).split())
    assert "Tuyên bố về khả năng tiếp cận" in text
    assert "WCAG) 2.1, mức AA" in text
    assert "Điều 18 Thông tư số 32/2017/TT-BTTTT" in text
    assert "Đánh giá gần nhất: 01/12/2026" in text
    assert "Những gì chưa đáp ứng hoặc còn hạn chế" in text


FOOTER = re.compile(r'<footer class="site-footer">.*?</footer>', re.S)
STATEMENT_LINK = (
    '<a href="/tuyen-bo-kha-nang-tiep-can/">Tuyên bố về khả năng tiếp cận</a>'
)
PRIVACY_LINK = (
    '<a href="/nhan-tin/bao-ve-du-lieu-ca-nhan/">Thông báo xử lý dữ liệu cá nhân</a>'
)
FOOTER_LINKS = (STATEMENT_LINK, PRIVACY_LINK)


def _footer_misses(html: str) -> list[str]:
    footer = FOOTER.search(html)
    return [link for link in FOOTER_LINKS if not footer or link not in footer.group()]


def test_every_page_type_links_the_statement_and_privacy_notice_from_its_footer(
    seeded, client
):
    seeded("parindex-demo", seed_parindex_demo)
    tag = TagFactory()
    article = ArticleFactory(
        category=CategoryFactory(show_in_nav=True), tags=[tag], sapo="Cải cách."
    )
    published = timezone.localtime(article.published_at)
    pages = {
        "home": "/",
        "news listing": "/tin-tuc/",
        "category": article.category.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "month archive": reverse(
            "news:article-archive-month", args=[published.year, published.month]
        ),
        "article": article.get_absolute_url(),
        "print view": article.get_print_url(),
        "glossary": "/thuat-ngu/",
        "search": "/tim-kiem/?q=cai+cach",
        "accessibility statement": "/tuyen-bo-kha-nang-tiep-can/",
        "PAR INDEX overview": "/chi-so-cchc/",
        "method": "/chi-so-cchc/phuong-phap/",
        "ranking": "/chi-so-cchc/2024/tinh/",
        "unit profile": "/chi-so-cchc/don-vi/ha-noi/",
        "compare": "/chi-so-cchc/so-sanh/?don_vi=ha-noi&don_vi=da-nang",
        "open data": "/chi-so-cchc/du-lieu-mo/",
        "subscribe": f"/nhan-tin/dang-ky/?loai=the&muc={tag.slug}",
        "manage-link request": "/nhan-tin/quan-ly/",
        "privacy notice": "/nhan-tin/bao-ve-du-lieu-ca-nhan/",
        "not found": "/khong-co-trang-nay/",
    }
    missing = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        missing += [(name, link) for link in _footer_misses(response.content.decode())]
    # Error pages rendered by Django's handlers, without a request.
    for template in ["400.html", "403.html", "413.html", "500.html", "503.html"]:
        missing += [
            (template, link) for link in _footer_misses(render_to_string(template))
        ]
    assert not missing


def test_unknown_page_answers_a_vietnamese_404_in_the_site_layout(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert 'href="#noi-dung"' in html


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ok"


def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch(
        "cchc_portal.web.views.connection.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")


def _broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("hong/", _broken_view), *portal_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_renders_in_vietnamese_without_touching_the_database(
    client, django_assert_num_queries
):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/hong/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in html
    assert "Traceback" not in html


def test_favicon_is_served_at_the_site_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
