"""seed_demo's news part: idempotent, deterministic, with a bulk option."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

from news import permissions, roles
from news.demo import BULK_SLUG_PREFIX, DEMO_EDITORS, DEMO_SOURCE, DEMO_SOURCE_EN
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


def test_seed_demo_loads_news_once_however_often_it_runs(demo_site):
    first = counts()
    slugs = list(Article.objects.order_by("slug").values_list("slug", "published_at"))
    versions = Article.history.count()
    call_command("seed_demo", stdout=StringIO())

    assert counts() == first
    assert (
        list(Article.objects.order_by("slug").values_list("slug", "published_at"))
        == slugs
    )
    # A second seed records no new article versions either.
    assert versions >= Article.objects.count()
    assert Article.history.count() == versions
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
    vietnamese = Article.objects.filter(language=Article.Language.VIETNAMESE)
    english = Article.objects.filter(language=Article.Language.ENGLISH)
    assert not vietnamese.exclude(source_agency=DEMO_SOURCE).exists()
    assert all(
        "dữ liệu demo" in body for body in vietnamese.values_list("body", flat=True)
    )
    # The English versions are marked as demo in English.
    assert english.exists()
    assert not english.exclude(source_agency=DEMO_SOURCE_EN).exists()
    assert all("(demo data)" in body for body in english.values_list("body", flat=True))


def test_demo_has_a_public_article_about_da_nang_with_a_working_image(
    demo_site, client
):
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


def test_bulk_load_gives_the_rows_the_orm_would_and_fills_gaps():
    """The SQL load (pattern rows plus generate_series) against bulk_article(),
    the article the ORM would insert, across two pattern periods."""
    from django.db import connection

    from news import demo

    call_command("seed_demo", articles=400, stdout=StringIO())
    bulk = Article.objects.filter(slug__startswith=BULK_SLUG_PREFIX)
    Article.tags.through.objects.filter(
        article__slug__in=[f"{BULK_SLUG_PREFIX}{n}" for n in (5, 300)]
    ).delete()
    bulk.filter(slug__in=[f"{BULK_SLUG_PREFIX}{n}" for n in (5, 300)]).delete()
    call_command("seed_demo", articles=400, stdout=StringIO())

    categories, tags = demo._seed_categories(), demo._seed_tags()
    images = demo._seed_images()
    period = demo.bulk_pattern_period(categories=categories, tags=tags, images=images)
    assert bulk.count() == 400 and 400 > 2 * period
    compared = [
        field
        for field in Article._meta.concrete_fields
        if field.name not in {"id", "created_at", "updated_at", "search_document"}
    ]
    for number in (1, 5, period - 1, period, period + 1, 300, 400):
        expected, expected_tags = demo.bulk_article(
            number, categories=categories, tags=tags, images=images
        )
        row = Article.objects.get(slug=expected.slug)
        for field in compared:
            assert getattr(row, field.attname) == getattr(expected, field.attname), (
                number,
                field.name,
            )
        assert set(row.tags.all()) == set(expected_tags)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_document = %s::tsvector FROM news_article WHERE id = %s",
                [expected.search_document, row.pk],
            )
            assert cursor.fetchone() == (True,), number
    # Within one load, ids follow the numbers (as bulk_create gave them).
    assert bulk.filter(slug=f"{BULK_SLUG_PREFIX}169").get().pk < (
        bulk.filter(slug=f"{BULK_SLUG_PREFIX}170").get().pk
    )


def test_reset_deletes_demo_articles_and_their_versions_and_loads_them_again():
    call_command("seed_demo", articles=20, stdout=StringIO())
    before = Article.objects.filter(slug__startswith=BULK_SLUG_PREFIX).count()
    editors_category = Category.objects.get(slug="tin-tuc")
    kept = Article.objects.create(
        title="Bài thật của biên tập viên",
        sapo="Tóm tắt",
        body="<p>x</p>",
        byline="Thu Hà",
        category=editors_category,
    )

    call_command("seed_demo", reset=True, stdout=StringIO())

    assert before == 20
    assert not Article.objects.filter(slug__startswith=BULK_SLUG_PREFIX).exists()
    assert Article.objects.filter(pk=kept.pk).exists()
    assert Article.objects.filter(source_agency=DEMO_SOURCE).count() >= 60
    # No versions of the deleted demo articles stay behind.
    history = Article.history.model.objects
    assert not history.filter(history_type="-").exists()
    assert set(history.values_list("id", flat=True)) == set(
        Article.objects.values_list("pk", flat=True)
    )


def test_negative_article_count_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", articles=-1)


def test_demo_editors_exist_only_with_admin_and_are_idempotent(demo_site):
    users = get_user_model().objects
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


def test_demo_includes_a_draft_returned_with_a_reviewers_comment(demo_site):
    returned = Article.objects.get(
        status=Article.Status.DRAFT, source_agency=DEMO_SOURCE
    )
    assert "nhận xét minh họa" in returned.review_comment
    assert Article.objects.filter(status=Article.Status.PENDING).exists()


def test_par_index_2016_announcement_is_linked_to_its_edition_and_findable(
    demo_site, client
):
    from news.demo import ANNOUNCEMENT_2016

    article = Article.objects.get(title=ANNOUNCEMENT_2016["title"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "30/05/2017 21:27" in html
    assert ">Tin tức</a>" in html
    assert "Tin liên quan" in html and "Đọc thêm" in html
    assert "PAR INDEX 2016: Tỉnh, thành phố trực thuộc Trung ương" in html
    assert "giá trị trung bình\n      cả nước 74,64%" in html or "74,64%" in html
    assert "Bảng đơn vị: Dữ liệu minh họa" in html
    assert 'href="/chi-so-cchc/2016/tinh/"' in html
    for words in ("truong hoa binh", "par index 2016"):
        found = client.get("/tim-kiem/", {"q": words}).content.decode()
        assert article.get_absolute_url() in found, words
