"""Mail through a real SMTP server (aiosmtpd) and the task queue, end to end."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc_portal.alerts.models import Delivery, Subscriber, Subscription
from news import services as news_services
from news.models import Article
from tests.alerts.helpers import confirmed, link
from tests.factories import ArticleFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return ReviewerFactory(email="")


@pytest.fixture
def publish(committed, reviewer, tag):
    """Publish a new draft tagged `tag` through the workflow service, committed."""

    def run(title="Tỉnh số hóa hồ sơ một cửa", at=None):
        article = ArticleFactory(
            title=title,
            sapo=f"Tóm tắt: {title}.",
            status=Article.Status.DRAFT,
            published_at=None,
            tags=[tag],
        )
        committed(
            lambda: news_services.article_publish(article=article, user=reviewer, at=at)
        )
        return article

    return run


def test_confirmation_mail_is_vietnamese_with_text_and_html_and_confirms(
    client, smtp, worker, tag, committed
):
    response = committed(
        lambda: client.post(
            reverse("alerts:subscribe"),
            {
                "loai": "the",
                "muc": tag.slug,
                "email": "Dan@Example.vn",
                "frequency": "ngay",
                "consent": "on",
            },
        )
    )
    assert response.status_code == 302
    assert smtp.messages == []  # nothing is sent by the request itself
    worker()
    [message] = smtp.messages
    assert message["To"] == "dan@example.vn"
    assert smtp.subject(message).startswith("Xác nhận đăng ký nhận thư")
    assert "Thẻ “Chuyển đổi số”" in smtp.text(message)
    assert "Xác nhận đăng ký" in smtp.html(message)
    page = client.get(link(smtp.text(message), "/nhan-tin/xac-nhan/"))
    assert page.status_code == 200
    subscription = Subscription.objects.get()
    client.post(page.request["PATH_INFO"], {"dang_ky": [str(subscription.pk)]})
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert Subscriber.objects.get().confirmed_at is not None


def test_publishing_mails_each_confirmed_subscriber_once_and_nobody_else(
    smtp, worker, tag, publish
):
    confirmed("doc-gia@example.vn", {"loai": "the", "muc": tag.slug})
    # The same address through a second subscription still gets one mail.
    Subscription.objects.create(
        subscriber=Subscriber.objects.get(),
        kind="tim-kiem",
        search_params={"q": "một cửa"},
        target_key="tim-kiem:q=một+cửa",
        consent_text="x",
        consent_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    from cchc_portal.alerts import services, targets

    services.subscription_request(
        email="chua-xac-nhan@example.vn",
        target=targets.target_from({"loai": "the", "muc": tag.slug}),
        frequency="ngay",
    )
    article = publish()
    worker()
    assert [m["To"] for m in smtp.messages] == ["doc-gia@example.vn"]
    [message] = smtp.messages
    assert smtp.subject(message) == article.title
    text = smtp.text(message)
    assert article.sapo in text
    assert "https://cchc.example.gov.vn" + article.get_absolute_url() in text
    assert "Quản lý đăng ký của bạn" in text
    assert article.title in smtp.html(message)
    unsubscribe = smtp.header(message, "List-Unsubscribe")
    assert unsubscribe.startswith("<https://cchc.example.gov.vn/nhan-tin/huy/")
    assert smtp.header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert Delivery.objects.get().status == Delivery.Status.SENT
    worker()  # nothing left: running again sends nothing
    assert len(smtp.messages) == 1


def test_one_click_unsubscribe_by_post_needs_no_login_and_stops_mail_at_once(
    smtp, worker, tag, publish
):
    confirmed("doc-gia@example.vn", {"loai": "the", "muc": tag.slug})
    publish("Tin thứ nhất")
    worker()
    [message] = smtp.messages
    url = (
        smtp.header(message, "List-Unsubscribe")
        .strip("<>")
        .removeprefix("https://cchc.example.gov.vn")
    )
    mail_client = Client(enforce_csrf_checks=True)  # as a mail provider posts
    assert mail_client.get(url).status_code == 200
    assert Subscription.objects.exists()  # a GET (link preview) changes nothing
    response = mail_client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Đã hủy đăng ký" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not Subscriber.objects.exists()  # nothing left about the address
    publish("Tin thứ hai")
    worker()
    assert len(smtp.messages) == 1


def test_unsubscribing_between_fan_out_and_sending_sends_nothing(
    smtp, worker, tag, publish
):
    from cchc_portal.alerts import services

    subscriber = confirmed("doc-gia@example.vn", {"loai": "the", "muc": tag.slug})
    publish()
    from django_tasks_db.models import DBTaskResult

    # Run the fan-out only, then unsubscribe before the batch runs.
    fan_out = DBTaskResult.objects.get(task_path__endswith=".fan_out")
    worker(limit=DBTaskResult.objects.ready().filter(pk__lte=fan_out.pk).count())
    assert Delivery.objects.filter(status="pending").count() == 1
    services.unsubscribe(subscriber=subscriber)
    worker()
    assert smtp.messages == []


def test_daily_digest_sends_one_mail_with_the_days_items_at_seven(
    smtp, worker, tag, publish
):
    from cchc_portal.alerts import tasks

    confirmed("so-sang@example.vn", {"loai": "the", "muc": tag.slug}, "hang-ngay")
    morning = timezone.make_aware(dt.datetime(2026, 12, 2, 6, 0))
    with time_machine.travel(morning, tick=False):
        first = publish("Tin buổi sáng")
        second = publish("Tin thứ hai")
        worker()
        assert smtp.messages == []
        assert tasks.queue_digest() is False  # before 07:00
    with time_machine.travel(morning + dt.timedelta(hours=1, minutes=5), tick=False):
        assert tasks.queue_digest() is True
        assert tasks.queue_digest() is False  # once a day
        worker()
    [message] = smtp.messages
    assert "02/12/2026" in smtp.subject(message)
    text = smtp.text(message)
    assert first.title in text and second.title in text
    assert smtp.header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_batch_sends_all_its_mails_over_one_smtp_connection(
    smtp, worker, tag, publish, settings
):
    settings.ALERTS_BATCH_SIZE = 4
    for i in range(10):
        confirmed(f"doc-gia-{i}@example.vn", {"loai": "the", "muc": tag.slug})
    publish()
    worker()
    assert len(smtp.messages) == 10
    assert len(smtp.sessions) == 3  # batches of 4, 4 and 2


def test_smtp_errors_are_retried_later_with_backoff(smtp, worker, tag, publish):
    from django_tasks_db.models import DBTaskResult

    confirmed("doc-gia@example.vn", {"loai": "the", "muc": tag.slug})
    smtp.fail_next = 1
    publish()
    worker()
    assert smtp.messages == []
    assert Delivery.objects.get().status == "pending"
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][-1] == 1  # attempt 1
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=20)
    with time_machine.travel(dt.timedelta(seconds=31)):
        worker()
    assert [m["To"] for m in smtp.messages] == ["doc-gia@example.vn"]
    assert Delivery.objects.get().status == "sent"


def test_a_scheduled_article_alerts_when_it_goes_live(smtp, worker, tag, publish):
    confirmed("doc-gia@example.vn", {"loai": "the", "muc": tag.slug})
    at = (timezone.now() + dt.timedelta(hours=2)).replace(microsecond=0)
    publish("Tin hẹn giờ", at=at)
    worker()
    assert smtp.messages == []
    with time_machine.travel(at + dt.timedelta(seconds=5)):
        worker()
    assert [smtp.subject(m) for m in smtp.messages] == ["Tin hẹn giờ"]


def test_a_released_edition_alerts_overview_and_unit_subscribers_with_figures(
    smtp, worker, committed
):
    from decimal import Decimal

    from cchc_portal.alerts import services
    from parindex.models import Edition
    from tests.factories import EditionFactory, ResultFactory, UnitFactory

    unit = UnitFactory(name="Tỉnh Quảng Ninh", slug="quang-ninh")
    edition = EditionFactory(year=2024, n_ranked=34, national_average=Decimal("84.09"))
    ResultFactory(edition=edition, unit=unit, rank=1, total=Decimal("91.52"))
    confirmed("tong-quan@example.vn", {"loai": "chi-so-cchc"})
    confirmed("tinh@example.vn", {"loai": "don-vi", "muc": "quang-ninh"})
    services.alert_queue(edition=Edition.objects.get(pk=edition.pk))
    worker()
    assert sorted(m["To"] for m in smtp.messages) == [
        "tinh@example.vn",
        "tong-quan@example.vn",
    ]
    text = smtp.text(smtp.messages[0])
    assert "Trung bình cả nước: 84,09%" in text
    assert "1. Tỉnh Quảng Ninh: 91,52%" in text


def test_a_merged_units_subscribers_hear_of_news_about_its_successor(
    smtp, worker, committed, reviewer
):
    from parindex.models import UnitSuccession
    from tests.factories import UnitFactory

    old = UnitFactory(name="Tỉnh Hà Giang", slug="ha-giang")
    new = UnitFactory(name="Tỉnh Tuyên Quang", slug="tuyen-quang")
    UnitSuccession.objects.create(
        predecessor=old, successor=new, effective_on=dt.date(2025, 7, 1)
    )
    confirmed("ha-giang@example.vn", {"loai": "don-vi", "muc": "ha-giang"})
    article = ArticleFactory(
        title="Tuyên Quang sau hợp nhất",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    article.units.add(new)
    committed(lambda: news_services.article_publish(article=article, user=reviewer))
    worker()
    [message] = smtp.messages
    assert message["To"] == "ha-giang@example.vn"
    assert "Đơn vị “Tỉnh Tuyên Quang”" in smtp.text(message)


def test_a_stored_search_reaches_only_the_articles_it_finds(
    smtp, worker, committed, reviewer
):
    confirmed("tim@example.vn", {"loai": "tim-kiem", "q": "một cửa"})
    confirmed("khac@example.vn", {"loai": "tim-kiem", "q": "ngân sách"})
    article = ArticleFactory(
        title="Bộ phận một cửa liên thông",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    committed(lambda: news_services.article_publish(article=article, user=reviewer))
    worker()
    assert [m["To"] for m in smtp.messages] == ["tim@example.vn"]
    assert "Tìm kiếm “một cửa”" in smtp.text(smtp.messages[0])


def test_the_minute_tick_keeps_exactly_one_tick_queued():
    from django_tasks_db.models import DBTaskResult

    from cchc_portal.alerts import tasks

    assert tasks.ensure_tick() is True
    assert tasks.ensure_tick() is False
    ticks = DBTaskResult.objects.filter(task_path=tasks.tick.module_path)
    assert ticks.count() == 1
    assert ticks.get().run_after > timezone.now()
    with time_machine.travel(dt.timedelta(minutes=2)):
        from tests.alerts.conftest import run_tasks

        run_tasks(limit=1)  # the tick runs and queues its successor
        assert ticks.filter(status="READY").count() == 1
        assert ticks.filter(status="SUCCESSFUL").count() == 1
