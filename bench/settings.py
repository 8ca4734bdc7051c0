"""Settings for the benchmark's app server: the production settings plus the
views to compare against (bench/urls.py) and their template
(bench/templates/). Nothing else differs, except that bench/shared_cache.py
picks the cache backend with BENCH_CACHE."""

import os

from cchc_portal import settings as portal
from cchc_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The yardstick's template (bench/urls.py), found under these settings only.
TEMPLATES = [
    {
        **portal.TEMPLATES[0],
        "DIRS": [*portal.TEMPLATES[0]["DIRS"], portal.BASE_DIR / "bench" / "templates"],
    }
]

# Cache backends that need no server of their own, for bench/shared_cache.py.
_BENCH_CACHE = os.environ.get("BENCH_CACHE", "")
if _BENCH_CACHE == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bench_cache",
            "KEY_PREFIX": "cchc",
        }
    }
elif _BENCH_CACHE == "file":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["BENCH_CACHE_DIR"],
            "KEY_PREFIX": "cchc",
        }
    }
elif _BENCH_CACHE == "memory":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cchc-portal",
        }
    }
