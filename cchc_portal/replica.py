"""Optional read replica (DATABASE_REPLICA_URL) for anonymous, read-only pages.

Public GET pages read from the replica; everything else (staff, admin,
writes, any request with a session) stays on the primary, so editors always
read what they just wrote.

A replica lags behind the primary. Because a content change starts a new
page-cache generation as soon as it commits, a lagging replica could render
the old content into the new generation and keep it cached. So the primary's
WAL position is recorded when a change commits, and the replica is used only
once it has replayed at least that far; until then reads go to the primary.
"""

import contextvars

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

REPLICA = "replica"
LSN_KEY = "page-cache:primary-lsn"

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "use_replica", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def record_primary_position() -> None:
    """Remember how far the primary's WAL is (called after a content change commits)."""
    if not replica_configured():
        return
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (lsn,) = cursor.fetchone()
    except DatabaseError:
        return
    cache.set(LSN_KEY, lsn, timeout=None)


def replica_caught_up() -> bool:
    """Has the replica replayed the last content change? (False if unreachable)."""
    lsn = cache.get(LSN_KEY)
    try:
        with connections[REPLICA].cursor() as cursor:
            if lsn is None:
                cursor.execute("SELECT 1")
                return True
            # NULL when the server is not a standby (a primary is always current).
            cursor.execute(
                "SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [lsn]
            )
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        return False


class ReplicaRouter:
    """Reads go to the replica only inside requests the middleware marked."""

    def db_for_read(self, model, **hints):
        return REPLICA if _use_replica.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReadReplicaMiddleware:
    """Mark anonymous GET/HEAD requests as replica readers when it is current."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        eligible = (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        token = _use_replica.set(eligible and replica_caught_up())
        try:
            return self.get_response(request)
        finally:
            _use_replica.reset(token)
