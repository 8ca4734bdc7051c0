"""Every PAR INDEX page runs a bounded number of queries, whatever the size."""

from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from tests.factories import FrameworkFactory, RegionFactory, UnitFactory
from tests.parindex.conftest import build_edition

pytestmark = pytest.mark.django_db


def build_world(units_count: int, editions_count: int, start: int = 2015):
    """editions_count yearly editions of units_count provinces with 2 areas."""
    regions = RegionFactory.create_batch(3)
    units = [UnitFactory(region=regions[i % 3]) for i in range(units_count)]
    framework = FrameworkFactory(area_maxima=["60", "40"])
    totals = [f"{60 + (i * 37) % 40}.00" for i in range(units_count)]
    areas = [
        [str(Decimal(t) * Decimal("0.6")), str(Decimal(t) * Decimal("0.4"))]
        for t in totals
    ]
    for year in range(start, start + editions_count):
        build_edition(
            year=year,
            units=units,
            totals=totals,
            framework=framework,
            area_points=areas,
        )
    return units, start + editions_count - 1


def pages(units, last_year):
    first, second = units[0].slug, units[1].slug
    return [
        "/chi-so-cchc/",
        f"/chi-so-cchc/{last_year}/tinh/",
        f"/chi-so-cchc/{last_year}/tinh/?sort=-area-1&vung={units[0].region.slug}",
        f"/chi-so-cchc/{last_year}/tinh/?sort=delta-rank",
        f"/chi-so-cchc/don-vi/{first}/",
        f"/chi-so-cchc/so-sanh/?don_vi={first}&don_vi={second}",
        "/chi-so-cchc/du-lieu-mo/",
        "/chi-so-cchc/phuong-phap/",
        f"/chi-so-cchc/{last_year}/tinh.csv",
        f"/chi-so-cchc/{last_year}/tinh.json",
        "/chi-so-cchc/api/v1/editions/",
        f"/chi-so-cchc/api/v1/editions/{last_year}/tinh/",
        "/chi-so-cchc/api/v1/units/",
        f"/chi-so-cchc/api/v1/units/{first}/",
    ]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_units_or_editions(client):
    small_units, small_year = build_world(units_count=4, editions_count=2)
    small = [count_queries(client, url) for url in pages(small_units, small_year)]

    big_units, big_year = build_world(units_count=30, editions_count=6, start=2030)
    big = [count_queries(client, url) for url in pages(big_units, big_year)]

    assert big == small, list(zip(pages(big_units, big_year), small, big, strict=True))


# The query budget of each page of pages(): the English pages are held to
# the same (tests/parindex/test_english_pages.py).
PAGE_BUDGETS = [
    (0, 6),  # overview
    # Ranking and profile: +1 for the edition's public corrections; the
    # filtered ranking +1 more for the units the map shows blank.
    (1, 13),  # ranking
    (2, 14),  # ranking filtered and sorted by an area
    (3, 13),  # ranking sorted by change of rank
    (4, 13),  # unit profile
    (5, 10),  # compare
    (6, 4),  # open data
    (7, 4),  # method
    (8, 8),  # CSV
    (9, 8),  # JSON
    (10, 3),  # API editions
    (11, 8),  # API edition
    (12, 3),  # API units
    (13, 8),  # API unit
]
API_PAGES = range(10, 14)


@pytest.mark.parametrize(("page", "limit"), PAGE_BUDGETS)
def test_each_page_stays_under_its_query_budget(
    client, django_assert_max_num_queries, page, limit
):
    units, year = build_world(units_count=20, editions_count=4)
    url = pages(units, year)[page]
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_widgets_run_a_fixed_number_of_queries(django_assert_max_num_queries):
    units, _ = build_world(units_count=25, editions_count=5)
    with django_assert_max_num_queries(2):
        Template("{% load parindex_tags %}{% parindex_home_box %}").render(Context())
    with django_assert_max_num_queries(1):
        Template("{% load parindex_tags %}{% unit_score_cards units %}").render(
            Context({"units": units[3:8]})
        )
