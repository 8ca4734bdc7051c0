"""The anonymous page cache: shared, revalidatable and never stale."""

import itertools
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from cchc_portal import urls as portal_urls
from cchc_portal.runtime import page_cache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

_renders = itertools.count(1)


def counting_view(request):
    """A page whose body changes every time it is really rendered."""
    return HttpResponse(f"render {next(_renders)}")


def cookie_view(request):
    response = HttpResponse("sets a cookie")
    response.set_cookie("chon-lua", "1")
    return response


@page_cache.query_parameters("trang")
def reading_view(request):
    """A page that reads one parameter and shows every one it was given."""
    return HttpResponse(f"render {next(_renders)} {sorted(request.GET.lists())}")


def slow_view(request):
    """A counting page that takes a while to render."""
    time.sleep(0.8)
    return HttpResponse(f"render {next(_renders)}")


def slow_missing_view(request):
    time.sleep(0.2)
    return HttpResponse("không có", status=404)


urlpatterns = [
    path("dem/", counting_view),
    path("cham/", slow_view),
    path("cham-404/", slow_missing_view),
    path("doc/", reading_view),
    path("cookie/", cookie_view),
    path("khong-luu/", never_cache(counting_view)),
    *portal_urls.urlpatterns,
]


@pytest.fixture(autouse=True)
def toy_pages(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def scheduled(monkeypatch):
    """Pretend an app has a scheduled change at the time put in the list."""
    times = []
    monkeypatch.setattr(
        page_cache, "_schedule_providers", [lambda: times[0] if times else None]
    )
    return times


def test_second_anonymous_view_is_served_from_the_cache(client):
    first = client.get("/dem/")
    second = client.get("/dem/")
    assert first["X-Page-Cache"] == "MISS"
    assert second["X-Page-Cache"] == "HIT"
    assert second.content == first.content
    assert (
        "public" in second["Cache-Control"] and "max-age=0" in second["Cache-Control"]
    )
    assert second["ETag"] == first["ETag"]
    assert "Content-Security-Policy" in second


def test_conditional_get_with_the_etag_answers_304(client):
    etag = client.get("/dem/")["ETag"]
    response = client.get("/dem/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_a_content_change_ends_the_cached_generation_after_commit(
    client, django_capture_on_commit_callbacks
):
    first = client.get("/dem/")
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.invalidate()
    after = client.get("/dem/")
    assert after["X-Page-Cache"] == "MISS"
    assert after.content != first.content


def test_a_change_not_yet_committed_keeps_serving_the_old_page(
    client, django_capture_on_commit_callbacks
):
    first = client.get("/dem/")
    with django_capture_on_commit_callbacks(execute=False):
        page_cache.invalidate()
        during = client.get("/dem/")
    assert during.content == first.content


def test_no_page_outlives_the_next_scheduled_publish_time(
    client, scheduled, monkeypatch
):
    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    scheduled.append(now + timedelta(minutes=5))
    monkeypatch.setattr(page_cache.time, "time", lambda: now.timestamp())
    first = client.get("/dem/")
    assert client.get("/dem/").content == first.content

    # The scheduled minute arrives: nobody wrote anything, yet the page is re-rendered.
    later = now + timedelta(minutes=5, seconds=1)
    monkeypatch.setattr(page_cache.time, "time", lambda: later.timestamp())
    scheduled[0] = later + timedelta(days=1)
    response = client.get("/dem/")
    assert response["X-Page-Cache"] == "MISS"
    assert response.content != first.content


def test_staff_are_never_served_cached_pages_and_get_private_no_store(client):
    client.get("/dem/")
    staff = get_user_model().objects.create_user("bientap", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get("/dem/")
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_responses_that_set_cookies_or_refuse_caching_are_not_stored(client):
    client.get("/cookie/")
    assert client.get("/cookie/").get("X-Page-Cache") is None
    first = client.get("/khong-luu/")
    assert client.get("/khong-luu/").content != first.content


def test_not_found_pages_are_not_stored(client):
    client.get("/khong-ton-tai/")
    assert "X-Page-Cache" not in client.get("/khong-ton-tai/")


def test_many_changes_in_one_transaction_start_one_generation(
    django_capture_on_commit_callbacks, monkeypatch
):
    writes = []
    monkeypatch.setattr(
        page_cache.cache, "set", lambda key, *a, **kw: writes.append(key)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(500):
            page_cache.invalidate()
    assert len(callbacks) == 500
    assert writes == [page_cache.STATE_KEY]


def test_a_client_chosen_script_name_cannot_store_a_page_under_another_url(client):
    # What gunicorn makes of `SCRIPT_NAME: /tien-to` on GET /tien-to/dem/:
    # Django routes /dem/ while the URL the visitor asked for is /tien-to/dem/.
    poisoned = client.get("/dem/", SCRIPT_NAME="/tien-to")
    assert poisoned.status_code == 200
    assert "X-Page-Cache" not in poisoned
    # A plain request for that URL gets its own answer (no such page), not
    # the page stored by the poisoned request.
    assert client.get("/tien-to/dem/").status_code == 404
    assert client.get("/dem/")["X-Page-Cache"] == "MISS"


def test_pages_are_keyed_by_the_path_django_routed(rf):
    at_root = rf.get("/chi-so-cchc/")
    prefixed = rf.get("/", SCRIPT_NAME="/chi-so-cchc")
    assert at_root.path == prefixed.path == "/chi-so-cchc/"
    assert page_cache._page_key(at_root) != page_cache._page_key(prefixed)


def test_the_cache_state_header_is_hidden_in_production(client, settings):
    settings.PAGE_CACHE_HEADER = False
    client.get("/dem/")
    second = client.get("/dem/")
    assert second.content == client.get("/dem/").content  # served from the cache
    assert "X-Page-Cache" not in second


def test_parameters_the_view_does_not_read_share_the_clean_urls_page(client):
    first = client.get("/doc/?trang=2")
    shared = client.get("/doc/?fbclid=IwAR0abc&trang=2&utm_source=zalo")
    assert first["X-Page-Cache"] == "MISS" and shared["X-Page-Cache"] == "HIT"
    assert shared.content == first.content
    # The view never saw the parameters it does not read.
    assert b"fbclid" not in first.content and b"[('trang', ['2'])]" in first.content
    assert client.get("/doc/?trang=3")["X-Page-Cache"] == "MISS"


def test_junk_parameters_neither_multiply_misses_nor_grow_the_cache(
    client, monkeypatch
):
    stored = []
    original = page_cache.cache.set
    monkeypatch.setattr(
        page_cache.cache,
        "set",
        lambda key, *a, **kw: (stored.append(key), original(key, *a, **kw)),
    )
    client.get("/doc/?trang=1")
    pages_stored = [key for key in stored if key.startswith(page_cache.PAGE_KEY_PREFIX)]
    for n in range(400):
        response = client.get(f"/doc/?trang=1&x{n}={n}&junk=%E2%80%8B{n}")
        assert response["X-Page-Cache"] == "HIT"
    assert [k for k in stored if k.startswith(page_cache.PAGE_KEY_PREFIX)] == (
        pages_stored
    )


def test_the_order_of_parameters_does_not_make_another_entry(client):
    client.get("/tim-kiem/?q=cai+cach&page=1")
    again = client.get("/tim-kiem/?page=1&q=cai+cach&gclid=1")
    assert again["X-Page-Cache"] == "HIT"


def test_views_that_declare_nothing_keep_every_parameter(client):
    assert client.get("/dem/?a=1")["X-Page-Cache"] == "MISS"
    assert client.get("/dem/?a=2")["X-Page-Cache"] == "MISS"
    assert client.get("/dem/?a=1")["X-Page-Cache"] == "HIT"


@pytest.mark.parametrize(
    ("url", "parameters"),
    [
        ("/", set()),
        ("/tin-tuc/", {"page"}),
        ("/tim-kiem/", {"q", "page", "khop", "sap_xep", "chuyen_muc", "the", "don_vi"}),
        ("/chi-so-cchc/", set()),
        ("/chi-so-cchc/2023/tinh/", {"sort", "vung"}),
        ("/chi-so-cchc/so-sanh/", {"don_vi"}),
        ("/chi-so-cchc/don-vi/ha-noi/", set()),
    ],
)
def test_public_pages_declare_the_parameters_they_read(url, parameters):
    declared = page_cache.declared_query_parameters(url)
    assert declared is not None and parameters <= declared


def get_together(path: str, count: int = 6) -> list:
    """`count` anonymous GETs of one path at the same moment."""
    from django.test import Client

    responses = [None] * count
    start = threading.Barrier(count)

    def get(n):
        start.wait()
        try:
            responses[n] = Client().get(path)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=get, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.fixture
def generation_started(page_cache_on, toy_pages, client):
    """The current generation exists, as on any server that served a page."""
    assert client.get("/dem/")["X-Page-Cache"] == "MISS"


@pytest.mark.usefixtures("generation_started")
def test_concurrent_misses_of_one_page_are_rendered_once():
    responses = get_together("/cham/")
    assert len({r.content for r in responses}) == 1
    assert sorted(r["X-Page-Cache"] for r in responses) == ["HIT"] * 5 + ["MISS"]


@pytest.mark.usefixtures("generation_started")
def test_during_the_render_of_a_new_generation_others_get_the_last_ones_copy(
    django_capture_on_commit_callbacks,
):
    before = get_together("/cham/", count=1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.invalidate()
    responses = get_together("/cham/")
    by_state = {}
    for response in responses:
        by_state.setdefault(response["X-Page-Cache"], []).append(response.content)
    # One render; the others got the last generation's copy (or, arriving
    # after the render on a busy machine, the new page).
    assert len(by_state.pop("MISS")) == 1 and by_state["STALE"]
    assert set(by_state.pop("STALE")) == {before.content}
    assert set(by_state) <= {"HIT"}
    # Two generations on, the copy from before the first change is too old.
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.invalidate()
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.invalidate()
    states = sorted(r["X-Page-Cache"] for r in get_together("/cham/"))
    assert "STALE" not in states and states.count("MISS") == 1


@pytest.mark.usefixtures("generation_started")
def test_waiting_ends_as_soon_as_a_render_stores_nothing():
    started = time.monotonic()
    responses = get_together("/cham-404/", count=4)
    assert {r.status_code for r in responses} == {404}
    # Each waiter renders itself once the first render ended unstored, well
    # before the 2-second wait would run out.
    assert time.monotonic() - started < page_cache.RENDER_WAIT_SECONDS


@pytest.mark.usefixtures("generation_started")
def test_while_this_process_renders_other_pages_get_the_last_generations_copy(
    django_capture_on_commit_callbacks,
):
    """After a publish every page is a miss at once: a page with a copy from
    the last generation is not rendered beside another render (on any
    server sharing the cache), one without such a copy always is."""
    from django.test import Client

    before = Client().get("/dem/").content
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.invalidate()
    slot = page_cache._take_render_slot()  # another page renders meanwhile
    try:
        stale = Client().get("/dem/")
        never_stored = Client().get("/cham/")
    finally:
        page_cache.cache.delete(slot)
    assert stale["X-Page-Cache"] == "STALE" and stale.content == before
    assert never_stored["X-Page-Cache"] == "MISS"
    fresh = Client().get("/dem/")
    assert fresh["X-Page-Cache"] == "MISS" and fresh.content != before
