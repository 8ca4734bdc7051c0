"""A shared cache without Redis? `make bench` (issue #18, item 2).

The embedded default (`make run`) runs one worker because its cache is per
process: with two, a publish handled by one would leave the other serving
old pages. This measures the backends that need no server of their own,
which several workers could share, against per-process memory and Redis:

- memory: LocMemCache, one worker (today's default);
- database: Django's DatabaseCache in the same PostgreSQL;
- file: FileBasedCache in a temporary folder;
- redis: a private redis-server.

Each with one worker (8 threads) and, for the shared ones, two workers (4
threads each, the same 8 threads): the cached article (page cache on,
warmed, every demo article in turn) and a miss (page cache off, the same
articles: shared blocks and the generation record still go through the
cache), wrk 1 thread, 16 connections, BENCH_SECONDS each. Each run is
followed by the same run on reference servers that stay up throughout
(memory, one worker): the machine is shared and its load moves, so the
ratio to the reference just after is the figure. (Not the bare view: with a
database or file cache, the page-cache middleware's lookup makes the bare
view itself slower.) A private PostgreSQL with
the demo data, or BENCH_DEMO_DATABASE_URL (a `bench_cache` table is added).
"""

import shutil
import sys
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    CONNECTIONS,
    SECONDS,
    demo_site,
    load_average,
    logger,
    summary,
    write_results,
    wrk,
)
from tests.servers import app_server, http_get, manage, own_redis_process  # noqa: E402

SHAPES = [
    ("memory", 1),
    ("database", 1),
    ("database", 2),
    ("file", 1),
    ("file", 2),
    ("redis", 1),
    ("redis", 2),
]
# gunicorn.conf.py runs several workers only when REDIS_URL is set; for the
# other shared backends the bench sets this unused address so it does, and
# bench/settings.py replaces the cache.
UNUSED_REDIS = "redis://127.0.0.1:1/0"


log = logger("shared cache")


def server_env(env: dict, workers: int, page_cache: str) -> dict:
    return {
        **env,
        "DJANGO_PAGE_CACHE_SECONDS": page_cache,
        "GUNICORN_THREADS": str(8 // workers),
    }


def run(base_url: str, articles: list[str]) -> dict:
    figures = wrk(
        base_url, articles, connections=CONNECTIONS, seconds=SECONDS, threads=1
    )
    return {**summary(figures), "errors": figures["errors_total"]}


def measure(env: dict, workers: int, articles: list[str], reference) -> dict:
    """The shape's cached and missed article, each followed by the same run on
    the reference servers (memory, one worker): the ratio is to that."""
    figures = {}
    for label, page_cache in (("cached", "600"), ("miss", "0")):
        with app_server(server_env(env, workers, page_cache), workers=workers) as url:
            for path in articles:
                http_get(url + path)
            figures[label] = run(url, articles)
        figures[label]["reference"] = run(reference[label], articles)
        figures[label]["ratio"] = round(
            figures[label]["rps"] / figures[label]["reference"]["rps"], 2
        )
    return figures


def main() -> int:
    from bench.run import collect_urls, machine

    report = {"machine": machine(), "seconds": SECONDS, "shapes": []}
    with (
        demo_site("cache", DJANGO_SETTINGS_MODULE="bench.settings") as (env, workdir),
        ExitStack() as stack,
    ):
        manage("createcachetable", env={**env, "BENCH_CACHE": "database"})
        articles = collect_urls(env)["article"]
        redis_url = None
        if shutil.which("redis-server"):
            _, redis_url = stack.enter_context(own_redis_process())
        memory_env = {**env, "BENCH_CACHE": "memory"}
        reference = {}
        for label, page_cache in (("cached", "600"), ("miss", "0")):
            reference[label] = stack.enter_context(
                app_server(server_env(memory_env, 1, page_cache), workers=1)
            )
            for path in articles:
                http_get(reference[label] + path)
        for backend, workers in SHAPES:
            shape_env = dict(env)
            if backend == "redis":
                if not redis_url:
                    log("redis-server is not installed: Redis skipped")
                    continue
                shape_env["REDIS_URL"] = redis_url
            elif backend == "memory":
                shape_env["BENCH_CACHE"] = "memory"
            else:
                shape_env.update(BENCH_CACHE=backend, REDIS_URL=UNUSED_REDIS)
                if backend == "file":
                    folder = workdir / f"cache-{workers}"
                    shape_env["BENCH_CACHE_DIR"] = str(folder)
            load = load_average()
            log(f"{backend}, {workers} worker(s), load {load}")
            figures = measure(shape_env, workers, articles, reference)
            report["shapes"].append(
                {"backend": backend, "workers": workers, "load": load, **figures}
            )

    print()
    print(
        f"Shared cache without Redis ({report['machine']['cores']} cores, "
        f"{report['machine']['platform']}): article cached and missed, wrk 1 "
        f"thread, {CONNECTIONS} connections, {SECONDS} s; each run is followed by "
        "the same run on a reference server (memory, 1 worker), the ratio is to it"
    )
    header = (
        f"{'backend':<10}{'workers':>8}{'cached req/s':>14}{'/ref':>7}{'p99 ms':>8}"
        f"{'miss req/s':>12}{'/ref':>7}{'p99 ms':>8}{'err':>5}  load"
    )
    print(header)
    print("-" * len(header))
    for shape in report["shapes"]:
        cached, miss = shape["cached"], shape["miss"]
        print(
            f"{shape['backend']:<10}{shape['workers']:>8}{cached['rps']:>14,.0f}"
            f"{cached['ratio']:>7.2f}{cached['p99_ms']:>8}{miss['rps']:>12,.0f}"
            f"{miss['ratio']:>7.2f}{miss['p99_ms']:>8}"
            f"{cached['errors'] + miss['errors']:>5}  {shape['load']}"
        )
    write_results("shared-cache", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
