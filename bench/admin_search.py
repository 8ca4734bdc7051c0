"""What the admin's searches cost at 100,000 articles.

`python bench/admin_search.py` (part of `make bench`). Uses the benchmark
database of bench/run.py (`cchc_bench`, filled by `seed_demo --articles
100000` on first use, which takes minutes), then, in one Django process with
production settings, asks as a signed-in superuser for the article list
(`/quan-tri/news/article/?q=`) and the autocompletes the article form uses
("Tin liên quan", category, tags, units), each query several times, and
prints the median and the slowest time and the number of results. Target:
every search under 200 ms, a pasted paragraph of 200 words included (it is
cut to the first words).
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    ARTICLES,
    bench_database_url,
    bench_env,
    prepare_dataset,
)

TARGET_MS = 200
ROUNDS = 7
PARAGRAPH = " ".join(f"tu{number} cai cach" for number in range(200))
CASES = {
    "article list: no search (newest first)": ("list", ""),
    "article list: dung dau": ("list", "dung dau"),
    "article list: đứng đầu": ("list", "đứng đầu"),
    "article list: cai cach hanh chinh (most articles)": (
        "list",
        "cai cach hanh chinh",
    ),
    "article list: 200 words pasted": ("list", PARAGRAPH),
    "Tin liên quan: dung dau": ("related", "dung dau"),
    "Tin liên quan: chuyen doi so": ("related", "chuyen doi so"),
    "Tin liên quan: 100 words pasted": ("related", " ".join(PARAGRAPH.split()[:100])),
    "category autocomplete: dia phuong": ("category", "dia phuong"),
    "tag autocomplete: chuyen doi so": ("tags", "chuyen doi so"),
    "unit autocomplete: thua thien hue": ("units", "thua thien hue"),
}

CHILD = """
import json, statistics, sys, time
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()  # response.context, for the number of rows listed
from django.contrib.auth import get_user_model
from django.test import Client
cases, rounds = json.loads(sys.argv[1]), int(sys.argv[2])
user, _ = get_user_model().objects.get_or_create(
    username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
)
client = Client()
client.force_login(user)
fields = {"related": ("articlelink", "to_article")}
figures = {}
for label, (kind, term) in cases.items():
    if kind == "list":
        url, params = "/quan-tri/news/article/", {"q": term}
    else:
        model, field = fields.get(kind, ("article", kind))
        url = "/quan-tri/autocomplete/"
        params = {"app_label": "news", "model_name": model, "field_name": field,
                  "term": term}
    times, status, found = [], None, None
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    if kind == "list":
        found = len(response.context["cl"].result_list) if response.context else None
    else:
        found = len(response.json()["results"])
    figures[label] = {"median_ms": statistics.median(times), "max_ms": max(times),
                      "status": status, "found": found}
print(json.dumps(figures))
"""


def main() -> int:
    env = bench_env(bench_database_url(), None)
    env["DJANGO_PAGE_CACHE_SECONDS"] = "0"
    counted = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from news.models import Article; print(Article.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    # Not migrated yet (first run) counts as empty.
    lines = counted.stdout.strip().splitlines() if counted.returncode == 0 else []
    if not lines or int(lines[-1]) < ARTICLES:
        prepare_dataset(env)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(CASES), str(ROUNDS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
        return 1
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"admin search at {ARTICLES:,} articles ({ROUNDS} runs each, ms):")
    print(f"  {'search':<52}{'median':>8}{'max':>8}{'found':>7}  verdict")
    failed = False
    for label, item in figures.items():
        met = item["status"] == 200 and item["median_ms"] < TARGET_MS
        failed |= not met
        print(
            f"  {label:<52}{item['median_ms']:>8.0f}{item['max_ms']:>8.0f}"
            f"{item['found'] if item['found'] is not None else '-':>7}  "
            f"{'ok' if met else 'MISSED (' + str(item['status']) + ')'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
