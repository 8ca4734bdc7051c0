from django.apps import AppConfig


class NewsConfig(AppConfig):
    """Articles, categories, tags and the public news pages."""

    name = "news"
    verbose_name = "Tin tức"

    def ready(self):
        from news import signals

        signals.connect()
