import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory, CategoryFactory


@pytest.fixture(autouse=True)
def isolated_media_root(settings, tmp_path):
    """Uploads written by a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (local memory or the shared Redis)."""
    cache.clear()
    yield
    cache.clear()


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
