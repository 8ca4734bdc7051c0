"""The shared layout, error pages and health check."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import path

from cchc_portal import urls as portal_urls

pytestmark = pytest.mark.django_db


def test_home_page_speaks_vietnamese_and_has_the_site_furniture(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'href="#noi-dung"' in html and 'id="noi-dung"' in html
    assert "Cổng thông tin <strong>Cải cách hành chính</strong>" in html
    assert 'action="/tim-kiem/" method="get"' in html
    assert 'aria-label="Tăng cỡ chữ"' in html
    assert 'href="/tuyen-bo-kha-nang-tiep-can/"' in html


def test_accessibility_statement_is_reachable(client):
    response = client.get("/tuyen-bo-kha-nang-tiep-can/")
    assert response.status_code == 200
    assert "Tuyên bố về khả năng tiếp cận" in response.content.decode()


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
        "cchc_portal.views.connection.cursor", side_effect=OperationalError("down")
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
