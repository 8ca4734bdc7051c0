"""Staff preview: any article as readers would see it, never public, never cached."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, ReviewerFactory, UserFactory, WriterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(category):
    return ArticleFactory(
        title="Bản nháp chưa công khai",
        status=Article.Status.DRAFT,
        published_at=None,
        category=category,
        body="<p>Nội dung nháp.</p>",
    )


def test_staff_sees_a_draft_with_the_public_template_and_a_banner(client, draft):
    client.force_login(WriterFactory())

    response = client.get(draft.get_preview_url())

    assert response.status_code == 200
    assert "news/article_detail.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Bản xem trước" in html
    assert "Nháp: bạn đọc chưa thấy bài này." in html
    assert '<h1 class="article__title">Bản nháp chưa công khai</h1>' in html
    assert "Nội dung nháp." in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'href="/quan-tri/news/article/{draft.pk}/change/"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_article_page_has_no_banner_and_is_indexable(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Bản xem trước" not in html
    assert 'content="noindex"' not in html


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: None,
        lambda: UserFactory(is_staff=False),
        lambda: UserFactory(is_staff=True),  # staff, but no article permission
    ],
    ids=["anonymous", "not-staff", "staff-without-role"],
)
def test_everyone_else_gets_404(client, draft, make_user):
    user = make_user()
    if user is not None:
        client.force_login(user)
    assert client.get(draft.get_preview_url()).status_code == 404


def test_a_reader_with_the_permission_but_no_staff_flag_gets_404(client, draft):
    user = UserFactory(is_staff=False)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(draft.get_preview_url()).status_code == 404


def test_preview_of_an_unknown_article_is_404(client):
    client.force_login(ReviewerFactory())
    assert client.get("/xem-truoc/tin-tuc/999999/").status_code == 404


def test_preview_works_for_a_draft_without_category_or_time(client):
    article = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, category=None, sapo=""
    )
    client.force_login(WriterFactory())
    response = client.get(article.get_preview_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_preview_of_a_scheduled_article_says_when_it_will_appear(client, category):
    article = ArticleFactory(
        category=category, published_at=timezone.now() + dt.timedelta(days=1)
    )
    client.force_login(WriterFactory())
    html = client.get(article.get_preview_url()).content.decode()
    assert "Hẹn giờ: bài tự hiện với bạn đọc lúc" in html


def test_preview_is_never_stored_in_the_page_cache(client, settings, draft):
    settings.PAGE_CACHE_SECONDS = 600
    staff = client
    staff.force_login(WriterFactory())
    first = staff.get(draft.get_preview_url())
    assert first.status_code == 200
    assert "X-Page-Cache" not in first

    anonymous = Client()
    for _ in range(2):
        response = anonymous.get(draft.get_preview_url())
        assert response.status_code == 404
        assert "Bản nháp chưa công khai" not in response.content.decode()
    assert anonymous.get(draft.get_absolute_url()).status_code == 404


def test_preview_queries_are_bounded(client, draft, django_assert_max_num_queries):
    client.force_login(WriterFactory())
    client.get(draft.get_preview_url())
    # The article page's own reads (the gallery included) plus the session's.
    with django_assert_max_num_queries(13):
        assert client.get(draft.get_preview_url()).status_code == 200
