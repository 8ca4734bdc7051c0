"""Real servers started and stopped by tests: PostgreSQL, Redis, gunicorn, nginx.

Used by the outage, scale-out and front tests, which need processes they can
stop and start again. Each test gets its own servers on free loopback ports.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url: str, timeout: float = 10) -> tuple[int, str]:
    """GET a URL and return (status, body) without raising on 4xx/5xx."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for(condition, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"condition not met within {timeout}s")


class OwnPostgres:
    """A throwaway PostgreSQL (pgserver's binaries) that a test can stop and start."""

    def __init__(self, data_dir: Path):
        import pgserver

        self.data_dir = data_dir
        self.server = pgserver.get_server(data_dir, cleanup_mode="delete")
        self.socket_dir = self.server.get_postmaster_info().socket_dir

    @property
    def url(self) -> str:
        return f"postgres://postgres@{quote(str(self.socket_dir), safe='')}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        from pgserver import _commands

        _commands.pg_ctl(
            list(args), pgdata=self.data_dir, user=self.server.system_user, timeout=30
        )

    def stop(self) -> None:
        self._pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        self._pg_ctl(
            "-w",
            "-o",
            '-h ""',
            "-o",
            f"-k {self.socket_dir}",
            "-l",
            str(self.data_dir / "log"),
            "start",
        )

    def close(self) -> None:
        self.server.cleanup()


@contextmanager
def own_postgres():
    """A private PostgreSQL in its own temporary folder, removed afterwards.

    Not under pytest's tmp_path: the server runs as another system user when
    tests run as root, and pytest's private folders (and their clean-up by a
    concurrent run) would get in its way.
    """
    folder = Path(tempfile.mkdtemp(prefix="cchc-test-pg-"))
    postgres = OwnPostgres(folder / "pgdata")
    try:
        yield postgres
    finally:
        postgres.close()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def own_redis():
    """A private redis-server on a free port (the test is skipped without one)."""
    import pytest

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with own_redis_process() as (process, url):
        yield process, url


@contextmanager
def own_redis_process():
    """A private redis-server on a free port: yields (process, redis URL)."""
    binary = shutil.which("redis-server")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _accepts(port), timeout=10)
        yield process, f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def production_env(**overrides: str) -> dict[str, str]:
    """Environment for an app server in production mode on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SECRET_KEY="server-tests-" + "s3cr3t" * 8,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_HTTPS="0",
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str], timeout: float | None = 300) -> str:
    """Run a manage.py command for a server under test; returns its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr}")
    return result.stdout


@contextmanager
def app_server(
    env: dict[str, str],
    workers: int | None = 1,
    with_pid: bool = False,
    access_log: Path | None = None,
):
    """gunicorn with the project's config on a free port.

    Yields its base URL (and the master's pid with `with_pid`). `workers=None`
    keeps the config's default (2 x cores + 1); `access_log` is a file for
    gunicorn's access log (off otherwise).
    """
    port = free_port()
    # A file, not a pipe: a full pipe would block the server's logging.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "cchc_portal/gunicorn.conf.py", "cchc_portal.wsgi"],
        cwd=ROOT,
        env={
            **env,
            "PORT": str(port),
            **({"WEB_CONCURRENCY": str(workers)} if workers else {}),
            "GUNICORN_ACCESS_LOG": str(access_log) if access_log else "",
        },
        stdout=log,
        stderr=log,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _accepts(port) or process.poll() is not None, timeout=60)
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(log.read().decode())
        yield (base_url, process.pid) if with_pid else base_url
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


NGINX = Path(shutil.which("nginx") or "/usr/sbin/nginx")
BROTLI_STATIC = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
NGINX_SITE = ROOT / "deploy" / "nginx" / "cchc-portal.conf"
NGINX_PROXY = ROOT / "deploy" / "nginx" / "cchc-proxy.conf"
NGINX_ERRORS = ROOT / "deploy" / "nginx" / "errors"


def nginx_missing() -> str | None:
    """Why the shipped nginx front cannot run here (None when it can)."""
    if not NGINX.exists():
        return "nginx is not installed (Debian: apt-get install nginx)"
    if not BROTLI_STATIC.exists():
        return (
            "nginx's brotli module is not installed "
            "(Debian: apt-get install libnginx-mod-http-brotli-static)"
        )
    if not shutil.which("openssl"):
        return "openssl is not installed (needed for a test certificate)"
    return None


def _site_config(replacements: dict[str, str]) -> str:
    """deploy/nginx/cchc-portal.conf with its "SET:" values replaced.

    Every value must be found: a renamed path in the shipped file fails the
    test instead of silently testing something else.
    """
    text = NGINX_SITE.read_text()
    # IPv6 listeners are dropped: tests listen on 127.0.0.1 only.
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)
    for old, new in replacements.items():
        if old not in text:
            raise AssertionError(f"{old!r} is no longer in {NGINX_SITE}")
        text = text.replace(old, new)
    return text


@contextmanager
def front_proxy(
    *, upstream: str, static_root: Path, media_root: Path, host: str = "localhost"
):
    """nginx with the shipped site config in front of `upstream` (host:port).

    Listens on 127.0.0.1 on free ports with a throwaway self-signed
    certificate for `host`; yields (http_url, https_url).
    """
    folder = Path(tempfile.mkdtemp(prefix="cchc-test-nginx-"))
    http_port, https_port = free_port(), free_port()
    try:
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}",
                "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        site = _site_config(
            {
                "server 127.0.0.1:8000;": f"server {upstream};",
                "listen 80;": f"listen 127.0.0.1:{http_port};",
                "listen 80 default_server;": f"listen 127.0.0.1:{http_port} "
                "default_server;",
                "listen 443 ssl default_server;": f"listen 127.0.0.1:{https_port} "
                "ssl default_server;",
                "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
                "server_name cchc.example.gov.vn;": f"server_name {host};",
                "/etc/ssl/cchc/fullchain.pem": str(folder / "cert.pem"),
                "/etc/ssl/cchc/privkey.pem": str(folder / "key.pem"),
                "/srv/cchc/static/": f"{static_root}/",
                "/srv/cchc/media/": f"{media_root}/",
                "/srv/cchc/app/deploy/nginx/errors/": f"{NGINX_ERRORS}/",
                "/etc/nginx/cchc-proxy.conf": str(NGINX_PROXY),
            }
        )
        (folder / "cchc-portal.conf").write_text(site)
        temp = folder / "tmp"
        temp.mkdir()
        (folder / "nginx.conf").write_text(
            f"""
# Root runs the workers as root too: they read files in private temp folders.
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
load_module {BROTLI_STATIC};
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {folder}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/cchc-portal.conf;
}}
"""
        )
        command = [
            str(NGINX), "-p", str(folder), "-e", str(folder / "error.log"),
            "-c", str(folder / "nginx.conf"),
        ]  # fmt: skip
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t refused the config:\n{checked.stderr}")
        process = subprocess.Popen(
            [*command, "-g", f"daemon off; pid {folder}/nginx.pid;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: _accepts(https_port) or process.poll() is not None, 10)
            if process.poll() is not None:
                raise RuntimeError((folder / "error.log").read_text())
            yield f"http://127.0.0.1:{http_port}", f"https://{host}:{https_port}"
        finally:
            process.terminate()
            process.wait(10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


PG_BINARIES = Path("/usr/lib/postgresql/15/bin")


def pg_binaries_missing() -> str | None:
    """Why Debian's PostgreSQL 15 server binaries cannot run here (None if they can)."""
    if not (PG_BINARIES / "pg_ctl").exists():
        return f"no PostgreSQL 15 server in {PG_BINARIES} (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, but there is no postgres user to run the server as"
    return None


class DebianPostgres:
    """One PostgreSQL 15 server (Debian's binaries) on 127.0.0.1:port, trust auth.

    The binaries refuse to run as root: as root they run as the postgres user.
    """

    def __init__(self, data_dir: Path, port: int):
        self.data_dir = data_dir
        self.port = port

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, tool: str, *args: str, check: bool = True) -> str:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*prefix, str(PG_BINARIES / tool), *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd="/",
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def start(self) -> None:
        self.run(
            "pg_ctl", "-D", str(self.data_dir), "-w", "-t", "60",
            "-l", str(self.data_dir.parent / f"{self.data_dir.name}.log"),
            "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.data_dir.parent}",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data_dir), "-w", "-m", "fast", "stop")

    def sql(self, statement: str, database: str = "postgres") -> str:
        return self.run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-d", database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-c", statement,
        ).strip()  # fmt: skip


@contextmanager
def streaming_pair():
    """A primary and a streaming replica (pg_basebackup -R), both running.

    Yields (primary, replica) DebianPostgres servers; both are stopped and
    their folder removed afterwards.
    """
    folder = Path(tempfile.mkdtemp(prefix="cchc-test-replica-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    primary = DebianPostgres(folder / "primary", free_port())
    replica = DebianPostgres(folder / "replica", free_port())
    started = []
    try:
        primary.run(
            "initdb", "-D", str(primary.data_dir), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        primary.start()
        started.append(primary)
        primary.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port),
            "-U", "postgres", "-D", str(replica.data_dir), "-R", "-X", "stream",
        )  # fmt: skip
        replica.start()
        started.append(replica)
        yield primary, replica
    finally:
        for server in reversed(started):
            server.run("pg_ctl", "-D", str(server.data_dir), "-m", "immediate",
                       "stop", check=False)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
