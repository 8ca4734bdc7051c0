"""Whatever is pasted into the body, nothing executable reaches the public page."""

import pytest

from news.html import sanitize_html
from news.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ATTACKS = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">bấm</a>',
    '<a href="JaVaScRiPt:alert(1)">bấm</a>',
    '<p style="background:url(javascript:alert(1))">kiểu</p>',
    '<iframe src="https://example.com/"></iframe>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<p onclick="alert(1)" onmouseover="alert(2)">bấm</p>',
    "<style>body{display:none}</style>",
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="/x"><input name="a"></form>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">dữ liệu</a>',
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onclick",
    "onload",
    "javascript:",
    "style=",
    "<iframe",
    "<style",
    "<svg",
    "<object",
    "<embed",
    "<img",
    "<form",
    "data:",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitiser_removes_executable_markup(attack):
    cleaned = sanitize_html(f"<p>Trước</p>{attack}<p>Sau</p>").lower()
    for needle in FORBIDDEN:
        assert needle not in cleaned
    assert "<p>trước</p>" in cleaned and "<p>sau</p>" in cleaned


def test_sanitiser_keeps_the_formatting_editors_use():
    html = (
        "<h2>Mục</h2><p><strong>Đậm</strong> <em>nghiêng</em> "
        '<a href="https://chinhphu.vn/">liên kết</a></p><ul><li>Một</li></ul>'
        '<table><tbody><tr><th scope="col">Cột</th></tr>'
        "<tr><td>Ô</td></tr></tbody></table>"
    )
    cleaned = sanitize_html(html)
    assert "<h2>Mục</h2>" in cleaned
    assert "<strong>Đậm</strong> <em>nghiêng</em>" in cleaned
    assert (
        '<a href="https://chinhphu.vn/" rel="noopener noreferrer">liên kết</a>'
        in cleaned
    )
    assert '<th scope="col">Cột</th>' in cleaned


def test_empty_editor_content_is_stored_empty():
    assert sanitize_html("<p></p>") == ""


@pytest.mark.parametrize("attack", ATTACKS)
def test_public_page_is_clean_even_for_a_body_written_around_save(
    client, article, attack
):
    # A row changed without save() (shell, SQL, old import) is cleaned on output too.
    Article.objects.filter(pk=article.pk).update(body=f"<p>Nội dung</p>{attack}")
    html = client.get(article.get_absolute_url()).content.decode()
    body = html[
        html.index('class="article__body') : html.index("article__footer")
    ].lower()
    for needle in FORBIDDEN:
        assert needle not in body
    assert "nội dung" in body


def test_admin_form_sanitises_pasted_body(admin_client, category):
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        {
            "title": "Bài dán từ Word",
            "slug": "",
            "sapo": "Tóm tắt",
            "body": '<p style="color:red" onclick="x()">Chữ</p><script>x()</script>',
            "byline": "Thu Hà",
            "category": category.pk,
            "status": "draft",
            "outgoing_links-TOTAL_FORMS": "0",
            "outgoing_links-INITIAL_FORMS": "0",
            "gallery_items-TOTAL_FORMS": "0",
            "gallery_items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        ArticleFactory._meta.model.objects.get(title="Bài dán từ Word").body
        == "<p>Chữ</p>"
    )
