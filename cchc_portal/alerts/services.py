"""Writes for alerts: subscribe, confirm, unsubscribe, forget, and items to send.

The answer a visitor sees never depends on whether an address is known: the
services return nothing that would tell. At most one confirmation mail per
address per day goes out, whatever is asked.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cchc_portal.alerts import targets
from cchc_portal.alerts.forms import CONSENT_TEXT
from cchc_portal.alerts.models import Alert, Delivery, Subscriber, Subscription

CONFIRMATION_INTERVAL = dt.timedelta(days=1)
UNCONFIRMED_KEPT = dt.timedelta(days=7)


def _queue(task, *args, run_after=None) -> None:
    """Enqueue once the current transaction commits (never for a rolled-back one)."""

    def enqueue():
        (task.using(run_after=run_after) if run_after else task).enqueue(*args)

    transaction.on_commit(enqueue)


@transaction.atomic
def subscription_request(*, email: str, target: targets.Target, frequency: str) -> None:
    """Record a wish to follow `target`; mail a confirmation link if allowed.

    A confirmed subscription stays as it is (a stranger cannot change it); a
    pending one takes the new frequency and consent. The confirmation mail
    lists every pending subscription; the owner chooses which to confirm.
    """
    from cchc_portal.alerts import tasks

    now = timezone.now()
    subscriber, _ = Subscriber.objects.select_for_update().get_or_create(email=email)
    subscription, created = Subscription.objects.get_or_create(
        subscriber=subscriber,
        target_key=target.key,
        defaults={
            **target.subscription_fields(),
            "frequency": frequency,
            "consent_text": CONSENT_TEXT,
            "consent_at": now,
        },
    )
    if subscription.confirmed_at is not None:
        return
    if not created:
        subscription.frequency = frequency
        subscription.consent_text = CONSENT_TEXT
        subscription.consent_at = now
        subscription.save(update_fields=["frequency", "consent_text", "consent_at"])
    sent = subscriber.confirmation_sent_at
    if sent is None or now - sent >= CONFIRMATION_INTERVAL:
        subscriber.confirmation_sent_at = now
        subscriber.save(update_fields=["confirmation_sent_at"])
        _queue(tasks.send_confirmation, subscriber.pk)


def manage_link_request(*, email: str) -> None:
    """Mail the manage link to a known address (nothing for an unknown one)."""
    from cchc_portal.alerts import tasks

    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None:
        tasks.send_manage_link.enqueue(subscriber.pk)


@transaction.atomic
def subscriptions_confirm(*, subscriber: Subscriber, ids: list[int]) -> int:
    """Confirm the chosen pending subscriptions (and the address). Returns how many."""
    now = timezone.now()
    count = subscriber.subscriptions.filter(pk__in=ids, confirmed_at=None).update(
        confirmed_at=now
    )
    if count and subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
        subscriber.save(update_fields=["confirmed_at"])
    return count


@transaction.atomic
def subscription_set_frequency(*, subscription: Subscription, frequency: str) -> None:
    subscription.frequency = frequency
    subscription.full_clean()
    subscription.save(update_fields=["frequency"])


@transaction.atomic
def unsubscribe(
    *, subscriber: Subscriber, subscription: Subscription | None = None
) -> None:
    """Stop one subscription (or all): at once, pending mails included.

    An address left with no subscription is deleted with everything about it.
    """
    chosen = subscriber.subscriptions.all()
    if subscription is not None:
        chosen = chosen.filter(pk=subscription.pk)
    Delivery.objects.filter(
        subscription__in=chosen, status=Delivery.Status.PENDING
    ).delete()
    chosen.delete()
    if not subscriber.subscriptions.exists():
        subscriber.delete()


@transaction.atomic
def subscriber_delete_everything(*, subscriber: Subscriber) -> None:
    """The address, its subscriptions, consents and sending records: all gone."""
    subscriber.delete()


def subscriber_export(subscriber: Subscriber) -> dict:
    """Everything stored about an address, for the person it belongs to."""
    subscriptions = subscriber.subscriptions.select_related("category", "tag", "unit")
    deliveries = subscriber.deliveries.select_related(
        "alert__article", "alert__edition"
    )
    return {
        "dia_chi": subscriber.email,
        "dang_ky_luc": subscriber.created_at.isoformat(),
        "xac_nhan_luc": subscriber.confirmed_at and subscriber.confirmed_at.isoformat(),
        "dang_ky": [
            {
                "theo_doi": targets.target_of(s).label,
                "tan_suat": s.get_frequency_display(),
                "noi_dung_dong_y": s.consent_text,
                "dong_y_luc": s.consent_at.isoformat(),
                "xac_nhan_luc": s.confirmed_at and s.confirmed_at.isoformat(),
            }
            for s in subscriptions
        ],
        "thu_da_gui": [
            {
                "tin": str(d.alert),
                "trang_thai": d.get_status_display(),
                "gui_luc": d.sent_at and d.sent_at.isoformat(),
            }
            for d in deliveries
        ],
    }


def forget_unconfirmed(now: dt.datetime | None = None) -> int:
    """Delete addresses and subscriptions left unconfirmed for 7 days."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_KEPT
    subscriptions, _ = Subscription.objects.filter(
        confirmed_at=None, consent_at__lt=cutoff
    ).delete()
    subscribers, _ = Subscriber.objects.filter(
        confirmed_at=None, created_at__lt=cutoff
    ).delete()
    return subscribers


def alert_queue(*, article=None, edition=None, at: dt.datetime | None = None) -> None:
    """Queue the one fan-out for a published article or released edition.

    Called on commit by the publish and release signals; a scheduled item's
    fan-out waits for its time (and checks the item is public then).
    """
    from cchc_portal.alerts import tasks

    if article is not None:
        alert, _ = Alert.objects.get_or_create(
            article=article, defaults={"source": Alert.Source.ARTICLE}
        )
    else:
        alert, _ = Alert.objects.get_or_create(
            edition=edition, defaults={"source": Alert.Source.EDITION}
        )
    if alert.fanned_out_at is not None:
        return
    task = tasks.fan_out
    if at is not None and at > timezone.now():
        task = task.using(run_after=at)
    task.enqueue(alert.pk)
