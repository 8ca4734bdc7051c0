"""/tim-kiem/: Vietnamese full-text search on PostgreSQL, filters, units, safety."""

import datetime as dt
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from news.models import Article
from news.search import parse_query
from parindex.models import NameKind, UnitKind, UnitName
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    EnglishArticleFactory,
    TagFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

URL = "/tim-kiem/"


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def result_titles(response) -> list[str]:
    """Titles of the news results, in order, without the highlighting."""
    html = response.content.decode()
    titles = re.findall(r'<h3 class="result__title"><a [^>]*>(.*?)</a></h3>', html)
    return [re.sub(r"</?mark>", "", title) for title in titles]


def hours_ago(hours: float):
    return timezone.now() - dt.timedelta(hours=hours)


@pytest.fixture
def da_nang(db):
    return ArticleFactory(
        title="Đà Nẵng đẩy mạnh chuyển đổi số",
        sapo="Thành phố Đà Nẵng số hóa hồ sơ một cửa.",
        body="<p>Người dân nộp hồ sơ trực tuyến.</p>",
    )


# Matching ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "da nang",
        "Đà Nẵng",
        "ĐÀ NẴNG",
        "đà nẵng",
        "DA NANG",
        unicodedata.normalize("NFD", "Đà Nẵng"),
        unicodedata.normalize("NFD", "đà nẵng"),
    ],
)
def test_every_spelling_finds_the_da_nang_article(client, da_nang, typed):
    ArticleFactory(title="Hà Nội mở rộng dịch vụ công")
    assert result_titles(search(client, q=typed)) == [da_nang.title]


def test_every_word_must_match(client, da_nang):
    ArticleFactory(title="Đà Lạt đẩy mạnh du lịch")
    assert result_titles(search(client, q="đà chuyển")) == [da_nang.title]
    assert result_titles(search(client, q="đà nẵng lạt")) == []


def test_quoted_phrase_matches_words_in_order_only(client):
    in_order = ArticleFactory(title="Kiện toàn bộ phận một cửa")
    ArticleFactory(title="Cửa hàng một giá")
    ArticleFactory(title="Một lần đến, không cần qua cửa")

    assert result_titles(search(client, q='"một cửa"')) == [in_order.title]
    assert result_titles(search(client, q="“mot cua”")) == [in_order.title]
    assert len(result_titles(search(client, q="một cửa"))) == 3


def test_phrase_does_not_span_title_and_sapo(client):
    ArticleFactory(title="Bộ phận tiếp nhận một", sapo="Cửa sổ mới.")
    assert result_titles(search(client, q='"một cửa"')) == []


def test_tag_and_unit_names_are_searchable(client):
    tag = TagFactory(name="Chính quyền điện tử")
    tagged = ArticleFactory(title="Tin có thẻ", tags=[tag])
    unit = UnitFactory(name="Tỉnh Quảng Ngãi", short_name="Quảng Ngãi")
    linked = ArticleFactory(title="Tin về đơn vị")
    linked.units.add(unit)

    assert result_titles(search(client, q="chinh quyen dien tu")) == [tagged.title]
    assert result_titles(search(client, q="quang ngai")) == [linked.title]


def test_drafts_scheduled_and_expired_articles_are_never_found(client):
    ArticleFactory(title="Nháp một cửa", status=Article.Status.DRAFT)
    ArticleFactory(title="Hẹn giờ một cửa", published_at=hours_ago(-5))
    ArticleFactory(
        title="Hết hạn một cửa", published_at=hours_ago(10), expires_at=hours_ago(1)
    )
    public = ArticleFactory(title="Công khai một cửa")
    assert result_titles(search(client, q="một cửa")) == [public.title]


# Ranking -----------------------------------------------------------------------


def test_title_ranks_above_sapo_above_tags_above_body(client):
    tag = TagFactory(name="Thí điểm")
    body = ArticleFactory(
        title="D", body="<p>Thí điểm ở đây.</p>", published_at=hours_ago(1)
    )
    tags = ArticleFactory(title="C", tags=[tag], published_at=hours_ago(2))
    sapo = ArticleFactory(title="B", sapo="Thí điểm mới.", published_at=hours_ago(3))
    title = ArticleFactory(title="A thí điểm", published_at=hours_ago(4))

    titles = result_titles(search(client, q="thi diem"))

    assert titles == [title.title, sapo.title, tags.title, body.title]


def test_recency_breaks_ties_between_equal_matches(client):
    older = ArticleFactory(title="Cải cách thể chế", published_at=hours_ago(30))
    newer = ArticleFactory(title="Cải cách thể chế", published_at=hours_ago(3))
    assert result_titles(search(client, q="the che")) == [newer.title, older.title]


def test_exact_diacritics_rank_first_when_the_query_has_them(client):
    # Many folded matches in the title, the exact spelling only in the body.
    folded = ArticleFactory(
        title="Ho so ho so ho so", body="<p>ho so</p>", published_at=hours_ago(1)
    )
    exact = ArticleFactory(
        title="Tin khác", body="<p>Số hóa hồ sơ.</p>", published_at=hours_ago(9)
    )

    assert result_titles(search(client, q="hồ sơ")) == [exact.title, folded.title]
    assert result_titles(search(client, q="ho so")) == [folded.title, exact.title]


def test_words_typed_together_rank_first_when_found_together(client):
    apart = ArticleFactory(
        title="Năng lực số của cán bộ",
        sapo="Kế hoạch đã được duyệt.",
        published_at=hours_ago(1),
    )
    together = ArticleFactory(
        title="Tin tuần này",
        body="<p>Hội nghị ở Đà Nẵng.</p>",
        published_at=hours_ago(20),
    )
    assert result_titles(search(client, q="da nang")) == [together.title, apart.title]


def test_newest_sort_ignores_relevance(client):
    strong = ArticleFactory(title="Một cửa một cửa", published_at=hours_ago(10))
    weak = ArticleFactory(
        title="Tin mới", body="<p>một cửa</p>", published_at=hours_ago(1)
    )
    titles = result_titles(search(client, q="một cửa", sap_xep="moi-nhat"))
    assert titles == [weak.title, strong.title]


# Results -----------------------------------------------------------------------


def test_result_shows_category_time_and_highlighted_snippet(client):
    category = CategoryFactory(name="Chính phủ số")
    article = ArticleFactory(
        title="Đà Nẵng <thử nghiệm>",
        category=category,
        sapo="Tóm tắt không nhắc tới.",
        body="<p>Ở ĐÀ NẴNG, người dân dùng dịch vụ công &amp; một cửa.</p>",
    )
    html = search(client, q="da nang").content.decode()

    assert "<mark>Đà Nẵng</mark> &lt;thử nghiệm&gt;" in html
    assert "Ở <mark>ĐÀ NẴNG</mark>, người dân dùng dịch vụ công &amp; một cửa." in html
    assert f'href="{category.get_absolute_url()}">Chính phủ số</a>' in html
    local = timezone.localtime(article.published_at)
    assert f"{local:%d/%m/%Y %H:%M}" in html


def test_results_page_like_the_listings(client):
    for number in range(14):
        ArticleFactory(title=f"Một cửa số {number}", published_at=hours_ago(number + 1))
    first = search(client, q="một cửa")
    second = search(client, q="một cửa", page=2)

    assert len(result_titles(first)) == 12
    assert 'href="?page=2&amp;q=m%E1%BB%99t+c%E1%BB%ADa"' in first.content.decode()
    assert len(result_titles(second)) == 2
    assert client.get(URL, {"q": "một cửa", "page": 3}).status_code == 404


@pytest.mark.parametrize("sort", ["moi-nhat", "lien-quan"])
def test_a_twenty_digit_page_number_answers_404_not_500(client, sort):
    ArticleFactory(title="Một cửa liên thông")
    response = client.get(
        URL, {"q": "một cửa", "sap_xep": sort, "page": "99999999999999999999"}
    )
    assert response.status_code == 404


def test_no_result_suggests_the_phrase_without_quotes(client):
    ArticleFactory(title="Cửa hàng một giá")
    html = search(client, q='"một cửa"').content.decode()
    assert "Không tìm thấy tin bài nào" in html
    assert "bỏ dấu ngoặc kép" in html
    assert 'href="?q=m%E1%BB%99t+c%E1%BB%ADa"' in html


def test_no_result_suggests_any_word_then_no_filters(client):
    category = CategoryFactory(name="Văn bản")
    ArticleFactory(title="Đà Nẵng")

    html = search(client, q="đà nẵng hà nội").content.decode()
    assert "tìm bài có ít nhất một trong các từ" in html
    assert "khop=bat-ky" in html

    html = search(client, q="đà nẵng", chuyen_muc=category.slug).content.decode()
    assert "bỏ các bộ lọc" in html
    assert "chuyen_muc" not in html.split("search-looser")[1].split("</p>")[0]


def test_no_result_without_any_looser_search_says_so(client):
    ArticleFactory(title="Đà Nẵng")
    html = search(client, q="zzzqqq").content.decode()
    assert "Hãy kiểm tra chính tả" in html
    assert "search-looser" not in html


def test_any_word_mode_finds_articles_with_one_of_the_words(client):
    first = ArticleFactory(title="Đà Nẵng", published_at=hours_ago(1))
    second = ArticleFactory(title="Hà Nội", published_at=hours_ago(2))
    titles = result_titles(search(client, q="đà nẵng hà nội", khop="bat-ky"))
    assert sorted(titles) == sorted([first.title, second.title])


# PAR INDEX units -----------------------------------------------------------------


def test_units_matching_name_or_former_name_appear_above_the_news(client):
    hue = UnitFactory(
        kind=UnitKind.CITY, name="Thành phố Huế", short_name="Huế", slug="hue"
    )
    UnitName.objects.create(unit=hue, name="Thừa Thiên Huế", kind=NameKind.FORMER)
    ArticleFactory(title="Huế số hóa hồ sơ")

    html = search(client, q="hue").content.decode()

    assert html.index("Đơn vị trong Chỉ số CCHC") < html.index("số hóa hồ sơ")
    assert f'href="{hue.get_absolute_url()}">Thành phố Huế</a>' in html
    assert "Thừa Thiên Huế" in html
    units_html = search(client, q="thua thien hue").content.decode()
    assert f'href="{hue.get_absolute_url()}">Thành phố Huế</a>' in units_html


def test_units_named_inside_a_longer_search_appear_too(client):
    da_nang = UnitFactory(
        kind=UnitKind.CITY, name="Thành phố Đà Nẵng", short_name="Đà Nẵng"
    )
    hue = UnitFactory(kind=UnitKind.CITY, name="Thành phố Huế", short_name="Huế")
    UnitName.objects.create(unit=hue, name="TP. Thừa Thiên-Huế", kind=NameKind.ALIAS)
    ha_nam = UnitFactory(name="Tỉnh Hà Nam", short_name="Hà Nam")

    html = search(client, q="Đà Nẵng chuyển đổi số").content.decode()
    assert f'href="{da_nang.get_absolute_url()}"' in html
    assert f'href="{hue.get_absolute_url()}"' not in html

    html = search(client, q="tin thua thien hue moi").content.decode()
    assert f'href="{hue.get_absolute_url()}"' in html
    assert f'href="{ha_nam.get_absolute_url()}"' not in html


# Filters -----------------------------------------------------------------------


def test_category_filter_includes_sub_sections(client):
    parent = CategoryFactory(name="Tin tức")
    child = CategoryFactory(name="Tin địa phương", parent=parent)
    other = CategoryFactory(name="Văn bản")
    in_parent = ArticleFactory(title="Một cửa A", category=parent)
    in_child = ArticleFactory(title="Một cửa B", category=child)
    ArticleFactory(title="Một cửa C", category=other)

    titles = result_titles(search(client, q="một cửa", chuyen_muc=parent.slug))
    assert sorted(titles) == [in_parent.title, in_child.title]


def test_tag_and_unit_filters(client):
    tag = TagFactory(name="SIPAS")
    unit = UnitFactory()
    tagged = ArticleFactory(title="Một cửa có thẻ", tags=[tag])
    linked = ArticleFactory(title="Một cửa có đơn vị")
    linked.units.add(unit)
    ArticleFactory(title="Một cửa khác")

    assert result_titles(search(client, q="một cửa", the=tag.slug)) == [tagged.title]
    assert result_titles(search(client, q="một cửa", don_vi=unit.slug)) == [
        linked.title
    ]


def test_date_range_in_dd_mm_yyyy_is_inclusive_in_hanoi_time(client):
    zone = timezone.get_current_timezone()
    inside = [
        ArticleFactory(
            title="Một cửa đầu ngày",
            published_at=dt.datetime(2026, 3, 1, 0, 5, tzinfo=zone),
        ),
        ArticleFactory(
            title="Một cửa cuối ngày",
            published_at=dt.datetime(2026, 3, 2, 23, 55, tzinfo=zone),
        ),
    ]
    ArticleFactory(
        title="Một cửa hôm trước",
        published_at=dt.datetime(2026, 2, 28, 23, 55, tzinfo=zone),
    )
    ArticleFactory(
        title="Một cửa hôm sau", published_at=dt.datetime(2026, 3, 3, 0, 5, tzinfo=zone)
    )

    titles = result_titles(
        search(client, q="một cửa", tu_ngay="01/03/2026", den_ngay="02/03/2026")
    )
    assert sorted(titles) == sorted(article.title for article in inside)


def test_a_one_day_range_is_accepted(client):
    zone = timezone.get_current_timezone()
    ArticleFactory(
        title="Một cửa trong ngày",
        published_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=zone),
    )
    response = search(client, q="một cửa", tu_ngay="02/03/2026", den_ngay="02/03/2026")
    assert result_titles(response) == ["Một cửa trong ngày"]
    assert "ngày bắt đầu" not in response.content.decode()


def test_filters_alone_list_the_newest_articles(client):
    tag = TagFactory()
    older = ArticleFactory(title="Cũ", tags=[tag], published_at=hours_ago(5))
    newer = ArticleFactory(title="Mới", tags=[tag], published_at=hours_ago(1))
    ArticleFactory(title="Không có thẻ")
    assert result_titles(search(client, the=tag.slug)) == [newer.title, older.title]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tu_ngay": "31/02/2026"}, "Hãy nhập ngày theo dạng dd/mm/yyyy"),
        ({"den_ngay": "hôm qua"}, "Hãy nhập ngày theo dạng dd/mm/yyyy"),
        ({"tu_ngay": "01/01/0001"}, "từ năm 1990 đến năm 2100"),
        (
            {"tu_ngay": "02/03/2026", "den_ngay": "01/03/2026"},
            "không được trước ngày bắt đầu",
        ),
        ({"chuyen_muc": "khong-co"}, "Giá trị này không có trong danh sách"),
        ({"the": "x" * 500}, "Giá trị này không có trong danh sách"),
        ({"don_vi": "'; DROP TABLE parindex_unit; --"}, "không có trong danh sách"),
        ({"sap_xep": "ngau-nhien"}, "Giá trị này không có trong danh sách"),
        ({"khop": "1"}, "Giá trị này không có trong danh sách"),
    ],
)
def test_invalid_filter_values_are_form_errors_and_valid_ones_still_apply(
    client, da_nang, params, message
):
    ArticleFactory(title="Hà Nội")
    response = search(client, q="da nang", **params)
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert '<details class="search-filters" open>' in html
    assert result_titles(response) == [da_nang.title]


# Hostile input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "",
        " ",
        "cải cách " * 300,
        "x" * 5000,
        "'; DROP TABLE news_article; --",
        "' OR 1=1 --",
        "a & b | !c <-> d:* 'e'",
        "\\",
        "🎉🔥",
        "!!!???...",
        "\x01\x02\x7f",
        "\u200b\u200d",
        "\ufffd",
        '"""',
        "<script>alert(1)</script>",
    ],
)
def test_any_input_answers_a_page_never_an_error(client, da_nang, typed):
    response = search(client, q=typed)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<h1>" in html


def test_long_input_is_cut_and_said_so(client, da_nang):
    html = search(client, q="đà nẵng " * 300).content.decode()
    assert "Từ khóa quá dài" in html
    assert result_titles(search(client, q="đà nẵng " * 300)) == [da_nang.title]


@pytest.mark.parametrize("typed", ["!!!", "🎉"])
def test_input_without_letters_gets_a_clear_message(client, typed):
    html = search(client, q=typed).content.decode()
    assert "Từ khóa cần có ít nhất một chữ cái hoặc chữ số" in html


def test_empty_search_shows_the_form_and_tips_without_querying_articles(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):  # navigation + the filters' choices
        html = search(client).content.decode()
    assert "Mẹo tìm kiếm" in html
    assert 'name="q"' in html


def test_nul_byte_in_the_query_string_is_refused_with_400(client):
    assert client.get(URL + "?q=%00").status_code == 400


# Ranking a bounded set ---------------------------------------------------------


@pytest.fixture
def ranked_limit(monkeypatch):
    """Rank only the three newest matches (a million articles rank 1,000)."""
    from news import selectors

    monkeypatch.setattr(selectors, "SEARCH_RANKED_LIMIT", 3)
    return 3


def test_relevance_ranks_the_newest_matches_and_says_older_ones_were_left_out(
    client, ranked_limit
):
    oldest = ArticleFactory(title="Số hóa hồ sơ", published_at=hours_ago(50))
    newer = [
        ArticleFactory(
            title=f"Tin số {n}", body="<p>Số hóa hồ sơ.</p>", published_at=hours_ago(n)
        )
        for n in (3, 2, 1)
    ]
    newer[0].title = "Số hóa hồ sơ ở Hà Nội"
    newer[0].save()

    response = search(client, q="số hóa hồ sơ")

    # The best title match among the three newest leads; the oldest is not
    # ranked, and the page says so.
    assert result_titles(response) == [
        "Số hóa hồ sơ ở Hà Nội",
        "Tin số 1",
        "Tin số 2",
    ]
    assert oldest.title not in result_titles(response)
    assert (
        "Có hơn 3 tin bài phù hợp: kết quả xếp theo mức độ liên quan trong 3 tin "
        "mới nhất." in response.content.decode()
    )
    # Newest first still reaches every match.
    assert len(result_titles(search(client, q="số hóa hồ sơ", sap_xep="moi-nhat"))) == 4


def test_common_words_read_newest_first_find_what_the_index_finds(
    client, ranked_limit, monkeypatch
):
    from news import selectors

    for n in range(6):
        ArticleFactory(
            title=f"Tin số {n}", body="<p>Số hóa hồ sơ.</p>", published_at=hours_ago(n)
        )
    ArticleFactory(title="Tin khác", body="<p>Hồ sơ giấy.</p>")
    by_index = result_titles(search(client, q="số hóa hồ sơ"))
    # As PostgreSQL's statistics would say at a million demo articles.
    monkeypatch.setattr(
        selectors, "_lexeme_shares", lambda: {"so": 0.9, "hoa": 0.5, "ho": 0.6}
    )
    assert selectors._estimated_share(parse_query("số hóa hồ sơ")) == 0.5
    assert selectors._estimated_share(parse_query("số hóa đất đai")) == 0.0

    newest_first = search(client, q="số hóa hồ sơ")

    assert (
        result_titles(newest_first) == by_index == ["Tin số 0", "Tin số 1", "Tin số 2"]
    )
    assert "Có hơn 3 tin bài phù hợp" in newest_first.content.decode()


def test_no_capped_note_when_every_match_is_ranked(client, ranked_limit):
    for n in range(3):
        ArticleFactory(title=f"Số hóa hồ sơ {n}")

    response = search(client, q="số hóa hồ sơ")

    assert len(result_titles(response)) == 3
    assert "Có hơn" not in response.content.decode()


def test_capped_note_in_english(client, monkeypatch):
    from news import selectors

    monkeypatch.setattr(selectors, "SEARCH_RANKED_LIMIT", 2)
    for n in range(3):
        EnglishArticleFactory(title=f"Digitised records {n}")

    html = client.get("/en/search/", {"q": "digitised records"}).content.decode()

    assert (
        "More than 2 articles match: the results are ranked by relevance among "
        "the 2 newest. Add words or choose dates to find older articles." in html
    )
    assert "Có hơn" not in html


# Query budget ------------------------------------------------------------------

# navigation, three filter choice lists, common-word statistics, newest matches,
# ranked ids, their rows, units (+ names)
SEARCH_BUDGET = 10
FILTER_LOOKUPS = 3  # chuyen_muc, the, don_vi values checked
LOOSER_SEARCHES = 3


@pytest.fixture
def many_articles(db):
    tag = TagFactory(name="Một cửa liên thông")
    units = [UnitFactory(name=f"Tỉnh Mẫu {n}") for n in range(8)]
    category = CategoryFactory()
    for number in range(40):
        article = ArticleFactory(
            title=f"Bộ phận một cửa số {number}",
            category=category,
            tags=[tag, TagFactory()],
        )
        article.units.add(units[number % 8])
    return {"tag": tag, "unit": units[0], "category": category}


@pytest.mark.parametrize("page", [1, 2])
def test_search_query_budget(
    client, many_articles, django_assert_max_num_queries, page
):
    with django_assert_max_num_queries(SEARCH_BUDGET):
        response = search(client, q="một cửa mau", page=page, khop="bat-ky")
    assert len(result_titles(response)) == 12


def test_filtered_search_query_budget(
    client, many_articles, django_assert_max_num_queries
):
    with django_assert_max_num_queries(SEARCH_BUDGET + FILTER_LOOKUPS):
        response = search(
            client,
            q="một cửa",
            chuyen_muc=many_articles["category"].slug,
            the=many_articles["tag"].slug,
            don_vi=many_articles["unit"].slug,
            tu_ngay="01/01/2020",
        )
    assert len(result_titles(response)) == 5


def test_empty_result_query_budget(
    client, many_articles, django_assert_max_num_queries
):
    budget = SEARCH_BUDGET + FILTER_LOOKUPS + LOOSER_SEARCHES
    with django_assert_max_num_queries(budget):
        search(
            client,
            q='"cửa một" zzz',
            chuyen_muc=many_articles["category"].slug,
            the=many_articles["tag"].slug,
            don_vi=many_articles["unit"].slug,
        )


# Caching -----------------------------------------------------------------------


def test_search_page_sets_no_cookie_and_is_cached_for_everyone(
    client, settings, da_nang
):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get(URL, {"q": "da nang"})
    second = client.get(URL, {"q": "da nang"})
    assert not first.cookies
    assert "Cookie" not in first.get("Vary", "")
    assert second["X-Page-Cache"] == "HIT"


def test_header_search_box_points_at_the_search_page(client):
    html = client.get("/").content.decode()
    assert f'action="{reverse("search:results")}" method="get"' in html


# Property: no input breaks the page -----------------------------------------


@given(text=st.text(max_size=300))
@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_random_text_never_breaks_the_search(client, da_nang, text):
    response = client.get(URL, {"q": text, "sap_xep": "lien-quan"})
    # 400 only for NUL, which RequestSanityMiddleware refuses before any view.
    assert response.status_code == (400 if "\x00" in text else 200)
