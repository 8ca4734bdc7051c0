"""The task-queue side of alerts (django-tasks, database backend; worker: db_worker).

A publish or release enqueues one `fan_out`: it writes one pending Delivery
per subscriber in a single INSERT … SELECT (unique per alert and subscriber)
and enqueues `send_batch` tasks of BATCH_SIZE deliveries. Each mail is
recorded in two phases: a claim ("sending", with its Message-ID, worker and
time) is committed under the row lock (SKIP LOCKED, so several workers share
the work) before the SMTP server hears of the mail, and "sent" is recorded
once the server accepted it. A worker killed mid-batch leaves never-claimed
deliveries pending, which `tick` (every minute) enqueues again, and at most
one claim per SMTP session in "sending": the server may or may not have that
mail, so the tick records it as "unknown" (logged, counted in the admin) and
it is never sent again - at most once for the ambiguous, exactly once for
the rest. SMTP failures re-enqueue the rest of the batch with backoff.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import socket

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django_tasks import task

from cchc_portal.alerts import mail, services, targets
from cchc_portal.alerts.models import (
    Alert,
    Delivery,
    DigestRun,
    Frequency,
    Subscriber,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Failures that are worth trying again later (server down, busy, timed out).
TRANSIENT = (smtplib.SMTPException, OSError)


def backoff(attempt: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, 4 min … up to an hour."""
    return dt.timedelta(seconds=min(30 * 2**attempt, 3600))


def _later(task_, attempt: int, *args) -> None:
    task_.using(run_after=timezone.now() + backoff(attempt)).enqueue(*args)


def _fast_commits(on: bool) -> None:
    """Commit "sent" marks without waiting for the WAL flush.

    A worker that dies loses nothing (PostgreSQL has the commit); only a
    crash of PostgreSQL itself could forget the last fraction of a second of
    marks, and those deliveries stay claimed ("sending", then "unknown"),
    never sent again. Claims themselves are always flushed (see _claim): a
    claim must outlive anything once the SMTP server may have the mail.
    """
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SET synchronous_commit TO OFF" if on else "RESET synchronous_commit"
        )


def _send(message, connection) -> None:
    message.connection = connection
    message.send()


# Confirmation and manage-link mails ----------------------------------------


@task()
def send_confirmation(subscriber_id: int, attempt: int = 0) -> str:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "gone"
    pending = [
        targets.target_of(s).label
        for s in subscriber.subscriptions.filter(confirmed_at=None)
    ]
    if not pending:
        return "nothing pending"
    try:
        mail.confirmation_message(subscriber, pending).send()
    except TRANSIENT as error:
        if attempt + 1 < MAX_ATTEMPTS:
            _later(send_confirmation, attempt, subscriber_id, attempt + 1)
        logger.warning("confirmation for #%s failed: %s", subscriber_id, error)
        return "retry"
    return "sent"


@task()
def send_manage_link(subscriber_id: int, attempt: int = 0) -> str:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "gone"
    try:
        mail.manage_link_message(subscriber).send()
    except TRANSIENT:
        if attempt + 1 < MAX_ATTEMPTS:
            _later(send_manage_link, attempt, subscriber_id, attempt + 1)
        return "retry"
    return "sent"


# Alerts -----------------------------------------------------------------------


def _is_live(alert: Alert) -> bool:
    from news.models import Article
    from parindex.models import Edition

    if alert.source == Alert.Source.ARTICLE:
        return Article.objects.published().filter(pk=alert.article_id).exists()
    return Edition.objects.released().filter(pk=alert.edition_id).exists()


FAN_OUT_SQL = """
INSERT INTO alerts_delivery
    (alert_id, subscriber_id, subscription_id, digest, status, attempts,
     last_error, message_id, claimed_by, created_at)
SELECT DISTINCT ON (m.subscriber_id)
    %s, m.subscriber_id, m.id, m.frequency <> %s, 'pending', 0, '', '', '', now()
FROM ({matching}) AS m
ORDER BY m.subscriber_id, (m.frequency = %s) DESC, m.id
ON CONFLICT (alert_id, subscriber_id) DO NOTHING
"""


@task()
def fan_out(alert_id: int) -> int:
    """One pending delivery per subscriber the item reaches; then the batches."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(skip_locked=True)
            .filter(pk=alert_id, fanned_out_at=None)
            .first()
        )
        if alert is None or not _is_live(alert):
            # Done already, another worker has it, or not public (yet): a
            # rescheduled item has its own fan-out at its new time.
            return 0
        if alert.source == Alert.Source.ARTICLE:
            matching = targets.subscriptions_for_article(alert.article)
        else:
            matching = targets.subscriptions_for_edition(alert.edition)
        sql, params = matching.values(
            "id", "subscriber_id", "frequency"
        ).query.sql_with_params()
        with db_connection.cursor() as cursor:
            cursor.execute(
                FAN_OUT_SQL.format(matching=sql),
                [alert.pk, Frequency.IMMEDIATE, *params, Frequency.IMMEDIATE],
            )
            created = cursor.rowcount
        alert.fanned_out_at = timezone.now()
        alert.recipients = created
        alert.save(update_fields=["fanned_out_at", "recipients"])
    queue_batches(alert.pk)
    if alert.source == Alert.Source.ARTICLE:
        logger.info("alert %s: %s deliveries", alert.pk, created)
    return created


def queue_batches(alert_id: int) -> int:
    """Enqueue send_batch over the alert's pending immediate deliveries."""
    ids = list(
        Delivery.objects.filter(
            alert_id=alert_id, status=Delivery.Status.PENDING, digest=False
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = settings.ALERTS_BATCH_SIZE
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)]
    for chunk in chunks:
        send_batch.enqueue(alert_id, chunk[0], chunk[-1])
    return len(chunks)


def _wanted(delivery: Delivery) -> bool:
    subscription = delivery.subscription
    return (
        subscription is not None
        and subscription.confirmed_at is not None
        and delivery.subscriber.confirmed_at is not None
    )


def _reason(subscription, cache: dict) -> str:
    if subscription.target_key not in cache:
        cache[subscription.target_key] = targets.target_of(subscription).label
    return cache[subscription.target_key]


# Row-locks the delivery if still pending (another worker's claim in flight
# waits a moment, then finds it claimed). Flushed to disk whatever the
# session's setting: once the server may have the mail, the claim must
# survive even a PostgreSQL crash. One round trip with its SET.
CLAIM = (
    "SET LOCAL synchronous_commit TO ON; "
    "UPDATE alerts_delivery SET status = 'sending', message_id = %s, "
    "claimed_at = %s, claimed_by = %s, attempts = attempts + 1 "
    "WHERE id = ANY(%s) AND status = 'pending' RETURNING id"
)
# From "unknown" too: a claim the tick gave up on whose worker did hear back.
FINISH = (
    "UPDATE alerts_delivery SET status = %s, sent_at = %s, last_error = %s "
    "WHERE id = ANY(%s) AND status IN ('sending', 'unknown')"
)


def claimant() -> str:
    """Who claims: host and process, for the log of an ambiguous delivery."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _claim(cursor, ids: list[int], message) -> int:
    """Phase one, inside the caller's transaction: committed before SMTP.

    Returns how many of `ids` were still pending and are now claimed.
    """
    cursor.execute(
        CLAIM, [message.extra_headers["Message-ID"], timezone.now(), claimant(), ids]
    )
    return len(cursor.fetchall())


def _finish(ids: list[int], status: str, error: str = "") -> None:
    sent_at = timezone.now() if status == Delivery.Status.SENT else None
    with db_connection.cursor() as cursor:
        cursor.execute(FINISH, [status, sent_at, error[:1000], ids])


def _send_claimed(ids: list[int], message, connection) -> bool:
    """Phase two: talk SMTP for committed claims and record what the server said.

    True when accepted, False when refused for good; raises on a transient
    error (after recording it) so the caller retries the rest later.
    """
    try:
        _send(message, connection)
    except smtplib.SMTPRecipientsRefused as error:
        _finish(ids, Delivery.Status.FAILED, str(error))
        return False
    except smtplib.SMTPResponseException as error:
        # The server answered with an error code: it does not have the mail.
        _finish(ids, Delivery.Status.PENDING, str(error))
        raise
    except TRANSIENT as error:
        # The connection broke mid-conversation: the server may have it.
        _finish(ids, Delivery.Status.UNKNOWN, str(error))
        logger.warning(
            "unknown delivery %s (connection lost while sending): not resent",
            message.extra_headers["Message-ID"],
        )
        raise
    _finish(ids, Delivery.Status.SENT)
    return True


@task()
def send_batch(alert_id: int, first_id: int, last_id: int, attempt: int = 0) -> int:
    """Send the pending deliveries first_id..last_id of one alert, once each."""
    alert = Alert.objects.select_related("article__category", "edition").get(
        pk=alert_id
    )
    item = mail.item_context(alert)
    # Read the batch once; each delivery is then only claimed and marked with
    # plain statements (the ORM's query building cost more than the mail). A
    # delivery unsubscribed or deleted meanwhile is gone from the table, so
    # its claim finds nothing.
    deliveries = list(
        Delivery.objects.filter(
            alert_id=alert_id,
            pk__gte=first_id,
            pk__lte=last_id,
            status=Delivery.Status.PENDING,
            digest=False,
        )
        .select_related(
            "subscriber",
            "subscription__category",
            "subscription__tag",
            "subscription__unit",
        )
        .order_by("pk")
    )
    # One SMTP session for the whole batch (send() alone would log in per mail).
    connection = get_connection()
    reasons: dict = {}
    sent = 0
    _fast_commits(True)
    try:
        connection.open()
        for delivery in deliveries:
            if not _wanted(delivery):
                with db_connection.cursor() as cursor:
                    cursor.execute(
                        "DELETE FROM alerts_delivery "
                        "WHERE id = %s AND status = 'pending'",
                        [delivery.pk],
                    )
                continue
            message = mail.alert_message(
                delivery, item, _reason(delivery.subscription, reasons)
            )
            with transaction.atomic(), db_connection.cursor() as cursor:
                if not _claim(cursor, [delivery.pk], message):
                    continue  # sent already, gone, or another worker has it
            sent += _send_claimed([delivery.pk], message, connection)
    except TRANSIENT as error:
        # What was claimed is recorded; the never-claimed rest goes later.
        remaining = Delivery.objects.filter(
            alert_id=alert_id,
            pk__gte=first_id,
            pk__lte=last_id,
            status=Delivery.Status.PENDING,
        )
        if attempt + 1 < MAX_ATTEMPTS:
            remaining.update(last_error=str(error)[:1000])
            _later(send_batch, attempt, alert_id, first_id, last_id, attempt + 1)
        else:
            remaining.update(
                status=Delivery.Status.FAILED, last_error=str(error)[:1000]
            )
        logger.warning("alert %s batch %s-%s: %s", alert_id, first_id, last_id, error)
    finally:
        connection.close()
        _fast_commits(False)
    return sent


# Daily digest -----------------------------------------------------------------


@task()
def send_digests(day: str) -> int:
    """Split the addresses with pending digest items into batches."""
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, digest=True)
        .order_by("subscriber_id")
        .values_list("subscriber_id", flat=True)
        .distinct()
    )
    size = settings.ALERTS_BATCH_SIZE
    for i in range(0, len(ids), size):
        chunk = ids[i : i + size]
        send_digest_batch.enqueue(chunk[0], chunk[-1], day)
    return len(ids)


@task()
def send_digest_batch(first_id: int, last_id: int, day: str, attempt: int = 0) -> int:
    """One mail per address listing its pending digest items, each sent once."""
    day_label = formats.date_format(dt.date.fromisoformat(day), "d/m/Y")
    subscriber_ids = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            digest=True,
            subscriber_id__gte=first_id,
            subscriber_id__lte=last_id,
        )
        .order_by("subscriber_id")
        .values_list("subscriber_id", flat=True)
        .distinct()
    )
    # One SMTP session for the whole batch (send() alone would log in per mail).
    connection = get_connection()
    sent = 0
    _fast_commits(True)
    try:
        connection.open()
        for subscriber_id in subscriber_ids:
            with transaction.atomic():
                subscriber = (
                    Subscriber.objects.select_for_update(skip_locked=True)
                    .filter(pk=subscriber_id)
                    .first()
                )
                if subscriber is None:
                    continue
                deliveries = list(
                    subscriber.deliveries.select_for_update(of=("self",))
                    .filter(status=Delivery.Status.PENDING, digest=True)
                    .select_related(
                        "subscriber",
                        "subscription",
                        "alert__article__category",
                        "alert__edition",
                    )
                )
                unwanted = [d.pk for d in deliveries if not _wanted(d)]
                Delivery.objects.filter(pk__in=unwanted).delete()
                deliveries = [d for d in deliveries if d.pk not in unwanted]
                if not deliveries:
                    continue
                ids = [d.pk for d in deliveries]
                message = mail.digest_message(subscriber, deliveries, day_label)
                with db_connection.cursor() as cursor:
                    _claim(cursor, ids, message)
            sent += _send_claimed(ids, message, connection)
    except TRANSIENT as error:
        if attempt + 1 < MAX_ATTEMPTS:
            _later(send_digest_batch, attempt, first_id, last_id, day, attempt + 1)
        logger.warning("digest %s-%s: %s", first_id, last_id, error)
    finally:
        connection.close()
        _fast_commits(False)
    return sent


# Editor notifications ---------------------------------------------------------


def _editors_with(app_label: str, codename: str, exclude_id: int | None):
    """Active staff holding a permission (by group, directly or as superuser)."""
    perm = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return (
        get_user_model()
        .objects.filter(perm | Q(is_superuser=True), is_active=True, is_staff=True)
        .exclude(email="")
        .exclude(pk=exclude_id)
        .exclude(alert_preference__notifications=False)
        .distinct()
    )


def _wants(user) -> bool:
    return (
        user is not None
        and user.is_active
        and user.email
        and not type(user)
        .objects.filter(pk=user.pk, alert_preference__notifications=False)
        .exists()
    )


def editor_event(event: str, object_id: int, actor_id: int | None) -> tuple[list, dict]:
    """(recipients, mail content) for one workflow event."""
    from news.models import Article
    from parindex.models import Edition

    if event == "edition-checked":
        edition = Edition.objects.get(pk=object_id)
        users = list(_editors_with("parindex", "release_edition", actor_id))
        return users, {
            "subject": f"{edition} chờ công bố",
            "lines": [f"{edition} đã được kiểm tra và chờ người thứ hai công bố."],
            "url": f"/quan-tri/parindex/edition/{edition.pk}/change/",
        }
    article = Article.objects.select_related("created_by").get(pk=object_id)
    admin_url = f"/quan-tri/news/article/{article.pk}/change/"
    writer = article.created_by
    writer_only = [writer] if _wants(writer) and writer.pk != actor_id else []
    if event == "submitted":
        users = list(_editors_with("news", "review_article", actor_id))
        return users, {
            "subject": f"Bài chờ duyệt: {article.title}",
            "lines": [f"Bài “{article.title}” vừa được gửi duyệt."],
            "url": admin_url,
        }
    if event == "returned":
        return writer_only, {
            "subject": f"Bài được trả lại: {article.title}",
            "lines": [
                f"Bài “{article.title}” được trả về để sửa. Nhận xét của người duyệt:",
                article.review_comment,
            ],
            "url": admin_url,
        }
    when = formats.date_format(timezone.localtime(article.published_at), "d/m/Y H:i")
    if event == "published":
        return writer_only, {
            "subject": f"Bài đã xuất bản: {article.title}",
            "lines": [f"Bài “{article.title}” đã xuất bản lúc {when}."],
            "url": article.get_absolute_url(),
        }
    if event == "live":
        return ([writer] if _wants(writer) else []), {
            "subject": f"Bài hẹn giờ đã lên trang: {article.title}",
            "lines": [f"Bài “{article.title}” hẹn giờ đã lên trang lúc {when}."],
            "url": article.get_absolute_url(),
        }
    raise ValueError(event)


@task()
def notify_editors(event: str, object_id: int, actor_id: int | None = None) -> int:
    users, content = editor_event(event, object_id, actor_id)
    for user in users:
        send_editor_mail.enqueue(event, object_id, actor_id, user.pk)
    return len(users)


@task()
def send_editor_mail(
    event: str, object_id: int, actor_id: int | None, user_id: int, attempt: int = 0
) -> str:
    users, content = editor_event(event, object_id, actor_id)
    user = next((u for u in users if u.pk == user_id), None)
    if user is None:
        return "not wanted"
    try:
        mail.editor_message(user, **content).send()
    except TRANSIENT:
        if attempt + 1 < MAX_ATTEMPTS:
            _later(
                send_editor_mail,
                attempt,
                event,
                object_id,
                actor_id,
                user_id,
                attempt + 1,
            )
        return "retry"
    return "sent"


@task()
def notify_go_live(article_id: int, published_at: str) -> str:
    """At a scheduled article's time: tell its writer, if it did go live then."""
    from news.models import Article

    # An English version's writer is told too (subscribers are not: signals).
    article = Article.objects.published(language=None).filter(pk=article_id).first()
    if article is None or article.published_at.isoformat() != published_at:
        return "not live or rescheduled"
    notify_editors.enqueue("live", article_id, None)
    return "queued"


# The minute tick: digests, clean-up, resuming what a dead worker left ------------


TICK_LOCK = 0x43434843  # "CCHC": one tick queued at a time across workers


def _live_tasks(task_, *, alert_id: int | None = None):
    from django_tasks_db.models import DBTaskResult

    stale = timezone.now() - dt.timedelta(seconds=settings.ALERTS_STALE_AFTER)
    tasks = DBTaskResult.objects.filter(task_path=task_.module_path).filter(
        Q(status="READY") | Q(status="RUNNING", started_at__gte=stale)
    )
    if alert_id is not None:
        tasks = tasks.filter(args_kwargs__args__0=alert_id)
    return tasks


def record_unknown_deliveries() -> int:
    """Claims whose worker went silent: "unknown delivery", never sent again.

    The worker died (or hung past ALERTS_STALE_AFTER) between committing the
    claim and recording the server's answer, so the server may have the mail.
    Policy for those: at most once. Logged with the Message-IDs (no addresses)
    and counted in the admin.
    """
    stale = timezone.now() - dt.timedelta(seconds=settings.ALERTS_STALE_AFTER)
    claims = Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=stale
    )
    found = list(claims.values_list("pk", "alert_id", "message_id", "claimed_by"))
    if not found:
        return 0
    recorded = Delivery.objects.filter(
        pk__in=[row[0] for row in found], status=Delivery.Status.SENDING
    ).update(
        status=Delivery.Status.UNKNOWN,
        last_error="Máy gửi dừng giữa chừng: không rõ máy chủ thư đã nhận chưa.",
    )
    for _, alert_id, message_id, claimed_by in found:
        logger.warning(
            "alert %s: unknown delivery %s (claimed by %s, worker gone): not resent",
            alert_id,
            message_id,
            claimed_by,
        )
    return recorded


def resume_stalled() -> int:
    """Re-enqueue fan-outs and batches whose worker died (pending, nobody on it)."""
    resumed = 0
    stale = timezone.now() - dt.timedelta(seconds=settings.ALERTS_STALE_AFTER)
    for alert in Alert.objects.filter(fanned_out_at=None, created_at__lte=stale):
        if _is_live(alert) and not _live_tasks(fan_out, alert_id=alert.pk).exists():
            fan_out.enqueue(alert.pk)
            resumed += 1
    waiting = (
        Delivery.objects.filter(status=Delivery.Status.PENDING, digest=False)
        .values_list("alert_id", flat=True)
        .distinct()
    )
    for alert_id in waiting:
        if not _live_tasks(send_batch, alert_id=alert_id).exists():
            resumed += queue_batches(alert_id)
    last_run = DigestRun.objects.first()
    if (
        last_run is not None
        and Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            digest=True,
            created_at__lte=last_run.queued_at,
        ).exists()
        and not _live_tasks(send_digest_batch).exists()
        and not _live_tasks(send_digests).exists()
    ):
        send_digests.enqueue(last_run.day.isoformat())
        resumed += 1
    return resumed


def queue_digest(now: dt.datetime | None = None) -> bool:
    """Queue today's digest once the local digest hour has come (once a day)."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.ALERTS_DIGEST_HOUR:
        return False
    _, created = DigestRun.objects.get_or_create(day=local.date())
    if created:
        send_digests.enqueue(local.date().isoformat())
    return created


def maintenance() -> dict:
    return {
        "forgotten": services.forget_unconfirmed(),
        "digest": queue_digest(),
        "unknown": record_unknown_deliveries(),
        "resumed": resume_stalled(),
    }


def ensure_tick(delay: int = 60) -> bool:
    """Queue the next tick unless one is waiting already."""
    with transaction.atomic():
        with db_connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TICK_LOCK])
        from django_tasks_db.models import DBTaskResult

        if DBTaskResult.objects.filter(
            task_path=tick.module_path, status="READY"
        ).exists():
            return False
        tick.using(run_after=timezone.now() + dt.timedelta(seconds=delay)).enqueue()
        return True


@task()
def tick() -> dict:
    """Every minute: digest, clean-up, resume; then queue the next tick."""
    ensure_tick()
    return maintenance()
