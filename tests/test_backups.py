"""make backup / make restore: a restored backup holds every row and file."""

import uuid
from unittest import mock

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from cchc_portal.runtime import page_cache
from cchc_portal.runtime.backups import (
    _connect_kwargs,
    backup_create,
    backup_restore,
    database_fingerprint,
    major_version_of,
)
from news.models import Article
from news.services import article_set_hero_image
from tests.factories import ArticleFactory, EditionFactory, ResultFactory, image_upload

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


def test_backup_restored_into_a_fresh_database_has_every_article_image_and_edition(
    tmp_path, isolated_media_root, fresh_database
):
    get_user_model().objects.create_user("bientapvien", password="mật-khẩu-dài-1")
    article = ArticleFactory(title="Tin có ảnh")
    article_set_hero_image(article=article, upload=image_upload(), alt="Ảnh minh họa")
    article.save()
    ArticleFactory.create_batch(3)
    result = ResultFactory(edition=EditionFactory(year=2023), rank=1)
    image_files = sorted(
        str(path.relative_to(isolated_media_root))
        for path in isolated_media_root.rglob("*")
        if path.is_file()
    )
    assert len(image_files) >= 2  # the original and its renditions

    archive = backup_create(
        database=connection.settings_dict,
        media_root=isolated_media_root,
        output_dir=tmp_path / "backups",
    )
    assert archive.name.startswith("cchc-") and archive.name.endswith(".tar.gz")

    restored_media = tmp_path / "restored-media"
    backup_restore(archive=archive, database=fresh_database, media_root=restored_media)

    assert _fetch(fresh_database, "SELECT username FROM auth_user") == [
        ("bientapvien",)
    ]
    titles = {
        title for (title,) in _fetch(fresh_database, "SELECT title FROM news_article")
    }
    assert titles == set(Article.objects.values_list("title", flat=True))
    (hero,) = _fetch(
        fresh_database, f"SELECT hero_image FROM news_article WHERE id = {article.pk}"
    )
    assert hero == (article.hero_image.name,)
    assert _fetch(
        fresh_database,
        "SELECT year, unit_id FROM parindex_edition e "
        "JOIN parindex_result r ON r.edition_id = e.id",
    ) == [(2023, result.unit_id)]
    for name in image_files:
        assert (restored_media / name).read_bytes() == (
            isolated_media_root / name
        ).read_bytes()
    # Every table: the same number of rows and the same rows.
    original = database_fingerprint(connection.settings_dict)
    assert original["news_article"][0] == 4
    assert database_fingerprint(fresh_database) == original


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


def test_restore_command_ends_the_cached_generation_of_pages(tmp_path):
    cache.set(page_cache.STATE_KEY, {"token": "before-restore", "until": 2e9})
    with mock.patch(
        "cchc_portal.management.commands.restore.backup_restore",
        return_value={"created_at": "2026-11-27T10:00:00+07:00"},
    ):
        call_command("restore", str(tmp_path / "cchc-x.tar.gz"), "--yes")
    state = cache.get(page_cache.STATE_KEY)
    assert state is None or state["token"] != "before-restore"


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ("pg_dump (PostgreSQL) 16.4\n", 16),
        ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n", 15),
        ("pg_restore (PostgreSQL) 17.2 (Ubuntu 17.2-1.pgdg24.04+1)\n", 17),
    ],
)
def test_client_tool_versions_are_read_from_vendor_builds_too(output, major):
    assert major_version_of(output) == major
