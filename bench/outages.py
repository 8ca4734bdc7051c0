"""Outages and restores, measured: `python bench/outages.py` (part of `make bench`).

A private PostgreSQL and Redis with the demo data (`seed_demo`), gunicorn
with production settings and the config's default workers. Twice, for 60 s
each, wrk reads a mix of every page type over 50 connections while one
server is taken away for 10 s (PostgreSQL in the first run, Redis in the
second); a probe asks /healthz and the home page every 0.1 s, and an
editor saves an article while the server is away. Printed: answers by
status, the probe's time to recover after the server is back, and whether
the editor's save either went through whole or was refused with a message.

Then a backup (`manage.py backup`) is restored (`manage.py restore`) into a
fresh database, and every table's row count and checksum (md5 of its rows
in order) are compared with the original, and the media files too.

Environment: OUTAGE_SECONDS (default 60), OUTAGE_CONNECTIONS (default 50),
OUTAGE_DOWN_SECONDS (default 10).
"""

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from cchc_portal.runtime.backups import database_fingerprint  # noqa: E402
from tests.servers import (  # noqa: E402
    app_server,
    free_port,
    manage,
    own_postgres,
    production_env,
    wait_for,
)

RESULTS_DIR = ROOT / "bench" / "results"
WRK_SCRIPT = ROOT / "bench" / "wrk_statuses.lua"
SECONDS = int(os.environ.get("OUTAGE_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("OUTAGE_CONNECTIONS", "50"))
DOWN_SECONDS = int(os.environ.get("OUTAGE_DOWN_SECONDS", "10"))
# When, into the run, the server goes away and the editor saves.
DOWN_AT = SECONDS // 3
SAVE_AFTER = 3
PROBE_INTERVAL = 0.1
# The demo reviewer made by `seed_demo --admin`.
EDITOR = ("duyetbai", "duyet-bai-cchc-2026")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class RestartableRedis:
    """redis-server on one fixed port that can be stopped and started again."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--bind", "127.0.0.1", "--port", str(self.port),
                "--save", "", "--appendonly", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: _accepts(self.port), timeout=10, interval=0.02)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def redis_server():
    redis = RestartableRedis()
    redis.start()
    try:
        yield redis
    finally:
        if redis.process and redis.process.poll() is None:
            redis.stop()


class Probe(threading.Thread):
    """GET /healthz and / every PROBE_INTERVAL s; keeps (time, path, status)."""

    def __init__(self, base_url: str):
        super().__init__(daemon=True)
        self.base_url = base_url
        self.samples: list[tuple[float, str, int]] = []
        self.cache_hits: list[float] = []  # when the home page came from the cache
        self.halt = threading.Event()

    def run(self):
        session = requests.Session()
        while not self.halt.is_set():
            for path in ("/healthz", "/"):
                try:
                    response = session.get(self.base_url + path, timeout=5)
                    status = response.status_code
                    if response.headers.get("X-Page-Cache") == "HIT":
                        self.cache_hits.append(time.monotonic())
                except requests.RequestException:
                    status = 0  # no answer at all
                self.samples.append((time.monotonic(), path, status))
            self.halt.wait(PROBE_INTERVAL)

    def cache_back_after(self, moment: float) -> float | None:
        """Seconds from `moment` to the first page served from the cache again."""
        later = [when for when in self.cache_hits if when >= moment]
        return round(later[0] - moment, 2) if later else None

    def recovered_after(self, moment: float, path: str) -> float | None:
        """Seconds from `moment` to the first 200 of `path` after which all are 200.

        None when `path` never failed (nothing to recover from).
        """
        if not self.failures(path):
            return None
        after = [(t, s) for t, p, s in self.samples if p == path and t >= moment]
        for index, (when, _status) in enumerate(after):
            if all(s == 200 for _, s in after[index:]):
                return round(when - moment, 2)
        return None

    def failures(self, path: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, p, status in self.samples:
            if p == path and status != 200:
                key = str(status) if status else "no answer"
                counts[key] = counts.get(key, 0) + 1
        return counts


ARTICLE_STATE = """
import json
from news.models import Article
article = Article.objects.get(pk={pk})
print(json.dumps({{
    "title": article.title,
    "tags": sorted(article.tags.values_list("pk", flat=True)),
    "versions": article.history.count(),
}}))
"""

FORM_DATA = """
import json
from news.models import Article, Tag
from tests.news.admin_forms import article_form_data
article = Article.objects.filter(status="published").order_by("pk").first()
data = article_form_data(article)
data["tags"] = [str(pk) for pk in data.get("tags", [])]
other = Tag.objects.exclude(pk__in=article.tags.all()).order_by("pk").first()
print(json.dumps({{"pk": article.pk, "form": data, "other_tag": other.pk}}))
"""


class Editor:
    """A logged-in reviewer who saves one article through the admin."""

    def __init__(self, base_url: str, env: dict):
        self.base_url = base_url
        self.env = env
        self.session = requests.Session()
        login = f"{base_url}/quan-tri/login/"
        page = self.session.get(login, timeout=10).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        self.session.post(
            login + "?next=/quan-tri/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": EDITOR[0],
                "password": EDITOR[1],
            },
            headers={"Referer": login},
            timeout=10,
        ).raise_for_status()

    def state(self, pk: int) -> dict:
        output = manage("shell", "-c", ARTICLE_STATE.format(pk=pk), env=self.env)
        return json.loads(output.strip().splitlines()[-1])

    def prepare(self) -> None:
        """Open the article's form (before the outage): fields and CSRF token."""
        output = manage("shell", "-c", FORM_DATA.format(), env=self.env)
        found = json.loads(output.strip().splitlines()[-1])
        self.pk, self.form, self.other_tag = (
            found["pk"],
            found["form"],
            found["other_tag"],
        )
        self.change_url = f"{self.base_url}/quan-tri/news/article/{self.pk}/change/"
        page = self.session.get(self.change_url, timeout=10).text
        self.token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page
        ).group(1)
        self.before = self.state(self.pk)

    def save(self, label: str) -> dict:
        """Change the title and the tags in one save; return how it was answered."""
        data = {
            **self.form,
            "csrfmiddlewaretoken": self.token,
            "title": f"{self.form['title']} ({label})",
            "tags": [*self.form["tags"], str(self.other_tag)],
        }
        try:
            response = self.session.post(
                self.change_url,
                data=data,
                headers={"Referer": self.change_url},
                allow_redirects=False,
                timeout=15,
            )
        except requests.RequestException as error:
            return {"status": 0, "message": str(error)[:80]}
        message = ""
        if response.status_code == 503:
            found = re.search(r"<h1>(.*?)</h1>", response.text, re.S)
            message = found.group(1).strip() if found else ""
        return {
            "status": response.status_code,
            "saved": response.status_code == 302,
            "message": message,
            "title": data["title"],
            "tags": sorted(int(pk) for pk in data["tags"]),
        }

    def verdict(self, attempt: dict) -> dict:
        """Whole or nothing: the stored article is either the save or the before."""
        after = self.state(self.pk)
        if attempt.get("saved"):
            whole = (
                after["title"] == attempt["title"]
                and after["tags"] == attempt["tags"]
                and after["versions"] == self.before["versions"] + 1
            )
            outcome = "saved whole" if whole else "HALF-APPLIED"
        else:
            untouched = after == self.before
            refused = bool(attempt.get("message"))
            outcome = (
                f"refused with “{attempt['message']}”, nothing changed"
                if untouched and refused
                else "refused without a message"
                if untouched
                else "HALF-APPLIED"
            )
        return {**attempt, "outcome": outcome, "ok": "HALF" not in outcome}


def wrk(base_url: str, paths: list[str]) -> subprocess.Popen:
    handle = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    handle.write("\n".join(paths))
    handle.close()
    return subprocess.Popen(
        [
            "wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s",
            "-s", str(WRK_SCRIPT), base_url + paths[0],
        ],
        env={**os.environ, "BENCH_PATHS": handle.name},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def outage_run(base_url, paths, *, name, stop, start, editor) -> dict:
    """One loaded run with `name` taken away for DOWN_SECONDS in the middle."""
    editor.prepare()
    probe = Probe(base_url)
    load = wrk(base_url, paths)
    probe.start()
    began = time.monotonic()
    time.sleep(DOWN_AT)
    stop()
    stopped = time.monotonic()
    time.sleep(SAVE_AFTER)
    attempt = editor.save(f"sửa trong lúc {name} ngừng")
    time.sleep(max(0, stopped + DOWN_SECONDS - time.monotonic()))
    start()
    restarted = time.monotonic()
    output, errors = load.communicate(timeout=SECONDS + 60)
    probe.halt.set()
    probe.join(10)
    figures = json.loads(output.strip().splitlines()[-1])
    return {
        "server": name,
        "down_from_s": round(stopped - began, 1),
        "down_for_s": round(restarted - stopped, 1),
        "requests": figures["requests"],
        "statuses": dict(sorted(figures["statuses"].items())),
        "socket_errors": figures["errors"],
        "p99_ms": round(figures["latency_us"]["p99"] / 1000, 1),
        "max_ms": round(figures["latency_us"]["max"] / 1000, 1),
        "healthz_failures": probe.failures("/healthz"),
        "home_failures": probe.failures("/"),
        "healthz_recovered_s": probe.recovered_after(restarted, "/healthz"),
        "home_recovered_s": probe.recovered_after(restarted, "/"),
        "page_cache_back_s": probe.cache_back_after(restarted),
        "cache_served_during_outage": any(
            stopped <= when < restarted for when in probe.cache_hits
        ),
        "editor_save": editor.verdict(attempt),
    }


def media_fingerprints(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def backup_and_restore(env: dict, postgres, media_root: Path, workdir: Path) -> dict:
    """Back up, restore into a fresh database and folder, compare everything."""
    import psycopg2

    socket_dir = str(postgres.socket_dir)
    connect = {"host": socket_dir, "user": "postgres"}
    started = time.monotonic()
    output = manage("backup", "--output-dir", str(workdir / "backups"), env=env)
    archive = re.search(r"Backup written: (\S+)", output).group(1)
    backup_seconds = time.monotonic() - started

    admin = psycopg2.connect(dbname="postgres", **connect)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("CREATE DATABASE restored")
    admin.close()
    restored_media = workdir / "restored-media"
    restore_env = {
        **env,
        "DATABASE_URL": f"postgres://postgres@{quote(socket_dir, safe='')}/restored",
        "DJANGO_MEDIA_ROOT": str(restored_media),
    }
    started = time.monotonic()
    manage("restore", archive, "--yes", env=restore_env)
    restore_seconds = time.monotonic() - started

    original = database_fingerprint(
        {"NAME": "postgres", "HOST": socket_dir, "USER": "postgres"}
    )
    restored = database_fingerprint(
        {"NAME": "restored", "HOST": socket_dir, "USER": "postgres"}
    )
    differing = sorted(
        table
        for table in original.keys() | restored.keys()
        if original.get(table) != restored.get(table)
    )
    media_before = media_fingerprints(media_root)
    media_after = media_fingerprints(restored_media)
    return {
        "archive_mb": round(Path(archive).stat().st_size / 2**20, 1),
        "backup_s": round(backup_seconds, 1),
        "restore_s": round(restore_seconds, 1),
        "tables": len(original),
        "rows": sum(count for count, _ in original.values()),
        "tables_differing": differing,
        "media_files": len(media_before),
        "media_identical": media_before == media_after,
    }


def print_report(report: dict) -> None:
    print(
        f"outages under load: {CONNECTIONS} connections, {SECONDS} s a run, "
        f"one server away for {DOWN_SECONDS} s from second {DOWN_AT}"
    )
    for run in report["runs"]:
        statuses = ", ".join(f"{k}: {v}" for k, v in run["statuses"].items())
        sockets = {k: v for k, v in run["socket_errors"].items() if v}
        print(
            f"  {run['server']} down {run['down_for_s']} s: {run['requests']} "
            f"requests ({statuses}; socket errors {sockets or 0}); "
            f"p99 {run['p99_ms']} ms, max {run['max_ms']} ms"
        )
        recovered = [
            f"{path} {seconds} s"
            for path, seconds in (
                ("/healthz", run["healthz_recovered_s"]),
                ("home", run["home_recovered_s"]),
            )
            if seconds is not None
        ]
        print(
            f"    probe every {PROBE_INTERVAL} s: /healthz failures "
            f"{run['healthz_failures'] or 0}, home failures "
            f"{run['home_failures'] or 0}; back to 200 after the server was back: "
            f"{', '.join(recovered) or 'nothing failed'}; "
            + (
                "the page cache kept serving throughout"
                if run["cache_served_during_outage"]
                else f"pages from the cache again {run['page_cache_back_s']} s "
                "after the server was back"
            )
        )
        save = run["editor_save"]
        print(f"    editor's save during the outage: {save['outcome']}")
    restore = report["restore"]
    verdict = (
        "identical"
        if not restore["tables_differing"] and restore["media_identical"]
        else f"DIFFERENT: {restore['tables_differing']}"
    )
    print(
        f"backup → restore into a fresh database: {restore['tables']} tables, "
        f"{restore['rows']} rows, {restore['media_files']} media files: {verdict} "
        f"(row counts and md5 of every table; archive {restore['archive_mb']} MB, "
        f"backup {restore['backup_s']} s, restore {restore['restore_s']} s)"
    )


def main() -> dict:
    if not shutil.which("wrk") or not shutil.which("redis-server"):
        raise SystemExit("bench/outages.py needs wrk and redis-server (apt-get).")
    from bench.run import collect_urls

    workdir = Path(tempfile.mkdtemp(prefix="cchc-bench-outages-"))
    report = {"started_at": datetime.now().astimezone().isoformat()}
    try:
        with own_postgres() as postgres, redis_server() as redis:
            media_root = workdir / "media"
            env = production_env(
                DATABASE_URL=postgres.url,
                REDIS_URL=redis.url,
                DJANGO_MEDIA_ROOT=str(media_root),
                DJANGO_PAGE_CACHE_HEADER="1",
                DJANGO_LOG_LEVEL="CRITICAL",
            )
            log("outages: migrate and seed_demo on a private PostgreSQL")
            manage("migrate", "--noinput", "-v", "0", env=env, timeout=None)
            manage("seed_demo", "--admin", env=env, timeout=None)
            urls = collect_urls(env)
            mix = [path for paths in urls.values() for path in paths[:50]]
            with app_server(env, workers=None) as base_url:
                # Pages that exist in the demo data (the URL sampler also
                # names pages of the 100,000-article dataset); warmed.
                mix = [
                    path
                    for path in mix
                    if requests.get(base_url + path, timeout=30).status_code == 200
                ]
                # One request in ten needs the database whatever the cache
                # holds (the health check, never cached), as cache misses do.
                with_database = []
                for index, path in enumerate(mix, 1):
                    with_database.append(path)
                    if index % 9 == 0:
                        with_database.append("/healthz")
                mix = with_database
                editor = Editor(base_url, env)
                report["runs"] = []
                for name, server in (("PostgreSQL", postgres), ("Redis", redis)):
                    log(f"outages: {SECONDS} s of load, {name} away {DOWN_SECONDS} s")
                    report["runs"].append(
                        outage_run(
                            base_url,
                            mix,
                            name=name,
                            stop=server.stop,
                            start=server.start,
                            editor=editor,
                        )
                    )
            log("outages: backup, restore into a fresh database, compare")
            report["restore"] = backup_and_restore(env, postgres, media_root, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(report)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    result_file = RESULTS_DIR / f"outages-{datetime.now():%Y%m%d-%H%M%S}.json"
    result_file.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"figures written to {result_file.relative_to(ROOT)}")
    return report


if __name__ == "__main__":
    main()
