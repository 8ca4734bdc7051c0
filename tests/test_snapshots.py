"""Seed-data snapshots (tests/snapshots.py) restore what they captured."""

import pytest
from django.db import transaction

from news.models import Article
from tests.factories import EnglishArticleFactory
from tests.snapshots import SnapshotStore

pytestmark = pytest.mark.django_db


def test_a_snapshot_restores_an_original_updated_after_its_english_version(
    tmp_path,
):
    """An update writes the original's new row after its English version's
    in the table, and the row trigger refuses an English version whose
    original is not there yet: the snapshot keeps insertion order."""
    store = SnapshotStore()
    builds = []

    def build():
        builds.append(1)
        english = EnglishArticleFactory()
        original = english.translation_of
        Article.objects.filter(pk=original.pk).update(title="Tiêu đề đã sửa")
        return english.pk, original.pk

    media_root = tmp_path / "media"
    try:
        before = transaction.savepoint()
        english_id, original_id = store.load("pair", build, media_root=media_root)
        transaction.savepoint_rollback(before)
        assert not Article.objects.exists()

        assert store.load("pair", build, media_root=media_root) == (
            english_id,
            original_id,
        )
        assert len(builds) == 1  # restored, not built again
        restored = Article.objects.get(pk=english_id)
        assert restored.translation_of_id == original_id
        assert restored.translation_of.title == "Tiêu đề đã sửa"
    finally:
        store.close()
