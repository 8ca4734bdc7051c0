"""Alert mail at scale, measured: `python bench/alerts.py` (part of `make bench`).

    python bench/alerts.py [--subscribers 100000] [--workers 1,2]

A private PostgreSQL, --subscribers (default ALERTS_SUBSCRIBERS or 100,000)
confirmed subscribers of one tag, and an aiosmtpd sink in this process. An
article is
published (saved, then the fan-out enqueued on commit as the publish signal
does) and the time the enqueue adds to the publish is printed (target:
≤ 200 ms); then `manage.py db_worker` sends to everyone, once per entry of
--workers (default "1,2": one worker, then a new article with two). Printed
per run: fan-out and
sending time, messages a second, each worker's resident memory at 10 %,
50 % and 90 % of the run and at the end (flat means no growth with the
number sent), and whether every subscriber got exactly one message.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from tests.alerts.processes import (  # noqa: E402
    seed,
    start_sink,
    start_worker,
    worker_env,
)
from tests.servers import manage, own_postgres  # noqa: E402

SUBSCRIBERS = int(os.environ.get("ALERTS_SUBSCRIBERS", "100000"))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--subscribers",
        type=int,
        default=SUBSCRIBERS,
        help="confirmed subscribers of the tag (default: %(default)s)",
    )
    parser.add_argument(
        "--workers",
        default="1,2",
        help="db_worker processes per run, comma-separated: one article is "
        "published and sent per entry (default: %(default)s)",
    )
    options = parser.parse_args()
    try:
        options.workers = [int(n) for n in options.workers.split(",")]
    except ValueError:
        parser.error("--workers: numbers separated by commas, e.g. 1,2")
    if options.subscribers < 1 or not all(0 < n <= 8 for n in options.workers):
        parser.error("--subscribers ≥ 1 and 1 ≤ workers ≤ 8")
    return options


PUBLISH = """
import time
from django.db import transaction
from cchc_portal.alerts import services, tasks  # loaded, as in a warm server
from news.models import Article, whole_second_now
article = Article.objects.get(pk={pk})
timings = {{}}
def enqueue():
    started = time.perf_counter()
    services.alert_queue(article=article)
    timings["enqueue"] = (time.perf_counter() - started) * 1000
started = time.perf_counter()
with transaction.atomic():
    article.status = "published"
    article.published_at = whole_second_now()
    article.save()
    transaction.on_commit(enqueue)
timings["publish"] = (time.perf_counter() - started) * 1000
print(f"{{timings['publish']:.1f}} {{timings['enqueue']:.1f}}")
"""

NEW_ARTICLE = """
from news.models import Article, Category, Tag
article = Article(title="Tin thử thứ hai", sapo="Tóm tắt.", body="<p>x</p>",
                  category=Category.objects.get(slug="thu-nghiem"), status="draft")
article.save()
article.tags.add(Tag.objects.get(slug="the-thu"))
print(article.pk)
"""


def publish(env: dict, article_id: int) -> tuple[float, float]:
    output = manage("shell", "-c", PUBLISH.format(pk=article_id), env=env)
    publish_ms, enqueue_ms = output.split()[-2:]
    return float(publish_ms), float(enqueue_ms)


def send_run(env: dict, sink, article_id: int, workers: int, total: int) -> None:
    before = sink.total
    publish_ms, enqueue_ms = publish(env, article_id)
    print(
        f"  publish {publish_ms:.1f} ms, of which enqueueing the fan-out "
        f"{enqueue_ms:.1f} ms (target ≤ 200 ms)"
    )
    started = time.monotonic()
    processes = [start_worker(env) for _ in range(workers)]
    memory: dict[int, list[tuple[int, float]]] = {p.pid: [] for p in processes}
    marks = [0.1, 0.5, 0.9]
    first_mail = None
    try:
        while sink.total - before < total:
            time.sleep(0.5)
            done = (sink.total - before) / total
            if first_mail is None and done > 0:
                first_mail = time.monotonic()
            if marks and done >= marks[0]:
                mark = marks.pop(0)
                for p in processes:
                    rss = psutil.Process(p.pid).memory_info().rss / 2**20
                    memory[p.pid].append((int(mark * 100), rss))
            if time.monotonic() - started > 3600:
                raise TimeoutError("not done within an hour")
            if any(p.poll() is not None for p in processes):
                raise RuntimeError(
                    "a worker stopped: " + processes[0].stderr.read().decode()
                )
        end = time.monotonic()
        for p in processes:
            rss = psutil.Process(p.pid).memory_info().rss / 2**20
            memory[p.pid].append((100, rss))
    finally:
        for p in processes:
            p.terminate()
            p.wait(30)
    sending = end - (first_mail or started)
    fan_out = (first_mail or end) - started
    print(
        f"  {workers} worker(s): first mail after {fan_out:.1f} s "
        f"(fan-out), all {total:,} in {end - started:.1f} s, "
        f"{total / sending:.0f} messages/s while sending"
    )
    for pid, samples in memory.items():
        line = ", ".join(f"{pct} %: {rss:.0f} MB" for pct, rss in samples)
        print(f"  worker {pid} memory (RSS): {line}")


def main() -> None:
    options = arguments()
    total = options.subscribers
    sink, controller, port = start_sink()
    try:
        with own_postgres() as postgres:
            env = worker_env(postgres.url, port)
            env["DJANGO_ALERTS_STALE_AFTER"] = "600"
            started = time.monotonic()
            article = seed(env, total)
            print(
                f"Alerts: {total:,} confirmed subscribers "
                f"(migrate and seed {time.monotonic() - started:.0f} s)"
            )
            for run, workers in enumerate(options.workers):
                if run:
                    article = int(
                        manage("shell", "-c", NEW_ARTICLE, env=env).split()[-1]
                    )
                send_run(env, sink, article, workers, total)
    finally:
        controller.stop()
    counts = set(sink.recipients.values())
    runs = len(options.workers)
    print(
        f"  every subscriber got exactly one message per article: "
        f"{counts == {runs}} ({len(sink.recipients):,} addresses, "
        f"{sink.total:,} messages, duplicated Message-IDs: "
        f"{sum(1 for n in sink.message_ids.values() if n > 1)})"
    )


if __name__ == "__main__":
    main()
