import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import EmptyPage, PageNotAnInteger

from cchc_portal.web.paging import NextPagePaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    model = get_user_model()
    model.objects.bulk_create(model(username=f"nguoi-{n:02}") for n in range(25))
    return model.objects.order_by("username")


def test_a_page_is_one_query_and_knows_whether_a_next_one_exists(
    users, django_assert_num_queries
):
    paginator = NextPagePaginator(users, 10)
    with django_assert_num_queries(1) as queries:
        first = paginator.page(1)
        assert [user.username for user in first] == [f"nguoi-{n:02}" for n in range(10)]
    assert "COUNT" not in queries.captured_queries[0]["sql"]
    assert first.has_next() and not first.has_previous()
    assert first.next_page_number() == 2
    last = paginator.page(3)
    assert len(last) == 5
    assert not last.has_next() and last.previous_page_number() == 2


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("abc", PageNotAnInteger),
        (0, EmptyPage),
        (-1, EmptyPage),
        (99, EmptyPage),
        ("99999999999999999999", EmptyPage),
        (1.5, PageNotAnInteger),
    ],
)
def test_impossible_page_numbers_raise_the_paginator_errors(users, number, error):
    with pytest.raises(error):
        NextPagePaginator(users, 10).page(number)


def test_an_empty_list_still_has_a_first_page(db):
    page = NextPagePaginator(get_user_model().objects.none(), 10).page(1)
    assert list(page) == [] and not page.has_next()
