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
from django.db import DatabaseError, InterfaceError, connections

REPLICA = "replica"
LSN_KEY = "page-cache:primary-lsn"


class _ReadChoice:
    """Whether this request reads from the replica, decided at its first read."""

    use_replica: bool | None = None


# Set by the middleware for eligible requests only; None everywhere else.
_request_choice: contextvars.ContextVar[_ReadChoice | None] = contextvars.ContextVar(
    "replica_read_choice", default=None
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


def lsn_value(lsn: str) -> int:
    """A PostgreSQL WAL position ("16/B374D848") as a comparable number."""
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def replayed_at_least(replayed: str | None, needed: str) -> bool:
    """Has a server that replayed up to `replayed` seen the change at `needed`?

    `replayed` is None when the server is not a standby: a primary is current.
    """
    return replayed is None or lsn_value(replayed) >= lsn_value(needed)


def replica_caught_up() -> bool:
    """Has the replica replayed the last content change? (False if unreachable)."""
    needed = cache.get(LSN_KEY)
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
            (replayed,) = cursor.fetchone()
    except (DatabaseError, InterfaceError):
        # Down or unreachable (InterfaceError: a connection it dropped).
        return False
    return needed is None or replayed_at_least(replayed, needed)


class ReplicaRouter:
    """Reads go to the replica only inside requests the middleware marked."""

    def db_for_read(self, model, **hints):
        choice = _request_choice.get()
        if choice is None:
            return None
        # Asked at the first read, so requests that never read (static and
        # media files, the health check) never pay for the check.
        if choice.use_replica is None:
            choice.use_replica = replica_caught_up()
        return REPLICA if choice.use_replica else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReadReplicaMiddleware:
    """Mark anonymous GET/HEAD requests as replica readers (if it is current)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        eligible = (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        token = _request_choice.set(_ReadChoice() if eligible else None)
        try:
            return self.get_response(request)
        finally:
            _request_choice.reset(token)
