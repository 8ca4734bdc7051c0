"""Real worker processes against a real database and SMTP server.

Shared by the killed-worker test and bench/alerts.py: a private PostgreSQL
(tests.servers.own_postgres), aiosmtpd in this process, `manage.py db_worker`
as separate processes that can be killed.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller

from tests.servers import ROOT, free_port, manage, production_env

SEED = """
from django.utils import timezone
from cchc_portal.alerts.models import Subscriber, Subscription
from news.models import Article, Category, Tag
now = timezone.now()
category = Category.objects.create(name="Thử nghiệm", slug="thu-nghiem")
tag = Tag.objects.create(name="Thẻ thử", slug="the-thu")
for start in range(0, {count}, 5000):
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"nguoi{{i}}@example.vn", confirmed_at=now)
         for i in range(start, min(start + 5000, {count}))])
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, kind="the", tag=tag, target_key=f"the:{{tag.pk}}",
                      consent_text="thử", consent_at=now, confirmed_at=now)
         for s in subscribers])
article = Article(title="Tin thử gửi thư", sapo="Tóm tắt.", body="<p>x</p>",
                  category=category, status="draft")
article.save()
article.tags.add(tag)
print(article.pk)
"""


class Sink:
    """An SMTP sink counting recipients and Message-IDs.

    `hold=(n, "rcpt")` stops answering at the n-th recipient (the sender is
    waiting, the server does not have the mail); `hold=(n, "data")` keeps the
    n-th message, then withholds its "250" (the server has it, the sender
    does not know). `held` is set once it waits; `release` lets it go on.
    """

    def __init__(self, hold: tuple[int, str] | None = None):
        self.hold = hold
        self.held = threading.Event()
        self.release = threading.Event()
        self.recipients: Counter = Counter()
        self.message_ids: Counter = Counter()
        self.lock = threading.Lock()
        self.rcpts = 0
        self.first_at: float | None = None
        self.last_at: float | None = None

    async def _wait_here(self, point: str, count: int) -> None:
        if self.hold == (count, point):
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)

    async def handle_RCPT(self, server, session, envelope, address, options):
        with self.lock:
            self.rcpts += 1
            count = self.rcpts
        await self._wait_here("rcpt", count)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message_id = b""
        for line in envelope.content.split(b"\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip()
                break
        with self.lock:
            now = time.monotonic()
            self.first_at = self.first_at or now
            self.last_at = now
            for address in envelope.rcpt_tos:
                self.recipients[address] += 1
            self.message_ids[message_id.decode()] += 1
            count = sum(self.message_ids.values())
        await self._wait_here("data", count)
        return "250 OK"

    @property
    def total(self) -> int:
        return sum(self.recipients.values())


def start_sink(hold: tuple[int, str] | None = None) -> tuple[Sink, Controller, int]:
    sink = Sink(hold)
    port = free_port()
    controller = Controller(
        sink, hostname="127.0.0.1", port=port, server_hostname="localhost"
    )
    controller.start()
    return sink, controller, port


def worker_env(database_url: str, smtp_port: int) -> dict:
    return production_env(
        DATABASE_URL=database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}?tls=0",
        DJANGO_SITE_URL="https://cchc.example.gov.vn",
        DJANGO_ALERTS_STALE_AFTER="0",
        DJANGO_LOG_LEVEL="WARNING",
    )


def seed(env: dict, count: int) -> int:
    """Migrate, then `count` confirmed subscribers of one tag and a draft article."""
    manage("migrate", "--noinput", "-v", "0", env=env, timeout=600)
    return int(manage("shell", "-c", SEED.format(count=count), env=env).split()[-1])


PUBLISH = """
import time
from django.db import transaction
from cchc_portal.alerts import services
from news.models import Article
from news.models import whole_second_now
article = Article.objects.get(pk={pk})
started = time.perf_counter()
with transaction.atomic():
    article.status = "published"
    article.published_at = whole_second_now()
    article.save()
    transaction.on_commit(lambda: services.alert_queue(article=article))
print(f"{{(time.perf_counter() - started) * 1000:.1f}}")
"""


def publish(env: dict, article_id: int) -> float:
    """Publish and enqueue the fan-out as the publish signal does; ms taken."""
    return float(
        manage("shell", "-c", PUBLISH.format(pk=article_id), env=env).split()[-1]
    )


DELIVERIES = """
import json
from cchc_portal.alerts.models import Delivery
print(json.dumps(list(Delivery.objects.values_list("status", "message_id"))))
"""


def deliveries(env: dict) -> list[tuple[str, str]]:
    """(status, Message-ID) of every delivery, read by a separate process."""
    import json

    output = manage("shell", "-c", DELIVERIES, env=env)
    return [tuple(row) for row in json.loads(output.strip().splitlines()[-1])]


def start_worker(env: dict, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "-v",
            "0",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
