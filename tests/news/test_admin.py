"""The editors' admin: lists, search, related links, slug pre-fill script."""

import re

import pytest

from news.forms import LINK_REFUSED
from news.models import Article, ArticleLink
from tests.factories import ArticleFactory, CategoryFactory
from tests.news.admin_forms import article_form_data

pytestmark = pytest.mark.django_db


def test_article_list_shows_status_category_time_and_a_public_link(
    admin_client, article
):
    ArticleFactory(title="Bài nháp", status=Article.Status.DRAFT)

    response = admin_client.get("/quan-tri/news/article/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã xuất bản" in html and "Nháp" in html
    assert "Cải cách thủ tục hành chính" in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert html.count(">Xem trên trang</a>") == 1


def test_article_search_finds_by_title_and_sapo(admin_client, category):
    ArticleFactory(title="Một cửa liên thông", category=category)
    ArticleFactory(title="Khác", sapo="Nói về dịch vụ công", category=category)
    ArticleFactory(title="Không khớp", category=category)

    html = admin_client.get(
        "/quan-tri/news/article/?q=li%C3%AAn+th%C3%B4ng"
    ).content.decode()
    assert "Một cửa liên thông" in html and "Không khớp" not in html
    html = admin_client.get(
        "/quan-tri/news/article/?q=d%E1%BB%8Bch+v%E1%BB%A5"
    ).content.decode()
    assert "Khác" in html and "Không khớp" not in html


def test_article_list_filters_by_status(admin_client, category):
    ArticleFactory(
        title="Bài chờ duyệt", status=Article.Status.PENDING, category=category
    )
    ArticleFactory(title="Bài công khai", category=category)
    html = admin_client.get(
        "/quan-tri/news/article/?status__exact=pending"
    ).content.decode()
    assert "Bài chờ duyệt" in html and "Bài công khai" not in html


@pytest.mark.parametrize("model", ["article", "category", "tag"])
def test_add_forms_load_the_vietnamese_slug_script_after_urlify(admin_client, model):
    html = admin_client.get(f"/quan-tri/news/{model}/add/").content.decode()
    assert html.index("admin/js/urlify.js") < html.index("js/admin/vietnamese-slug.js")
    assert (
        "prepopulated_field" in html
        or "data-prepopulated" in html
        or "prepopulated" in html
    )


def test_article_form_uses_the_rich_text_editor(admin_client):
    html = admin_client.get("/quan-tri/news/article/add/").content.decode()
    assert "data-django-prose-editor-configurable" in html


def test_related_links_inline_uses_autocomplete_and_keeps_order(admin_client, article):
    one = ArticleFactory(title="Liên quan một")
    two = ArticleFactory(title="Liên quan hai")
    data = article_form_data(
        article,
        status="published",
        published_at_0="01/05/2026",
        published_at_1="08:00",
        **{
            "outgoing_links-TOTAL_FORMS": "2",
            "outgoing_links-0-position": "2",
            "outgoing_links-0-to_article": one.pk,
            "outgoing_links-1-position": "1",
            "outgoing_links-1-to_article": two.pk,
        },
    )
    page = admin_client.get(
        f"/quan-tri/news/article/{article.pk}/change/"
    ).content.decode()
    # The link's own select, not the category, tag or unit boxes beside it.
    link_select = re.search(r'<select name="outgoing_links-0-to_article"[^>]*>', page)
    assert link_select and 'class="admin-autocomplete"' in link_select.group(0)

    response = admin_client.post(f"/quan-tri/news/article/{article.pk}/change/", data)

    # A published article's edit is its working draft: the links are there.
    assert response.status_code == 302
    assert [
        link.to_article.title
        for link in ArticleLink.objects.filter(from_article__draft_of=article)
    ] == [
        "Liên quan hai",
        "Liên quan một",
    ]


def test_admin_refuses_a_link_to_the_article_itself_or_twice(admin_client, article):
    other = ArticleFactory()
    base = article_form_data(
        article,
        status="published",
        published_at_0="01/05/2026",
        published_at_1="08:00",
        **{
            "outgoing_links-TOTAL_FORMS": "2",
            "outgoing_links-0-position": "1",
            "outgoing_links-1-position": "2",
        },
    )
    url = f"/quan-tri/news/article/{article.pk}/change/"
    itself = admin_client.post(
        url,
        {
            **base,
            "outgoing_links-0-to_article": article.pk,
            "outgoing_links-1-to_article": other.pk,
        },
    )
    twice = admin_client.post(
        url,
        {
            **base,
            "outgoing_links-0-to_article": other.pk,
            "outgoing_links-1-to_article": other.pk,
        },
    )
    assert itself.status_code == 200
    assert LINK_REFUSED in itself.content.decode()
    assert twice.status_code == 200
    assert twice.content.decode().count(LINK_REFUSED) == 1
    assert not ArticleLink.objects.exists()


def test_category_and_tag_autocomplete_answer(admin_client, db):
    CategoryFactory(name="Chính phủ số")
    response = admin_client.get(
        "/quan-tri/autocomplete/",
        {
            "app_label": "news",
            "model_name": "article",
            "field_name": "category",
            "term": "phủ",
        },
    )
    assert response.status_code == 200
    assert "Chính phủ số" in response.json()["results"][0]["text"]
