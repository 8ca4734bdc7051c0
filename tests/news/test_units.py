"""Articles linked to PAR INDEX units: score cards, related news, unit profiles."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from news import selectors
from news.models import Article
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    EditionFactory,
    ResultFactory,
    TagFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def older(hours):
    return timezone.now() - dt.timedelta(hours=hours)


@pytest.fixture
def unit():
    unit = UnitFactory(name="Thành phố Đà Nẵng", short_name="Đà Nẵng", slug="da-nang")
    ResultFactory(
        unit=unit,
        edition=EditionFactory(year=2022),
        rank=5,
        total=Decimal("88.10"),
    )
    ResultFactory(
        unit=unit,
        edition=EditionFactory(year=2023),
        rank=2,
        total=Decimal("91.25"),
    )
    return unit


def test_article_linked_to_a_unit_shows_its_score_card(client, unit):
    article = ArticleFactory(title="Đà Nẵng số hóa hồ sơ")
    article.units.set([unit])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Chỉ số CCHC của đơn vị trong tin" in html
    assert "hạng <strong>2</strong>, chỉ số <strong>91,25%</strong>" in html
    assert 'href="/chi-so-cchc/don-vi/da-nang/"' in html
    assert "So với năm trước" in html


def test_article_without_units_shows_no_score_card(client):
    article = ArticleFactory()
    assert (
        "Chỉ số CCHC của đơn vị"
        not in client.get(article.get_absolute_url()).content.decode()
    )


def test_related_top_up_uses_units_after_tags_and_before_category(unit):
    category = CategoryFactory()
    tag = TagFactory()
    article = ArticleFactory(title="Bài chính", category=category, tags=[tag])
    article.units.set([unit])
    ArticleFactory(title="Cùng chuyên mục", category=category, published_at=older(1))
    same_unit = ArticleFactory(title="Cùng đơn vị", published_at=older(5))
    same_unit.units.set([unit])
    ArticleFactory(title="Cùng thẻ", tags=[tag], published_at=older(9))
    draft_same_unit = ArticleFactory(
        title="Nháp cùng đơn vị", status=Article.Status.DRAFT
    )
    draft_same_unit.units.set([unit])

    article = Article.objects.for_detail().get(pk=article.pk)
    titles = [item.title for item in selectors.article_list_related(article=article)]
    assert titles == ["Cùng thẻ", "Cùng đơn vị", "Cùng chuyên mục"]


def test_unit_profile_lists_the_latest_public_news_about_it(client, unit):
    about = ArticleFactory(title="Tin về Đà Nẵng", published_at=older(2))
    about.units.set([unit])
    hidden = ArticleFactory(title="Tin nháp về Đà Nẵng", status=Article.Status.DRAFT)
    hidden.units.set([unit])
    ArticleFactory(title="Tin không liên quan")

    html = client.get(unit.get_absolute_url()).content.decode()
    section = html[html.index('id="tin-ve-don-vi"') :]
    assert "Tin về Đà Nẵng" in section
    assert "Tin nháp về Đà Nẵng" not in section
    assert "Tin không liên quan" not in section


def test_article_page_queries_stay_bounded_with_many_units(
    client, django_assert_max_num_queries
):
    article = ArticleFactory()
    units = UnitFactory.create_batch(8)
    for edition in EditionFactory.create_batch(4):
        for rank, unit in enumerate(units, start=1):
            ResultFactory(unit=unit, edition=edition, rank=rank)
    article.units.set(units)
    # nav, article (unit ids too), the related lists, glossary; the score
    # cards read the units and their results
    with django_assert_max_num_queries(6):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('class="score-card"') == 8


def test_pages_refreshed_by_a_change_include_the_unit_profiles(unit):
    article = ArticleFactory()
    article.units.set([unit])
    urls = [page.url for page in selectors.public_page_list(article=article)]
    assert unit.get_absolute_url() in urls
    assert f"/tin-tuc/don-vi/{unit.slug}/rss/" in urls
    assert "/tin-tuc/rss/" in urls and "/sitemap.xml" in urls


def test_the_article_comes_with_its_tags_unit_ids_and_gallery_flag_in_one_query(
    django_assert_num_queries,
):
    """for_detail() reads what the article page shows about the article in
    the article's own query: tags by name, unit ids in their score cards'
    order (group, then name), whether a gallery has photos."""
    tags = [TagFactory(name="Số hóa"), TagFactory(name="Cải cách")]
    later = UnitFactory(name="Tỉnh Yên Bái", short_name="Yên Bái", slug="yen-bai")
    earlier = UnitFactory(name="Tỉnh An Giang", short_name="An Giang", slug="an-giang")
    article = ArticleFactory(tags=tags)
    article.units.set([later, earlier])

    with django_assert_num_queries(1):
        found = Article.objects.published().for_detail().get(pk=article.pk)
        names = [tag.name for tag in found.tag_list]
        unit_ids = found.linked_unit_ids
        has_gallery = found.has_gallery

    assert names == ["Cải cách", "Số hóa"]
    assert [tag.get_absolute_url() for tag in found.tag_list] == [
        tags[1].get_absolute_url(),
        tags[0].get_absolute_url(),
    ]
    assert unit_ids == [earlier.pk, later.pk]
    assert has_gallery is False
    # An article read otherwise gives the same (one query each).
    plain = Article.objects.get(pk=article.pk)
    assert [tag.name for tag in plain.tag_list] == names
    assert plain.linked_unit_ids == unit_ids
