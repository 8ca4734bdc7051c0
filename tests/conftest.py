import pytest
from django.core.cache import cache


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
