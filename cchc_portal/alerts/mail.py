"""The e-mails: Vietnamese, HTML and plain text, with one-click unsubscribe.

Alert and digest mails carry `List-Unsubscribe` (an HTTPS URL) and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), and a link
to the subscriber's manage page. Message-IDs are derived from the delivery
and recorded in its claim before the mail goes out, so what the SMTP server
received can always be matched to the record.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from cchc_portal.alerts import tokens
from cchc_portal.alerts.models import Alert, Delivery, Subscriber, Subscription


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":")[0]


def manage_url(subscriber: Subscriber) -> str:
    token = tokens.make(tokens.MANAGE, pk=subscriber.pk, email=subscriber.email)
    return absolute(reverse("alerts:manage", kwargs={"token": token}))


def unsubscribe_url(subscriber: Subscriber, subscription: Subscription | None) -> str:
    """One-click link: one subscription, or (None) every subscription of the address."""
    token = tokens.make(
        tokens.UNSUBSCRIBE,
        pk=subscriber.pk,
        email=subscriber.email,
        extra=subscription.pk if subscription else None,
    )
    return absolute(reverse("alerts:unsubscribe", kwargs={"token": token}))


def message_id_header(local: str) -> str:
    """The Message-ID header value for a mail named `local` (stored in claims)."""
    return f"<{local}@{_domain()}>"


def build(
    template: str,
    context: dict,
    *,
    to: str,
    subject: str,
    unsubscribe: str | None = None,
    message_id: str | None = None,
) -> EmailMultiAlternatives:
    """A two-part message from templates/alerts/email/<template>.txt and .html."""
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        **context,
    }
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    headers = {}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["List-Id"] = f"Thu bao tin moi <alerts.{_domain()}>"
        headers["Auto-Submitted"] = "auto-generated"
    if message_id:
        headers["Message-ID"] = message_id_header(message_id)
    # Subjects never carry line breaks (titles are one line, but be sure).
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def item_context(alert: Alert) -> dict:
    """What a mail says about an item: title, sapo and link, or headline figures."""
    if alert.source == Alert.Source.ARTICLE:
        article = alert.article
        return {
            "kind": "article",
            "title": article.title,
            "sapo": article.sapo,
            "url": absolute(article.get_absolute_url()),
            "category": article.category.name if article.category_id else "",
        }
    edition = alert.edition
    top = list(
        edition.results.select_related("unit").order_by("rank", "unit__name")[:3]
    )
    return {
        "kind": "edition",
        "title": f"Công bố {edition}",
        "url": absolute(edition.get_absolute_url()),
        "edition": edition,
        "top": top,
        "n_ranked": edition.n_ranked,
        "national_average": edition.national_average,
    }


def confirmation_message(
    subscriber: Subscriber, pending: list
) -> EmailMultiAlternatives:
    token = tokens.make(tokens.CONFIRM, pk=subscriber.pk, email=subscriber.email)
    return build(
        "confirm",
        {
            "confirm_url": absolute(reverse("alerts:confirm", kwargs={"token": token})),
            "pending": pending,
            "privacy_url": absolute(reverse("alerts:privacy")),
        },
        to=subscriber.email,
        subject=f"Xác nhận đăng ký nhận thư – {settings.SITE_NAME}",
    )


def manage_link_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    return build(
        "manage_link",
        {"manage_url": manage_url(subscriber)},
        to=subscriber.email,
        subject=f"Liên kết quản lý đăng ký nhận thư – {settings.SITE_NAME}",
    )


def alert_message(
    delivery: Delivery, item: dict, reason: str
) -> EmailMultiAlternatives:
    subscriber = delivery.subscriber
    unsubscribe = unsubscribe_url(subscriber, delivery.subscription)
    return build(
        "alert",
        {
            "item": item,
            "reason": reason,
            "unsubscribe_url": unsubscribe,
            "manage_url": manage_url(subscriber),
        },
        to=subscriber.email,
        subject=item["title"],
        unsubscribe=unsubscribe,
        message_id=f"alert-{delivery.alert_id}-{subscriber.pk}",
    )


def digest_message(
    subscriber: Subscriber, deliveries: list[Delivery], day_label: str
) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(subscriber, None)
    items = [item_context(delivery.alert) for delivery in deliveries]
    first = min(delivery.pk for delivery in deliveries)
    return build(
        "digest",
        {
            "items": items,
            "day_label": day_label,
            "unsubscribe_url": unsubscribe,
            "manage_url": manage_url(subscriber),
        },
        to=subscriber.email,
        subject=f"Tin mới ngày {day_label}: {len(items)} tin – {settings.SITE_NAME}",
        unsubscribe=unsubscribe,
        message_id=f"digest-{subscriber.pk}-{first}",
    )


def editor_message(user, *, subject: str, lines: list[str], url: str):
    token = tokens.make(tokens.EDITOR_OFF, pk=user.pk, email=user.email)
    off_url = absolute(reverse("alerts:editor-off", kwargs={"token": token}))
    return build(
        "editor",
        {
            "user": user,
            "lines": lines,
            "url": absolute(url),
            "off_url": off_url,
            "preferences_url": absolute(reverse("alerts:editor-preferences")),
        },
        to=user.email,
        subject=subject,
        unsubscribe=off_url,
    )
