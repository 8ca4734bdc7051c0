from django.apps import AppConfig


class CchcPortalConfig(AppConfig):
    """Site-wide pieces both apps share: layout helpers, health check, demo seeding."""

    name = "cchc_portal"
    verbose_name = "Cổng thông tin CCHC"

    def ready(self):
        # django-axes names its admin section after its label ("Axes"), with
        # no translatable verbose_name.
        from django.apps import apps

        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = "Bảo vệ đăng nhập"
