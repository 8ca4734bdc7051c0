"""What the benchmark scripts share: a demo site to measure, wrk, the results.

Built on the servers of tests/servers.py (own_postgres, production_env,
app_server, manage): a demo database set up once per script, wrk runs read
from the JSON line that bench/wrk_report.lua or bench/wrk_statuses.lua
prints, runs repeated in alternating rounds, and the JSON file each script
leaves in bench/results/.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers import ROOT, manage, own_postgres, production_env

# What the scripts' wrk runs share unless they say otherwise: BENCH_SECONDS
# each, BENCH_ROUNDS alternating rounds, and issue #18's shape (16
# connections, one wrk thread).
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 16

RESULTS_DIR = ROOT / "bench" / "results"
WRK_REPORT = ROOT / "bench" / "wrk_report.lua"
WRK_STATUSES = ROOT / "bench" / "wrk_statuses.lua"

VACUUM_ANALYZE = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE")
"""


def logger(label: str) -> Callable[[str], None]:
    """A function that prints progress to stderr as `[label] message`."""

    def log(message: str) -> None:
        print(f"[{label}] {message}", file=sys.stderr, flush=True)

    return log


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


@contextmanager
def demo_site(label: str, **settings: str) -> Iterator[tuple[dict, Path]]:
    """Production settings (plus `settings`) on the demo data: yields (env, folder).

    The database is BENCH_DEMO_DATABASE_URL when set (already seeded: the
    set-up writes nothing to it), else a private PostgreSQL, migrated, filled
    by `seed_demo` and vacuumed, removed afterwards. Media go to the
    temporary folder, removed afterwards too.
    """
    folder = Path(tempfile.mkdtemp(prefix=f"cchc-bench-{label.replace(' ', '-')}-"))
    try:
        with ExitStack() as stack:
            env = production_env(
                DJANGO_MEDIA_ROOT=str(folder / "media"),
                DJANGO_LOG_LEVEL="CRITICAL",
                **settings,
            )
            database_url = os.environ.get("BENCH_DEMO_DATABASE_URL")
            if database_url:
                env["DATABASE_URL"] = database_url
            else:
                env["DATABASE_URL"] = stack.enter_context(own_postgres()).url
                logger(label)("migrate and seed_demo on a private PostgreSQL")
                manage("migrate", "--noinput", "-v", "0", env=env, timeout=None)
                manage("seed_demo", env=env, timeout=None)
                # Planner statistics, as a site has them a minute after seeding
                # (autovacuum); without them a few plans are 10x slower.
                manage("shell", "-c", VACUUM_ANALYZE, env=env, timeout=None)
            yield env, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def wrk(
    base_url: str,
    paths: list[str],
    *,
    connections: int,
    seconds: int,
    headers: dict[str, str] | None = None,
    threads: int | None = None,
    script: Path = WRK_REPORT,
) -> dict:
    """One wrk run cycling through `paths`; returns the script's JSON figures.

    `errors_total` adds up the socket errors. With bench/wrk_report.lua,
    `bytes` is everything read from the sockets (headers included).
    """
    header_args = [
        argument
        for name, value in (headers or {}).items()
        for argument in ("-H", f"{name}: {value}")
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths))
    try:
        result = subprocess.run(
            [
                "wrk",
                f"-t{threads or min(2, connections)}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                *header_args,
                "-s",
                str(script),
                base_url + paths[0],
            ],
            env={**os.environ, "BENCH_PATHS": handle.name},
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(handle.name)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["errors_total"] = sum(figures["errors"].values())
    return figures


def wrk_statuses(
    base_url: str,
    paths: list[str],
    *,
    connections: int,
    seconds: int,
    threads: int | None = None,
) -> dict:
    """A wrk run that also counts answers by HTTP status (bench/wrk_statuses.lua).

    `errors_total` then also counts every answer of 400 or above.
    """
    figures = wrk(
        base_url,
        paths,
        connections=connections,
        seconds=seconds,
        threads=threads,
        script=WRK_STATUSES,
    )
    figures["statuses"] = {
        int(code): count for code, count in figures["statuses"].items()
    }
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors_total"] += sum(
        count for code, count in figures["statuses"].items() if code >= 400
    )
    return figures


def summary(figures: dict) -> dict:
    """Requests per second and p50/p99 in ms of one wrk run, rounded for tables."""
    latency = figures["latency_us"]
    return {
        "rps": round(figures["rps"], 1),
        "p50_ms": round(latency["p50"] / 1000, 1),
        "p99_ms": round(latency["p99"] / 1000, 1),
    }


@dataclass
class Rounds:
    """wrk figures of several runs, round by round, and the load at each start."""

    runs: dict[str, list[dict]]
    loads: list[str]

    def median_run(self, name: str) -> dict:
        """The run of `name` with the median requests per second."""
        figures = self.runs[name]
        return sorted(figures, key=lambda run: run["rps"])[len(figures) // 2]

    def ratios(self, name: str, reference: str) -> list[float]:
        """req/s of `name` over `reference`'s in the same round, round by round."""
        return [
            run["rps"] / other["rps"]
            for run, other in zip(self.runs[name], self.runs[reference], strict=True)
        ]

    def median_ratio(self, name: str, reference: str) -> float:
        return statistics.median(self.ratios(name, reference))

    def errors(self, name: str) -> int:
        return sum(run["errors_total"] for run in self.runs[name])


def alternating_rounds(
    base_url: str,
    runs: dict[str, list[str]],
    *,
    rounds: int,
    log: Callable[[str], None],
    headers: dict[str, dict[str, str]] | None = None,
    **options,
) -> Rounds:
    """One wrk run of each name's paths per round, `rounds` times over.

    `headers` are request headers by run name; `options` go to every wrk
    run. The machines are shared and their load moves: runs of the same round
    meet the same load, so ratios within a round are the figures to trust.
    """
    figures = {name: [] for name in runs}
    loads = []
    for number in range(rounds):
        loads.append(load_average())
        log(f"round {number + 1} of {rounds}, load {loads[-1]}")
        for name, paths in runs.items():
            headers_of_run = (headers or {}).get(name)
            figures[name].append(
                wrk(base_url, paths, headers=headers_of_run, **options)
            )
    return Rounds(figures, loads)


def write_results(name: str, report: dict) -> None:
    """Write the report to bench/results/<name>-<time>.json and say where."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nfigures written to {path.relative_to(ROOT)}")
