"""Real servers started and stopped by tests: PostgreSQL, Redis, gunicorn.

Used by the outage and scale-out tests, which need processes they can stop
and start again. Each test gets its own servers on free loopback ports.
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
def app_server(env: dict[str, str], workers: int | None = 1, with_pid: bool = False):
    """gunicorn with the project's config on a free port.

    Yields its base URL (and the master's pid with `with_pid`). `workers=None`
    keeps the config's default (2 x cores + 1).
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
            "GUNICORN_ACCESS_LOG": "",
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
