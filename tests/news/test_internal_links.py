"""Internal links in article bodies: chosen in the admin, stored by id, they
follow the target's slug and are flagged while readers cannot see it."""

import pytest

from news import internal_links
from news.models import Article, Category
from news.prepublish import prepublish_checks
from parindex.models import EditionStatus, Unit
from tests.factories import ArticleFactory, CategoryFactory, EditionFactory, UnitFactory

pytestmark = pytest.mark.django_db

CHOOSER = "/quan-tri/news/article/lien-ket-noi-bo/"


def body_linking(*paths) -> str:
    return "".join(f'<p><a href="{path}">liên kết</a></p>' for path in paths)


def test_a_link_follows_the_articles_slug_change(client):
    target = ArticleFactory(title="Một cửa điện tử")
    path = internal_links.link_path("tin-bai", target.pk)
    Article.objects.filter(pk=target.pk).update(slug="mot-cua-so-hoa")

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"/tin-tuc/mot-cua-so-hoa-{target.pk}/"


def test_links_to_a_category_a_unit_and_an_edition_reach_their_pages(client):
    category = CategoryFactory(name="Chính phủ số")
    unit = UnitFactory(name="Tỉnh Hoà Bình", slug="hoa-binh")
    edition = EditionFactory(year=2024)
    Category.objects.filter(pk=category.pk).update(slug="chinh-phu-so-moi")
    Unit.objects.filter(pk=unit.pk).update(slug="hoa-binh-moi")
    category.refresh_from_db()
    unit.refresh_from_db()

    for kind, target in (
        ("chuyen-muc", category),
        ("don-vi", unit),
        ("an-ban", edition),
    ):
        response = client.get(internal_links.link_path(kind, target.pk))
        assert response.status_code == 302
        assert response.url == target.get_absolute_url()


@pytest.mark.parametrize("path", ["/lien-ket/khac/1/", "/lien-ket/tin-bai/999999/"])
def test_an_unknown_kind_or_target_answers_404(client, path):
    assert client.get(path).status_code == 404


def test_a_hidden_target_answers_404_and_is_flagged_before_publishing():
    draft = ArticleFactory(title="Bài còn nháp", status=Article.Status.DRAFT)
    edition = EditionFactory(year=2031, status=EditionStatus.DRAFT, release_at=None)
    public = ArticleFactory(title="Bài công khai")
    article = ArticleFactory(
        body=body_linking(
            internal_links.link_path("tin-bai", draft.pk),
            internal_links.link_path("an-ban", edition.pk),
            internal_links.link_path("tin-bai", public.pk),
        )
    )

    messages = [
        check.message
        for check in prepublish_checks(article)
        if check.code == "internal-link-hidden"
    ]

    assert len(messages) == 2
    assert "“Bài còn nháp” (nháp" in messages[0]
    assert "chưa công bố" in messages[1]
    assert internal_links.public_target_url("tin-bai", draft.pk) is None


def test_the_chooser_finds_targets_without_diacritics_and_gives_their_address(
    reviewer_client,
):
    article = ArticleFactory(title="Đà Nẵng dẫn đầu chỉ số")
    draft = ArticleFactory(title="Đà Nẵng nháp", status=Article.Status.DRAFT)
    unit = UnitFactory(name="Thành phố Đà Nẵng", short_name="Đà Nẵng")

    html = reviewer_client.get(CHOOSER, {"q": "da nang"}).content.decode()

    assert f'value="/lien-ket/tin-bai/{article.pk}/"' in html
    assert f'value="/lien-ket/don-vi/{unit.pk}/"' in html
    assert f'value="/lien-ket/tin-bai/{draft.pk}/"' in html
    assert "(bạn đọc chưa xem được)" in html


def test_the_chooser_is_linked_from_the_article_form_and_staff_only(
    reviewer_client, client
):
    form = reviewer_client.get("/quan-tri/news/article/add/").content.decode()
    assert f'href="{CHOOSER}"' in form
    reviewer_client.logout()
    assert client.get(CHOOSER, {"q": "x"}).status_code == 302


def test_the_chooser_takes_hostile_input_without_an_error(reviewer_client):
    for query in ["", "   ", "!!!", "a" * 5000, "2024", "\u0301"]:
        assert reviewer_client.get(CHOOSER, {"q": query}).status_code == 200
