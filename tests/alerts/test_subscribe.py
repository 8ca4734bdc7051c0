"""Subscribing: the form on the target's page, double opt-in, no enumeration, limits."""

import pytest
from django.urls import reverse

from cchc_portal.alerts.models import Subscriber, Subscription
from tests.factories import ArticleFactory, CategoryFactory, TagFactory, UnitFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("alerts:subscribe")


@pytest.fixture
def tag():
    tag = TagFactory(name="Chuyển đổi số")
    ArticleFactory(tags=[tag])  # a tag without public articles has no page
    return tag


def post(client, **fields):
    data = {"email": "dan@example.vn", "frequency": "ngay", "consent": "on", **fields}
    return client.post(SUBSCRIBE, data, REMOTE_ADDR=fields.pop("ip", "10.1.1.1"))


def test_category_tag_unit_search_and_overview_pages_link_to_the_subscribe_form(client):
    category = CategoryFactory(name="Thủ tục")
    tag = TagFactory(name="Một cửa")
    unit = UnitFactory(name="Tỉnh Đắk Lắk", slug="dak-lak")
    ArticleFactory(category=category, tags=[tag])  # an empty tag answers 404
    pages = {
        category.get_absolute_url(): f"loai=chuyen-muc&amp;muc={category.slug}",
        tag.get_absolute_url(): f"loai=the&amp;muc={tag.slug}",
        unit.get_absolute_url(): "loai=don-vi&amp;muc=dak-lak",
        reverse("parindex:overview"): "loai=chi-so-cchc",
        reverse("search:results") + "?q=một+cửa&the=" + tag.slug: "loai=tim-kiem",
    }
    for url, query in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"{SUBSCRIBE}?{query}" in response.content.decode(), url


def test_subscribe_page_shows_the_target_the_consent_and_sets_no_cache(client, tag):
    response = client.get(SUBSCRIBE, {"loai": "the", "muc": tag.slug})
    assert response.status_code == 200
    assert "Thẻ “Chuyển đổi số”" in response.content.decode()
    assert "Tôi đồng ý" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_search_subscription_keeps_the_query_and_filters(client, tag, committed):
    response = committed(
        lambda: client.post(
            SUBSCRIBE,
            {
                "loai": "tim-kiem",
                "q": "dịch vụ công",
                "the": tag.slug,
                "email": "a@example.vn",
                "frequency": "hang-ngay",
                "consent": "on",
            },
        )
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.search_params == {"q": "dịch vụ công", "the": tag.slug}
    assert subscription.frequency == "hang-ngay"
    assert subscription.confirmed_at is None


@pytest.mark.parametrize(
    "query",
    [
        {"loai": "the", "muc": "khong-co"},
        {"loai": "don-vi", "muc": "khong-co"},
        {"loai": "chuyen-muc", "muc": ""},
        {"loai": "la"},
        {},
        {"loai": "tim-kiem"},
        {"loai": "tim-kiem", "the": "khong-co"},
    ],
)
def test_unknown_targets_answer_404(client, query):
    assert client.get(SUBSCRIBE, query).status_code == 404
    assert client.post(SUBSCRIBE, {**query, "email": "a@example.vn"}).status_code == 404


def test_subscribing_stores_consent_and_queues_one_confirmation(client, tag, committed):
    from django_tasks_db.models import DBTaskResult

    response = committed(lambda: post(client, loai="the", muc=tag.slug))
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:subscribe-sent")
    subscription = Subscription.objects.get()
    assert subscription.consent_text.startswith("Tôi đồng ý")
    assert subscription.consent_at is not None
    assert subscription.subscriber.confirmed_at is None
    assert [t.task_path for t in DBTaskResult.objects.all()] == [
        "cchc_portal.alerts.tasks.send_confirmation"
    ]


def test_the_answer_is_the_same_for_a_new_and_a_confirmed_address(
    client, tag, committed
):
    from tests.alerts.helpers import confirmed

    confirmed("known@example.vn", {"loai": "the", "muc": tag.slug})
    new = committed(
        lambda: post(client, email="new@example.vn", loai="the", muc=tag.slug)
    )
    known = committed(
        lambda: post(
            client, email="known@example.vn", loai="the", muc=tag.slug, ip="10.2.2.2"
        )
    )
    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    page_new = client.get(new["Location"]).content
    page_known = client.get(known["Location"]).content
    assert page_new == page_known


def test_at_most_one_confirmation_mail_per_address_per_day(client, committed):
    from django_tasks_db.models import DBTaskResult

    categories = CategoryFactory.create_batch(3)
    for category in categories:
        committed(lambda c=category: post(client, loai="chuyen-muc", muc=c.slug))
    assert Subscription.objects.count() == 3
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize(
    "email, message",
    [
        ("khong-phai-thu", "Địa chỉ thư điện tử không hợp lệ"),
        ("a@example.vn\r\nBcc: victim@example.com", "xuống dòng"),
        ("a@example.vn, b@example.vn", "không hợp lệ"),
        ("", "Hãy nhập địa chỉ"),
        ("a" * 250 + "@example.vn", "không hợp lệ"),
    ],
)
def test_bad_addresses_are_form_errors_in_vietnamese(client, tag, email, message):
    response = post(client, email=email, loai="the", muc=tag.slug)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_line_break_in_any_field_is_refused(client, tag):
    response = post(client, loai="the", muc=tag.slug, frequency="ngay\r\nX: y")
    assert response.status_code in (400, 404)
    assert not Subscriber.objects.exists()


def test_consent_is_required(client, tag):
    response = post(client, loai="the", muc=tag.slug, consent="")
    assert response.status_code == 400
    assert "Cần đánh dấu ô đồng ý" in response.content.decode()


def test_more_than_three_requests_per_address_an_hour_are_refused(client, committed):
    categories = CategoryFactory.create_batch(4)
    answers = [
        committed(
            lambda c=c, i=i: post(
                client, loai="chuyen-muc", muc=c.slug, ip=f"10.0.0.{i}"
            )
        )
        for i, c in enumerate(categories)
    ]
    assert [a.status_code for a in answers] == [302, 302, 302, 400]
    assert "nhiều lần trong một giờ" in answers[-1].content.decode()
    assert Subscription.objects.count() == 3


def test_more_than_ten_requests_per_client_an_hour_answer_429(client, tag, committed):
    answers = [
        committed(
            lambda i=i: post(client, email=f"x{i}@example.vn", loai="the", muc=tag.slug)
        )
        for i in range(11)
    ]
    assert [a.status_code for a in answers[:10]] == [302] * 10
    assert answers[10].status_code == 429
    assert "Quá nhiều yêu cầu" in answers[10].content.decode()
    assert Subscriber.objects.count() == 10


def test_a_unit_subscription_follows_a_merged_unit_to_its_successor():
    import datetime as dt

    from cchc_portal.alerts import targets
    from parindex.models import UnitSuccession

    old = UnitFactory(name="Tỉnh Cũ")
    new = UnitFactory(name="Tỉnh Mới")
    UnitSuccession.objects.create(
        predecessor=old, successor=new, effective_on=dt.date(2025, 7, 1)
    )
    assert targets.with_predecessors([new.pk]) == {new.pk, old.pk}
    assert targets.current_unit(old) == new


def test_confirmation_page_needs_a_button_press_and_a_valid_token(
    client, tag, committed
):
    from cchc_portal.alerts import tokens
    from tests.alerts.helpers import confirmed  # noqa: F401

    committed(lambda: post(client, loai="the", muc=tag.slug))
    subscriber = Subscriber.objects.get()
    token = tokens.make(tokens.CONFIRM, pk=subscriber.pk, email=subscriber.email)
    url = reverse("alerts:confirm", kwargs={"token": token})
    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None  # a GET (a mail scanner) confirms nothing
    subscription = subscriber.subscriptions.get()
    response = client.post(url, {"dang_ky": [str(subscription.pk)]})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    tampered = url.replace(
        token, token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    )
    assert client.get(tampered).status_code == 404
    manage = tokens.make(tokens.MANAGE, pk=subscriber.pk, email=subscriber.email)
    assert (
        client.get(reverse("alerts:confirm", kwargs={"token": manage})).status_code
        == 404
    )


def test_an_expired_confirmation_link_answers_404(client, tag, committed):
    import datetime as dt

    import time_machine

    from cchc_portal.alerts import tokens

    committed(lambda: post(client, loai="the", muc=tag.slug))
    subscriber = Subscriber.objects.get()
    token = tokens.make(tokens.CONFIRM, pk=subscriber.pk, email=subscriber.email)
    with time_machine.travel(dt.timedelta(days=8)):
        response = client.get(reverse("alerts:confirm", kwargs={"token": token}))
    assert response.status_code == 404
    assert "hết hạn" in response.content.decode()
