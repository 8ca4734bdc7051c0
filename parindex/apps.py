from django.apps import AppConfig


class ParindexConfig(AppConfig):
    """PAR INDEX (Chỉ số cải cách hành chính): units, editions, rankings."""

    name = "parindex"
    verbose_name = "Chỉ số CCHC (PAR INDEX)"

    def ready(self):
        from parindex import signals

        signals.connect()
