import copy

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import override_settings

from tests.factories import ArticleFactory, CategoryFactory


@pytest.fixture(autouse=True)
def isolated_media_root(settings, tmp_path):
    """Uploads written by a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_worker(worker_id):
    """Test processes running side by side (pytest-xdist) each get their own
    key prefix, so they never see or empty each other's entries in Redis."""
    caches = copy.deepcopy(django_settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"cchc-test-{worker_id}"
    with override_settings(CACHES=caches):
        yield


def _empty_cache() -> None:
    if hasattr(cache, "delete_pattern"):  # django-redis: only this worker's keys
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (local memory or the shared Redis)."""
    _empty_cache()
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
