"""The image library and the "Một số hình ảnh" block; writers may upload
and reuse library images, reviewers may also delete them.

The permissions are added to both groups (as 0007 does) rather than
resetting their lists, so permissions a site gave them in the admin stay.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import news.images

EDITOR = "Biên tập viên"
REVIEWER = "Duyệt bài"
ADDED_PERMISSIONS = {
    EDITOR: [
        ("news", "view_image"),
        ("news", "add_image"),
        ("news", "change_image"),
        ("news", "view_articlegalleryimage"),
        ("news", "add_articlegalleryimage"),
        ("news", "change_articlegalleryimage"),
        ("news", "delete_articlegalleryimage"),
    ],
}
ADDED_PERMISSIONS[REVIEWER] = [*ADDED_PERMISSIONS[EDITOR], ("news", "delete_image")]


def _permissions(apps, wanted):
    # On a fresh database permissions are created only after all migrations
    # (see 0007): make this app's now.
    news_config = apps.get_app_config("news")
    models_module = getattr(news_config, "models_module", None)
    news_config.models_module = True
    try:
        create_permissions(news_config, apps=apps, verbosity=0)
    finally:
        news_config.models_module = models_module
    permission_model = apps.get_model("auth", "Permission")
    return [
        permission_model.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    ]


def add_permissions(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=ADDED_PERMISSIONS
    ):
        group.permissions.add(*_permissions(apps, ADDED_PERMISSIONS[group.name]))


def remove_permissions(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=ADDED_PERMISSIONS
    ):
        group.permissions.remove(*_permissions(apps, ADDED_PERMISSIONS[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0010_folded_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Image",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc"),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, verbose_name="cập nhật lúc"),
                ),
                (
                    "file",
                    models.ImageField(
                        help_text="JPEG, PNG hoặc WebP; thông tin EXIF/GPS sẽ được xoá.",
                        max_length=255,
                        upload_to="news/thu-vien/",
                        validators=[news.images.check_image],
                        verbose_name="tệp ảnh",
                    ),
                ),
                (
                    "alt",
                    models.CharField(
                        help_text="Mô tả nội dung ảnh cho người không xem được ảnh.",
                        max_length=250,
                        verbose_name="mô tả ảnh (alt)",
                    ),
                ),
                (
                    "caption",
                    models.CharField(
                        help_text="Hiện dưới ảnh trong bài.",
                        max_length=300,
                        verbose_name="chú thích",
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, editable=False)),
                ("height", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "renditions",
                    models.JSONField(blank=True, default=list, editable=False),
                ),
                ("search_folded", models.TextField(default="", editable=False)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người tải lên",
                    ),
                ),
            ],
            options={
                "verbose_name": "ảnh trong thư viện",
                "verbose_name_plural": "thư viện ảnh",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ArticleGalleryImage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự"),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="gallery_items",
                        to="news.article",
                        verbose_name="tin bài",
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="gallery_items",
                        to="news.image",
                        verbose_name="ảnh",
                    ),
                ),
            ],
            options={
                "verbose_name": "ảnh trong khối “Một số hình ảnh”",
                "verbose_name_plural": "Một số hình ảnh (theo thứ tự; số nhỏ đứng trước)",
                "ordering": ["article", "position", "id"],
            },
        ),
        migrations.AddConstraint(
            model_name="image",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("alt", ""), _negated=True),
                    models.Q(("caption", ""), _negated=True),
                ),
                name="news_image_has_alt_and_caption",
                violation_error_message="Ảnh cần có mô tả (alt) và chú thích.",
            ),
        ),
        migrations.AddConstraint(
            model_name="articlegalleryimage",
            constraint=models.UniqueConstraint(
                fields=("article", "image"),
                name="news_gallery_image_once",
                violation_error_message="Ảnh này đã có trong khối.",
            ),
        ),
        migrations.RunPython(add_permissions, remove_permissions),
    ]
