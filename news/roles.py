"""Editorial roles: the two staff groups and what each may do.

"Biên tập viên" (writers) write and edit drafts and submit them for review;
they cannot publish, schedule, unpublish, delete, or edit a published article.
"Duyệt bài" (reviewers) may do all of that. Superusers may do everything.

The groups are created by the data migration news/migrations/0004_editorial_roles
and extended by later ones (0007 lets both look up PAR INDEX units, 0011
use the image library); each keeps
its own frozen copy of what it grants, as migrations must, and a test checks
that together they equal these lists. Changing a role means a new migration.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import transaction

EDITOR = "Biên tập viên"
REVIEWER = "Duyệt bài"

# (app label, permission codename)
EDITOR_PERMISSIONS = [
    ("news", "view_article"),
    ("news", "add_article"),
    ("news", "change_article"),
    ("news", "submit_article"),
    ("news", "view_articlelink"),
    ("news", "add_articlelink"),
    ("news", "change_articlelink"),
    ("news", "delete_articlelink"),
    ("news", "view_category"),
    ("news", "view_tag"),
    ("news", "add_tag"),
    ("news", "view_glossaryterm"),
    # The article form's "Đơn vị liên quan" autocomplete (migration 0007).
    ("parindex", "view_unit"),
    # The image library and the "Một số hình ảnh" block (migration 0011).
    ("news", "view_image"),
    ("news", "add_image"),
    ("news", "change_image"),
    ("news", "view_articlegalleryimage"),
    ("news", "add_articlegalleryimage"),
    ("news", "change_articlegalleryimage"),
    ("news", "delete_articlegalleryimage"),
]
REVIEWER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    ("news", "delete_article"),
    ("news", "review_article"),
    ("news", "publish_article"),
    ("news", "add_category"),
    ("news", "change_category"),
    ("news", "delete_category"),
    ("news", "change_tag"),
    ("news", "delete_tag"),
    ("news", "add_glossaryterm"),
    ("news", "change_glossaryterm"),
    ("news", "delete_glossaryterm"),
    # Deleting a library image takes it out of every article using it.
    ("news", "delete_image"),
]
ROLE_PERMISSIONS = {EDITOR: EDITOR_PERMISSIONS, REVIEWER: REVIEWER_PERMISSIONS}


@transaction.atomic
def ensure_roles(*, apps=global_apps) -> None:
    """Create the role groups if missing and give them exactly their permissions.

    For the demo seed and for tests that run after a database flush; a real
    site gets the groups from the migration and may adjust them in the admin.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = [
            permission_model.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            for app_label, codename in wanted
        ]
        group.permissions.set(permissions)
