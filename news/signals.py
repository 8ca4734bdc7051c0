"""Keep cached public pages in step with news content (cchc_portal/page_cache.py)."""

from cchc_portal import page_cache
from news.models import Article, ArticleLink, Category, GlossaryTerm, Tag


def next_scheduled_change():
    return Article.objects.next_scheduled_change()


def connect() -> None:
    page_cache.watch(
        Article,
        ArticleLink,
        Category,
        GlossaryTerm,
        Tag,
        m2m_fields=[Article.tags, Article.units],
    )
    page_cache.register_schedule(next_scheduled_change)
