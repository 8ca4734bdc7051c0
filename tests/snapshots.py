"""Seed data built once per test process, then restored in milliseconds.

Building the demo data (`seed_demo`, the PAR INDEX demo, the reference data)
costs seconds, and many tests need it. The first test that asks for a data set
builds it the normal way; the rows of every table the build changed (and the
media files it wrote) are then copied out with PostgreSQL's COPY. Later tests
get the same rows back by COPY (after emptying the few changed tables that
had rows before) inside their own transaction, so the rollback at the end of
the test still undoes everything.

A snapshot is reused only when the database is in exactly the state it was
in before the snapshot's build (same rows in every table): a test whose other
fixtures wrote rows first simply builds again. Rows kept by rolled-back tests
cannot exist, so in practice the state before a seed is the migrated database
(or, in transactional tests, the flushed one).
"""

import hashlib
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

EMPTY_TABLE_DIGEST = hashlib.md5(b"").hexdigest()


def _models_in_dependency_order() -> list:
    """Every concrete model, each after the models its foreign keys point to."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    ordered, seen = [], set()

    def visit(model, path=()):
        if model in seen or model in path:
            return
        for field_ in model._meta.concrete_fields:
            target = field_.related_model if field_.is_relation else None
            if target is not None and target is not model and target in models:
                visit(target, (*path, model))
        seen.add(model)
        ordered.append(model)

    for model in models:
        visit(model)
    return ordered


def _tables(models) -> list[str]:
    existing = set(connection.introspection.table_names())
    return [m._meta.db_table for m in models if m._meta.db_table in existing]


def table_digests(tables: list[str]) -> dict[str, str]:
    """A digest of every row of each table (cheap on the small base data)."""
    parts = " UNION ALL ".join(
        f"SELECT {i} AS n, (SELECT md5(coalesce(string_agg(t::text, ',' "
        f"ORDER BY t::text), '')) FROM {connection.ops.quote_name(table)} t) AS d"
        for i, table in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n, d FROM ({parts}) s")
        return {tables[n]: digest for n, digest in cursor.fetchall()}


def _rows_in_insertion_order(cursor, table: str) -> str:
    """A table's rows by primary key, the order they were inserted in.

    Not the table's physical order, which updates rearrange: an English
    version could then come back before its original, and the row trigger
    that checks it points to a Vietnamese original
    (news_article_translation_original) would refuse the restore.
    Foreign keys are deferred and need no order.
    """
    quoted = connection.ops.quote_name(table)
    keys = connection.introspection.get_primary_key_columns(cursor, table) or []
    order = ", ".join(connection.ops.quote_name(key) for key in keys)
    return f"SELECT * FROM {quoted}" + (f" ORDER BY {order}" if order else "")


@dataclass
class Snapshot:
    """The rows of every table and the media files after one build."""

    result: Any
    # The rows of each table the build changed, and which of those had rows
    # before it (they are emptied first).
    rows: dict[str, bytes] = field(default_factory=dict)
    replaced: set[str] = field(default_factory=set)
    models: list = field(default_factory=list)
    media: Path | None = None


class SnapshotStore:
    """The snapshots of one test process, by data-set name."""

    def __init__(self) -> None:
        self._snapshots: dict[tuple[str, str], Snapshot] = {}
        self._folder = Path(tempfile.mkdtemp(prefix="cchc-test-snapshots-"))
        self._models = None

    @property
    def models(self):
        if self._models is None:
            self._models = _models_in_dependency_order()
        return self._models

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)

    def load(self, name: str, build, *, media_root: Path):
        """The data set `name` in the database, from the snapshot or by `build()`."""
        tables = _tables(self.models)
        before = table_digests(tables)
        key = (name, hashlib.sha1("|".join(before.values()).encode()).hexdigest())
        snapshot = self._snapshots.get(key)
        if snapshot is not None:
            self._restore(snapshot, media_root)
            return snapshot.result
        result = build()
        self._snapshots[key] = self._capture(key, before, result, media_root)
        return result

    def _capture(self, key, before, result, media_root) -> Snapshot:
        snapshot = Snapshot(result=result)
        after = table_digests(list(before))
        changed = [table for table in before if after[table] != before[table]]
        with connection.cursor() as cursor:
            for table in changed:
                if before[table] != EMPTY_TABLE_DIGEST:
                    snapshot.replaced.add(table)
                buffer = io.BytesIO()
                cursor.copy_expert(
                    f"COPY ({_rows_in_insertion_order(cursor, table)}) TO STDOUT "
                    "WITH (FORMAT binary)",
                    buffer,
                )
                snapshot.rows[table] = buffer.getvalue()
        snapshot.models = [m for m in self.models if m._meta.db_table in changed]
        if media_root.exists():
            snapshot.media = self._folder / f"{key[0]}-{key[1][:12]}"
            shutil.copytree(media_root, snapshot.media)
        return snapshot

    def _restore(self, snapshot: Snapshot, media_root: Path):
        # One transaction, so deferred foreign keys are checked once at the
        # end (in transactional tests too, where nothing else wraps this).
        with transaction.atomic(), connection.cursor() as cursor:
            for table in snapshot.replaced:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            for table in snapshot.rows:
                cursor.copy_expert(
                    f"COPY {connection.ops.quote_name(table)} FROM STDIN "
                    "WITH (FORMAT binary)",
                    io.BytesIO(snapshot.rows[table]),
                )
            resets = connection.ops.sequence_reset_sql(no_style(), snapshot.models)
            if resets:
                cursor.execute(";".join(resets))
        # Content types may have other ids than the ones Django cached.
        ContentType.objects.clear_cache()
        if snapshot.media is not None:
            shutil.copytree(snapshot.media, media_root, dirs_exist_ok=True)
