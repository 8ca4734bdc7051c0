"""Signal wiring for news: cached pages and search documents stay current.

- Page cache (cchc_portal/runtime/page_cache.py): any content change starts a new
  generation, except a change to a working draft (news/drafts.py), which
  readers do not see.
- Workflow steps for other apps (the e-mail alerts): article_submitted,
  article_returned and article_published (`scheduled=True` when it goes
  public only at `article.published_at`), each sent once the transaction
  that took the step commits, with `article` and `user` as keyword arguments.
  article_draft_published: a working draft went into its live `article`
  (`scheduled=True` when set for `article.replaces_at` of the draft;
  `went_live=True` when a scheduled one was applied at its minute). Drafts
  are Article rows, so submitting and returning one sends the events above.
- Search documents (news/search.py) hold the names of the article's tags and
  PAR INDEX units: adding or removing one, renaming or deleting a tag or unit
  rebuilds the documents of the articles concerned.
- Library images: a deleted image's files are deleted once the deletion
  commits, so its address answers 404 (the bodies naming it drop it).
"""

from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import Signal

from cchc_portal.runtime import page_cache
from news.images import delete_stored
from news.models import (
    Article,
    ArticleGalleryImage,
    ArticleLink,
    Category,
    GlossaryTerm,
    Image,
    Tag,
)

article_submitted = Signal()
article_returned = Signal()
article_published = Signal()
article_draft_published = Signal()


def send_on_commit(signal: Signal, **kwargs) -> None:
    """Send `signal` from news once the current transaction commits."""
    transaction.on_commit(lambda: signal.send(sender=Article, **kwargs))


# Rows that belong to one article: (model, the field naming the article).
ARTICLE_PARTS = {ArticleLink: "from_article", ArticleGalleryImage: "article"}


def _is_working_draft(instance) -> bool:
    field = ARTICLE_PARTS.get(type(instance))
    if field is not None:
        descriptor = getattr(type(instance), field)
        if descriptor.is_cached(instance):
            instance = getattr(instance, field)
        else:  # a row deleted with its article: read it without loading it
            return Article.objects.filter(
                pk=getattr(instance, f"{field}_id"), draft_of__isnull=False
            ).exists()
    return isinstance(instance, Article) and instance.draft_of_id is not None


def _article_changed(sender, instance, reverse=False, **kwargs) -> None:
    """Cached pages end with any change readers may see (not a draft's)."""
    if reverse or not _is_working_draft(instance):
        page_cache.invalidate()


def next_scheduled_change():
    return Article.objects.next_scheduled_change()


def _refresh(article_ids) -> None:
    if article_ids:
        Article.objects.filter(pk__in=list(article_ids)).refresh_search_documents()


def _relations_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """article.tags/units changed (or tag.articles/unit.articles, reversed)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            _refresh([instance.pk])
        return
    # instance is a Tag or a Unit; pk_set holds article ids.
    if action == "pre_clear":
        instance._search_article_ids = list(
            instance.articles.values_list("pk", flat=True)
        )
    elif action == "post_clear":
        _refresh(getattr(instance, "_search_article_ids", []))
    elif action in ("post_add", "post_remove"):
        _refresh(pk_set)


def _remember_name(sender, instance, raw=False, **kwargs) -> None:
    """Before a tag or unit is saved: note its stored name (for renames)."""
    if raw or instance.pk is None:
        return
    instance._search_old_name = (
        sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    )


def _name_saved(sender, instance, created, raw=False, **kwargs) -> None:
    old_name = getattr(instance, "_search_old_name", None)
    if raw or created or old_name is None or old_name == instance.name:
        return
    _refresh(instance.articles.values_list("pk", flat=True))


def _remember_articles(sender, instance, **kwargs) -> None:
    """Before a tag or unit is deleted: its articles lose its name."""
    instance._search_article_ids = list(instance.articles.values_list("pk", flat=True))


def _deleted(sender, instance, **kwargs) -> None:
    _refresh(getattr(instance, "_search_article_ids", []))


def _image_deleted(sender, instance, **kwargs) -> None:
    renditions = list(instance.renditions)
    transaction.on_commit(lambda: delete_stored(renditions))


def connect() -> None:
    from parindex.models import Unit

    page_cache.watch(Category, GlossaryTerm, Tag, Image)
    post_delete.connect(
        _image_deleted, sender=Image, dispatch_uid="news-image-files-deleted"
    )
    # Articles, their links, tags and units, except working drafts: readers
    # never see a draft, so saving one leaves every cached page valid.
    for model in (Article, *ARTICLE_PARTS):
        post_save.connect(
            _article_changed, sender=model, dispatch_uid=f"news-page-cache-{model}"
        )
        post_delete.connect(
            _article_changed, sender=model, dispatch_uid=f"news-page-gone-{model}"
        )
    for relation in (Article.tags, Article.units):
        m2m_changed.connect(
            _article_changed,
            sender=relation.through,
            dispatch_uid=f"news-page-cache-m2m-{relation.through._meta.label}",
        )
    page_cache.register_schedule(next_scheduled_change)
    # A scheduled draft replaces its live article at a minute (news/drafts.py).
    from news import drafts

    page_cache.register_schedule(drafts.next_replacement)
    drafts.connect()

    for relation in (Article.tags, Article.units):
        m2m_changed.connect(
            _relations_changed,
            sender=relation.through,
            dispatch_uid=f"news-search-m2m-{relation.through._meta.label}",
        )
    for model in (Tag, Unit):
        label = model._meta.label
        pre_save.connect(
            _remember_name, sender=model, dispatch_uid=f"news-search-pre-{label}"
        )
        post_save.connect(
            _name_saved, sender=model, dispatch_uid=f"news-search-post-{label}"
        )
        pre_delete.connect(
            _remember_articles,
            sender=model,
            dispatch_uid=f"news-search-pre-delete-{label}",
        )
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"news-search-delete-{label}"
        )
