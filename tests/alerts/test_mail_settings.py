"""Mail configuration: EMAIL_URL, Django's EMAIL_* variables, or files in var/mail/."""

import pytest

from tests.test_settings import UNUSED_DATABASE, run_python

PRINT_MAIL = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND.rsplit('.', 2)[-2], s.EMAIL_HOST, s.EMAIL_PORT, "
    "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, "
    "s.DEFAULT_FROM_EMAIL, s.SITE_URL, s.EMAIL_FILE_PATH.relative_to(s.BASE_DIR))"
)
BASE = {
    "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "cchc.example.gov.vn",
    "DATABASE_URL": UNUSED_DATABASE,
}


def mail_settings(**env) -> list[str]:
    result = run_python("-c", PRINT_MAIL, **BASE, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_without_mail_settings_mail_goes_to_files_in_var_mail():
    values = mail_settings()
    assert values[0] == "filebased"
    assert values[-1] == "var/mail"
    assert values[-2] == "https://cchc.example.gov.vn"  # SITE_URL default


def test_email_url_sets_host_port_user_password_and_starttls():
    values = mail_settings(
        EMAIL_URL="smtp://cchc%40bo:m%E1%BA%ADt@smtp.example.gov.vn:587",
        DEFAULT_FROM_EMAIL="no-reply@cchc.example.gov.vn",
    )
    assert values[:9] == [
        "smtp",
        "smtp.example.gov.vn",
        "587",
        "cchc@bo",
        "mật",
        "True",
        "False",
        "no-reply@cchc.example.gov.vn",
        "https://cchc.example.gov.vn",
    ]


def test_smtps_url_uses_tls_from_the_start_on_465():
    values = mail_settings(EMAIL_URL="smtps://u:p@smtp.example.gov.vn")
    assert values[1:7] == ["smtp.example.gov.vn", "465", "u", "p", "False", "True"]


def test_djangos_usual_email_variables_work_too():
    values = mail_settings(
        EMAIL_HOST="relay.internal",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="u",
        EMAIL_HOST_PASSWORD="p",
        EMAIL_USE_TLS="1",
    )
    assert values[:7] == ["smtp", "relay.internal", "2525", "u", "p", "True", "False"]


@pytest.mark.parametrize("url", ["http://mail.example", "smtpx://a"])
def test_an_email_url_of_another_kind_stops_with_one_readable_line(url):
    result = run_python("-c", PRINT_MAIL, **BASE, EMAIL_URL=url)
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr
    assert "Traceback" not in result.stderr
