"""Two-phase sending records: claimed before the SMTP talk, sent after it.

A claim left in "sending" (its worker died with the mail possibly accepted)
becomes "unknown delivery": logged, counted in the admin, never resent.
"""

import datetime as dt
import logging
import smtplib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cchc_portal.alerts import tasks
from cchc_portal.alerts.models import Delivery
from news import services as news_services
from news.models import Article
from tests.alerts.helpers import confirmed
from tests.factories import ArticleFactory, ReviewerFactory, WriterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(committed, tag):
    """Publish a draft tagged `tag`; returns the article (fan-out queued)."""

    def run():
        article = ArticleFactory(
            title="Một cửa liên thông cấp xã",
            status=Article.Status.DRAFT,
            published_at=None,
            tags=[tag],
        )
        reviewer = ReviewerFactory(email="")
        committed(lambda: news_services.article_publish(article=article, user=reviewer))
        return article

    return run


def test_each_mail_is_claimed_with_its_message_id_before_the_server_hears_of_it(
    smtp, worker, tag, published, monkeypatch
):
    confirmed("mot@example.vn", {"loai": "the", "muc": tag.slug})
    confirmed("hai@example.vn", {"loai": "the", "muc": tag.slug})
    seen = []
    real_send = tasks._send

    def watching(message, connection):
        [delivery] = Delivery.objects.filter(
            subscriber__email=message.to[0]
        ).values_list("status", "message_id", "claimed_at", "claimed_by")
        seen.append((message.extra_headers["Message-ID"], delivery))
        real_send(message, connection)

    monkeypatch.setattr(tasks, "_send", watching)
    published()
    worker()
    assert len(seen) == 2
    for message_id, (status, stored_id, claimed_at, claimed_by) in seen:
        assert status == "sending"
        assert stored_id == message_id
        assert claimed_at is not None and claimed_by == tasks.claimant()
    received = sorted(smtp.header(m, "Message-ID") for m in smtp.messages)
    assert received == sorted(message_id for message_id, _ in seen)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_claim_a_dead_worker_left_is_recorded_unknown_logged_and_never_resent(
    smtp, worker, tag, published, client, caplog
):
    confirmed("mot@example.vn", {"loai": "the", "muc": tag.slug})
    confirmed("hai@example.vn", {"loai": "the", "muc": tag.slug})
    published()
    worker(limit=1)  # the fan-out only: two pending deliveries, a batch queued
    left = Delivery.objects.get(subscriber__email="mot@example.vn")
    # As a worker killed while waiting for the server's answer leaves it.
    Delivery.objects.filter(pk=left.pk).update(
        status="sending",
        message_id="<alert-x@cchc.example.gov.vn>",
        claimed_at=timezone.now() - dt.timedelta(hours=1),
        claimed_by="may-gui-1:4242",
    )
    worker()
    assert [m["To"] for m in smtp.messages] == ["hai@example.vn"]
    with caplog.at_level(logging.WARNING, logger="cchc_portal.alerts.tasks"):
        assert tasks.maintenance()["unknown"] == 1
    assert "<alert-x@cchc.example.gov.vn>" in caplog.text
    assert "may-gui-1:4242" in caplog.text
    assert "mot@example.vn" not in caplog.text
    worker()
    tasks.maintenance()
    worker()
    assert [m["To"] for m in smtp.messages] == ["hai@example.vn"]
    left.refresh_from_db()
    assert left.status == "unknown"
    client.force_login(WriterFactory())
    page = client.get(reverse("admin:alerts_alert_changelist")).content.decode()
    assert "Thư không rõ đã gửi" in page
    assert "<td>1</td>" in page.split("Thư không rõ đã gửi", 1)[1][:200]


def test_a_fresh_claim_is_left_to_its_worker(tag, published, worker):
    confirmed("mot@example.vn", {"loai": "the", "muc": tag.slug})
    published()
    worker(limit=1)
    Delivery.objects.update(
        status="sending", claimed_at=timezone.now(), claimed_by="may-gui-2:7"
    )
    assert tasks.record_unknown_deliveries() == 0
    assert Delivery.objects.get().status == "sending"


def test_a_connection_lost_mid_mail_is_unknown_and_the_rest_goes_later(
    smtp, worker, tag, published, monkeypatch
):
    confirmed("mot@example.vn", {"loai": "the", "muc": tag.slug})
    confirmed("hai@example.vn", {"loai": "the", "muc": tag.slug})
    real_send = tasks._send
    calls = []

    def breaking(message, connection):
        calls.append(message.to[0])
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        real_send(message, connection)

    monkeypatch.setattr(tasks, "_send", breaking)
    published()
    worker()
    first = Delivery.objects.get(subscriber__email=calls[0])
    other = Delivery.objects.exclude(pk=first.pk).get()
    assert (first.status, other.status) == ("unknown", "pending")
    with time_machine.travel(dt.timedelta(seconds=31)):
        worker()
    assert [m["To"] for m in smtp.messages] == [other.subscriber.email]
    assert calls.count(calls[0]) == 1
