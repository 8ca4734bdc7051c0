"""No stalls: cached p99 against p50, and a reload under load (issue #18, item 1).

A private PostgreSQL with the demo data (or BENCH_DEMO_DATABASE_URL, already
seeded: nothing is written to it), the page cache on and every demo article
stored first. gunicorn with the project's config
(cchc_portal/gunicorn.conf.py) in the shapes a site is run in:

- **make run**: no REDIS_URL, so one worker, 8 threads, the memory cache and
  the config's own recycling default (none for a lone worker);
- **Redis** (README, "Deploying"): REDIS_URL set (a private redis-server),
  the config's default workers (2 x cores + 1), threads and recycling
  (5000 +- 500 requests);
- **Redis, recycling often**: the same with GUNICORN_MAX_REQUESTS=
  BENCH_STALL_MAX_REQUESTS (default 2000), so that workers are recycled
  several times within the run and their overlap is what is measured;
- with `--workers 2,3,3x4`: the Redis shape again with WEB_CONCURRENCY set
  to each (to see what the default's oversubscription of the cores costs);
  `3x4` also sets GUNICORN_THREADS=4.

Each shape: wrk with 1 thread and 16 connections over the cached articles for
BENCH_STALL_SECONDS (default 60). Printed: req/s, p50, p99, max, p99/p50
(target <= 3), errors (socket errors and answers of 400 or above), and the
worker restarts during the run (worker pids seen under the master, sampled
every 0.1 s, beyond the ones it started with).

Then the reload: the Redis shape (the make run shape without redis-server)
under the same wrk run (bench/wrk_statuses.lua counts answers by status) for
BENCH_RELOAD_SECONDS (default 20), and SIGHUP to the gunicorn master at
seconds 5 and 12, as a deploy's graceful reload does. Printed: statuses,
socket errors (target 0 errors and answers other than 2xx), p50, p99, max,
and the workers replaced.
"""

import argparse
import os
import shutil
import signal
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    CONNECTIONS,
    demo_site,
    load_average,
    logger,
    summary,
    write_results,
    wrk_statuses,
)
from tests.servers import app_server, http_get, own_redis_process  # noqa: E402

SECONDS = int(os.environ.get("BENCH_STALL_SECONDS", "60"))
RELOAD_SECONDS = int(os.environ.get("BENCH_RELOAD_SECONDS", "20"))
RELOAD_AT = (5, 12)
SMALL_MAX_REQUESTS = os.environ.get("BENCH_STALL_MAX_REQUESTS", "2000")
RATIO_TARGET = 3

log = logger("stalls")


class WorkerWatch:
    """Worker pids under a gunicorn master, sampled every 0.1 s in a thread."""

    def __init__(self, master_pid: int):
        import psutil

        self.master = psutil.Process(master_pid)
        self.initial = self.workers()
        self.seen = set(self.initial)
        self.fewest = len(self.initial)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def workers(self) -> set[int]:
        return {child.pid for child in self.master.children()}

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            current = self.workers()
            self.seen |= current
            self.fewest = min(self.fewest, len(current))

    def __enter__(self) -> "WorkerWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def restarts(self) -> int:
        """Workers that appeared during the watch."""
        return len(self.seen - self.initial)


def readers(base_url: str, paths: list[str], seconds: int) -> dict:
    """wrk, 1 thread and 16 connections over `paths` for `seconds`."""
    figures = wrk_statuses(
        base_url, paths, connections=CONNECTIONS, seconds=seconds, threads=1
    )
    result = {
        **summary(figures),
        "max_ms": round(figures["latency_us"]["max"] / 1000, 1),
        "requests": figures["requests"],
        "statuses": figures["statuses"],
        "socket_errors": figures["errors"],
        "errors": figures["errors_total"],
        "not_2xx": sum(
            count for code, count in figures["statuses"].items() if code // 100 != 2
        ),
    }
    result["p99_over_p50"] = round(result["p99_ms"] / max(result["p50_ms"], 0.1), 2)
    return result


@contextmanager
def shape_server(env: dict, *, redis: str | None, **variables: str):
    """gunicorn (base URL, master pid) in a shape: Redis or not, plus `variables`.

    No GUNICORN_* or WEB_CONCURRENCY from the caller's environment: the
    config's defaults are what is measured unless `variables` say otherwise.
    """
    shaped = {
        key: value
        for key, value in env.items()
        if not key.startswith("GUNICORN_") and key not in ("WEB_CONCURRENCY",)
    }
    shaped.pop("REDIS_URL", None)
    if redis:
        shaped["REDIS_URL"] = redis
    shaped.update(variables)
    with app_server(shaped, workers=None, with_pid=True) as (base_url, pid):
        yield base_url, pid


def warm(base_url: str, paths: list[str]) -> None:
    """Every page stored, then read again (each worker's first hits are warm)."""
    for _ in range(2):
        for path in paths:
            http_get(base_url + path)


def stall_run(env: dict, paths: list[str], redis: str | None, **variables) -> dict:
    with shape_server(env, redis=redis, **variables) as (base_url, pid):
        warm(base_url, paths)
        load = load_average()
        with WorkerWatch(pid) as watch:
            figures = readers(base_url, paths, SECONDS)
        figures.update(
            workers=len(watch.initial),
            restarts=watch.restarts,
            load_before=load,
            load_after=load_average(),
        )
    return figures


def reload_run(env: dict, paths: list[str], redis: str | None) -> dict:
    with shape_server(env, redis=redis) as (base_url, pid):
        warm(base_url, paths)
        load = load_average()
        signals = []

        def reload_twice():
            started = time.monotonic()
            for second in RELOAD_AT:
                time.sleep(max(0.0, started + second - time.monotonic()))
                os.kill(pid, signal.SIGHUP)
                signals.append(round(time.monotonic() - started, 2))

        with WorkerWatch(pid) as watch:
            deployer = threading.Thread(target=reload_twice)
            deployer.start()
            figures = readers(base_url, paths, RELOAD_SECONDS)
            deployer.join()
        figures.update(
            workers=len(watch.initial),
            replaced=watch.restarts,
            fewest_workers=watch.fewest,
            hup_at_s=signals,
            load_before=load,
            load_after=load_average(),
        )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workers",
        default="",
        help="also the Redis shape with WEB_CONCURRENCY set to each (comma list;"
        " 3x4 sets GUNICORN_THREADS=4 too)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    from bench.run import collect_urls, machine, verdict

    report = {
        "machine": machine(),
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "shapes": {},
    }
    with demo_site("stalls") as (env, _), ExitStack() as stack:
        redis = None
        if shutil.which("redis-server"):
            _, redis = stack.enter_context(own_redis_process())
        else:
            log("redis-server is missing: the make run shape only")
        paths = collect_urls(env)["article"]
        report["articles"] = len(paths)
        shapes = {"make run (1 worker, 8 threads, memory cache)": (None, {})}
        if redis:
            shapes["Redis (config's workers, threads, recycling)"] = (redis, {})
            shapes[f"Redis, GUNICORN_MAX_REQUESTS={SMALL_MAX_REQUESTS}"] = (
                redis,
                {"GUNICORN_MAX_REQUESTS": SMALL_MAX_REQUESTS},
            )
            for shape in filter(None, args.workers.split(",")):
                count, _, threads = shape.strip().partition("x")
                variables = {"WEB_CONCURRENCY": count}
                name = f"Redis, WEB_CONCURRENCY={count}"
                if threads:
                    variables["GUNICORN_THREADS"] = threads
                    name += f", GUNICORN_THREADS={threads}"
                shapes[name] = (redis, variables)
        for name, (redis_url, variables) in shapes.items():
            log(f"{name}: {SECONDS} s, load {load_average()}")
            report["shapes"][name] = stall_run(env, paths, redis_url, **variables)
        report["reload_shape"] = "Redis shape" if redis else "make run shape"
        log(f"reload: {RELOAD_SECONDS} s, SIGHUP at {RELOAD_AT}, load {load_average()}")
        report["reload"] = reload_run(env, paths, redis)

    print()
    print(
        f"Stalls ({report['machine']['cores']} cores); cached articles "
        f"({report['articles']} pages, stored first), wrk 1 thread, {CONNECTIONS} "
        f"connections, {SECONDS} s a shape"
    )
    header = (
        f"  {'shape':<46}{'workers':>8}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'max ms':>8}{'p99/p50':>8}{'err':>5}{'restarts':>9}  load avg before/after"
    )
    print(header)
    report["verdicts"] = {}
    for name, figures in report["shapes"].items():
        met = figures["p99_over_p50"] <= RATIO_TARGET and figures["errors"] == 0
        report["verdicts"][name] = met
        print(
            f"  {name:<46}{figures['workers']:>8}{figures['rps']:>8,.0f}"
            f"{figures['p50_ms']:>8}{figures['p99_ms']:>8}{figures['max_ms']:>8}"
            f"{figures['p99_over_p50']:>8}{figures['errors']:>5}"
            f"{figures['restarts']:>9}  {figures['load_before']} / "
            f"{figures['load_after']}"
        )
    for name, met in report["verdicts"].items():
        print(f"  target p99/p50 <= {RATIO_TARGET}, 0 errors: {name}: {verdict(met)}")
    reload = report["reload"]
    met = reload["errors"] == 0 and reload["not_2xx"] == 0
    report["verdicts"]["reload"] = met
    print(
        f"  reload ({report['reload_shape']}, {RELOAD_SECONDS} s, SIGHUP to the "
        f"master at "
        f"{reload['hup_at_s']} s): {reload['rps']:,.0f} req/s, p50 "
        f"{reload['p50_ms']} ms, p99 {reload['p99_ms']} ms, max {reload['max_ms']} "
        f"ms; statuses {reload['statuses']}, socket errors {reload['socket_errors']}"
        f"; {reload['replaced']} workers replaced ({reload['workers']} serving, "
        f"fewest seen {reload['fewest_workers']}); load {reload['load_before']} / "
        f"{reload['load_after']}"
    )
    print(
        "  target: no socket error and only 2xx answers through the reloads: "
        f"{verdict(met)}"
    )
    write_results("stalls", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
