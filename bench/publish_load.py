"""Publish under load, `make bench` (issue #18, item 7).

A private PostgreSQL with the demo data (or BENCH_DEMO_DATABASE_URL, already
seeded: the run adds one article to it), gunicorn in the `make run` shape
(one worker, 8 threads, memory cache, page cache on) or, with `--redis`, the
Redis shape (the config's workers, a private redis-server). wrk with 100
connections reads home, every article and the rankings
(bench/wrk_statuses.lua counts answers by status) for a warm-up run, then
for PUBLISH_SECONDS (default 10) more, and 0.5 s into that second run an
editor publishes a new article through news.services: a draft written
before the load (article_save) is published (article_publish, as the admin
does), in a request to the server itself (bench/urls.py,
`/__bench__/publish/<id>`): with the `make run` shape's
per-process cache, only the server's own publish ends its cached pages.
Every page then becomes a miss of the new generation at once.

Printed: the publish's own time, errors in the run after it (socket errors
plus non-2xx answers; target 0), its p50 and p99 (target p99 ≤ 200 ms), and
the same for the warm-up run beside it.
"""

import argparse
import json
import os
import shutil
import sys
import threading
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import SECONDS as WARM_SECONDS  # noqa: E402
from bench.harness import (  # noqa: E402
    demo_site,
    load_average,
    logger,
    summary,
    write_results,
    wrk_statuses,
)
from tests.servers import app_server, http_get, own_redis_process  # noqa: E402

CONNECTIONS = 100
# After the publish; the warm-up before it lasts BENCH_SECONDS (WARM_SECONDS).
SECONDS = int(os.environ.get("PUBLISH_SECONDS", "10"))
P99_TARGET_MS = 200
PUBLISH_AFTER_SECONDS = 0.5

log = logger("publish")


def post(url: str) -> dict:
    request = urllib.request.Request(url, data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def readers(base_url: str, paths: list[str], seconds: int) -> dict:
    """wrk's readers over `paths` for `seconds`: errors are socket errors and
    answers of 400 or above."""
    figures = wrk_statuses(base_url, paths, connections=CONNECTIONS, seconds=seconds)
    return {
        "requests": figures["requests"],
        **summary(figures),
        "statuses": figures["statuses"],
        "errors": figures["errors_total"],
        "max_ms": round(figures["latency_us"]["max"] / 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", action="store_true", help="the Redis shape")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    from bench.run import collect_urls, machine, verdict

    report = {"machine": machine(), "connections": CONNECTIONS, "seconds": SECONDS}
    with (
        demo_site("publish", DJANGO_SETTINGS_MODULE="bench.settings") as (env, _),
        ExitStack() as stack,
    ):
        workers = 1
        shape = "make run shape: 1 worker, 8 threads, memory cache"
        if args.redis:
            if not shutil.which("redis-server"):
                raise SystemExit("--redis needs redis-server")
            _, env["REDIS_URL"] = stack.enter_context(own_redis_process())
            workers = None
            shape = "Redis shape: the config's workers (2 x cores + 1), 2 threads"
        report["shape"] = shape
        urls = collect_urls(env)
        paths = ["/"] + urls["article"] + urls["ranking"]
        with app_server(env, workers=workers) as base_url:
            draft = post(base_url + "/__bench__/draft")["id"]
            for path in paths:  # every page stored: the warm-up is all hits
                http_get(base_url + path)
            log(f"warm-up: {WARM_SECONDS} s, load {load_average()}")
            report["load_before"] = load_average()
            report["before"] = readers(base_url, paths, WARM_SECONDS)
            publish = {}

            def publish_soon():
                time.sleep(PUBLISH_AFTER_SECONDS)
                started = time.perf_counter()
                answer = post(f"{base_url}/__bench__/publish/{draft}")
                publish["request_seconds"] = round(time.perf_counter() - started, 3)
                publish.update(answer)
                status, body = http_get(base_url + answer["url"])
                publish["new_article_status"] = status
                # Readers may get the last generation's copy while the
                # new one renders: how long until home shows the article.
                published = time.monotonic()
                while time.monotonic() - published < SECONDS:
                    if answer["url"] in http_get(base_url + "/")[1]:
                        publish["on_home_page_after_s"] = round(
                            time.monotonic() - published, 2
                        )
                        break
                    time.sleep(0.1)

            log("publishing under load")
            editor = threading.Thread(target=publish_soon)
            editor.start()
            report["after"] = readers(base_url, paths, SECONDS)
            editor.join()
            report["publish"] = publish
            report["load_after"] = load_average()

    before, after = report["before"], report["after"]
    met = (
        after["errors"] == 0
        and after["p99_ms"] <= P99_TARGET_MS
        and "on_home_page_after_s" in report["publish"]
    )
    report["meets_target"] = met
    print()
    print(
        f"Publish under load ({report['machine']['cores']} cores; {shape}); wrk "
        f"{CONNECTIONS} connections over home, {len(urls['article'])} articles and "
        f"{len(urls['ranking'])} rankings; load average {report['load_before']} "
        f"-> {report['load_after']}"
    )
    publish = report["publish"]
    print(
        f"  publish (article_publish): {publish.get('seconds')} s, "
        f"the request {publish.get('request_seconds')} s; the new article answers "
        f"{publish.get('new_article_status')}, shown on the home page after "
        f"{publish.get('on_home_page_after_s', 'more than ' + str(SECONDS))} s"
    )
    for label, figures in (
        (f"before ({WARM_SECONDS} s)", before),
        (f"after the publish ({SECONDS} s)", after),
    ):
        print(
            f"  {label:<26} {figures['rps']:>8,.0f} req/s  p50 {figures['p50_ms']} "
            f"ms  p99 {figures['p99_ms']} ms  max {figures['max_ms']} ms  "
            f"errors {figures['errors']}  statuses {figures['statuses']}"
        )
    print(
        f"  target: 0 errors and p99 <= {P99_TARGET_MS} ms in the {SECONDS} s after "
        f"the publish: {verdict(met)}"
    )
    suffix = "-redis" if args.redis else ""
    write_results(f"publish{suffix}", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
