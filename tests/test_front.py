"""The production front: gunicorn's own config, and nginx (deploy/nginx/) before it.

Real servers, started here: a private PostgreSQL, gunicorn with the project's
config and production settings, and nginx with the shipped site file. Where
nginx (or its brotli module) is missing the nginx tests are skipped with a
note; `.ci/run` installs them and sets CCHC_REQUIRE_NGINX=1, which turns that
skip into a failure.
"""

import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import urllib3

from tests.servers import (
    ROOT,
    app_server,
    front_proxy,
    manage,
    nginx_missing,
    own_postgres,
    production_env,
)

pytestmark = pytest.mark.slow

HOST = "localhost"
# How a trusted proxy says "https" to the app server when tests talk to it directly.
VIA_TLS = {"X-Forwarded-Proto": "https"}
OVERVIEW_TITLE = "<title>Chỉ số cải cách hành chính (PAR INDEX)"
HOME_TITLE = "<title>Cổng thông tin Cải cách hành chính: tin tức"
# 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


@dataclass
class Site:
    env: dict[str, str]
    app: str  # gunicorn with the project's config, straight
    static_root: Path
    media_root: Path
    folder: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """PostgreSQL, collected static files, media, and gunicorn in production mode."""
    folder = tmp_path_factory.mktemp("front")
    static_root, media_root = folder / "static", folder / "media"
    (media_root / "anh").mkdir(parents=True)
    (media_root / "anh" / "diem.png").write_bytes(PNG)
    # An upload that is not an image must never be served as a page.
    (media_root / "anh" / "trang.html").write_text("<script>alert(1)</script>")
    with own_postgres() as postgres:
        env = production_env(
            DATABASE_URL=postgres.url,
            DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
            DJANGO_HTTPS="1",
            DJANGO_STATIC_MANIFEST="1",
            DJANGO_STATIC_ROOT=str(static_root),
            DJANGO_MEDIA_ROOT=str(media_root),
            DJANGO_SERVE_MEDIA="0",
            DJANGO_PROXY_COUNT="1",
        )
        # collectstatic (compressing every file) overlaps the migrations.
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        manage("migrate", "--noinput", "-v", "0", env=env)
        _, errors = collect.communicate(timeout=300)
        assert collect.returncode == 0, errors
        with app_server(env) as app:
            yield Site(env, app, static_root, media_root, folder)


@pytest.fixture(scope="module")
def front(site):
    """nginx with deploy/nginx/ before a second gunicorn, whose access log is kept.

    That gunicorn takes SCRIPT_NAME/PATH_INFO from trusted peers, as gunicorn
    does by default (and as this project's config did before it emptied
    `forwarder_headers`): nginx alone must keep a client's header away.
    """
    missing = nginx_missing()
    if missing:
        if os.environ.get("CCHC_REQUIRE_NGINX"):
            pytest.fail(f"CCHC_REQUIRE_NGINX is set but {missing}")
        pytest.skip(missing)
    access_log = site.folder / "gunicorn-access.log"
    env = {**site.env, "GUNICORN_CMD_ARGS": "--forwarder-headers SCRIPT_NAME,PATH_INFO"}
    with app_server(env, access_log=access_log) as app:
        with front_proxy(
            upstream=urlsplit(app).netloc,
            static_root=site.static_root,
            media_root=site.media_root,
            host=HOST,
        ) as (http_url, https_url):
            yield http_url, https_url, access_log


def https(front, path: str, **kwargs) -> requests.Response:
    with pytest.warns(urllib3.exceptions.InsecureRequestWarning):
        return requests.get(front[1] + path, verify=False, timeout=10, **kwargs)


def https_post(front, path: str, **kwargs) -> requests.Response:
    with pytest.warns(urllib3.exceptions.InsecureRequestWarning):
        return requests.post(front[1] + path, verify=False, timeout=10, **kwargs)


# gunicorn ---------------------------------------------------------------------


def test_gunicorn_ignores_a_script_name_header_even_from_a_trusted_proxy(site):
    # The attack: one request with the header, then everyone's plain request.
    poisoned = requests.get(
        site.app + "/chi-so-cchc/",
        headers={**VIA_TLS, "SCRIPT_NAME": "/chi-so-cchc"},
        timeout=10,
    )
    assert poisoned.status_code == 200
    assert OVERVIEW_TITLE in poisoned.text
    plain = requests.get(site.app + "/chi-so-cchc/", headers=VIA_TLS, timeout=10)
    assert OVERVIEW_TITLE in plain.text and HOME_TITLE not in plain.text

    home = requests.get(
        site.app + "/", headers={**VIA_TLS, "PATH_INFO": "/chi-so-cchc/"}, timeout=10
    )
    assert HOME_TITLE in home.text
    # A SCRIPT_NAME that is no prefix of the path made gunicorn answer 500.
    other = requests.get(
        site.app + "/tin-tuc/", headers={**VIA_TLS, "SCRIPT_NAME": "/khac"}, timeout=10
    )
    assert other.status_code == 200


def test_production_pages_do_not_tell_the_cache_state(site):
    for _ in range(2):
        response = requests.get(site.app + "/", headers=VIA_TLS, timeout=10)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response.headers


# nginx ------------------------------------------------------------------------


def test_pages_go_through_nginx_compressed_with_the_app_headers(front):
    response = https(front, "/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert HOME_TITLE in response.text
    assert response.headers["Content-Encoding"] == "gzip"
    # The app's variant as it sent it: nginx neither recompresses it nor
    # weakens or drops its ETag.
    assert response.headers["ETag"].endswith('-gzip"')
    assert "Accept-Encoding" in response.headers["Vary"]
    brotli_page = https(front, "/", headers={"Accept-Encoding": "br, gzip"})
    assert brotli_page.headers["Content-Encoding"] == "br"
    assert brotli_page.headers["ETag"].endswith('-br"')
    assert HOME_TITLE in brotli_page.text
    # A form with a CSRF token is sent uncompressed (BREACH), by nginx too.
    form = https(
        front,
        "/nhan-tin/dang-ky/?loai=chi-so-cchc",
        headers={"Accept-Encoding": "gzip"},
    )
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.text
    assert "Content-Encoding" not in form.headers
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Server"] == "nginx"  # no version


def test_static_and_media_files_are_served_by_nginx_itself(front, site):
    manifest = json.loads((site.static_root / "staticfiles.json").read_text())
    hashed = "/static/" + manifest["paths"]["css/site.css"]
    page = https(front, "/").text
    assert f'href="{hashed}"' in page

    response = https(front, hashed, headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Type"].startswith("text/css")
    unhashed = https(front, "/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert unhashed.headers["Content-Encoding"] == "gzip"
    assert unhashed.headers["Cache-Control"] == "public, max-age=3600"

    image = https(front, "/media/anh/diem.png")
    assert image.status_code == 200 and image.content == PNG
    assert image.headers["Content-Type"] == "image/png"
    not_an_image = https(front, "/media/anh/trang.html")
    assert not_an_image.headers["Content-Type"] == "application/octet-stream"
    assert "sandbox" in not_an_image.headers["Content-Security-Policy"]

    served_by_app = front[2].read_text()
    assert "GET / " in served_by_app
    assert "/static/" not in served_by_app and "/media/" not in served_by_app


def test_plain_http_serves_the_health_check_and_redirects_the_rest(front):
    http_url = front[0]
    health = requests.get(http_url + "/healthz", headers={"Host": HOST}, timeout=10)
    assert (health.status_code, health.text) == (200, "ok")
    page = requests.get(
        http_url + "/tin-tuc/?trang=2",
        headers={"Host": HOST},
        allow_redirects=False,
        timeout=10,
    )
    assert page.status_code == 301
    assert page.headers["Location"] == f"https://{HOST}/tin-tuc/?trang=2"
    # A Host that is not the site's gets no answer at all.
    with pytest.raises(requests.ConnectionError):
        requests.get(http_url + "/", headers={"Host": "evil.example"}, timeout=10)


def test_a_client_script_name_has_no_effect_through_nginx(front):
    poisoned = https(front, "/chi-so-cchc/", headers={"SCRIPT_NAME": "/chi-so-cchc"})
    assert OVERVIEW_TITLE in poisoned.text
    assert OVERVIEW_TITLE in https(front, "/chi-so-cchc/").text
    assert https(front, "/tin-tuc/", headers={"SCRIPT_NAME": "/khac"}).ok
    assert HOME_TITLE in https(front, "/", headers={"PATH_INFO": "/tin-tuc/"}).text


def test_rate_limits_answer_429_with_a_vietnamese_page(front):
    logins = [
        https_post(front, "/quan-tri/login/", data={"username": "x", "password": "y"})
        for _ in range(10)
    ]
    statuses = [response.status_code for response in logins]
    assert 429 in statuses and statuses[0] != 429, statuses
    refused = logins[statuses.index(429)]
    assert "quá nhiều yêu cầu" in refused.text
    assert refused.headers["Retry-After"] == "60"
    assert refused.headers["Content-Type"] == "text/html; charset=utf-8"
    # Reading the login form is not limited.
    assert https(front, "/quan-tri/login/").status_code == 200

    # Sent together, as a scraper would: one after another on a busy machine,
    # each slow search would let the bucket (5 a second) refill in between.
    def search(_):
        url = front[1] + "/tim-kiem/?q=cải+cách"
        return requests.get(url, verify=False, timeout=30).status_code

    with warnings.catch_warnings(), ThreadPoolExecutor(max_workers=60) as pool:
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        searches = list(pool.map(search, range(60)))
    assert 200 in searches and 429 in searches, searches


class SlowClients:
    """Connections that send a request header line every second and never finish."""

    def __init__(self, host: str, port: int, count: int, tls: bool):
        self.stop = threading.Event()
        self.sockets = []
        for _ in range(count):
            sock = socket.create_connection((host, port), timeout=5)
            if tls:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                sock = context.wrap_socket(sock, server_hostname=HOST)
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {HOST}\r\n".encode())
            self.sockets.append(sock)
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self):
        line = 0
        while not self.stop.wait(1):
            line += 1
            for sock in self.sockets:
                try:
                    sock.sendall(f"X-Cham-{line}: a\r\n".encode())
                except OSError:
                    pass

    def close(self):
        self.stop.set()
        self.thread.join(5)
        for sock in self.sockets:
            sock.close()


def test_slow_clients_block_gunicorn_but_not_the_site_behind_nginx(front, site):
    # gunicorn alone (one worker, eight threads without Redis): a thread
    # waits on each slow client, and ten of them starve the health check.
    app = urlsplit(site.app)
    slow = SlowClients(app.hostname, app.port, count=10, tls=False)
    try:
        time.sleep(1.5)
        with pytest.raises(requests.Timeout):
            requests.get(site.app + "/healthz", timeout=3)
    finally:
        slow.close()

    # The same probe at nginx (fifty connections, even) blocks nothing.
    nginx = urlsplit(front[1])
    slow = SlowClients("127.0.0.1", nginx.port, count=50, tls=True)
    try:
        time.sleep(2.5)
        for _ in range(3):
            health = https(front, "/healthz")
            assert (health.status_code, health.text) == (200, "ok")
    finally:
        slow.close()
    # gunicorn recovers once its slow clients are gone.
    assert requests.get(site.app + "/healthz", timeout=10).text == "ok"


def test_the_matching_settings_pass_the_deployment_checklist(site):
    output = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=site.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert output.returncode == 0, output.stdout + output.stderr
    assert "System check identified no issues" in output.stdout
