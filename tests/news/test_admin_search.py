"""Admin search without diacritics: lists and autocompletes of articles,
categories, tags and units fold what is typed, and cap it."""

import pytest

from news.models import Article
from news.search import MAX_TERMS
from tests.factories import ArticleFactory, CategoryFactory, TagFactory, UnitFactory

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/quan-tri/autocomplete/"


def autocomplete(client, field_name: str, term: str, model_name: str = "article"):
    response = client.get(
        AUTOCOMPLETE,
        {
            "app_label": "news",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200, response.content.decode()[:500]
    return [item["text"] for item in response.json()["results"]]


def related_autocomplete(client, term: str):
    """Titles found by the "Tin liên quan" chooser (its labels add the state)."""
    labels = autocomplete(client, "to_article", term, model_name="articlelink")
    return [label.rsplit(" (", 1)[0] for label in labels]


@pytest.fixture
def leading(db):
    return ArticleFactory(
        title="Quảng Ninh đứng đầu Chỉ số CCHC năm 2025",
        body="<p>Tỉnh tiếp tục dẫn đầu.</p>",
    )


@pytest.fixture
def other(db):
    return ArticleFactory(title="Hội nghị trực tuyến về chuyển đổi số")


def test_dung_dau_finds_the_article_with_dung_dau_in_the_admin_list(
    admin_client, leading, other
):
    for typed in ("dung dau", "đứng đầu", "DUNG DAU", "Đứng  đầu"):
        response = admin_client.get("/quan-tri/news/article/", {"q": typed})
        found = list(response.context["cl"].result_list)
        assert found == [leading], typed


def test_dung_dau_finds_the_article_in_the_related_news_chooser(
    admin_client, leading, other
):
    assert related_autocomplete(admin_client, "dung dau") == [str(leading)]
    assert related_autocomplete(admin_client, "chuyen doi so") == [str(other)]


def test_category_tag_and_unit_autocompletes_fold_diacritics(admin_client):
    CategoryFactory(name="Địa phương")
    CategoryFactory(name="Trung ương")
    TagFactory(name="Chuyển đổi số")
    TagFactory(name="Một cửa")
    UnitFactory(name="Tỉnh Thừa Thiên Huế", short_name="Thừa Thiên Huế")

    assert autocomplete(admin_client, "category", "dia phuong") == ["Địa phương"]
    assert autocomplete(admin_client, "tags", "chuyen doi so") == ["Chuyển đổi số"]
    assert autocomplete(admin_client, "units", "thua thien hue") == [
        "Tỉnh Thừa Thiên Huế"
    ]


def test_category_tag_and_unit_lists_fold_diacritics(admin_client):
    CategoryFactory(name="Địa phương")
    TagFactory(name="Chuyển đổi số")
    UnitFactory(name="Tỉnh Thừa Thiên Huế", short_name="Thừa Thiên Huế")
    for url, typed, expected in (
        ("/quan-tri/news/category/", "dia phuong", "Địa phương"),
        ("/quan-tri/news/tag/", "chuyen DOI", "Chuyển đổi số"),
        ("/quan-tri/parindex/unit/", "hue", "Tỉnh Thừa Thiên Huế"),
    ):
        response = admin_client.get(url, {"q": typed})
        assert [str(row) for row in response.context["cl"].result_list] == [expected], (
            url
        )


def test_a_renamed_tag_is_found_by_its_new_folded_name(admin_client):
    tag = TagFactory(name="Một cửa")
    tag.name = "Dịch vụ công"
    tag.save()
    assert autocomplete(admin_client, "tags", "dich vu") == ["Dịch vụ công"]
    assert autocomplete(admin_client, "tags", "mot cua") == []


def test_a_search_of_hundreds_of_words_is_cut_to_the_first_words(
    admin_client, leading, django_assert_max_num_queries
):
    typed = "dung dau " + " ".join(f"tu{i}" for i in range(200))
    with django_assert_max_num_queries(12):
        response = admin_client.get("/quan-tri/news/article/", {"q": typed})
    assert response.status_code == 200
    assert f"Chỉ tìm theo {MAX_TERMS} từ" in response.content.decode()
    # Only the first words were looked for; tu0…tu9 are in no article.
    assert list(response.context["cl"].result_list) == []


def test_punctuation_only_finds_nothing_rather_than_everything(admin_client, leading):
    response = admin_client.get("/quan-tri/news/article/", {"q": "?!…"})
    assert list(response.context["cl"].result_list) == []
    assert related_autocomplete(admin_client, "((( )))") == []
    assert Article.objects.exists()


def test_a_search_matching_very_many_articles_is_counted_only_up_to_the_cap(
    admin_client, monkeypatch
):
    from cchc_portal.web.admin_search import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 2)
    ArticleFactory.create_batch(4, title="Cải cách hành chính")
    searched = admin_client.get("/quan-tri/news/article/", {"q": "cai cach"})
    listed = admin_client.get("/quan-tri/news/article/")
    assert searched.context["cl"].result_count == 3
    assert listed.context["cl"].result_count == 4


def _sql_of(client, url, params) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_capped_count_of_a_search_stops_at_the_cap_without_sorting(
    admin_client, other
):
    """Sorting every match before the LIMIT made the count as slow as the
    list itself ("chuyen doi so" in the chooser, "cai cach" in the list)."""
    related = {
        "app_label": "news",
        "model_name": "articlelink",
        "field_name": "to_article",
        "term": "chuyen doi so",
    }
    for url, params in (
        ("/quan-tri/news/article/", {"q": "chuyen doi so"}),
        (AUTOCOMPLETE, related),
    ):
        counts = [sql for sql in _sql_of(admin_client, url, params) if "COUNT(" in sql]
        capped = [sql for sql in counts if "LIMIT 1001" in sql]
        assert capped, counts
        assert all("ORDER BY" not in sql for sql in capped), capped


def test_a_search_leaves_out_the_date_bar_and_its_passes_over_every_match(
    admin_client, leading
):
    year = leading.published_at.year
    searched = _sql_of(admin_client, "/quan-tri/news/article/", {"q": "dung dau"})
    assert not [sql for sql in searched if "MIN(" in sql or "DATE_TRUNC" in sql]
    response = admin_client.get("/quan-tri/news/article/", {"q": "dung dau"})
    assert response.context["cl"].date_hierarchy is None
    assert 'class="toplinks"' not in response.content.decode()
    assert list(response.context["cl"].result_list) == [leading]

    # Without a search, and within a year chosen before searching, it stays.
    for params in ({}, {"published_at__year": year, "q": "dung dau"}):
        response = admin_client.get("/quan-tri/news/article/", params)
        assert response.context["cl"].date_hierarchy == "published_at", params
        assert 'class="toplinks"' in response.content.decode(), params
        assert leading in response.context["cl"].result_list
