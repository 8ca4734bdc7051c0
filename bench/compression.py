"""Compressed answers: bytes on the wire and cached throughput, `make bench`.

A private PostgreSQL with the demo data (`seed_demo`), or the database in
BENCH_DEMO_DATABASE_URL (already seeded, nothing is written), gunicorn in the
`make run` shape (one worker, 8 threads, per-process memory cache, page
cache on). Printed:

1. Bytes per answer (body; the 2024 province ranking also with headers) for
   every compressed type (home, article, 2024 province ranking, RSS,
   sitemap, JSON, CSV) without compression, with gzip and with brotli.
   Target: the 2024 province ranking ≤ 15 KB on the wire with brotli, which
   every browser sends over HTTPS (issue #18; it was 84.5 KB before).
2. What compressing the ranking once costs (a page-cache miss pays it once
   per variant; hits never do).
3. Cached article throughput with `Accept-Encoding: br` and `gzip` against
   none, wrk with 1 thread and 16 connections, alternating rounds; the
   median ratio of each to identity in the same round. Target ≥ 0.9.
   Also bytes per answer as wrk read them (headers included).

Environment: BENCH_SECONDS (length of each wrk run, default 8),
BENCH_ROUNDS (alternating rounds, default 3), BENCH_DEMO_DATABASE_URL.
"""

import http.client
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    CONNECTIONS,
    ROUNDS,
    SECONDS,
    alternating_rounds,
    demo_site,
    logger,
    summary,
    write_results,
)
from tests.servers import app_server  # noqa: E402

RANKING = "/chi-so-cchc/2024/tinh/"
RANKING_TARGET_BYTES = 15 * 1024
THROUGHPUT_TARGET = 0.9
ACCEPT = {"identity": "identity", "gzip": "gzip", "br": "br, gzip"}
ANSWERS = {
    "home": "/",
    "article": None,  # the first article of the demo data
    "ranking 2024 tỉnh": RANKING,
    "RSS": "/tin-tuc/rss/",
    "sitemap": "/sitemap-tin-bai.xml",
    "JSON (API)": "/chi-so-cchc/api/v1/editions/2024/tinh/",
    "CSV": "/chi-so-cchc/2024/tinh.csv",
}


log = logger("compression")


def fetch(base_url: str, path: str, accept: str) -> dict:
    """One GET as sent on the wire: status, encoding, header and body bytes."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": accept})
        response = connection.getresponse()
        body = response.read()
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + sum(
            len(f"{name}: {value}\r\n") for name, value in response.getheaders()
        )
        return {
            "status": response.status,
            "encoding": response.getheader("Content-Encoding") or "identity",
            "body": body,
            "body_bytes": len(body),
            "wire_bytes": head + 2 + len(body),
            "page_cache": response.getheader("X-Page-Cache"),
        }
    finally:
        connection.close()


def compression_cost_ms(body: bytes) -> dict[str, float]:
    """Median milliseconds to compress `body` once, per encoding (in-process)."""
    from cchc_portal.runtime import compression

    costs = {}
    for encoding in compression.ENCODINGS:
        times = []
        for _ in range(7):
            started = time.perf_counter()
            compression.compress(body, encoding)
            times.append((time.perf_counter() - started) * 1000)
        costs[encoding] = round(statistics.median(times), 2)
    return costs


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    from bench.run import collect_urls, machine, verdict

    report = {"machine": machine(), "seconds": SECONDS, "rounds": ROUNDS}
    with demo_site("compression", DJANGO_PAGE_CACHE_HEADER="1") as (env, _):
        articles = collect_urls(env)["article"]
        ANSWERS["article"] = articles[0]
        with app_server(env, workers=1) as base_url:
            report["bytes"] = measure_bytes(base_url)
            report["ranking_compression_ms"] = compression_cost_ms(
                fetch(base_url, RANKING, "identity")["body"]
            )
            report["throughput"] = measure_throughput(base_url, articles)

    print()
    print(
        f"Compressed answers ({report['machine']['cores']} cores, "
        f"{report['machine']['platform']}); make run shape: 1 worker, 8 threads, "
        "memory cache"
    )
    print()
    header = (
        f"{'answer':<20}{'identity B':>12}{'gzip B':>10}{'br B':>10}{'br/identity':>13}"
    )
    print(header)
    print("-" * len(header))
    for name, sizes in report["bytes"].items():
        ratio = sizes["br"]["body_bytes"] / sizes["identity"]["body_bytes"]
        print(
            f"{name:<20}{sizes['identity']['body_bytes']:>12,}"
            f"{sizes['gzip']['body_bytes']:>10,}{sizes['br']['body_bytes']:>10,}"
            f"{ratio:>13.2f}"
        )
    ranking = report["bytes"]["ranking 2024 tỉnh"]
    identity_kb = ranking["identity"]["wire_bytes"] / 1024
    wire = ranking["br"]["wire_bytes"]
    print(
        f"2024 province ranking on the wire, headers included: brotli "
        f"{wire / 1024:.1f} KB (target <= 15 KB: "
        f"{verdict(wire <= RANKING_TARGET_BYTES)}); gzip, for clients without "
        f"brotli, {ranking['gzip']['wire_bytes'] / 1024:.1f} KB; identity "
        f"{identity_kb:.1f} KB"
    )
    costs = report["ranking_compression_ms"]
    print(
        f"compressing the ranking once (paid per variant when a page is stored, "
        f"never on a hit): br {costs['br']} ms, gzip {costs['gzip']} ms"
    )
    print()
    throughput = report["throughput"]
    print(
        f"cached article, wrk 1 thread, {CONNECTIONS} connections, {SECONDS} s, "
        f"{ROUNDS} alternating rounds:"
    )
    for encoding in ("identity", "gzip", "br"):
        figures = throughput[encoding]
        print(
            f"  {encoding:<9} {figures['rps']:>8,.0f} req/s (median), "
            f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, "
            f"{figures['bytes_per_answer']:,} B per answer, "
            f"{figures['errors']} errors"
        )
    for encoding in ("gzip", "br"):
        ratio = throughput[f"{encoding}_to_identity"]
        print(
            f"  {encoding} / identity throughput: {ratio['median']:.2f}, rounds "
            f"{ratio['rounds']} (target >= {THROUGHPUT_TARGET}: "
            f"{verdict(ratio['median'] >= THROUGHPUT_TARGET)})"
        )
    write_results("compression", report)
    return 0


def measure_bytes(base_url: str) -> dict:
    sizes = {}
    for name, path in ANSWERS.items():
        fetch(base_url, path, "identity")  # stored: every later answer is a hit
        sizes[name] = {}
        for encoding, accept in ACCEPT.items():
            answer = fetch(base_url, path, accept)
            if answer["status"] != 200 or answer["encoding"] != encoding:
                got = f"{answer['status']} {answer['encoding']}"
                raise RuntimeError(f"{path} ({accept}): {got}")
            sizes[name][encoding] = {
                key: answer[key] for key in ("body_bytes", "wire_bytes", "page_cache")
            }
    return sizes


def measure_throughput(base_url: str, articles: list[str]) -> dict:
    paths = articles[:50]
    for path in paths:
        for accept in ACCEPT.values():
            fetch(base_url, path, accept)
    headers = {name: {"Accept-Encoding": accept} for name, accept in ACCEPT.items()}
    rounds = alternating_rounds(
        base_url,
        dict.fromkeys(ACCEPT, paths),
        headers=headers,
        rounds=ROUNDS,
        log=log,
        connections=CONNECTIONS,
        seconds=SECONDS,
        threads=1,
    )
    result = {}
    for encoding in ACCEPT:
        middle = rounds.median_run(encoding)
        result[encoding] = {
            **summary(middle),
            "bytes_per_answer": round(middle["bytes"] / max(middle["requests"], 1)),
            "errors": rounds.errors(encoding),
        }
    for encoding in ("gzip", "br"):
        # Same round, so background load hits both sides alike.
        ratios = [round(ratio, 2) for ratio in rounds.ratios(encoding, "identity")]
        result[f"{encoding}_to_identity"] = {
            "median": statistics.median(ratios),
            "rounds": ratios,
        }
    return result


if __name__ == "__main__":
    sys.exit(main())
