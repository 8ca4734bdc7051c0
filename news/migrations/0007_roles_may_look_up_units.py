"""Writers and reviewers may look up PAR INDEX units.

The article form's "Đơn vị liên quan" autocomplete asks the admin for units,
which it refuses (403) without parindex.view_unit: writers could not link the
units an article is about. The permission is added to both groups rather than
resetting their lists, so permissions a site gave them in the admin stay.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Biên tập viên"
REVIEWER = "Duyệt bài"
ADDED_PERMISSIONS = [("parindex", "view_unit")]
ROLES = [EDITOR, REVIEWER]


def _added(apps):
    # On a fresh database permissions are created only after all migrations.
    # create_permissions() skips app configs without a models module, which is
    # how the migration state's configs look; put back whatever was there.
    parindex_config = apps.get_app_config("parindex")
    models_module = getattr(parindex_config, "models_module", None)
    parindex_config.models_module = True
    try:
        create_permissions(parindex_config, apps=apps, verbosity=0)
    finally:
        parindex_config.models_module = models_module
    permission_model = apps.get_model("auth", "Permission")
    return [
        permission_model.objects.get(
            content_type__app_label=app_label, codename=codename
        )
        for app_label, codename in ADDED_PERMISSIONS
    ]


def add_permissions(apps, schema_editor):
    added = _added(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(*added)


def remove_permissions(apps, schema_editor):
    added = _added(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*added)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0006_article_search_document"),
        ("parindex", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
