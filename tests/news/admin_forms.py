"""POST data for the article form in the admin, as a browser would send it."""

from django.utils import timezone

from news.models import Article

ADD_URL = "/quan-tri/news/article/add/"
CHANGELIST_URL = "/quan-tri/news/article/"


def change_url(article: Article) -> str:
    return f"/quan-tri/news/article/{article.pk}/change/"


def _split(moment) -> tuple[str, str]:
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    return local.strftime("%d/%m/%Y"), local.strftime("%H:%M:%S")


def article_form_data(article: Article | None = None, **changes) -> dict:
    """The form as opened on `article` (or empty for a new one), with `changes`.

    `edit_token` is the one the form was opened with; pass edit_token= to
    simulate an older form.
    """
    data = {
        "title": "Tin viết trong trang quản trị",
        "slug": "",
        "sapo": "Tóm tắt của tin.",
        "body": "<p>Nội dung của tin.</p>",
        "hero_alt": "",
        "hero_caption": "",
        "byline": "Huyền Anh",
        "source_agency": "",
        "category": "",
        "status": Article.Status.DRAFT,
        "review_comment": "",
        "change_note": "",
        "edit_token": "",
        "outgoing_links-TOTAL_FORMS": "0",
        "outgoing_links-INITIAL_FORMS": "0",
        "gallery_items-TOTAL_FORMS": "0",
        "gallery_items-INITIAL_FORMS": "0",
    }
    published_at = expires_at = change_noted_at = None
    if article is not None:
        data.update(
            title=article.title,
            slug=article.slug,
            sapo=article.sapo,
            body=article.body,
            hero_alt=article.hero_alt,
            hero_caption=article.hero_caption,
            byline=article.byline,
            source_agency=article.source_agency,
            category=article.category_id or "",
            status=article.status,
            review_comment=article.review_comment,
            change_note=article.change_note,
            edit_token=article.updated_at.isoformat(),
        )
        if article.featured:
            data["featured"] = "on"
        tags = list(article.tags.values_list("pk", flat=True))
        if tags:
            data["tags"] = tags
        units = list(article.units.values_list("pk", flat=True))
        if units:
            data["units"] = units
        published_at = article.published_at
        expires_at = article.expires_at
        change_noted_at = article.change_noted_at
    for name, moment in (
        ("published_at", published_at),
        ("expires_at", expires_at),
        ("change_noted_at", change_noted_at),
    ):
        data[f"{name}_0"], data[f"{name}_1"] = _split(moment)
    for name, value in changes.items():
        if name in ("published_at", "expires_at"):
            data[f"{name}_0"], data[f"{name}_1"] = _split(value)
        elif value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
