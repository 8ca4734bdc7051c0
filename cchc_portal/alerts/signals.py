"""Alerts listen to the news and PAR INDEX steps (sent on commit by their services).

- news.signals.article_published → one fan-out (at the publish time when
  scheduled) and the writer's notice (now, or when it goes live);
- news.signals.article_submitted / article_returned → reviewers / the writer;
- news.signals.article_draft_published → the writer's notice when a working
  draft of a live article goes out (now, or at its scheduled minute); no
  fan-out: subscribers were told when the article first appeared;
- parindex.signals.edition_released → one fan-out (at release_at if scheduled);
- parindex.signals.edition_checked → the data reviewers.
"""

from __future__ import annotations

from django.utils import timezone

from news import signals as news_signals
from parindex import signals as parindex_signals


def _actor(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def _article_published(sender, article, user=None, **kwargs) -> None:
    from cchc_portal.alerts import services, tasks

    # Subscriptions are to Vietnamese sections, tags, units and searches: an
    # English version reaches nobody (its writer is still told below).
    if article.language == article.Language.VIETNAMESE:
        services.alert_queue(article=article, at=article.published_at)
    if article.published_at > timezone.now():
        tasks.notify_go_live.using(run_after=article.published_at).enqueue(
            article.pk, article.published_at.isoformat()
        )
    else:
        tasks.notify_editors.enqueue("published", article.pk, _actor(user))


def _article_submitted(sender, article, user=None, **kwargs) -> None:
    from cchc_portal.alerts import tasks

    tasks.notify_editors.enqueue("submitted", article.pk, _actor(user))


def _article_returned(sender, article, user=None, **kwargs) -> None:
    from cchc_portal.alerts import tasks

    tasks.notify_editors.enqueue("returned", article.pk, _actor(user))


def _article_draft_published(
    sender, article, user=None, scheduled=False, went_live=False, **kwargs
) -> None:
    from cchc_portal.alerts import tasks

    if scheduled and not went_live:
        return  # told when it goes out, by the request that applies it
    tasks.notify_editors.enqueue(
        "live" if went_live else "published", article.pk, _actor(user)
    )


def _edition_released(sender, edition, user=None, **kwargs) -> None:
    from cchc_portal.alerts import services

    services.alert_queue(edition=edition, at=edition.release_at)


def _edition_checked(sender, edition, user=None, **kwargs) -> None:
    from cchc_portal.alerts import tasks

    if user is None:
        return  # the system (seed_demo) checks and releases at once: nobody waits
    tasks.notify_editors.enqueue("edition-checked", edition.pk, _actor(user))


def connect() -> None:
    for signal, receiver in (
        (news_signals.article_published, _article_published),
        (news_signals.article_submitted, _article_submitted),
        (news_signals.article_returned, _article_returned),
        (news_signals.article_draft_published, _article_draft_published),
        (parindex_signals.edition_released, _edition_released),
        (parindex_signals.edition_checked, _edition_checked),
    ):
        signal.connect(receiver, dispatch_uid=f"alerts-{receiver.__name__}")
