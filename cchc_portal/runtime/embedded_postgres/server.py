"""Everything the project knows about pgserver, in one place.

pgserver ships PostgreSQL 16 binaries in a wheel, so a fresh machine with only
Python gets the same engine as production. Its public API is `get_server()`;
the project also relies on three private details, named here and checked by
tests/test_embedded_postgres.py so that a pgserver upgrade that changes them
fails loudly instead of misbehaving:

- `PostgresServer._lock`, the inter-process lock pgserver takes while it
  rewrites its list of attached processes;
- `.handle_pids.json` in the data folder, that list (pgserver stops the server
  when the last attached process exits);
- `pgserver._commands.POSTGRES_BIN_PATH`, the bundled client tools (pg_dump,
  pg_restore) used by backups.

pgserver has no contrib extensions (no unaccent, no pg_trgm) and listens on a
unix socket only: nothing in the project may depend on either.
"""

import json
import logging
import sys
import threading
import warnings
from pathlib import Path

DATABASE_NAME = "cchc"
HANDLE_PIDS_FILE = ".handle_pids.json"
# Any fixed number: the advisory lock taken while creating the database.
CREATE_DATABASE_LOCK = 0x43434843

logger = logging.getLogger(__name__)

# Socket folders of the servers this process has attached to, by data folder.
_attached: dict[Path, Path] = {}
_attach_lock = threading.Lock()


def _pgserver():
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); harmless.
            warnings.simplefilter("ignore")
            import pgserver
            import pgserver.postgres_server
    except ImportError:
        sys.stderr.write(
            "DATABASE_URL is not set and the embedded PostgreSQL (pgserver) is not "
            "installed: run `make run`/`make test`, or set DATABASE_URL.\n"
        )
        raise SystemExit(2) from None
    return pgserver


def bundled_bin_dir() -> Path | None:
    """The folder of the PostgreSQL client tools inside the pgserver wheel."""
    try:
        from pgserver._commands import POSTGRES_BIN_PATH
    except ImportError:
        return None
    return Path(POSTGRES_BIN_PATH)


def _forget_dead_attachments(pgdata: Path) -> None:
    """Drop pids of processes that died without detaching.

    A killed process would otherwise keep the server running forever after
    everything else is gone.
    """
    import psutil

    server_class = _pgserver().postgres_server.PostgresServer
    handle_file = pgdata / HANDLE_PIDS_FILE
    # pgserver rewrites the file under this inter-process lock; so must we, or
    # a process attaching at the same moment could lose its entry.
    with server_class._lock:
        try:
            pids = json.loads(handle_file.read_text())
        except (OSError, ValueError):
            return
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handle_file.write_text(json.dumps(alive))


def socket_dir(pgdata: Path) -> Path:
    """Start (or attach to) the server in pgdata; return its unix-socket folder.

    The first call in a process attaches it: the server then runs at least as
    long as this process. A forked child (a gunicorn worker) inherits its
    parent's attachment and does not register again.
    """
    pgdata = Path(pgdata).resolve()
    with _attach_lock:
        if pgdata not in _attached:
            if pgdata.exists():
                _forget_dead_attachments(pgdata)
            # pgserver creates a missing folder with exist_ok=False before taking
            # its lock, so two processes starting on a fresh checkout (pytest's
            # workers) race and one fails; an existing empty folder is
            # initialised under the lock instead.
            pgdata.mkdir(parents=True, exist_ok=True)
            server = _pgserver().get_server(pgdata)
            folder = Path(server.get_postmaster_info().socket_dir)
            _ensure_database(folder)
            _attached[pgdata] = folder
        return _attached[pgdata]


def _ensure_database(folder: Path) -> None:
    """Create the portal's database on first start."""
    import psycopg2

    connection = psycopg2.connect(host=str(folder), user="postgres", dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            # Processes starting together would both see no database and the
            # second CREATE would fail on the catalogue's unique index (not
            # always as DuplicateDatabase): one at a time, by a session lock.
            cursor.execute("SELECT pg_advisory_lock(%s)", [CREATE_DATABASE_LOCK])
            cursor.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            )
            if cursor.fetchone() is None:
                logger.info(
                    "creating database %s in the embedded server", DATABASE_NAME
                )
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        connection.close()


def database_url(pgdata: Path, name: str = DATABASE_NAME) -> str:
    """A postgres:// URL for a database on the embedded server (started if needed).

    For tools outside Django (the benchmark, test servers in subprocesses).
    """
    from urllib.parse import quote

    # A unix-socket folder goes in the host part, percent-encoded.
    return f"postgres://postgres@{quote(str(socket_dir(pgdata)), safe='')}/{name}"
