import copy
import io

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from tests import openapi
from tests.factories import ArticleFactory, CategoryFactory
from tests.snapshots import SnapshotStore


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """The .mo files as the .po files are now (make install compiles them;
    this covers a .po edited since), before any test translates a string."""
    from django.utils.translation import trans_real

    from cchc_portal.catalogues import compile_stale_catalogues

    if compile_stale_catalogues():
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def isolated_media_root(settings, tmp_path):
    """Uploads written by a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PENDING_UPLOAD_ROOT = tmp_path / "pending-uploads"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def api_responses_match_openapi(monkeypatch):
    """Every API response a test client gets is checked against the OpenAPI document."""
    from django.test.client import Client

    original = Client.request

    def request(self, **environ):
        response = original(self, **environ)
        path = environ.get("PATH_INFO", "")
        if openapi.is_api_path(path):
            openapi.check_response(environ["REQUEST_METHOD"], path, response)
        return response

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_worker(worker_id):
    """Test processes running side by side (pytest-xdist) each get their own
    key prefix, so they never see or empty each other's entries in Redis."""
    caches = copy.deepcopy(django_settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"cchc-test-{worker_id}"
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Users made by tests get a cheap hash: the production hasher's cost is
    the point in production and only a delay here."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield


@pytest.fixture(scope="session")
def snapshot_store():
    store = SnapshotStore()
    yield store
    store.close()


@pytest.fixture
def seeded(snapshot_store, isolated_media_root):
    """Load a named data set: `seeded("demo", build)` runs build() the first
    time in this test process, and restores its rows and files afterwards
    (tests/snapshots.py). Ask for it before fixtures that write rows."""

    def load(name: str, build):
        return snapshot_store.load(name, build, media_root=isolated_media_root)

    return load


@pytest.fixture
def demo_site(db, seeded):
    """Everything `make run` loads (seed_demo): news, PAR INDEX units and editions."""
    seeded("site-demo", lambda: call_command("seed_demo", stdout=io.StringIO()))


def _empty_cache() -> None:
    if hasattr(cache, "delete_pattern"):  # django-redis: only this worker's keys
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (local memory or the shared Redis).

    Except that it knows no draft is scheduled (a fresh database has none;
    saving a draft forgets it), as a running site does after its first
    request: otherwise every test's first page would pay that one query.
    """
    from news import drafts

    _empty_cache()
    cache.set(drafts.DUE_KEY, 0.0, timeout=drafts.DUE_CHECK_SECONDS)
    yield
    _empty_cache()


@pytest.fixture
def page_cache_on(settings):
    """Whole-page caching as in production (the suite runs with it off)."""
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (on-commit hooks fire)."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


@pytest.fixture
def category(db):
    return CategoryFactory(name="Cải cách thủ tục hành chính", show_in_nav=True)


@pytest.fixture
def article(category):
    return ArticleFactory(title="Đẩy mạnh cải cách hành chính", category=category)


def pytest_terminal_summary(terminalreporter):
    """The search relevance score (tests/search/test_relevance.py), with or
    without -s and xdist: the test records it as a user property."""
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name != "search_relevance" or report.when != "call":
                    continue
                hits, total, misses = value
                terminalreporter.write_line(
                    f"Search relevance: {hits}/{total} queries "
                    f"({100 * hits / total:.0f} %) find the meant article "
                    "in the top 3"
                )
                for miss in misses:
                    terminalreporter.write_line(f"  missed {miss}")
