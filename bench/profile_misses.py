"""Where an uncached request spends its time: one profile per page type.

Run inside a configured environment (bench/misses.py does it, or by hand:
`DJANGO_PAGE_CACHE_SECONDS=0 python -m bench.profile_misses`). For each page
(article, home, listing, 2023 ministry ranking; under bench.settings also the
yardstick of bench/urls.py) it renders the page once to
warm templates and connections, then profiles REPEAT renders with cProfile
through the whole stack (django.test.Client, DEBUG off, page cache off) and
prints, as JSON on the last line: milliseconds per render, queries per render
and the functions with the most cumulative time that are the project's own
(or the template engine's), so the top costs can be read without a viewer.
"""

import cProfile
import json
import os
import pstats
import sys
import time

import django

REPEAT = int(os.environ.get("PROFILE_REPEAT", "20"))
TOP = int(os.environ.get("PROFILE_TOP", "12"))
# Frames worth naming: the project's code and the template engine (where the
# time of a render goes). Everything else is folded into its callers.
INTERESTING = ("/news/", "/parindex/", "/cchc_portal/", "/django/template/")
# The template engine's own frames wrap every node: they would fill the list.
GENERIC = (
    "/django/template/base.py",
    "/django/template/loader_tags.py",
    "/django/template/defaulttags.py",
    "/django/template/response.py",
    "/django/template/backends/",
    "/django/template/loader.py",
)


def pages() -> dict[str, str]:
    from django.conf import settings

    from news.models import Article

    article = Article.objects.published().order_by("-published_at", "-id").first()
    # Under bench.settings, the yardstick too: what its render costs and that
    # it runs its one query.
    yardstick = (
        {"yardstick": "/__bench__/yardstick"}
        if settings.ROOT_URLCONF == "bench.urls"
        else {}
    )
    return {
        **yardstick,
        "article": article.get_absolute_url(),
        "home": "/",
        "listing": "/tin-tuc/",
        "ranking": "/chi-so-cchc/2023/bo/",
    }


def _label(func: tuple) -> str:
    filename, line, name = func
    for marker in INTERESTING:
        at = filename.find(marker)
        if at >= 0:
            return f"{filename[at + 1 :]}:{line} {name}"
    return f"{os.path.basename(filename)}:{line} {name}"


def top_costs(profile: cProfile.Profile, renders: int) -> list[dict]:
    stats = pstats.Stats(profile)
    rows = []
    for func, (_, calls, _, cumulative, _) in stats.stats.items():
        filename = func[0]
        if not any(marker in filename for marker in INTERESTING):
            continue
        if filename.endswith(GENERIC) or "/django/template/backends/" in filename:
            continue
        if func[2] in ("__call__", "inner", "get", "dispatch", "view"):
            continue
        rows.append(
            {
                "function": _label(func),
                "ms": round(cumulative * 1000 / renders, 2),
                "calls": round(calls / renders, 1),
            }
        )
    rows.sort(key=lambda item: item["ms"], reverse=True)
    return rows[:TOP]


def profile_page(client, path: str) -> dict:
    from django.db import connection

    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    queries = []

    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(time.perf_counter() - started)

    # Not CaptureQueriesContext: each request's start clears the query log.
    with connection.execute_wrapper(count):
        client.get(path)
    started = time.perf_counter()
    for _ in range(REPEAT):
        client.get(path)
    plain_ms = (time.perf_counter() - started) * 1000 / REPEAT
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(REPEAT):
        client.get(path)
    profile.disable()
    return {
        "path": path,
        "ms": round(plain_ms, 2),
        "queries": len(queries),
        "sql_ms": round(sum(queries) * 1000, 2),
        "top": top_costs(profile, REPEAT),
    }


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.test import Client

    assert settings.PAGE_CACHE_SECONDS == 0, "run with DJANGO_PAGE_CACHE_SECONDS=0"
    client = Client(HTTP_HOST="127.0.0.1")
    result = {name: profile_page(client, path) for name, path in pages().items()}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
