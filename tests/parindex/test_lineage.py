"""A successor's profile shows its predecessors' history with its own, with
the break, ranks as hạng/tổng; the predecessor, article box and API agree."""

import re

import pytest
from django.template import Context, Template

from parindex.models import Unit
from tests.parindex.conftest import build_province_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(reference):
    """Province tables 2023 and 2024 (63 units) and 2025 (34 units)."""
    build_province_tables((2023, 2024, 2025), top=95, step=0.4)


def squeezed(response) -> str:
    return " ".join(response.content.decode().split())


def test_new_da_nang_shows_old_da_nang_and_quang_nam_with_the_break(history, client):
    old, quang_nam = (
        Unit.objects.get(slug="da-nang"),
        Unit.objects.get(slug="quang-nam"),
    )
    html = squeezed(client.get("/chi-so-cchc/don-vi/da-nang-2025/"))

    assert 'id="lich-su-hop-nhat"' in html
    section = html[html.index('id="lich-su-hop-nhat"') : html.index('id="qua-cac-nam"')]
    # One chart line per unit, a visible break on 01/07/2025.
    for name in ("Đà Nẵng (đến 06/2025)", "Quảng Nam", "Đà Nẵng (từ 07/2025)"):
        assert f"{name} (" in section, name  # legend entry with its marker words
    assert 'class="chart__break"' in section
    assert ">01/07/2025</text>" in section
    # Ranks out of different totals say so.
    assert "Thứ hạng (hạng/tổng)" in section
    assert "số đơn vị xếp hạng khác nhau giữa các năm (63 và 34)" in section
    # The table is grouped by unit, ranks with their totals.
    groups = re.findall(r'<th scope="colgroup" colspan="3">(.*?)</th>', section)
    assert [re.sub(r"<[^>]+>", "", g).strip() for g in groups] == [
        "Đà Nẵng (đến 06/2025)",
        "Quảng Nam",
        "Đà Nẵng (từ 07/2025) (đơn vị hiện nay)",
    ]
    old_2024 = old.results.get(edition__year=2024).rank
    nam_2024 = quang_nam.results.get(edition__year=2024).rank
    new_2025 = Unit.objects.get(slug="da-nang-2025").results.get().rank
    assert f'<td class="num">{old_2024}/63</td>' in section
    assert f'<td class="num">{nam_2024}/63</td>' in section
    assert f'<td class="num">{new_2025}/34</td>' in section


def test_a_predecessor_links_to_the_combined_view(history, client):
    html = squeezed(client.get("/chi-so-cchc/don-vi/quang-nam/"))
    assert 'href="/chi-so-cchc/don-vi/da-nang-2025/#lich-su-hop-nhat"' in html


def test_a_continuing_unit_labels_ranks_out_of_different_totals(history, client):
    html = squeezed(client.get("/chi-so-cchc/don-vi/ha-noi/"))
    assert "Thứ hạng của Hà Nội qua các năm (hạng/tổng)" in html
    assert re.search(r"Hà Nội, 2025: \d+/34", html)


def test_article_box_for_a_merged_unit_shows_its_predecessors(history):
    units = [Unit.objects.get(slug="tuyen-quang-2025")]
    html = " ".join(
        Template("{% load parindex_tags %}{% unit_score_cards units %}")
        .render(Context({"units": units}))
        .split()
    )
    assert "Kết quả gần nhất của các đơn vị trước" in html
    assert "Hà Giang</a>, PAR INDEX 2024: hạng" in html
    assert "Tuyên Quang (đến 06/2025)</a>, PAR INDEX 2024: hạng" in html
    assert "/63, chỉ số" in html
    assert "/chi-so-cchc/don-vi/tuyen-quang-2025/#lich-su-hop-nhat" in html
    assert "Chưa có kết quả Chỉ số CCHC được công bố" not in html


def test_api_gives_the_lineage_with_totals(history, client):
    data = client.get("/chi-so-cchc/api/v1/units/da-nang-2025/").json()
    lineage = data["lineage"]
    assert lineage["break_on"] == "2025-07-01"
    assert [s["unit"] for s in lineage["series"]] == [
        "da-nang",
        "quang-nam",
        "da-nang-2025",
    ]
    assert {r["of"] for r in lineage["series"][0]["results"]} == {63}
    assert lineage["series"][2]["results"][0]["of"] == 34
    assert client.get("/chi-so-cchc/api/v1/units/cao-bang/").json()["lineage"] is None


def test_query_budgets_with_lineage(history, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        assert client.get("/chi-so-cchc/don-vi/da-nang-2025/").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get("/chi-so-cchc/2025/tinh/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/chi-so-cchc/api/v1/units/da-nang-2025/").status_code == 200
    merged = list(Unit.objects.filter(slug__endswith="-2025"))
    with django_assert_max_num_queries(1):
        Template("{% load parindex_tags %}{% unit_score_cards units %}").render(
            Context({"units": merged})
        )


def test_compare_names_twins_links_the_lineage_and_gives_rank_totals(history, client):
    html = squeezed(
        client.get("/chi-so-cchc/so-sanh/", {"don_vi": ["da-nang-2025", "da-nang"]})
    )
    assert ">Đà Nẵng (từ 07/2025)</a></th>" in html
    assert ">Đà Nẵng (đến 06/2025)</a></th>" in html
    assert 'href="/chi-so-cchc/don-vi/da-nang-2025/#lich-su-hop-nhat"' in html
    assert re.search(r"\(hạng \d+/34\)", html)
    assert re.search(r"\(hạng \d+/63\)", html)


def delta_cells(html: str, name: str) -> tuple[str, str]:
    """The two Δ cells (rank, points) of a unit's row in a ranking table."""
    row = re.search(rf">{re.escape(name)}</a></th>(.*?)</tr>", html).group(1)
    cells = re.findall(r'<td class="num">((?:(?!</td>).)*)</td>', row)
    return tuple(re.sub(r"<[^>]+>", "|", cell) for cell in cells[-2:])


def test_2025_ranking_claims_no_rank_change_across_the_break_but_keeps_points(
    history, client
):
    html = squeezed(client.get("/chi-so-cchc/2025/tinh/"))
    # Hà Nội continues: 2024 rank out of 63, 2025 out of 34, no rank change
    # claimed; its points still compare.
    rank_cell, points_cell = delta_cells(html, "Hà Nội")
    assert "thứ hạng không so sánh được" in rank_cell and "▲" not in rank_cell
    ha_noi = Unit.objects.get(slug="ha-noi")
    before, after = (ha_noi.results.get(edition__year=y).total for y in (2024, 2025))
    words = (
        "tăng điểm"
        if after > before
        else "giảm điểm"
        if after < before
        else "không đổi"
    )
    assert words in points_cell
    # A unit formed by the merger is neither "new" nor compared.
    rank_cell, points_cell = delta_cells(html, "Đà Nẵng")
    assert "hợp nhất" in rank_cell and "hợp nhất" in points_cell
    assert "mới" not in rank_cell
    assert "năm 2024 xếp hạng 63 đơn vị, năm 2025 xếp hạng 34" in html


def test_2024_ranking_still_shows_rank_changes_between_equal_totals(history, client):
    html = squeezed(client.get("/chi-so-cchc/2024/tinh/"))
    rank_cell, _ = delta_cells(html, "Hà Nội")
    assert "bậc" in rank_cell or "giữ nguyên hạng" in rank_cell
    assert "không so sánh được" not in html


def test_profile_and_score_card_claim_no_rank_change_across_the_break(history, client):
    html = squeezed(client.get("/chi-so-cchc/don-vi/ha-noi/"))
    table = html[html.index('id="qua-cac-nam"') :]
    row_2025 = re.search(r">2025</a></th>(.*?)</tr>", table).group(1)
    assert "thứ hạng không so sánh được" in row_2025 and "bậc" not in row_2025
    row_2024 = re.search(r">2024</a></th>(.*?)</tr>", table).group(1)
    assert "bậc" in row_2024 or "giữ nguyên hạng" in row_2024

    card = " ".join(
        Template("{% load parindex_tags %}{% unit_score_cards units %}")
        .render(Context({"units": [Unit.objects.get(slug="ha-noi")]}))
        .split()
    )
    assert "thứ hạng không so sánh được" in card and "bậc" not in card
