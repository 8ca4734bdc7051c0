from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """E-mail alerts for citizens and notifications for editors (task queue)."""

    name = "cchc_portal.alerts"
    label = "alerts"
    verbose_name = "Thư báo tin mới"

    def ready(self):
        from cchc_portal.alerts import signals

        signals.connect()
