"""Hostile input to the alert pages: always a Vietnamese 4xx, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from cchc_portal.alerts.models import Subscriber
from tests.factories import ArticleFactory, TagFactory
from tests.test_hostile_input import HOSTILE_VALUES

pytestmark = pytest.mark.django_db

KEYS = ["loai", "muc", "q", "the", "chuyen_muc", "don_vi", "tu_ngay", "khop"]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_subscribe_queries_and_posts_answer_4xx_or_the_form(client, value):
    ArticleFactory(tags=[TagFactory(slug="the-that")])
    for i, key in enumerate(KEYS):
        for j, base in enumerate(
            ({}, {"loai": "the", "muc": "the-that"}, {"loai": "tim-kiem"})
        ):
            query = {**base, key: value}
            assert client.get(reverse("alerts:subscribe"), query).status_code < 500
            response = client.post(
                reverse("alerts:subscribe"),
                {**query, "email": value, "frequency": value, "consent": value},
                REMOTE_ADDR=f"10.3.{i}.{j}",  # under the per-client limit
            )
            assert response.status_code in {302, 400, 404}, query
    assert not Subscriber.objects.exclude(email__contains="@").exists()


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_tokens_answer_404(value):
    client = Client(enforce_csrf_checks=True)
    for name in ("confirm", "manage", "manage-export", "unsubscribe", "editor-off"):
        token = value.replace("/", "") or "x"
        url = reverse(f"alerts:{name}", kwargs={"token": token})
        assert client.get(url).status_code == 404, url
    for name in ("unsubscribe", "editor-off"):
        url = reverse(f"alerts:{name}", kwargs={"token": value.replace("/", "") or "x"})
        assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404
