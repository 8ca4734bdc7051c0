"""Preview before saving: the admin form as posted, through the public template."""

import re

import pytest
from django.test import Client

from news.models import Article
from tests.factories import TagFactory
from tests.news.admin_forms import ADD_URL, article_form_data

pytestmark = pytest.mark.django_db

PREVIEW_URL = "/quan-tri/news/article/xem-truoc/"


def article_element(html: str) -> tuple[str, str]:
    """The article's headline and body markup, without the page around them."""
    headline = re.search(r"<h1.*?</h1>", html, re.S)
    body = re.search(r'<div class="article__body prose">.*?</div>', html, re.S)
    assert headline and body, "no article on the page"
    return headline.group(0), body.group(0)


def test_an_unsaved_article_is_previewed_with_the_public_template(
    writer_client, category
):
    tag = TagFactory(name="Một cửa liên thông")
    data = article_form_data(
        title="Bài chưa lưu về một cửa",
        body="<p>Đoạn <strong>chưa lưu</strong>.</p>",
        category=category.pk,
        tags=[tag.pk],
    )

    response = writer_client.post(PREVIEW_URL, data)

    assert response.status_code == 200
    assert "news/article_detail.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Bài chưa lưu về một cửa" in html
    assert "<strong>chưa lưu</strong>" in html
    assert "Một cửa liên thông" in html
    assert "Bài chưa lưu: đây là nội dung đang có trong trang sửa bài" in html
    assert not Article.objects.exists()


def test_the_preview_is_never_cached_nor_indexed(writer_client):
    response = writer_client.post(PREVIEW_URL, article_form_data(title="Thử"))

    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_the_preview_may_be_framed_by_the_admin_only(writer_client):
    response = writer_client.post(PREVIEW_URL, article_form_data(title="Thử"))

    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_the_preview_shows_what_the_published_page_will_show(reviewer_client, category):
    data = article_form_data(
        title="Bài xem trước rồi xuất bản",
        body="<p>Nội dung giống hệt.</p><p>Đoạn hai.</p>",
        category=category.pk,
    )
    preview = reviewer_client.post(PREVIEW_URL, data).content.decode()
    reviewer_client.post(ADD_URL, {**data, "status": Article.Status.PUBLISHED})
    article = Article.objects.get(title="Bài xem trước rồi xuất bản")
    reviewer_client.logout()

    public = reviewer_client.get(article.get_absolute_url()).content.decode()

    assert article_element(preview) == article_element(public)


def test_only_staff_may_preview_and_only_by_post(writer_client):
    anonymous = Client()
    assert anonymous.post(PREVIEW_URL, article_form_data()).status_code == 302
    assert writer_client.get(PREVIEW_URL).status_code == 405
    assert not Article.objects.exists()


def test_bad_input_in_the_form_still_previews_without_an_error(writer_client):
    data = article_form_data(title="", status="không-có", category="abc")

    response = writer_client.post(PREVIEW_URL, data)

    assert response.status_code == 200
    assert not Article.objects.exists()


def test_the_article_form_offers_preview_buttons_that_need_no_javascript(
    writer_client,
):
    html = writer_client.get(ADD_URL).content.decode()

    assert f'formaction="{PREVIEW_URL}"' in html
    assert 'formtarget="article-preview-phone"' in html
    assert 'name="article-preview-desktop"' in html
