"""A fan-out runs each distinct stored search once, not once per subscriber."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc_portal.alerts import services, targets, tasks
from cchc_portal.alerts.models import Alert, Delivery, Subscription
from tests.alerts.helpers import confirmed
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# The same search as typed by different people: case, spacing, match mode.
SAME_SEARCH = [
    {"loai": "tim-kiem", "q": "một cửa"},
    {"loai": "tim-kiem", "q": "Một   Cửa"},
    {"loai": "tim-kiem", "q": "MỘT CỬA", "khop": "tat-ca"},
]


def fan_out_queries(title: str) -> tuple[int, int, Alert]:
    """(queries in all, queries running a search) of one article's fan-out."""
    article = ArticleFactory(title=title)
    services.alert_queue(article=article)
    alert = Alert.objects.get(article=article)
    with CaptureQueriesContext(connection) as queries:
        tasks.fan_out.call(alert.pk)
    searching = [q for q in queries if "news_article" in q["sql"] and "@@" in q["sql"]]
    return len(queries), len(searching), alert


def subscribe(start: int, count: int) -> None:
    for i in range(start, start + count):
        confirmed(f"nguoi{i}@example.vn", SAME_SEARCH[i % len(SAME_SEARCH)])


def test_the_spellings_of_one_search_share_a_group_key():
    keys = {targets.search_group_key(query) for query in SAME_SEARCH}
    assert len(keys) == 1
    assert targets.search_group_key(
        {"q": "một cửa", "tu_ngay": "01/02/2026"}
    ) == targets.search_group_key({"q": "một cửa", "tu_ngay": "2026-02-01"})
    assert targets.search_group_key({"q": "một cửa"}) != targets.search_group_key(
        {"q": "một cửa", "khop": "bat-ky"}
    )


def test_fan_out_queries_do_not_grow_with_subscribers_sharing_a_search():
    confirmed("khac@example.vn", {"loai": "tim-kiem", "q": "ngân sách"})
    subscribe(0, 3)
    few, few_searching, first = fan_out_queries("Bộ phận một cửa cấp xã")
    subscribe(3, 27)
    many, many_searching, second = fan_out_queries("Một cửa liên thông cấp huyện")
    assert Subscription.objects.filter(kind="tim-kiem").count() == 31
    # Two distinct searches ("một cửa" in three spellings, "ngân sách"): two
    # searching queries, whether 3 or 30 subscribers share the first.
    assert (few_searching, many_searching) == (2, 2)
    assert many == few
    assert Delivery.objects.filter(alert=first).count() == 3
    assert Delivery.objects.filter(alert=second).count() == 30
    assert not Delivery.objects.filter(subscriber__email="khac@example.vn").exists()


def test_fan_out_queries_stay_within_budget(django_assert_max_num_queries):
    subscribe(0, 30)
    confirmed("khac@example.vn", {"loai": "tim-kiem", "q": "ngân sách"})
    article = ArticleFactory(title="Bộ phận một cửa cấp xã")
    services.alert_queue(article=article)
    alert = Alert.objects.get(article=article)
    # Alert, article, category, units, the distinct searches, the glossary,
    # one per distinct search, the INSERT … SELECT, the batch enqueued.
    with django_assert_max_num_queries(15):
        tasks.fan_out.call(alert.pk)
