"""The PAR INDEX in English: pages under /en/par-index/ name units, regions,
frameworks and areas in English, write numbers the English way and leave no
Vietnamese interface text; the Vietnamese pages stay as they were."""

import re

import pytest

from parindex.models import Unit
from tests.parindex.conftest import build_province_tables
from tests.parindex.test_queries import (
    API_PAGES,
    PAGE_BUDGETS,
    build_world,
    count_queries,
    pages,
)
from tests.test_language import hreflang_pairs, language_switch

pytestmark = pytest.mark.django_db

# Interface words the Vietnamese pages are made of: none may be left in the
# English pages' own text (data kept in Vietnamese is marked lang="vi").
VIETNAMESE_INTERFACE = [
    "Bảng xếp hạng",
    "Chỉ số CCHC",
    "Tổng điểm",
    "Xếp hạng",
    "Đơn vị",
    "Lĩnh vực",
    "minh họa",
    "hợp nhất",
    "Suy ra",
    "Nguồn",
    "Năm",
    "Trung bình",
]


def squeezed(response) -> str:
    return " ".join(response.content.decode().split())


def english_text(response) -> str:
    """The page's main text without the parts kept in Vietnamese on purpose."""
    html = response.content.decode()
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    main = re.sub(r'<(\w+)[^>]*lang="vi"[^>]*>.*?</\1>', " ", main, flags=re.S)
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def assert_no_vietnamese_interface(response):
    text = english_text(response)
    left = [words for words in VIETNAMESE_INTERFACE if words in text]
    assert not left, left


@pytest.fixture
def provinces_2024_2025(reference):
    build_province_tables([2024, 2025], top=95, step=0.5)


def test_the_2023_ministry_ranking_in_english(reference, client):
    response = client.get("/en/par-index/2023/ministries/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    page = squeezed(response)
    assert "PAR INDEX 2023 ranking: Ministries and ministerial-level agencies" in page
    # Official English names, English numbers.
    assert ">Ministry of Justice</a>" in page
    assert ">State Bank of Viet Nam</a>" in page
    assert "89.95" in page and "89,95" not in page
    assert "Decision 876/QD-BNV" in page
    assert "The official ranking announced by the Ministry of Home Affairs" in page
    assert 'href="/en/par-index/2023/ministries.csv"' in page
    assert_no_vietnamese_interface(response)


def test_a_2025_province_ranking_in_english(provinces_2024_2025, client):
    response = client.get("/en/par-index/2025/provinces/")
    assert response.status_code == 200
    page = squeezed(response)
    assert "PAR INDEX 2025 ranking: Provinces and centrally-run cities" in page
    assert ">Ha Noi</a>" in page
    assert ">Ho Chi Minh City</a>" in page
    assert ">Quang Ninh</a>" in page
    assert "95.00" in page
    # 63 units in 2024, 34 in 2025: the merged units say so in English.
    assert "merged" in page
    assert 'href="/en/par-index/units/tuyen-quang-2025/"' in page
    assert_no_vietnamese_interface(response)


def test_a_merged_units_profile_tells_its_lineage_in_english(
    provinces_2024_2025, client
):
    response = client.get("/en/par-index/units/tuyen-quang-2025/")
    assert response.status_code == 200
    page = squeezed(response)
    assert "<h1>Tuyen Quang Province</h1>" in page
    assert "Merger history: Tuyen Quang and its predecessors" in page
    # The twins (before and after 1 July 2025) told apart in English.
    assert "Tuyen Quang (until 06/2025)" in page
    assert "Ha Giang" in page
    assert "Formed on 1 July 2025 by merging:" in page
    assert "Resolution 202/2025/QH15 (in force from 12 June 2025)" in page
    assert "Derived: the provinces it was formed from all lay in this region" in page
    assert "Northern Midlands and Mountains" in page
    assert_no_vietnamese_interface(response)


def test_the_overview_in_english(demo, client):
    response = client.get("/en/par-index/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    page = squeezed(response)
    assert "<h1>Public Administration Reform Index (PAR INDEX)</h1>" in page
    assert "National average over the years" in page
    assert "Illustrative data, not official figures" in page
    assert "Red River Delta" in page
    assert_no_vietnamese_interface(response)


@pytest.mark.parametrize(
    "url",
    [
        "/en/par-index/methods/",
        "/en/par-index/open-data/",
        "/en/par-index/corrections/",
        "/en/par-index/compare/?don_vi=ha-noi&don_vi=quang-ninh",
        "/en/par-index/units/hue/",
    ],
)
def test_the_other_par_index_pages_in_english(demo, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert_no_vietnamese_interface(response)


def test_a_units_other_names_stay_vietnamese_and_say_so_in_english(reference, client):
    response = client.get("/en/par-index/units/hue/")
    page = squeezed(response)
    assert "<dt>Other names</dt>" in page
    # Screen readers read them with Vietnamese pronunciation, not English.
    assert '<span lang="vi">Thừa Thiên Huế</span> (former name' in page
    assert '<span lang="vi">TP Huế</span> (' in page
    assert "Thừa Thiên Huế" not in english_text(response)


def test_the_open_data_page_points_to_the_one_vietnamese_api(reference, client):
    page = squeezed(client.get("/en/par-index/open-data/"))
    assert 'href="/chi-so-cchc/api/v1/editions/"' in page
    assert "/en/par-index/api/" not in page


def test_a_unit_renamed_before_its_ranking_is_listed_under_its_former_name(
    demo, client
):
    # Huế was "Thừa Thiên Huế" up to 2024: the English table writes that
    # name as the Government's English portal does, without diacritics.
    page = squeezed(client.get("/en/par-index/2024/provinces/"))
    assert ">Thua Thien Hue</a>" in page
    assert "the table was generated to demonstrate the portal" in page


def test_the_vietnamese_pages_stay_vietnamese(reference, client):
    response = client.get("/chi-so-cchc/2023/bo/")
    page = squeezed(response)
    assert '<html lang="vi">' in response.content.decode()
    assert ">Bộ Tư pháp</a>" in page
    assert "89,95" in page
    assert "Bảng xếp hạng PAR INDEX 2023: Bộ, cơ quan ngang bộ" in page
    assert "Ministry of Justice" not in page
    assert "/en/" not in english_text(response)


@pytest.mark.parametrize(
    "url",
    [
        "/en/par-index/units/no-such-unit/",
        "/en/par-index/don-vi/bo-tu-phap/",  # the Vietnamese route under /en/
        "/en/par-index/2023/bo/",  # the Vietnamese group under /en/
        "/chi-so-cchc/2023/ministries/",  # the English group in Vietnamese
        "/en/par-index/api/v1/units/",  # the API has no English address
    ],
)
def test_addresses_of_no_english_page_are_404(reference, client, url):
    assert client.get(url).status_code == 404


def test_an_english_unit_address_uses_the_same_slug(reference, client):
    unit = Unit.objects.get(slug="quang-ninh")
    assert client.get(f"/en/par-index/units/{unit.slug}/").status_code == 200


def english(url: str) -> str:
    """The English address of a Vietnamese test page."""
    url = url.replace("/chi-so-cchc/", "/en/par-index/")
    for vietnamese, english_route in [
        ("don-vi/", "units/"),
        ("so-sanh/", "compare/"),
        ("du-lieu-mo/", "open-data/"),
        ("phuong-phap/", "methods/"),
        ("/tinh", "/provinces"),
    ]:
        url = url.replace(vietnamese, english_route)
    return url


# The Vietnamese pages' budgets; the API has no English address.
@pytest.mark.parametrize(
    ("page", "limit"),
    [(page, limit) for page, limit in PAGE_BUDGETS if page not in API_PAGES],
)
def test_each_english_page_stays_under_the_vietnamese_budget(
    client, django_assert_max_num_queries, page, limit
):
    units, year = build_world(units_count=20, editions_count=4)
    for unit in units:
        unit.name_en = f"Test Province {unit.pk}"
        unit.short_name_en = f"Test {unit.pk}"
        unit.save()
    url = english(pages(units, year)[page])
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200, url


def test_english_pages_run_no_more_queries_than_the_vietnamese(client):
    # Fewer where the English page leaves out a Vietnamese-only service
    # (the alerts box of the overview).
    units, year = build_world(units_count=6, editions_count=2)
    for url in pages(units, year)[:10]:
        assert count_queries(client, english(url)) <= count_queries(client, url), url


@pytest.mark.parametrize(
    ("vietnamese", "english_url"),
    [
        ("/chi-so-cchc/", "/en/par-index/"),
        ("/chi-so-cchc/2023/bo/", "/en/par-index/2023/ministries/"),
        ("/chi-so-cchc/don-vi/bo-tu-phap/", "/en/par-index/units/bo-tu-phap/"),
        ("/chi-so-cchc/phuong-phap/", "/en/par-index/methods/"),
        ("/chi-so-cchc/du-lieu-mo/", "/en/par-index/open-data/"),
        ("/chi-so-cchc/dinh-chinh/", "/en/par-index/corrections/"),
        ("/chi-so-cchc/so-sanh/", "/en/par-index/compare/"),
    ],
)
def test_each_page_and_its_english_page_point_to_each_other(
    reference, client, vietnamese, english_url
):
    expected = {
        "vi": f"http://testserver{vietnamese}",
        "en": f"http://testserver{english_url}",
        "x-default": f"http://testserver{vietnamese}",
    }
    assert hreflang_pairs(client.get(vietnamese)) == expected
    english_page = client.get(english_url)
    assert hreflang_pairs(english_page) == expected
    assert f'<a href="{vietnamese}" hreflang="vi" lang="vi">Tiếng Việt</a>' in (
        language_switch(english_page)
    )
