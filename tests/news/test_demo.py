"""seed_demo's news part: idempotent, deterministic, with a bulk option."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

from news import permissions, roles
from news.demo import BULK_SLUG_PREFIX, DEMO_EDITORS, DEMO_SOURCE
from news.models import Article, ArticleLink, Category, GlossaryTerm, Tag

pytestmark = pytest.mark.django_db


def counts():
    return (
        Category.objects.count(),
        Tag.objects.count(),
        GlossaryTerm.objects.count(),
        Article.objects.count(),
        ArticleLink.objects.count(),
        Article.tags.through.objects.count(),
    )


def test_seed_demo_loads_news_once_however_often_it_runs(client):
    call_command("seed_demo", stdout=None)
    first = counts()
    slugs = list(Article.objects.order_by("slug").values_list("slug", "published_at"))
    call_command("seed_demo")

    assert counts() == first
    assert (
        list(Article.objects.order_by("slug").values_list("slug", "published_at"))
        == slugs
    )
    assert Article.objects.published().count() >= 55
    names = set(Category.objects.values_list("name", flat=True))
    assert {
        "Tin tức",
        "Chỉ đạo điều hành",
        "Cải cách thủ tục hành chính",
        "Chính phủ số",
        "Văn bản",
    } <= names
    assert {"CCHC", "TTHC", "PAR INDEX", "CNTT", "UBND"} <= set(
        GlossaryTerm.objects.values_list("abbreviation", flat=True)
    )
    assert not Article.objects.exclude(source_agency=DEMO_SOURCE).exists()
    assert all(
        "dữ liệu demo" in body
        for body in Article.objects.values_list("body", flat=True)
    )


def test_demo_has_a_public_article_about_da_nang_with_a_working_image(client):
    call_command("seed_demo")
    article = Article.objects.published().get(
        title__contains="Đà Nẵng", body__contains="Đà Nẵng"
    )

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert client.get(article.hero_src).status_code == 200
    assert "Tin liên quan" in response.content.decode()


def test_articles_option_bulk_creates_and_tops_up_without_duplicates():
    call_command("seed_demo", articles=250)
    bulk = Article.objects.filter(slug__startswith=BULK_SLUG_PREFIX)
    assert bulk.count() == 250
    assert bulk.published().count() == 250
    assert Article.tags.through.objects.filter(article__in=bulk).count() == 500

    call_command("seed_demo", articles=300)
    assert bulk.count() == 300
    call_command("seed_demo", articles=300)
    assert bulk.count() == 300


def test_reset_deletes_demo_articles_and_loads_them_again():
    call_command("seed_demo", articles=20)
    before = Article.objects.filter(slug__startswith=BULK_SLUG_PREFIX).count()
    editors_category = Category.objects.get(slug="tin-tuc")
    kept = Article.objects.create(
        title="Bài thật của biên tập viên",
        sapo="Tóm tắt",
        body="<p>x</p>",
        byline="Thu Hà",
        category=editors_category,
    )

    call_command("seed_demo", reset=True)

    assert before == 20
    assert not Article.objects.filter(slug__startswith=BULK_SLUG_PREFIX).exists()
    assert Article.objects.filter(pk=kept.pk).exists()
    assert Article.objects.filter(source_agency=DEMO_SOURCE).count() >= 60


def test_negative_article_count_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", articles=-1)


def test_a_second_seed_records_no_new_article_versions():
    call_command("seed_demo")
    versions = Article.history.count()
    assert versions >= Article.objects.count()

    call_command("seed_demo")

    assert Article.history.count() == versions


def test_demo_editors_exist_only_with_admin_and_are_idempotent():
    users = get_user_model().objects
    call_command("seed_demo", stdout=StringIO())
    assert not users.filter(username__in=["bientap", "duyetbai"]).exists()

    out = StringIO()
    call_command("seed_demo", admin=True, stdout=out)
    call_command("seed_demo", admin=True, stdout=StringIO())

    for username, password, role, _name in DEMO_EDITORS:
        user = users.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password(password)
        validate_password(password, user)
        assert f"{username} / {password}" in out.getvalue()
    assert permissions.can_publish(users.get(username="duyetbai"))
    assert not permissions.can_publish(users.get(username="bientap"))
    assert users.filter(groups__name=roles.EDITOR).count() == 1


def test_demo_includes_a_draft_returned_with_a_reviewers_comment():
    call_command("seed_demo")
    returned = Article.objects.get(
        status=Article.Status.DRAFT, source_agency=DEMO_SOURCE
    )
    assert "nhận xét minh họa" in returned.review_comment
    assert Article.objects.filter(status=Article.Status.PENDING).exists()


def test_reset_leaves_no_versions_of_the_deleted_demo_articles():
    call_command("seed_demo", articles=20)
    call_command("seed_demo", reset=True)

    history = Article.history.model.objects
    assert not history.filter(history_type="-").exists()
    assert set(history.values_list("id", flat=True)) == set(
        Article.objects.values_list("pk", flat=True)
    )
