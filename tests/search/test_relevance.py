"""A relevance set over the demo data: the article a visitor means is in the
top three results. The score is printed in the test run's summary
(tests/conftest.py) and the set fails below RELEVANCE_TARGET."""

import pytest

from tests.search.test_search_page import result_titles, search

pytestmark = pytest.mark.django_db

RELEVANCE_TARGET = 0.9
TOP = 3

# (what a visitor types, a part of the title of the article meant).
RELEVANCE_SET = [
    ("da nang chuyen doi so", "Đà Nẵng đẩy mạnh chuyển đổi số"),
    ("Đà Nẵng chuyển đổi số", "Đà Nẵng đẩy mạnh chuyển đổi số"),
    ("dien bien dat dai", "Điện Biên rút ngắn"),
    ("Điện Biên hồ sơ đất đai", "Điện Biên rút ngắn"),
    ("cai cach hanh chinh 2026", "gắn với chuyển đổi số năm 2026"),
    ("CCHC chuyển đổi số 2026", "gắn với chuyển đổi số năm 2026"),
    ("cong bo chi so cchc 2016", "Công bố Chỉ số CCHC năm 2016"),
    ("PAR INDEX 2016", "Công bố Chỉ số CCHC năm 2016"),
    ("chỉ số cải cách hành chính 2016", "Công bố Chỉ số CCHC năm 2016"),
    ("cong bo par index", "Công bố Chỉ số CCHC năm 2016"),
    ("bo noi vu dich vu cong truc tuyen", "Bộ Nội vụ: Mở rộng dịch vụ công"),
    ("Bộ Tư pháp kế hoạch cải cách hành chính", "Bộ Tư pháp: Triển khai kế hoạch"),
    ("bo tu phap ke hoach CCHC", "Bộ Tư pháp: Triển khai kế hoạch"),
    ("triển khai kế hoạch cchc", "Bộ Tư pháp: Triển khai kế hoạch"),
    ("hue mot cua", "Thừa Thiên Huế: Kiện toàn bộ phận một cửa"),
    ("kiện toàn bộ phận một cửa lào cai", "Lào Cai: Kiện toàn bộ phận một cửa"),
    ("binh duong bo phan mot cua", "Bình Dương: Kiện toàn bộ phận một cửa"),
    ("nghe an hai long nguoi dan", "Nghệ An: Khảo sát sự hài lòng"),
    ("khảo sát sự hài lòng Đồng Tháp", "Đồng Tháp: Khảo sát sự hài lòng"),
    ("SIPAS lao cai", "Lào Cai: Khảo sát sự hài lòng"),
    ("van ban quy pham phap luat quang ninh", "Quảng Ninh: Nâng cao chất lượng"),
    ("VBQPPL Hải Phòng", "Hải Phòng: Nâng cao chất lượng"),
    ("vbqppl bo tai chinh", "Bộ Tài chính: Nâng cao chất lượng"),
    ("TTHC Hà Nội", "Hà Nội: Rà soát, đơn giản hóa thủ tục hành chính"),
    ("don gian hoa TTHC nghe an", "Nghệ An: Rà soát, đơn giản hóa"),
    ("rà soát thủ tục hành chính Bộ Nội vụ", "Bộ Nội vụ: Rà soát"),
    ("ha noi tinh gon bo may", "Hà Nội: Sắp xếp, tinh gọn tổ chức bộ máy"),
    ("sắp xếp bộ máy Cần Thơ", "Cần Thơ: Sắp xếp, tinh gọn"),
    ("du lieu dan cu hai phong", "Hải Phòng: Kết nối dữ liệu dân cư"),
    ("Kết nối dữ liệu dân cư Bình Dương", "Bình Dương: Kết nối dữ liệu dân cư"),
    ("tap huan ky nang bo tu phap", "Bộ Tư pháp: Tập huấn"),
    ("công khai tiến độ Đồng Tháp", "Đồng Tháp: Công khai tiến độ"),
    ("so hoa ho so can tho", "Cần Thơ: Số hóa hồ sơ"),
    ("quy chế phối hợp Lào Cai", "Lào Cai: Ban hành quy chế"),
    ("dich vu cong truc tuyen toan trinh quang ninh", "Quảng Ninh: Mở rộng dịch vụ"),
    ("ủy ban nhân dân đà nẵng chuyển đổi số", "Đà Nẵng đẩy mạnh chuyển đổi số"),
]


def test_relevance_set_finds_the_meant_article_in_the_top_three(
    client, demo_site, record_property
):
    misses = []
    for typed, meant in RELEVANCE_SET:
        top = result_titles(search(client, q=typed))[:TOP]
        if not any(meant in title for title in top):
            misses.append(f"{typed!r}: {top}")
    hits = len(RELEVANCE_SET) - len(misses)
    record_property("search_relevance", [hits, len(RELEVANCE_SET), misses])
    assert len(RELEVANCE_SET) >= 30
    assert hits / len(RELEVANCE_SET) >= RELEVANCE_TARGET, "\n".join(misses)


def test_common_words_do_not_outrank_the_rarer_words_of_the_query(client):
    from tests.factories import ArticleFactory, TagFactory

    common = ArticleFactory(
        title="Công chức bộ phận một cửa phục vụ công dân",
        sapo="Công khai công việc của bộ phận một cửa.",
        body="<p>" + "Công việc công khai, bộ PAR INDEX công tâm. " * 20 + "</p>",
    )
    common.tags.set([TagFactory(name="PAR INDEX")])
    meant = ArticleFactory(
        title="Công bố chỉ số CCHC năm 2025 (PAR INDEX 2025)",
        sapo="Kết quả xếp hạng.",
        body="<p>.</p>",
    )
    assert result_titles(search(client, q="cong bo par index")) == [
        meant.title,
        common.title,
    ]
