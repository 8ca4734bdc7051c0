"""The embedded PostgreSQL: started by the first connection, never by settings.

The last tests pin the pgserver internals cchc_portal/runtime/embedded_postgres
relies on, so that a pgserver upgrade that changes them fails here, loudly.
"""

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from cchc_portal.runtime.embedded_postgres import server
from tests.servers import own_postgres

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env={**environment, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_importing_the_settings_starts_no_process_and_makes_no_folder():
    result = run_python(
        """
        import pathlib, sys
        made = []
        pathlib.Path.mkdir = lambda self, *a, **k: made.append(str(self))
        import psutil
        import cchc_portal.settings as s
        print(s.DATABASES["default"]["ENGINE"])
        print("pgserver" in sys.modules, "psycopg2" in sys.modules)
        print(made, len(psutil.Process().children(recursive=True)))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "cchc_portal.runtime.embedded_postgres",
        "False False",
        "[] 0",
    ]


def test_first_connection_starts_the_server_and_the_last_process_stops_it(tmp_path):
    pgdata = tmp_path / "pgdata"
    result = run_python(
        f"""
        import django
        from django.conf import settings
        django.setup()
        from django.db import connections
        from django.db.utils import ConnectionHandler
        handler = ConnectionHandler({{"default": {{
            **settings.DATABASES["default"], "PGDATA": {str(pgdata)!r},
        }}}})
        connection = handler["default"]
        print(connection.settings_dict["HOST"] or "no host yet")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            print(cursor.fetchone()[0])
        print(connection.settings_dict["HOST"] != "")
        connection.close()
        """,
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["no host yet", "cchc", "True"]
    # The process that started the server was its only user: it stopped it.
    assert not any(
        str(pgdata) in " ".join(process.info["cmdline"] or [])
        for process in psutil.process_iter(attrs=["cmdline"])
    )


def test_processes_starting_together_on_a_fresh_folder_share_one_server(tmp_path):
    # What `make test` does on a fresh checkout: every pytest worker connects
    # at once to a data folder that does not exist yet.
    pgdata = tmp_path / "pgdata"
    code = f"""
        import time
        from pathlib import Path
        from cchc_portal.runtime.embedded_postgres import server
        time.sleep(max(0.0, {{start}} - time.time()))
        print(server.socket_dir(Path({str(pgdata)!r})), flush=True)
        # Stay attached until every worker has, as pytest's workers do.
        time.sleep(max(0.0, {{start}} + 10 - time.time()))
        """
    start = time.time() + 3
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code.format(start=start))],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    answers = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * 4, answers
    assert len({stdout for stdout, _ in answers}) == 1


def test_management_check_starts_no_database_server(tmp_path):
    result = run_python(
        """
        import sys
        from django.core.management import execute_from_command_line
        execute_from_command_line(["manage.py", "check"])
        print("pgserver" in sys.modules)
        """,
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False"


@pytest.mark.slow
def test_pgserver_still_records_attached_processes_under_the_lock_we_share():
    import fasteners
    from pgserver.postgres_server import PostgresServer

    assert isinstance(PostgresServer._lock, fasteners.InterProcessLock)
    with own_postgres() as postgres:
        pids = json.loads((postgres.data_dir / server.HANDLE_PIDS_FILE).read_text())
        assert os.getpid() in pids


def test_pgserver_still_bundles_the_client_tools_backups_use():
    folder = server.bundled_bin_dir()
    assert folder is not None, "pgserver._commands.POSTGRES_BIN_PATH is gone"
    for tool in ("pg_dump", "pg_restore", "pg_ctl"):
        assert (folder / tool).is_file(), f"{tool} is no longer in {folder}"
