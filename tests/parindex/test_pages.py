"""Public PAR INDEX pages as a reader sees them."""

import csv
import re
from html import unescape
from pathlib import Path

import pytest
from django.template import Context, Template

from parindex import selectors
from parindex.edition_checks import UnitNameMatcher
from parindex.models import (
    AnnualSummary,
    Area,
    Edition,
    Framework,
    Group,
    RegionalAverage,
    Unit,
)
from tests.factories import RegionFactory, UnitFactory
from tests.parindex.conftest import build_edition

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "parindex" / "data"


def text_of(response) -> str:
    """Visible text with tags removed and whitespace squeezed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def squeezed(html: str) -> str:
    """Markup with each run of white space as one space, as a browser renders it."""
    return " ".join(html.split())


def vn(number: str) -> str:
    return number.replace(".", ",")


def ranking_order(html: str) -> list[str]:
    """The unit names of a ranking table, top to bottom."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


def official_2023_ministries() -> list[dict[str, str]]:
    """The official table; "shown" is the unit's official name the page shows
    (the table writes "Phát triển Nông thôn", the ministry is "… nông thôn")."""
    with open(DATA / "results_2023_ministries.csv", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["rank"]))
    matcher = UnitNameMatcher(group=Group.MINISTRY, year=2023)
    for row in rows:
        row["shown"] = matcher.match(row["unit"])[0].published_name_in(2023)
    return rows


def test_2023_ministry_ranking_shows_the_official_table_exactly(reference, client):
    response = client.get("/chi-so-cchc/2023/bo/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    for row in official_2023_ministries():
        cells = [
            row["rank"],
            row["shown"],
            vn(row["total_score"]),
            vn(row["par_index_pct"]),
            vn(row["appraisal_score"]),
            vn(row["survey_score"]),
        ]
        assert " ".join(cells) in text, cells
    assert "Dữ liệu minh họa" not in html
    assert "Giá trị trung bình 84,38%" in text
    assert "xaydungchinhsach.chinhphu.vn" in html


def test_ranking_sorts_on_the_server_with_aria_sort(reference, client):
    default = client.get("/chi-so-cchc/2023/bo/").content.decode()
    assert (
        'aria-sort="ascending"><a class="sort-link" href="?sort=-rank">Xếp hạng'
        in default
    )

    by_survey = client.get("/chi-so-cchc/2023/bo/?sort=survey")
    html = by_survey.content.decode()
    assert 'aria-sort="descending"><a class="sort-link" href="?sort=-survey">' in html
    order = ranking_order(html)
    assert order[0] == "Bộ Tư pháp"  # survey 28,10 is the highest
    assert order[1] == "Bộ Tài chính"  # 27,66

    ascending = client.get("/chi-so-cchc/2023/bo/?sort=-total").content.decode()
    order = ranking_order(ascending)
    assert order[0] == "Bộ Công Thương"

    by_name = client.get("/chi-so-cchc/2023/bo/?sort=name").content.decode()
    order = ranking_order(by_name)
    assert order[:2] == ["Bộ Công Thương", "Bộ Giáo dục và Đào tạo"]


def test_ranking_year_picker_links_every_released_year_of_the_group(demo, client):
    html = client.get("/chi-so-cchc/2023/bo/").content.decode()
    picker = html[html.index('class="year-picker"') :]
    picker = picker[: picker.index("</nav>")]
    years = Edition.objects.released().filter(group=Group.MINISTRY)
    years = sorted(years.values_list("year", flat=True))
    assert len(years) > 1
    for year in years:
        if year == 2023:
            assert '<span aria-current="page">2023</span>' in picker
        else:
            assert f'href="/chi-so-cchc/{year}/bo/"' in picker
    assert 'href="/chi-so-cchc/2023/tinh/"' not in picker


def test_ranking_years_are_read_once_per_generation(
    demo, settings, django_assert_num_queries
):
    settings.BLOCK_CACHE_SECONDS = 600
    years = selectors.edition_list_released_years(group=Group.MINISTRY)
    with django_assert_num_queries(0):
        assert selectors.edition_list_released_years(group=Group.MINISTRY) == years
    assert 2023 in years


def test_ranking_sorts_units_by_the_name_shown_in_the_table(reference, client):
    # Official names start "Thành phố …" or "Tỉnh …"; the table shows short ones.
    slugs = ["ha-noi", "bac-ninh", "da-nang", "an-giang"]
    units = [Unit.objects.get(slug=slug) for slug in slugs]
    build_edition(year=2023, units=units, totals=["90", "85", "80", "75"])

    by_name = client.get("/chi-so-cchc/2023/tinh/?sort=name").content.decode()
    order = ranking_order(by_name)
    assert order == ["An Giang", "Bắc Ninh", "Đà Nẵng", "Hà Nội"]
    reverse = client.get("/chi-so-cchc/2023/tinh/?sort=-name").content.decode()
    order = ranking_order(reverse)
    assert order == ["Hà Nội", "Đà Nẵng", "Bắc Ninh", "An Giang"]


def test_region_filter_keeps_the_count_of_all_ranked_units(client, db):
    north, south = RegionFactory.create_batch(2)
    units = UnitFactory.create_batch(3, region=north)
    units += UnitFactory.create_batch(2, region=south)
    build_edition(year=2023, units=units, totals=["90", "85", "80", "75", "70"])

    response = client.get("/chi-so-cchc/2023/tinh/", {"vung": south.slug})

    text = text_of(response)
    assert "Số đơn vị xếp hạng 5" in text
    assert f"Đang hiển thị 2 đơn vị thuộc vùng {south.name}" in text


@pytest.mark.parametrize(
    "sort", ["bogus", "-", "area-99", "'; drop table", "rank" * 100]
)
def test_bad_sort_values_fall_back_to_rank_order(reference, client, sort):
    response = client.get("/chi-so-cchc/2023/bo/", {"sort": sort})
    assert response.status_code == 200
    html = response.content.decode()
    # The whole order: the leader by rank also leads by total, index and survey.
    assert ranking_order(html) == [row["shown"] for row in official_2023_ministries()]
    assert (
        'aria-sort="ascending"><a class="sort-link" href="?sort=-rank">Xếp hạng' in html
    )


def test_region_filter_keeps_the_sort_and_sort_links_keep_the_region(client, db):
    north, south = RegionFactory.create_batch(2)
    units = UnitFactory.create_batch(2, region=north) + [UnitFactory(region=south)]
    build_edition(year=2023, units=units, totals=["90", "85", "80"])

    by_default = client.get("/chi-so-cchc/2023/tinh/").content.decode()
    assert 'name="sort"' not in by_default
    sorted_html = client.get(
        "/chi-so-cchc/2023/tinh/", {"sort": "-total", "vung": north.slug}
    ).content.decode()
    assert '<input type="hidden" name="sort" value="-total">' in sorted_html
    assert ranking_order(sorted_html) == [units[1].short_name, units[0].short_name]
    assert f'href="?vung={north.slug}&amp;sort=total"' in sorted_html


def test_ranking_describes_itself_in_one_line(reference, client):
    html = client.get("/chi-so-cchc/2023/bo/").content.decode()
    assert (
        '<meta name="description" content="Bảng xếp hạng Chỉ số cải cách hành chính '
        "2023 của bộ, cơ quan ngang bộ: thứ hạng, tổng điểm, chỉ số, điểm thẩm định "
        'và điều tra xã hội học.">'
    ) in html


def test_region_filter_and_bad_region_fall_back(demo, client):
    response = client.get("/chi-so-cchc/2024/tinh/", {"vung": "tay-nguyen"})
    html = response.content.decode()
    names = ranking_order(html)
    assert sorted(names) == ["Gia Lai", "Kon Tum", "Lâm Đồng", "Đắk Lắk", "Đắk Nông"]
    assert "thuộc vùng Tây Nguyên" in html
    # Sort links keep the filter.
    assert 'href="?vung=tay-nguyen&amp;sort=total"' in html

    bad = client.get("/chi-so-cchc/2024/tinh/", {"vung": "sao-hoa", "sort": "x"})
    assert bad.status_code == 200
    assert "Vùng đã chọn không hợp lệ" in bad.content.decode()
    assert len(re.findall(r'<th scope="row">', bad.content.decode())) >= 63


def test_ranking_shows_tiers_and_deltas_with_text_not_only_colour(demo, client):
    html = client.get("/chi-so-cchc/2024/tinh/").content.decode()
    assert (
        "Nhóm xếp loại: A từ 90,00 điểm; B từ 80,00 điểm; C từ 70,00 điểm."
        in squeezed(html)
    )
    assert re.search(r'<span class="tier tier--[abc]">[ABC]</span>', html)
    assert "So sánh (Δ) với" in html and "PAR INDEX 2023" in html
    assert re.search(
        r'<span aria-hidden="true">[▲▼] </span>\d+'
        r'<span class="visually-hidden"> \((tăng|giảm) \d+ bậc\)',
        html,
    )


def test_framework_change_is_noted_next_to_deltas(demo, client):
    html = client.get("/chi-so-cchc/2020/tinh/").content.decode()
    assert "bộ chỉ số đã thay đổi (QĐ 2948/QĐ-BNV → Khung điểm minh họa)" in html
    # The official 2023 table is never compared with the demo 2022 one.
    html = client.get("/chi-so-cchc/2023/bo/").content.decode()
    assert "Ấn bản năm trước trên cổng là dữ liệu minh họa" in html
    assert "So sánh (Δ)" not in html
    assert "delta--up" not in html and "delta--down" not in html


def test_demo_pages_carry_the_demo_notice(demo, client):
    for url in [
        "/chi-so-cchc/2024/tinh/",
        "/chi-so-cchc/",
        "/chi-so-cchc/don-vi/ha-noi/",
    ]:
        assert (
            "Dữ liệu minh họa, không phải số liệu chính thức"
            in client.get(url).content.decode()
        )
    assert all(e.is_demo for e in Edition.objects.exclude(year=2023, group="bo"))


def test_unknown_year_group_and_unit_are_404(reference, client):
    assert client.get("/chi-so-cchc/2031/bo/").status_code == 404
    assert client.get("/chi-so-cchc/2023/so/").status_code == 404
    assert client.get("/chi-so-cchc/2023/tinh/").status_code == 404  # no such edition
    assert client.get("/chi-so-cchc/don-vi/khong-ton-tai/").status_code == 404
    assert (
        client.get(
            "/chi-so-cchc/so-sanh/?don_vi=bo-tu-phap&don_vi=khong-co"
        ).status_code
        == 404
    )


def test_old_unit_slugs_redirect_permanently(reference, client):
    response = client.get("/chi-so-cchc/don-vi/thua-thien-hue/")
    assert response.status_code == 301
    assert response["Location"] == "/chi-so-cchc/don-vi/hue/"
    page = client.get("/chi-so-cchc/don-vi/hue/")
    assert "Thừa Thiên Huế (tên cũ, đến 31/12/2024)" in text_of(page)


def test_merged_province_links_to_its_successor_and_back(reference, client):
    ha_giang = client.get("/chi-so-cchc/don-vi/ha-giang/")
    text = text_of(ha_giang)
    assert "Từ 01/07/2025 hợp nhất vào tỉnh Tuyên Quang" in text
    assert 'href="/chi-so-cchc/don-vi/tuyen-quang-2025/"' in ha_giang.content.decode()

    new = client.get("/chi-so-cchc/don-vi/tuyen-quang-2025/")
    text = text_of(new)
    assert (
        "Hình thành từ 01/07/2025 trên cơ sở hợp nhất: "
        "tỉnh Hà Giang , tỉnh Tuyên Quang (cũ)"
    ) in text
    html = new.content.decode()
    assert 'href="/chi-so-cchc/don-vi/ha-giang/"' in html
    assert 'href="/chi-so-cchc/don-vi/tuyen-quang/"' in html


def test_merged_ministry_links_to_its_successor(reference, client):
    text = text_of(client.get("/chi-so-cchc/don-vi/bo-ke-hoach-va-dau-tu/"))
    assert "Từ 01/03/2025 hợp nhất vào Bộ Tài chính (NQ 176/2025/QH15)" in text
    text = text_of(client.get("/chi-so-cchc/don-vi/bo-tai-chinh-2025/"))
    assert "Bộ Kế hoạch và Đầu tư" in text and "Bộ Tài chính (cũ)" in text


def test_unit_profile_shows_yearly_results_charts_table_and_components(demo, client):
    response = client.get("/chi-so-cchc/don-vi/ha-noi/")
    html = response.content.decode()
    assert html.count('role="img"') >= 3
    assert "<title id=" in html and "<desc id=" in html
    assert "Kết quả Chỉ số CCHC của Hà Nội theo năm" in html
    for year in range(2017, 2025):
        assert f'href="/chi-so-cchc/{year}/tinh/">{year}</a>' in html
    assert "Chỉ số thành phần PAR INDEX 2024" in html
    assert "Trung bình nhóm" in html
    assert "Lĩnh vực tạo nên thay đổi so với PAR INDEX 2023" in html


def test_ministry_profile_explains_missing_area_points_in_2023(demo, client):
    html = client.get("/chi-so-cchc/don-vi/bo-tu-phap/").content.decode()
    assert "PAR INDEX 2023 không công bố điểm theo lĩnh vực" in html
    assert "1/17" in html  # rank 1 of 17 in 2023
    # Earlier years on the portal are demo: the page says so in full.
    assert "Dữ liệu minh họa, không phải số liệu chính thức" in html


def test_compare_two_to_four_units(demo, client):
    response = client.get(
        "/chi-so-cchc/so-sanh/", {"don_vi": ["ha-noi", "thua-thien-hue", "da-nang"]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chỉ số (%) và thứ hạng theo năm" in html
    # Not colour alone: each unit's line is named with its marker in the legend
    # (the chart's description lists the markers too, so look for the pairs).
    text = text_of(response)
    assert "Hà Nội (hình tròn)" in text
    # Twins are told apart (Unit.short_label): the old Đà Nẵng has a successor.
    assert "Huế (hình vuông)" in text and "Đà Nẵng (đến 06/2025) (tam giác)" in text
    assert "Chỉ số thành phần (%), PAR INDEX 2024" in html

    one = client.get("/chi-so-cchc/so-sanh/", {"don_vi": "ha-noi"}).content.decode()
    assert "Hãy chọn ít nhất 2 đơn vị khác nhau" in one
    five = client.get(
        "/chi-so-cchc/so-sanh/",
        {"don_vi": ["ha-noi", "hue", "da-nang", "hai-phong", "can-tho"]},
    ).content.decode()
    assert "tối đa 4 đơn vị" in five
    empty = client.get("/chi-so-cchc/so-sanh/")
    assert (
        empty.status_code == 200 and "Chọn từ 2 đến 4 đơn vị" in empty.content.decode()
    )


def test_overview_shows_latest_editions_regions_and_averages(demo, client):
    response = client.get("/chi-so-cchc/")
    text = text_of(response)
    assert "Bộ, cơ quan ngang bộ: PAR INDEX 2023" in text
    assert "Tỉnh, thành phố trực thuộc Trung ương: PAR INDEX 2024" in text
    assert "Đồng bằng sông Hồng 90,17" in text  # published regional average 2024
    assert "2023 84,38 86,98" in text  # national averages over the years
    assert "đơn vị dẫn đầu qua các năm" in text
    assert "QĐ 2948/QĐ-BNV" in text


def test_method_page_lists_frameworks_with_maxima(reference, client):
    response = client.get("/chi-so-cchc/phuong-phap/")
    text = text_of(response)
    assert "Cải cách thủ tục hành chính 5 14,50" in text
    assert "QĐ 876/QĐ-BNV · Bộ, cơ quan ngang bộ" in text
    # A framework's address leads to its section.
    framework = Framework.objects.get(code="876", group="bo")
    path, anchor = framework.get_absolute_url().split("#")
    assert path == "/chi-so-cchc/phuong-phap/"
    assert f'<section id="{anchor}"' in response.content.decode()


def test_score_card_compares_with_the_edition_the_ranking_compares_with(client, db):
    first, second = UnitFactory.create_batch(2)
    build_edition(year=2021, units=[first, second], totals=["90", "80"])
    build_edition(year=2023, units=[first, second], totals=["80", "90"])  # no 2022

    card = Template("{% load parindex_tags %}{% unit_score_cards units %}").render(
        Context({"units": [first]})
    )

    assert "So với năm trước (PAR INDEX 2021)" in card
    assert "giảm 1 bậc" in card
    ranking = text_of(client.get("/chi-so-cchc/2023/tinh/"))
    assert "So sánh (Δ) với PAR INDEX 2021" in ranking


def test_public_pages_show_no_english_research_notes(reference, client):
    provinces = [Unit.objects.get(slug=slug) for slug in ("ha-noi", "hai-phong")]
    build_edition(year=2023, units=provinces, totals=["90", "85"])
    notes = [
        *Framework.objects.values_list("note", flat=True),
        *Framework.objects.values_list("applies_to", flat=True),
        *AnnualSummary.objects.values_list("note", flat=True),
        *AnnualSummary.objects.values_list("distribution", flat=True),
        *RegionalAverage.objects.filter(year=2023).values_list("note", flat=True),
        *Area.objects.values_list("note", flat=True),
    ]
    # Short notes ("+1.58", "stated") could occur by chance; these cannot.
    notes = [note for note in notes if len(note) > 12]
    assert any("CONFLICT" in note for note in notes)
    for url in [
        "/chi-so-cchc/",
        "/chi-so-cchc/phuong-phap/",
        "/chi-so-cchc/2023/tinh/",
        "/chi-so-cchc/2023/bo/",
        "/chi-so-cchc/don-vi/ha-noi/",
    ]:
        text = unescape(text_of(client.get(url)))
        for marker in ("CONFLICT", "NOT found", "8 areas"):
            assert marker not in text, (url, marker)
        for note in notes:
            assert " ".join(note.split()) not in text, (url, note)
    # The published regional averages of 2023 (which carry notes) are shown.
    assert "Đồng bằng sông Hồng 88,33" in text_of(client.get("/chi-so-cchc/"))


def test_header_has_the_par_index_link(client, db):
    html = client.get("/").content.decode()
    assert '<a href="/chi-so-cchc/">Chỉ số CCHC</a>' in html
    html = " ".join(client.get("/chi-so-cchc/").content.decode().split())
    # The header writes the link text on its own line (whitespace squeezed).
    assert '<a href="/chi-so-cchc/" aria-current="page"> Chỉ số CCHC</a>' in html


def test_pages_have_no_inline_styles_or_scripts(demo, client):
    for url in [
        "/chi-so-cchc/",
        "/chi-so-cchc/2024/tinh/",
        "/chi-so-cchc/don-vi/ha-noi/",
        "/chi-so-cchc/so-sanh/?don_vi=ha-noi&don_vi=hue",
    ]:
        html = client.get(url).content.decode()
        assert "style=" not in html and "<style" not in html
        assert not re.search(r"\son[a-z]+=", html)


def test_home_box_and_score_card_tags_render(demo):
    html = Template("{% load parindex_tags %}{% parindex_home_box %}").render(Context())
    assert "PAR INDEX 2023: Bộ, cơ quan ngang bộ" in html
    assert '1. <a href="/chi-so-cchc/don-vi/bo-tu-phap/">Bộ Tư pháp</a>: 89,95%' in (
        squeezed(html)
    )
    assert "Dữ liệu minh họa, không phải số liệu chính thức" in html  # provinces

    unit = Unit.objects.get(slug="bo-tu-phap")
    card = Template("{% load parindex_tags %}{% unit_score_cards units %}").render(
        Context({"units": [unit]})
    )
    assert (
        "PAR INDEX 2023: hạng <strong>1</strong>, chỉ số <strong>89,95%</strong>"
        in squeezed(card)
    )
    assert "So với năm trước" not in card  # 2022 on the portal is demo data
    hanoi = Template("{% load parindex_tags %}{% unit_score_cards units %}").render(
        Context({"units": [Unit.objects.get(slug="ha-noi")]})
    )
    assert "So với năm trước" in hanoi and "Dữ liệu minh họa" in hanoi
    new_unit = Unit.objects.get(slug="tuyen-quang-2025")
    card = Template("{% load parindex_tags %}{% unit_score_cards units %}").render(
        Context({"units": [new_unit]})
    )
    # A merged unit without results of its own shows its predecessors' (issue 13).
    assert "Chưa có kết quả của đơn vị mới." in squeezed(card)
    assert "Kết quả gần nhất của các đơn vị trước" in squeezed(card)
    # A unit without results still gets its card, named and linked.
    assert '<a href="/chi-so-cchc/don-vi/tuyen-quang-2025/">Tuyên Quang</a>' in card
