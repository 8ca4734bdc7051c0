"""Publishing rules, slugs and database invariants of the news models."""

import datetime as dt
import unicodedata

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from news.models import Article, ArticleLink, Category, Tag
from tests.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def public_titles(now=None):
    return set(Article.objects.published(now).values_list("title", flat=True))


def test_published_shows_only_published_started_and_unexpired_articles():
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    ArticleFactory(title="Công khai", published_at=now - hour)
    ArticleFactory(title="Nháp", status=Article.Status.DRAFT)
    ArticleFactory(title="Chờ duyệt", status=Article.Status.PENDING)
    ArticleFactory(title="Hẹn giờ", published_at=now + hour)
    ArticleFactory(title="Hết hạn", published_at=now - 2 * hour, expires_at=now - hour)
    ArticleFactory(title="Còn hạn", published_at=now - 2 * hour, expires_at=now + hour)

    assert public_titles(now) == {"Công khai", "Còn hạn"}


def test_scheduled_article_appears_by_itself_when_its_time_comes():
    now = timezone.now()
    ArticleFactory(title="Hẹn giờ", published_at=now + dt.timedelta(minutes=30))

    assert "Hẹn giờ" not in public_titles(now)
    assert "Hẹn giờ" in public_titles(now + dt.timedelta(minutes=31))


def test_expired_article_disappears_by_itself():
    now = timezone.now()
    ArticleFactory(title="Hết hạn sau", expires_at=now + dt.timedelta(minutes=5))

    assert "Hết hạn sau" in public_titles(now)
    assert "Hết hạn sau" not in public_titles(now + dt.timedelta(minutes=6))


def test_article_slug_is_the_vietnamese_transliteration_of_its_title(category):
    article = ArticleFactory(title="Đẩy mạnh cải cách hành chính", category=category)
    assert article.slug == "day-manh-cai-cach-hanh-chinh"
    assert article.get_absolute_url() == (
        f"/tin-tuc/day-manh-cai-cach-hanh-chinh-{article.pk}/"
    )


def test_decomposed_title_is_stored_composed_with_the_same_slug(category):
    title = unicodedata.normalize("NFD", "Điện Biên")
    article = ArticleFactory(title=title, category=category)
    assert article.title == "Điện Biên"
    assert article.slug == "dien-bien"


def test_category_and_tag_slugs_keep_d_with_stroke():
    category = Category.objects.create(name="Điện Biên")
    tag = Tag.objects.create(name="Đà Nẵng")
    assert (category.slug, tag.slug) == ("dien-bien", "da-nang")
    assert category.get_absolute_url() == "/chuyen-muc/dien-bien/"
    assert tag.get_absolute_url() == "/the/da-nang/"


def test_title_without_letters_still_gets_a_slug(category):
    assert ArticleFactory(title="!!!", category=category).slug == "tin"


def test_change_note_gets_a_time_and_loses_it_when_removed(article):
    article.change_note = "Bổ sung số liệu."
    article.save()
    assert article.change_noted_at is not None
    article.change_note = ""
    article.save()
    assert article.change_noted_at is None


def test_body_is_sanitised_when_saved(article):
    article.body = '<p onclick="x()">Tin<script>alert(1)</script></p>'
    article.save()
    article.refresh_from_db()
    assert article.body == "<p>Tin</p>"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.PUBLISHED, "published_at": None},
        {"hero_image": "news/x.jpg", "hero_alt": ""},
        {
            "published_at": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
            "expires_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        },
        {"status": "archived"},
    ],
    ids=["published-without-time", "image-without-alt", "expires-first", "status"],
)
def test_database_refuses_inconsistent_articles(article, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(**fields)


def test_database_refuses_self_and_duplicate_related_links(article):
    other = ArticleFactory(category=article.category)
    ArticleLink.objects.create(from_article=article, to_article=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleLink.objects.create(from_article=article, to_article=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleLink.objects.create(from_article=article, to_article=article)


def test_category_cannot_be_its_own_parent():
    category = CategoryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.filter(pk=category.pk).update(parent=category)


def test_publishing_without_a_time_means_now(category):
    article = Article(
        title="Tin mới",
        sapo="Tóm tắt",
        body="<p>Nội dung</p>",
        byline="Thu Hà",
        category=category,
        status=Article.Status.PUBLISHED,
    )
    before = timezone.now().replace(microsecond=0)
    article.full_clean()
    assert article.published_at >= before


def test_models_read_well_in_admin_lists(article):
    tag = TagFactory(name="Chuyển đổi số")
    assert str(article) == "Đẩy mạnh cải cách hành chính"
    assert str(article.category) == "Cải cách thủ tục hành chính"
    assert str(tag) == "Chuyển đổi số"
