"""The editorial roles: groups made by the migration, and what each may choose."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from news import permissions, roles
from news.models import Article
from tests.factories import ReviewerFactory, UserFactory, WriterFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
migration = importlib.import_module("news.migrations.0004_editorial_roles")
units_migration = importlib.import_module(
    "news.migrations.0007_roles_may_look_up_units"
)
library_migration = importlib.import_module("news.migrations.0011_image_library")


def migrated_permissions(role: str) -> list[tuple[str, str]]:
    """What the role migrations grant a role, all together."""
    added = units_migration.ADDED_PERMISSIONS if role in units_migration.ROLES else []
    library = library_migration.ADDED_PERMISSIONS.get(role, [])
    return [*migration.ROLE_PERMISSIONS[role], *added, *library]


def group_permissions(name):
    return sorted(
        Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )


def test_the_migrations_and_the_role_definitions_agree():
    for role, granted in roles.ROLE_PERMISSIONS.items():
        assert sorted(migrated_permissions(role)) == sorted(granted), role
    assert (migration.EDITOR, migration.REVIEWER) == (roles.EDITOR, roles.REVIEWER)
    assert units_migration.ROLES == [roles.EDITOR, roles.REVIEWER]
    assert list(library_migration.ADDED_PERMISSIONS) == [roles.EDITOR, roles.REVIEWER]


def test_the_migration_creates_both_groups_with_their_permissions():
    Group.objects.filter(name__in=[roles.EDITOR, roles.REVIEWER]).delete()

    migration.create_roles(apps, None)
    units_migration.add_permissions(apps, None)
    library_migration.add_permissions(apps, None)

    assert group_permissions("Biên tập viên") == sorted(roles.EDITOR_PERMISSIONS)
    assert group_permissions("Duyệt bài") == sorted(roles.REVIEWER_PERMISSIONS)
    migration.create_roles(apps, None)  # idempotent
    units_migration.add_permissions(apps, None)
    library_migration.add_permissions(apps, None)
    assert Group.objects.filter(name__in=[roles.EDITOR, roles.REVIEWER]).count() == 2


def test_writers_cannot_publish_review_or_delete():
    writer = WriterFactory()
    assert writer.has_perm("news.submit_article")
    assert writer.has_perm("parindex.view_unit")  # to link an article's units
    assert not writer.has_perm(permissions.PUBLISH)
    assert not writer.has_perm(permissions.REVIEW)
    assert not writer.has_perm("news.delete_article")


def test_reviewers_can_publish_review_and_delete():
    reviewer = ReviewerFactory()
    assert reviewer.has_perm(permissions.PUBLISH)
    assert reviewer.has_perm(permissions.REVIEW)
    assert reviewer.has_perm("news.delete_article")


@pytest.mark.parametrize(
    ("factory", "current", "expected"),
    [
        (WriterFactory, None, ["draft", "pending"]),
        (WriterFactory, "draft", ["draft", "pending"]),
        (WriterFactory, "pending", ["pending"]),
        (WriterFactory, "published", []),
        (ReviewerFactory, "draft", ["draft", "pending", "published"]),
        (ReviewerFactory, "pending", ["draft", "pending", "published"]),
        (ReviewerFactory, "published", ["published", "draft"]),
        (
            lambda: UserFactory(is_superuser=True),
            "pending",
            ["draft", "pending", "published"],
        ),
        (UserFactory, "draft", ["draft"]),
    ],
)
def test_statuses_each_role_may_choose(factory, current, expected):
    assert permissions.allowed_statuses(factory(), current) == expected


def test_only_reviewers_may_edit_a_published_article(article):
    writer = WriterFactory()
    article.created_by = writer
    assert not permissions.can_edit(writer, article)
    assert permissions.can_edit(ReviewerFactory(), article)
    article.status = Status.DRAFT
    assert permissions.can_edit(writer, article)


def test_a_writer_edits_only_their_own_drafts_and_reviewers_all(article):
    writer, colleague = WriterFactory(), WriterFactory()
    article.status = Status.DRAFT
    article.created_by = colleague
    assert not permissions.can_edit(writer, article)
    assert permissions.can_edit(colleague, article)
    assert permissions.can_edit(ReviewerFactory(), article)
    article.created_by = None  # written before writers were recorded
    assert not permissions.can_edit(writer, article)
