"""Cache misses: what an uncached page costs, `make bench` (issue #18, item 4).

A private PostgreSQL with the demo data (`seed_demo`, about 60 articles), or
the database in BENCH_DEMO_DATABASE_URL when set (already seeded: nothing is
written to it). Printed:

1. **Top costs.** One profile per page type (bench/profile_misses.py, in a
   fresh process, page cache off, DEBUG off): milliseconds and queries per
   render, SQL time, and the functions with the most cumulative time.
2. **Cold requests per second.** gunicorn in the `make run` shape (one
   worker, 8 threads, memory cache) with the page cache off
   (`DJANGO_PAGE_CACHE_SECONDS=0`), wrk with 1 thread and 16 connections,
   BENCH_ROUNDS alternating rounds of two yardsticks, an article (every demo
   article in turn), home, the news listing and the 2023 ministry ranking.
   The yardsticks: the bare view (`/__bench__/bare`, "ok", no template, no
   query) and issue #18's (`/__bench__/yardstick`, a 5 KB template and one
   query). Each page's req/s is divided by each yardstick's in the same
   round (the machine is shared and noisy; the ratio is the figure), median
   over the rounds. Targets (article, home, ranking ≥ 3×, listing ≥ 2×)
   against two baselines: the ratio to the yardstick over the issue's own
   (ISSUE_RPS / ISSUE_BARE_RPS), and the ratio to the bare view over the same
   ratio measured before the work (BEFORE_RATIOS).

Environment: BENCH_SECONDS (each wrk run, default 8), BENCH_ROUNDS (default
3), BENCH_DEMO_DATABASE_URL.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    CONNECTIONS,
    ROUNDS,
    SECONDS,
    alternating_rounds,
    demo_site,
    load_average,
    logger,
    summary,
    write_results,
)
from tests.servers import app_server  # noqa: E402

RANKING = "/chi-so-cchc/2023/bo/"
# Issue #18's figures (same shape, same machine class): req/s of each page
# and of its yardstick, a view rendering a 5 KB template with one query (614
# req/s). This bench's yardstick (`/__bench__/yardstick`) is such a view, so
# the ratios to it compare with the issue's.
ISSUE_BARE_RPS = 614
ISSUE_RPS = {"article": 63, "home": 37, "listing": 138, "ranking": 66.5}
# The ratios to the bare "ok" view (`/__bench__/bare`) before the work of
# item 4 (commit 538923a, 01/12/2026, 2 shared cores, load average 1-3,
# median of 3 rounds of 5 s), kept to compare with the runs since.
BEFORE_RATIOS = {"article": 0.030, "home": 0.029, "listing": 0.078, "ranking": 0.041}
# How many times the ratio before each page must reach (issue #18, item 4).
TARGET_FACTOR = {"article": 3, "home": 3, "listing": 2, "ranking": 3}
# The two views every page is divided by, measured in each round.
YARDSTICKS = {"bare": "/__bench__/bare", "yardstick": "/__bench__/yardstick"}

log = logger("misses")


def profile(env: dict) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.profile_misses"],
        cwd=ROOT,
        env={**env, "DJANGO_PAGE_CACHE_SECONDS": "0"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(base_url: str, pages: dict[str, list[str]]) -> dict:
    rounds = alternating_rounds(
        base_url,
        pages,
        rounds=ROUNDS,
        log=log,
        connections=CONNECTIONS,
        seconds=SECONDS,
        threads=1,
    )
    result = {"load_average": rounds.loads}
    for name in pages:
        result[name] = {
            **summary(rounds.median_run(name)),
            "errors": rounds.errors(name),
            **{
                f"to_{yardstick}": round(rounds.median_ratio(name, yardstick), 3)
                for yardstick in YARDSTICKS
            },
            **{
                f"to_{yardstick}_rounds": [
                    round(ratio, 3) for ratio in rounds.ratios(name, yardstick)
                ]
                for yardstick in YARDSTICKS
            },
        }
    return result


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    from bench.run import collect_urls, machine, verdict

    report = {"machine": machine(), "seconds": SECONDS, "rounds": ROUNDS}
    with demo_site(
        "misses", DJANGO_SETTINGS_MODULE="bench.settings", DJANGO_PAGE_CACHE_SECONDS="0"
    ) as (env, _):
        log(f"profile one request of each page, load {load_average()}")
        report["profile"] = profile(env)
        pages = {
            **{name: [path] for name, path in YARDSTICKS.items()},
            "article": collect_urls(env)["article"],
            "home": ["/"],
            "listing": ["/tin-tuc/"],
            "ranking": [RANKING],
        }
        with app_server(env, workers=1) as base_url:
            report["cold"] = measure(base_url, pages)

    print()
    print(
        f"Cache misses ({report['machine']['cores']} cores, "
        f"{report['machine']['platform']})"
    )
    print()
    print("Top costs of one uncached render (in-process, cProfile, page cache off):")
    for name, figures in report["profile"].items():
        print(
            f"  {name} {figures['path']}: {figures['ms']} ms, "
            f"{figures['queries']} queries ({figures['sql_ms']} ms SQL)"
        )
        for item in figures["top"][:8]:
            print(
                f"      {item['ms']:>7.2f} ms {item['calls']:>6}x  {item['function']}"
            )
    cold = report["cold"]
    print()
    print(
        f"Cold pages: make run shape (1 worker, 8 threads, memory cache), page "
        f"cache off, wrk 1 thread, {CONNECTIONS} connections, {SECONDS} s, "
        f"{ROUNDS} alternating rounds; load average {cold['load_average']}"
    )
    print(
        'Ratios: req/s over the bare view\'s (/bare, an "ok" answer) and over the '
        "yardstick's (/yard, a 5 KB template and one query, as issue #18's) in "
        "the same round, median of the rounds; before: /bare at commit 538923a; "
        f"issue: issue #18's page over its yardstick ({ISSUE_BARE_RPS} req/s)"
    )
    header = (
        f"{'page':<10}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'err':>5}"
        f"{'/bare':>8}{'before':>8}{'gain':>7}  {'target':<17}"
        f"{'/yard':>7}{'issue':>7}{'gain':>7}  {'target':<17}rounds /yard"
    )
    print(header)
    print("-" * len(header))
    for name in YARDSTICKS:
        figures = cold[name]
        print(
            f"{name:<10}{figures['rps']:>8,.0f}{figures['p50_ms']:>8}"
            f"{figures['p99_ms']:>8}{figures['errors']:>5}"
            f"{figures['to_bare']:>8.3f}{'':>8}{'':>7}  {'':<17}"
            f"{figures['to_yardstick']:>7.3f}"
        )
    report["verdicts"] = {}
    for name, before in BEFORE_RATIOS.items():
        figures = cold[name]
        factor = TARGET_FACTOR[name]
        gain = figures["to_bare"] / before
        issue_ratio = ISSUE_RPS[name] / ISSUE_BARE_RPS
        issue_gain = figures["to_yardstick"] / issue_ratio
        report["verdicts"][name] = {
            "gain": round(gain, 2),
            "met": gain >= factor,
            "gain_on_issue": round(issue_gain, 2),
            "met_on_issue": issue_gain >= factor,
        }
        print(
            f"{name:<10}{figures['rps']:>8,.0f}{figures['p50_ms']:>8}"
            f"{figures['p99_ms']:>8}{figures['errors']:>5}"
            f"{figures['to_bare']:>8.3f}{before:>8.3f}{gain:>6.1f}x"
            f"  >= {factor}x: {verdict(gain >= factor):<10}"
            f"{figures['to_yardstick']:>7.3f}{issue_ratio:>7.3f}{issue_gain:>6.1f}x"
            f"  >= {factor}x: {verdict(issue_gain >= factor):<10}"
            f"{figures['to_yardstick_rounds']}"
        )
    write_results("misses", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
