"""Keep cached public pages in step with news content.

Any change to what news pages show starts a new page-cache generation (after
the transaction commits); scheduled publish and expiry times end it by
themselves. See cchc_portal/page_cache.py.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from cchc_portal import page_cache
from news.models import Article, ArticleLink, Category, GlossaryTerm, Tag

PUBLIC_MODELS = (Article, ArticleLink, Category, GlossaryTerm, Tag)


def content_changed(sender, **kwargs) -> None:
    page_cache.invalidate()


def next_scheduled_change():
    return Article.objects.next_scheduled_change()


def connect() -> None:
    for model in PUBLIC_MODELS:
        post_save.connect(
            content_changed, sender=model, dispatch_uid=f"page-cache-{model}"
        )
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"page-cache-del-{model}"
        )
    m2m_changed.connect(
        content_changed, sender=Article.tags.through, dispatch_uid="page-cache-tags"
    )
    page_cache.register_schedule(next_scheduled_change)
