"""Fixtures for the alerts: a real SMTP server (aiosmtpd) and an in-process worker."""

from __future__ import annotations

import email
import email.policy
import logging
import threading

import pytest
from aiosmtpd.controller import Controller

from tests.factories import ArticleFactory, TagFactory
from tests.servers import free_port


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.fail_next = 0
        # One client address and port per SMTP connection.
        self.sessions: set = set()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.sessions.add(session.peer)
            if self.fail_next:
                self.fail_next -= 1
                return "451 4.3.0 Temporary failure, try again"
            message = email.message_from_bytes(
                envelope.content, policy=email.policy.default
            )
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def header(message, name: str) -> str:
        # Django folds long headers onto a continuation line (valid RFC 5322).
        return str(message[name]).strip()

    def subject(self, message) -> str:
        return self.header(message, "Subject")

    def text(self, message) -> str:
        return message.get_body(("plain",)).get_content()

    def html(self, message) -> str:
        return message.get_body(("html",)).get_content()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free loopback port; Django sends to it."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, server_hostname="localhost"
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://cchc.example.gov.vn"
    yield inbox
    controller.stop()


def run_tasks(limit: int = 10_000) -> int:
    """Run every ready task in this process, as db_worker would (in the test's
    transaction: db_worker's own loop would close the connection)."""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="in-test",
        excluded_queue_names=[],
    )
    done = 0
    while done < limit:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is not None:
                result.claim(worker.worker_id)
        if result is None:
            return done
        worker.run_task(result)
        result.refresh_from_db()
        assert result.status == "SUCCESSFUL", result.traceback
        done += 1
    return done


@pytest.fixture
def worker():
    return run_tasks


@pytest.fixture
def tag():
    tag = TagFactory(name="Chuyển đổi số", slug="chuyen-doi-so")
    ArticleFactory(tags=[tag])  # a tag without public articles has no page
    return tag
