"""The embedded PostgreSQL used when DATABASE_URL is unset.

pgserver ships PostgreSQL 16 binaries in a wheel, so a fresh machine with only
Python gets the same engine as production. Every process that loads the
settings attaches to the server in the data folder (starting it if needed);
the last process to exit stops it.

pgserver has no contrib extensions (no unaccent, no pg_trgm) and listens on a
unix socket only: nothing in the project may depend on either.
"""

import json
import logging
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "cchc"

logger = logging.getLogger(__name__)


def _forget_dead_attachments(pgdata: Path) -> None:
    """Drop pids of processes that died without detaching.

    pgserver keeps the attached pids in a file and stops the server when the
    last one exits; a killed process would otherwise keep the server running
    forever after everything else is gone.
    """
    import psutil
    from pgserver.postgres_server import PostgresServer

    handle_file = pgdata / ".handle_pids.json"
    # pgserver rewrites the file under this inter-process lock; so must we, or
    # a process attaching at the same moment could lose its entry.
    with PostgresServer._lock:
        try:
            pids = json.loads(handle_file.read_text())
        except (OSError, ValueError):
            return
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handle_file.write_text(json.dumps(alive))


def embedded_database_url(pgdata: Path) -> str:
    """Start (or attach to) the embedded server and return its connection URL."""
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); harmless.
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError:
        sys.stderr.write(
            "DATABASE_URL is not set and the embedded PostgreSQL (pgserver) is not "
            "installed: run `make run`/`make test`, or set DATABASE_URL.\n"
        )
        raise SystemExit(2) from None

    pgdata = Path(pgdata).resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    if pgdata.exists():
        _forget_dead_attachments(pgdata)
    server = pgserver.get_server(pgdata)
    socket_dir = server.get_postmaster_info().socket_dir
    _ensure_database(socket_dir)
    # A unix-socket directory goes in the host part, percent-encoded.
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def _ensure_database(socket_dir: Path) -> None:
    """Create the portal's database on first start."""
    import psycopg2

    connection = psycopg2.connect(
        host=str(socket_dir), user="postgres", dbname="postgres"
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            )
            if cursor.fetchone() is None:
                logger.info(
                    "creating database %s in the embedded server", DATABASE_NAME
                )
                try:
                    cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
                except psycopg2.errors.DuplicateDatabase:
                    pass  # another process created it a moment ago
    finally:
        connection.close()
