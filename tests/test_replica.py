"""Optional read replica: anonymous GET pages only, and only once it caught up."""

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory

from cchc_portal.runtime import replica

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(monkeypatch, settings):
    """A replica alias that is the test database itself (as TEST MIRROR makes it)."""
    monkeypatch.setattr(replica, "REPLICA", "default")
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def reads_from_replica(request) -> bool:
    seen = []

    def view(request):
        seen.append(replica.ReplicaRouter().db_for_read(get_user_model()))
        return HttpResponse("ok")

    replica.ReadReplicaMiddleware(view)(request)
    return seen == [replica.REPLICA]


def test_anonymous_get_pages_read_from_a_current_replica(configured, rf):
    assert reads_from_replica(rf.get("/tin-tuc/"))


def test_staff_sessions_and_writes_stay_on_the_primary(configured, rf, settings):
    with_session = rf.get("/tin-tuc/")
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert not reads_from_replica(with_session)
    assert not reads_from_replica(rf.post("/tin-tuc/"))


def test_a_lagging_replica_is_not_used(configured, rf, monkeypatch):
    monkeypatch.setattr(replica, "replica_caught_up", lambda: False)
    assert not reads_from_replica(rf.get("/tin-tuc/"))


def test_without_a_replica_everything_reads_from_the_primary(rf):
    assert not reads_from_replica(RequestFactory().get("/tin-tuc/"))
    assert replica.ReplicaRouter().db_for_write(get_user_model()) == "default"


def test_replica_is_current_once_it_replayed_the_recorded_position(configured):
    replica.record_primary_position()
    # The test database is a primary: pg_last_wal_replay_lsn() is NULL, current.
    assert replica.replica_caught_up()


@pytest.mark.parametrize(
    ("replayed", "needed", "current"),
    [
        ("16/B374D848", "16/B374D848", True),
        ("16/B374D849", "16/B374D848", True),
        ("16/B374D847", "16/B374D848", False),
        # The part after the slash is hexadecimal, and the part before it counts.
        ("17/0", "16/FFFFFFFF", True),
        ("9/A0000000", "10/0", False),
        (None, "16/B374D848", True),
    ],
)
def test_a_replica_is_current_only_once_its_replay_reached_the_change(
    replayed, needed, current
):
    assert replica.replayed_at_least(replayed, needed) is current


def test_requests_that_never_read_do_not_ask_the_replica(configured, rf, monkeypatch):
    asked = []
    monkeypatch.setattr(replica, "replica_caught_up", lambda: asked.append(1) or True)
    replica.ReadReplicaMiddleware(lambda request: HttpResponse("ok"))(
        rf.get("/static/site.css")
    )
    assert asked == []
    assert reads_from_replica(rf.get("/tin-tuc/"))
    assert asked == [1]
