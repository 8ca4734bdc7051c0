from django.apps import AppConfig


class CchcPortalConfig(AppConfig):
    """Site-wide pieces both apps share: layout helpers, health check, demo seeding."""

    name = "cchc_portal"
    verbose_name = "Cổng thông tin CCHC"
