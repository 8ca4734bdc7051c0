"""Editors hear about their work by mail; each can turn it off."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc_portal.alerts.models import EditorPreference
from news import services as news_services
from news.models import Article
from tests.factories import (
    ArticleFactory,
    EditionFactory,
    ReviewerFactory,
    UserFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    return WriterFactory(email="viet@example.gov.vn")


@pytest.fixture
def reviewer():
    return ReviewerFactory(email="duyet@example.gov.vn")


@pytest.fixture
def draft(writer):
    return ArticleFactory(
        title="Bài về một cửa",
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=writer,
    )


def recipients(smtp):
    return sorted(m["To"] for m in smtp.messages)


def test_reviewers_hear_of_a_submission_but_not_the_writer(
    smtp, worker, committed, writer, reviewer, draft
):
    ReviewerFactory(email="duyet2@example.gov.vn")
    committed(
        lambda: news_services.article_submit_for_review(article=draft, user=writer)
    )
    worker()
    assert recipients(smtp) == ["duyet2@example.gov.vn", "duyet@example.gov.vn"]
    assert "Bài chờ duyệt: Bài về một cửa" in smtp.subject(smtp.messages[0])


def test_a_reviewer_who_turned_notifications_off_gets_none(
    smtp, worker, committed, writer, reviewer, draft
):
    EditorPreference.objects.create(user=reviewer, notifications=False)
    committed(
        lambda: news_services.article_submit_for_review(article=draft, user=writer)
    )
    worker()
    assert smtp.messages == []


def test_the_writer_hears_of_a_return_with_the_comment_and_of_publishing(
    smtp, worker, committed, writer, reviewer, draft
):
    draft.status = Article.Status.PENDING
    draft.save()
    committed(
        lambda: news_services.article_return_to_writer(
            article=draft, user=reviewer, comment="Cần thêm nguồn số liệu."
        )
    )
    worker()
    [returned] = smtp.messages
    assert returned["To"] == "viet@example.gov.vn"
    assert "Cần thêm nguồn số liệu." in smtp.text(returned)
    committed(lambda: news_services.article_publish(article=draft, user=reviewer))
    worker()
    assert recipients(smtp) == ["viet@example.gov.vn"] * 2
    assert smtp.subject(smtp.messages[1]).startswith("Bài đã xuất bản")


def test_the_writer_hears_when_a_scheduled_article_goes_live(
    smtp, worker, committed, writer, reviewer, draft
):
    at = (timezone.now() + dt.timedelta(hours=3)).replace(microsecond=0)
    committed(
        lambda: news_services.article_publish(article=draft, user=reviewer, at=at)
    )
    worker()
    assert smtp.messages == []
    with time_machine.travel(at + dt.timedelta(seconds=5)):
        worker()
    [message] = smtp.messages
    assert message["To"] == "viet@example.gov.vn"
    assert smtp.subject(message).startswith("Bài hẹn giờ đã lên trang")


def test_data_reviewers_hear_when_an_edition_is_ready_to_release(smtp, worker):
    from parindex import signals
    from parindex.models import Edition

    officer = UserFactory(email="dulieu@example.gov.vn")
    data_reviewer = UserFactory(email="duyetdulieu@example.gov.vn")
    data_reviewer.user_permissions.add(
        Permission.objects.get(codename="release_edition")
    )
    UserFactory(email="khac@example.gov.vn")  # no release permission: no mail
    edition = EditionFactory(status="draft", release_at=None)
    signals.edition_checked.send(sender=Edition, edition=edition, user=officer)
    worker()
    assert recipients(smtp) == ["duyetdulieu@example.gov.vn"]
    assert "chờ công bố" in smtp.subject(smtp.messages[0])


def test_each_editor_turns_notifications_off_from_a_page_or_the_mail_link(
    client, smtp, worker, committed, writer, reviewer, draft
):
    client.force_login(reviewer)
    page = reverse("alerts:editor-preferences")
    assert client.get(page).status_code == 200
    client.post(page, {})
    assert EditorPreference.objects.get(user=reviewer).notifications is False
    client.post(page, {"nhan_thong_bao": "1"})
    assert EditorPreference.objects.get(user=reviewer).notifications is True

    committed(
        lambda: news_services.article_submit_for_review(article=draft, user=writer)
    )
    worker()
    [message] = smtp.messages
    off = smtp.header(message, "List-Unsubscribe").strip("<>")
    off = off.removeprefix("https://cchc.example.gov.vn")
    response = Client(enforce_csrf_checks=True).post(off)
    assert response.status_code == 200
    assert EditorPreference.objects.get(user=reviewer).notifications is False


def test_the_preferences_page_needs_a_staff_login(client):
    response = client.get(reverse("alerts:editor-preferences"))
    assert response.status_code == 302


def test_a_published_draft_of_a_live_article_tells_its_writer_and_no_subscriber(
    smtp, worker, committed, writer, reviewer
):
    from cchc_portal.alerts.models import Alert
    from news import drafts

    live = ArticleFactory(title="Bài đang công khai về một cửa", created_by=writer)
    draft = drafts.article_draft_start(article=live, user=writer)
    alerts_before = Alert.objects.count()

    committed(lambda: news_services.article_publish(article=draft, user=reviewer))
    worker()

    assert recipients(smtp) == ["viet@example.gov.vn"]
    assert "Bài đã xuất bản: Bài đang công khai về một cửa" in smtp.subject(
        smtp.messages[0]
    )
    # Subscribers heard of the article when it first appeared.
    assert Alert.objects.count() == alerts_before
