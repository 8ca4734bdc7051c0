"""Admin login protection: throttling and lockout, the lockout page, sessions."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from cchc_portal.web.login_protection import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/quan-tri/login/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Dozens of logins per test: hash with a fast algorithm here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return UserFactory(username="bientap")


def log_in(client, username, password, ip="203.0.113.10"):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": "/quan-tri/"},
        REMOTE_ADDR=ip,
    )


def fail(client, times, username="bientap", ip="203.0.113.10"):
    return [log_in(client, username, "sai-mat-khau", ip) for _ in range(times)]


def test_failed_logins_below_the_limit_show_the_form_again(client, editor):
    responses = fail(client, django_settings.AXES_FAILURE_LIMIT - 1)
    assert [r.status_code for r in responses] == [200] * (
        django_settings.AXES_FAILURE_LIMIT - 1
    )
    assert log_in(client, "bientap", PASSWORD).status_code == 302


def test_repeated_failures_lock_out_with_a_vietnamese_429_page(client, editor):
    *_, last = fail(client, django_settings.AXES_FAILURE_LIMIT)

    assert last.status_code == 429
    html = last.content.decode()
    assert '<html lang="vi">' in html
    assert "Tạm khoá đăng nhập" in html
    assert "15 phút" in html
    assert last["Retry-After"] == "900"
    assert "no-store" in last["Cache-Control"]
    assert "Traceback" not in html


def test_the_right_password_is_refused_while_locked_out(client, editor):
    fail(client, django_settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "bientap", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_cool_off(client, editor):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, django_settings.AXES_FAILURE_LIMIT)
        assert log_in(client, "bientap", PASSWORD).status_code == 429
    later = start + django_settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert log_in(client, "bientap", PASSWORD).status_code == 302


def test_lockout_is_per_user_and_address(client, editor):
    UserFactory(username="dongnghiep")
    fail(client, django_settings.AXES_FAILURE_LIMIT)

    # A colleague behind the same office address still logs in...
    assert log_in(client, "dongnghiep", PASSWORD).status_code == 302
    client.logout()
    # ...and the locked editor from another address too.
    assert log_in(client, "bientap", PASSWORD, ip="198.51.100.7").status_code == 302


def test_a_successful_login_resets_the_count(client, editor):
    fail(client, django_settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "bientap", PASSWORD).status_code == 302
    client.logout()
    responses = fail(client, django_settings.AXES_FAILURE_LIMIT - 1)
    assert all(r.status_code == 200 for r in responses)


def test_lockout_works_with_the_page_cache_on_and_is_never_cached(
    client, settings, editor
):
    settings.PAGE_CACHE_SECONDS = 600
    assert client.get(LOGIN_URL).status_code == 200
    fail(client, django_settings.AXES_FAILURE_LIMIT)
    for _ in range(2):
        response = log_in(client, "bientap", PASSWORD)
        assert response.status_code == 429
        assert "X-Page-Cache" not in response
    # The login page itself is still served, uncached, to everyone.
    page = client.get(LOGIN_URL)
    assert page.status_code == 200 and "X-Page-Cache" not in page


def test_unknown_user_names_are_throttled_too(client):
    *_, last = fail(client, django_settings.AXES_FAILURE_LIMIT, username="khongco")
    assert last.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.2"),  # no proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the visitor forged 1.2.3.4
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies
        (1, "not-an-address", "10.0.0.2"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().post(
        LOGIN_URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_ip(request) == expected


def test_lockout_behind_a_proxy_counts_the_visitors_address(client, settings, editor):
    settings.PROXY_COUNT = 1
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN_URL,
            {"username": "bientap", "password": "sai"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.10",
        )
    other_visitor = client.post(
        LOGIN_URL,
        {"username": "bientap", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other_visitor.status_code == 302


def test_sessions_end_with_the_browser_and_after_a_working_day():
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_weak_passwords_are_refused_by_the_validators(editor):
    for weak in ("12345678901", "password123", "bientap2026"):
        with pytest.raises(ValidationError):
            validate_password(weak, editor)
    validate_password(PASSWORD, editor)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/quan-tri/", "javascript:x"]
)
def test_a_login_with_a_rejected_next_lands_on_the_admin_index(
    client, editor, next_url
):
    response = client.post(
        LOGIN_URL, {"username": "bientap", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/quan-tri/"
    assert client.get(response["Location"]).status_code == 200


def test_logout_is_a_form_in_the_admin_and_lands_on_the_login_page(client, editor):
    client.force_login(editor)
    page = client.get("/quan-tri/").content.decode()
    assert '<form id="logout-form" method="post" action="/quan-tri/logout/">' in page
    for next_url in ("", "https://evil.example/"):
        client.force_login(editor)
        response = client.post("/quan-tri/logout/", {"next": next_url})
        assert response.status_code == 302
        assert response["Location"] == "/quan-tri/login/"
        assert client.get(response["Location"]).status_code == 200
    client.force_login(editor)
    assert client.get("/quan-tri/logout/").status_code == 405  # never by a link
    assert client.get("/quan-tri/").status_code == 200  # still logged in
