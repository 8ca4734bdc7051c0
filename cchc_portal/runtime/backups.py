"""Backups: the database (pg_dump custom format) and the media folder in one archive.

Used by `manage.py backup` / `manage.py restore` (and `make backup` /
`make restore`). The PostgreSQL client tools come from the pgserver wheel
(PostgreSQL 16) or the system, whichever is new enough for the server.
"""

import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from cchc_portal.runtime.embedded_postgres.server import bundled_bin_dir

DUMP_NAME = "database.dump"
MEDIA_NAME = "media"
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    """A backup or restore could not be completed; nothing was changed."""


def connected_database() -> dict:
    """The default database's settings, with the address of a running server.

    Opening the connection starts the embedded server if it is the one in use,
    and fills in its socket folder as HOST.
    """
    from django.db import connection

    connection.ensure_connection()
    return connection.settings_dict


def major_version_of(version_output: str) -> int:
    """17 from "pg_dump (PostgreSQL) 17.2" or "… 15.20 (Debian 15.20-0+deb12u1)"."""
    return int(re.search(r"\)\s*(\d+)", version_output).group(1))


def _major_version(executable: str) -> int:
    output = subprocess.run(
        [executable, "--version"], capture_output=True, text=True, check=True
    ).stdout
    return major_version_of(output)


def _server_major_version(database: dict) -> int:
    import psycopg2

    connection = psycopg2.connect(**_connect_kwargs(database))
    try:
        return connection.server_version // 10000
    finally:
        connection.close()


def _connect_kwargs(database: dict) -> dict:
    kwargs = {"dbname": database["NAME"], "user": database.get("USER") or None}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("PASSWORD", "password")):
        if database.get(key):
            kwargs[name] = database[key]
    host = database.get("OPTIONS", {}).get("host")
    if host:
        kwargs["host"] = host
    return kwargs


def _client_tool(name: str, database: dict) -> str:
    """Pick a pg_dump/pg_restore at least as new as the server."""
    server_major = _server_major_version(database)
    candidates = []
    bundled = bundled_bin_dir()
    if bundled and (bundled / name).exists():
        candidates.append(str(bundled / name))
    system = shutil.which(name)
    if system:
        candidates.append(system)
    for candidate in candidates:
        if _major_version(candidate) >= server_major:
            return candidate
    raise BackupError(
        f"Không tìm thấy {name} phiên bản {server_major} trở lên "
        f"(no {name} for PostgreSQL {server_major})."
    )


def _libpq_args(database: dict) -> tuple[list[str], dict]:
    kwargs = _connect_kwargs(database)
    args = ["--dbname", kwargs["dbname"]]
    if kwargs.get("host"):
        args += ["--host", str(kwargs["host"])]
    if kwargs.get("port"):
        args += ["--port", str(kwargs["port"])]
    if kwargs.get("user"):
        args += ["--username", kwargs["user"]]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if kwargs.get("password"):
        env["PGPASSWORD"] = kwargs["password"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")


def backup_create(*, database: dict, media_root: Path, output_dir: Path) -> Path:
    """Write cchc-YYYYmmdd-HHMMSS.tar.gz with the database dump and the media files."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"cchc-{stamp}.tar.gz"
    args, env = _libpq_args(database)
    with tempfile.TemporaryDirectory() as workdir:
        dump = Path(workdir) / DUMP_NAME
        _run(
            [
                _client_tool("pg_dump", database),
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(dump),
            ],
            env,
        )
        manifest = {
            "created_at": datetime.now().astimezone().isoformat(),
            "database": database["NAME"],
            "media_files": sum(1 for p in media_root.rglob("*") if p.is_file())
            if media_root.exists()
            else 0,
        }
        (Path(workdir) / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=DUMP_NAME)
            tar.add(Path(workdir) / MANIFEST_NAME, arcname=MANIFEST_NAME)
            if media_root.exists():
                tar.add(media_root, arcname=MEDIA_NAME)
        # Only a complete archive ever carries the final name.
        partial.rename(archive)
    return archive


def backup_restore(*, archive: Path, database: dict, media_root: Path) -> dict:
    """Restore an archive: the database in one transaction, then the media folder.

    The database restore is all-or-nothing (pg_restore --single-transaction);
    the media folder is swapped in only after it succeeded.
    """
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive} (file not found).")
    args, env = _libpq_args(database)
    with tempfile.TemporaryDirectory() as workdir:
        workdir = Path(workdir)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(workdir, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(
                f"Tệp sao lưu hỏng hoặc không đọc được: {error}"
            ) from error
        dump = workdir / DUMP_NAME
        if not dump.is_file():
            raise BackupError("Tệp sao lưu không chứa database.dump.")
        _run(
            [
                _client_tool("pg_restore", database),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(dump),
            ],
            env,
        )
        restored_media = workdir / MEDIA_NAME
        if restored_media.exists():
            media_root.parent.mkdir(parents=True, exist_ok=True)
            previous = media_root.with_name(media_root.name + ".before-restore")
            if previous.exists():
                shutil.rmtree(previous)
            if media_root.exists():
                media_root.rename(previous)
            shutil.move(str(restored_media), str(media_root))
        manifest_path = workdir / MANIFEST_NAME
        return json.loads(manifest_path.read_text()) if manifest_path.exists() else {}


def database_fingerprint(database: dict) -> dict[str, tuple[int, str]]:
    """Every table's row count and md5 of its rows in order, by table name.

    Two databases with equal fingerprints hold the same rows: how a restore
    is compared with what was backed up (bench/outages.py, tests).
    """
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(**_connect_kwargs(database))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "ORDER BY tablename"
            )
            tables = [name for (name,) in cursor.fetchall()]
            fingerprint = {}
            for table in tables:
                cursor.execute(
                    sql.SQL(
                        "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                        "ORDER BY t::text), '')) FROM {} AS t"
                    ).format(sql.Identifier(table))
                )
                fingerprint[table] = cursor.fetchone()
            return fingerprint
    finally:
        connection.close()
