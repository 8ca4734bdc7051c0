"""pytest plugin (loaded with -p in pytest.ini) run before Django is set up.

The suite runs in production mode (DEBUG off) with throwaway secrets, so the
tests see the settings real servers use. DATABASE_URL and REDIS_URL pass
through untouched: CI runs the suite on the embedded database and again on an
external PostgreSQL and Redis.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_HTTPS", "0")
# Most tests change data inside a rolled-back transaction, where the page
# cache's on-commit invalidation never fires; the caching tests turn it on.
os.environ.setdefault("DJANGO_PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("DJANGO_BLOCK_CACHE_SECONDS", "0")
# Caching tests read X-Page-Cache (HIT/MISS); production hides it (tested).
os.environ.setdefault("DJANGO_PAGE_CACHE_HEADER", "1")
os.environ.pop("DJANGO_DEBUG", None)
os.environ.pop("DJANGO_STATIC_MANIFEST", None)
