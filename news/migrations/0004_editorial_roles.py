"""Create the editorial role groups "Biên tập viên" and "Duyệt bài".

The permission lists are frozen here (a migration must not follow later code);
news/roles.py holds the current lists and a test keeps both equal.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Biên tập viên"
REVIEWER = "Duyệt bài"
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
]
ROLE_PERMISSIONS = {EDITOR: EDITOR_PERMISSIONS, REVIEWER: REVIEWER_PERMISSIONS}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); on
    # a fresh database they do not exist yet, so create the news ones now.
    news_config = apps.get_app_config("news")
    # create_permissions() skips app configs without a models module, which is
    # how the migration state's configs look; put back whatever was there.
    models_module = getattr(news_config, "models_module", None)
    news_config.models_module = True
    try:
        create_permissions(news_config, apps=apps, verbosity=0)
    finally:
        news_config.models_module = models_module

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
        ("news", "0003_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
