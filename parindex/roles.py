"""The data team's roles: the two staff groups and what each may do.

"Dữ liệu Chỉ số CCHC" (data officers) import tables, edit draft editions and
their tiers, mark an edition checked, and keep unit aliases. "Duyệt dữ liệu"
(data reviewers) may do all that, and release, schedule, correct and withdraw
editions. The permission each step needs is parindex/workflow.py; a person
who imported or last changed an edition's figures cannot release it alone
(parindex/services.py). Superusers may do everything.

The groups are created by the data migration
parindex/migrations/0006_data_roles, which keeps its own frozen copy of these
lists; a test keeps both equal. Changing a role means a new migration.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import transaction

DATA_OFFICER = "Dữ liệu Chỉ số CCHC"
DATA_REVIEWER = "Duyệt dữ liệu"

# (app label, permission codename)
DATA_OFFICER_PERMISSIONS = [
    ("parindex", "view_edition"),
    ("parindex", "add_edition"),
    ("parindex", "change_edition"),
    ("parindex", "check_edition"),
    ("parindex", "view_result"),
    ("parindex", "view_tier"),
    ("parindex", "add_tier"),
    ("parindex", "change_tier"),
    ("parindex", "delete_tier"),
    ("parindex", "view_framework"),
    ("parindex", "view_area"),
    ("parindex", "view_unit"),
    ("parindex", "view_unitname"),
    ("parindex", "add_unitname"),
    ("parindex", "change_unitname"),
    ("parindex", "delete_unitname"),
    ("parindex", "view_correction"),
    ("parindex", "view_annualsummary"),
]
DATA_REVIEWER_PERMISSIONS = [
    *DATA_OFFICER_PERMISSIONS,
    ("parindex", "release_edition"),
    ("parindex", "correct_edition"),
]
ROLE_PERMISSIONS = {
    DATA_OFFICER: DATA_OFFICER_PERMISSIONS,
    DATA_REVIEWER: DATA_REVIEWER_PERMISSIONS,
}


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
        group.permissions.set(
            [
                permission_model.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
                for app_label, codename in wanted
            ]
        )
