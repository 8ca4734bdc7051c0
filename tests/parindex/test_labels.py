"""One label rule and one Vietnamese order wherever units are listed or chosen."""

import re
from html import unescape

import pytest

from cchc_portal.vietnamese import sort_key
from parindex.models import Group, Unit
from tests.parindex.conftest import build_province_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_structures(reference):
    """Released province tables before (2024) and after (2025) the merger."""
    build_province_tables((2024, 2025), top=90, step=0.3)


def options(html: str, select_name: str) -> list[str]:
    """The labels of one <select>'s options, without the empty choice."""
    select = re.search(
        rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, flags=re.S
    ).group(1)
    labels = [
        " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split())
        for value, text in re.findall(
            r'<option value="([^"]*)"[^>]*>(.*?)</option>', select, flags=re.S
        )
        if value
    ]
    return labels


def autocomplete_labels(client, **params) -> list[str]:
    labels, page = [], 1
    while True:
        data = client.get(
            "/quan-tri/autocomplete/", {**params, "term": "", "page": page}
        ).json()
        labels += [item["text"] for item in data["results"]]
        if not data["pagination"]["more"]:
            return labels
        page += 1


def assert_unique(labels: list[str], where: str) -> None:
    seen = set()
    twins = sorted({label for label in labels if label in seen or seen.add(label)})
    assert not twins, f"{where}: {twins}"


def test_twins_are_told_apart_by_period(reference):
    old = Unit.objects.get(slug="an-giang")
    new = Unit.objects.get(slug="an-giang-2025")
    assert (old.label, new.label) == (
        "Tỉnh An Giang (đến 06/2025)",
        "Tỉnh An Giang (từ 07/2025)",
    )
    assert new.short_label == "An Giang (từ 07/2025)"
    # A unit without a twin keeps its plain name, even if it ended in 2025.
    assert Unit.objects.get(slug="quang-nam").label == "Tỉnh Quảng Nam"
    assert Unit.objects.get(slug="bo-tai-chinh-2025").label == (
        "Bộ Tài chính (từ 03/2025)"
    )


def test_no_list_or_picker_shows_two_identical_labels(both_structures, admin_client):
    lists = {
        "admin autocomplete, article units": autocomplete_labels(
            admin_client, app_label="news", model_name="article", field_name="units"
        ),
        "admin autocomplete, successor": autocomplete_labels(
            admin_client,
            app_label="parindex",
            model_name="unitsuccession",
            field_name="successor",
        ),
        "public search filter": options(
            admin_client.get("/tim-kiem/").content.decode(), "don_vi"
        ),
        "compare": options(
            admin_client.get("/chi-so-cchc/so-sanh/").content.decode(), "don_vi"
        ),
    }
    changelist = admin_client.get("/quan-tri/parindex/unit/?all=").content.decode()
    lists["admin unit list"] = [
        unescape(name)
        for name in re.findall(
            r'<th class="field-__str__"><a [^>]+>([^<]+)</a>', changelist
        )
    ]
    api = admin_client.get("/chi-so-cchc/api/v1/units/").json()["units"]
    for group in Group.values:
        lists[f"API {group}"] = [u["label"] for u in api if u["group"] == group]
    for where, labels in lists.items():
        assert len(labels) > 20, where
        assert_unique(labels, where)
    assert "An Giang (đến 06/2025)" in lists["compare"]
    assert "An Giang (từ 07/2025)" in lists["compare"]
    assert "Tỉnh An Giang (từ 07/2025)" in lists["public search filter"]


def test_choices_are_in_vietnamese_alphabetical_order(both_structures, client):
    compare = options(client.get("/chi-so-cchc/so-sanh/").content.decode(), "don_vi")
    provinces = [
        label
        for label in compare
        if not label.startswith(("Bộ", "Ngân", "Thanh", "Ủy", "Văn"))
    ]
    assert provinces == sorted(provinces, key=sort_key)
    start = provinces.index("Bà Rịa - Vũng Tàu")
    assert provinces[start : start + 5] == [
        "Bà Rịa - Vũng Tàu",
        "Bạc Liêu",
        "Bắc Giang",
        "Bắc Kạn",
        "Bắc Ninh (đến 06/2025)",
    ]
    assert provinces.index("Cao Bằng") < provinces.index("Cần Thơ (đến 06/2025)")
    assert provinces.index("Đồng Tháp (từ 07/2025)") < provinces.index(
        "Gia Lai (đến 06/2025)"
    )


def test_database_order_matches_the_python_sort_key(reference):
    names = list(
        Unit.objects.in_group(Group.PROVINCE)
        .order_by("sort_name", "valid_from")
        .values_list("short_name", flat=True)
    )
    assert names == sorted(names, key=sort_key)
    assert names.index("Cần Thơ") > names.index("Cao Bằng")
