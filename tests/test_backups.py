"""make backup / make restore: a restored backup holds every row and file."""

import uuid

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from cchc_portal.backups import _connect_kwargs, backup_create, backup_restore

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database():
    """An empty database on the same server, dropped afterwards."""
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield {**connection.settings_dict, "NAME": name}
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fetch(database, sql):
    conn = psycopg2.connect(**_connect_kwargs(database))
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        conn.close()


def test_backup_restored_into_a_fresh_database_has_every_row_and_file(
    tmp_path, isolated_media_root, fresh_database
):
    get_user_model().objects.create_user("bientapvien", password="mật-khẩu-dài-1")
    upload = isolated_media_root / "anh" / "2026" / "hinh-minh-hoa.webp"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"RIFF....WEBPVP8 demo image bytes")

    archive = backup_create(
        database=connection.settings_dict,
        media_root=isolated_media_root,
        output_dir=tmp_path / "backups",
    )
    assert archive.name.startswith("cchc-") and archive.name.endswith(".tar.gz")

    restored_media = tmp_path / "restored-media"
    backup_restore(archive=archive, database=fresh_database, media_root=restored_media)

    usernames = _fetch(fresh_database, "SELECT username FROM auth_user")
    assert usernames == [("bientapvien",)]
    restored_file = restored_media / "anh" / "2026" / "hinh-minh-hoa.webp"
    assert restored_file.read_bytes() == upload.read_bytes()


def test_restore_of_a_broken_archive_changes_nothing(tmp_path, isolated_media_root):
    get_user_model().objects.create_user("giu-nguyen", password="mật-khẩu-dài-2")
    broken = tmp_path / "cchc-broken.tar.gz"
    broken.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(broken), "--yes")
    assert get_user_model().objects.filter(username="giu-nguyen").exists()


def test_backup_command_writes_a_dated_archive(tmp_path, capsys):
    call_command("backup", "--output-dir", str(tmp_path))
    archives = list(tmp_path.glob("cchc-*.tar.gz"))
    assert len(archives) == 1
    assert "Backup written" in capsys.readouterr().out
