"""Create the data team's role groups "Dữ liệu Chỉ số CCHC" and "Duyệt dữ liệu".

The permission lists are frozen here (a migration must not follow later code);
parindex/roles.py holds the current lists and a test keeps both equal.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DATA_OFFICER = "Dữ liệu Chỉ số CCHC"
DATA_REVIEWER = "Duyệt dữ liệu"
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


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); on
    # a fresh database they do not exist yet, so create the parindex ones now.
    # create_permissions() skips app configs without a models module, which is
    # how the migration state's configs look; put back whatever was there.
    config = apps.get_app_config("parindex")
    models_module = getattr(config, "models_module", None)
    config.models_module = True
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = models_module

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


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=list(ROLE_PERMISSIONS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("parindex", "0005_published_editions_guarded"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
