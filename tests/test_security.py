"""Security headers, request limits and the answers given while the database is down."""

import base64
import hashlib
import re

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import path

from cchc_portal import urls as portal_urls

pytestmark = pytest.mark.django_db


def _database_lost(request):
    raise OperationalError("server closed the connection unexpectedly")


def _bug(request):
    raise RuntimeError("lỗi lập trình")


urlpatterns = [
    path("mat-ket-noi/", _database_lost),
    path("loi/", _bug),
    *portal_urls.urlpatterns,
]
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500


def _get(path):
    return lambda client: client.get(path)


def _oversized_post(client):
    return client.generic(
        "POST", "/tim-kiem/", data=b"x" * 2048, content_type="application/octet-stream"
    )


@pytest.mark.parametrize(
    ("make_request", "status"),
    [
        (_get("/"), 200),
        (_get("/khong-co-trang-nay/"), 404),
        (_get("/tim-kiem/?q=%00"), 400),
        (_oversized_post, 413),
    ],
    ids=["page", "not-found", "refused-nul", "refused-oversized"],
)
def test_every_answer_carries_the_security_headers(
    client, settings, make_request, status
):
    settings.MAX_REQUEST_BODY_SIZE = 1024
    response = make_request(client)
    assert response.status_code == status
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "unsafe-inline" not in script_src
    assert "unsafe-inline" not in re.search(r"style-src ([^;]*)", policy).group(1)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_only_inline_script_is_allowed_by_its_hash(client):
    response = client.get("/")
    html = response.content.decode()
    inline_scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(inline_scripts) == 1
    digest = hashlib.sha256(inline_scripts[0].encode()).digest()
    expected = f"'sha256-{base64.b64encode(digest).decode()}'"
    assert expected in response["Content-Security-Policy"]


def test_oversized_request_body_is_refused_with_413_unread(client, settings):
    settings.MAX_REQUEST_BODY_SIZE = 1024
    response = client.generic(
        "POST", "/tim-kiem/", data=b"x" * 2048, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_lost_database_answers_a_vietnamese_503_with_retry_after(client):
    client.raise_request_exception = False
    response = client.get("/mat-ket-noi/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "tạm thời gián đoạn" in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_database_failure_inside_middleware_also_answers_503(client, monkeypatch):
    # The session store is read by middleware before any view runs.
    from django.contrib.sessions.backends import db as session_db

    def broken_load(self):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(session_db.SessionStore, "load", broken_load)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "a" * 32
    response = client.get("/quan-tri/")
    assert response.status_code == 503


def test_admin_actions_without_a_csrf_token_are_refused(db):
    from django.test import Client

    from tests.factories import ArticleFactory, ReviewerFactory

    article = ArticleFactory(status="pending")
    client = Client(enforce_csrf_checks=True)
    client.force_login(ReviewerFactory())
    response = client.post(
        "/quan-tri/news/article/",
        {"action": "publish_selected", "_selected_action": article.pk},
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == "pending"


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/", "/tin-tuc/", "/chi-so-cchc/", "/quan-tri/"])
def test_methods_no_page_answers_get_405_with_allow(client, method, path):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert "Phương thức không được hỗ trợ" in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"


@override_settings(ROOT_URLCONF=__name__, ADMINS=[])
def test_without_admins_the_500_page_says_the_error_was_logged_not_reported(
    client, caplog, mailoutbox
):
    client.raise_request_exception = False
    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get("/loi/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "đã được thông báo" not in html
    assert "ghi vào nhật ký" in html
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "ERROR" and record.exc_info[0] is RuntimeError
    assert mailoutbox == []


@override_settings(
    ROOT_URLCONF=__name__, ADMINS=[("Tổ kỹ thuật", "kythuat@example.gov.vn")]
)
def test_with_admins_each_500_is_mailed_and_the_page_says_so(client, mailoutbox):
    client.raise_request_exception = False
    response = client.get("/loi/")
    assert response.status_code == 500
    assert "Bộ phận kỹ thuật đã được thông báo" in response.content.decode()
    (mail,) = mailoutbox
    assert mail.to == ["kythuat@example.gov.vn"]
    assert "/loi/" in mail.subject and "RuntimeError" in mail.body


def test_admins_come_from_the_environment():
    from tests.test_settings import run_python

    result = run_python(
        "-c",
        "from django.conf import settings; print(settings.ADMINS)",
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
        DJANGO_DEBUG="1",
        DJANGO_ADMINS="Tổ kỹ thuật <kythuat@example.gov.vn>, an@example.gov.vn",
    )
    assert result.stdout.strip() == (
        "[('Tổ kỹ thuật', 'kythuat@example.gov.vn'), ('', 'an@example.gov.vn')]"
    )
