"""Personal data: notice, forgetting unconfirmed addresses, export, delete, admin."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cchc_portal.alerts import services, targets, tokens
from cchc_portal.alerts.models import Alert, Delivery, Subscriber, Subscription
from tests.alerts.helpers import confirmed
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    UserFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db


def manage_url(subscriber):
    token = tokens.make(tokens.MANAGE, pk=subscriber.pk, email=subscriber.email)
    return reverse("alerts:manage", kwargs={"token": token})


def test_the_privacy_notice_names_the_decree_and_what_is_kept(client):
    response = client.get(reverse("alerts:privacy"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nghị định số 13/2023/NĐ-CP" in text
    assert "tự động xóa sau 7 ngày" in text
    assert "Tôi đồng ý" in text  # the consent text shown at subscription


def test_unconfirmed_addresses_are_deleted_after_seven_days(tag):
    from cchc_portal.alerts import tasks

    target = targets.target_from({"loai": "the", "muc": tag.slug})
    services.subscription_request(
        email="cho@example.vn", target=target, frequency="ngay"
    )
    confirmed("da-xac-nhan@example.vn", {"loai": "the", "muc": tag.slug})
    with time_machine.travel(dt.timedelta(days=6)):
        tasks.maintenance()
    assert Subscriber.objects.filter(email="cho@example.vn").exists()
    with time_machine.travel(dt.timedelta(days=7, minutes=1)):
        tasks.maintenance()
    assert list(Subscriber.objects.values_list("email", flat=True)) == [
        "da-xac-nhan@example.vn"
    ]
    assert Subscription.objects.count() == 1


def test_the_manage_page_lists_changes_and_stops_subscriptions(client, tag):
    subscriber = confirmed("a@example.vn", {"loai": "the", "muc": tag.slug})
    confirmed("a@example.vn", {"loai": "chi-so-cchc"})
    url = manage_url(subscriber)
    page = client.get(url)
    assert page.status_code == 200
    assert "Thẻ “Chuyển đổi số”" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    first, second = subscriber.subscriptions.order_by("pk")
    client.post(
        url, {"action": "tan-suat", "dang_ky": first.pk, "tan_suat": "hang-ngay"}
    )
    first.refresh_from_db()
    assert first.frequency == "hang-ngay"
    client.post(url, {"action": "huy", "dang_ky": second.pk})
    assert list(subscriber.subscriptions.all()) == [first]
    bad = client.post(url, {"action": "huy", "dang_ky": "999999"})
    assert bad.status_code == 400
    assert "Không tìm thấy" in bad.content.decode()


def test_export_gives_everything_stored_about_the_address(client, tag):
    subscriber = confirmed("a@example.vn", {"loai": "the", "muc": tag.slug})
    token = tokens.make(tokens.MANAGE, pk=subscriber.pk, email=subscriber.email)
    response = client.get(reverse("alerts:manage-export", kwargs={"token": token}))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["dia_chi"] == "a@example.vn"
    [subscription] = data["dang_ky"]
    assert subscription["theo_doi"] == "Thẻ “Chuyển đổi số”"
    assert subscription["noi_dung_dong_y"].startswith("Tôi đồng ý")


def test_delete_everything_removes_the_address_and_its_records(client, tag):
    subscriber = confirmed("a@example.vn", {"loai": "the", "muc": tag.slug})
    alert = Alert.objects.create(source="article", article=ArticleFactory())
    Delivery.objects.create(
        alert=alert,
        subscriber=subscriber,
        subscription=subscriber.subscriptions.get(),
        status="sent",
        sent_at=timezone.now(),
    )
    url = manage_url(subscriber)
    refused = client.post(url, {"action": "xoa-het"})
    assert refused.status_code == 400
    assert Subscriber.objects.exists()
    response = client.post(url, {"action": "xoa-het", "chac_chan": "1"})
    assert response.status_code == 200
    assert "Đã xóa dữ liệu của bạn" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
    assert not Delivery.objects.exists()
    assert client.get(url).status_code == 404  # the link is spent


def test_asking_for_a_manage_link_answers_the_same_for_unknown_addresses(
    client, tag, committed
):
    from django_tasks_db.models import DBTaskResult

    confirmed("known@example.vn", {"loai": "the", "muc": tag.slug})
    page = reverse("alerts:manage-request")
    known = client.post(page, {"email": "known@example.vn"})
    unknown = client.post(page, {"email": "unknown@example.vn"}, REMOTE_ADDR="10.9.9.9")
    assert (known.status_code, known["Location"]) == (
        unknown.status_code,
        unknown["Location"],
    )
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()] == [
        [Subscriber.objects.get().pk]
    ]


def test_admin_shows_counts_to_news_roles_and_never_addresses(client, tag):
    confirmed("bi-mat@example.vn", {"loai": "the", "muc": tag.slug})
    Alert.objects.create(source="article", article=ArticleFactory())
    writer = WriterFactory()
    client.force_login(writer)
    response = client.get(reverse("admin:alerts_alert_changelist"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Địa chỉ đã xác nhận" in text
    assert "bi-mat@example.vn" not in text
    index = client.get(reverse("admin:index")).content.decode()
    assert "subscriber" not in index.lower()
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(reverse("admin:alerts_alert_changelist")).status_code == 403


def test_subscribe_and_manage_pages_read_a_bounded_number_of_rows(
    client, tag, django_assert_max_num_queries
):
    subscriber = confirmed("a@example.vn", {"loai": "the", "muc": tag.slug})
    for category in CategoryFactory.create_batch(5):
        confirmed("a@example.vn", {"loai": "chuyen-muc", "muc": category.slug})
    with django_assert_max_num_queries(8):
        assert client.get(reverse("alerts:subscribe"), {"loai": "the", "muc": tag.slug})
    with django_assert_max_num_queries(8):
        assert client.get(manage_url(subscriber)).status_code == 200
