"""The benchmark's yardsticks (bench/urls.py) are what bench/misses.py says:
the bare view answers "ok", issue #18's renders about 5 KB with one query."""

import pytest
from django.test import override_settings

from bench import settings as bench_settings
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


def test_the_bare_view_answers_ok_and_is_never_stored(client):
    response = client.get("/__bench__/bare")
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


@override_settings(TEMPLATES=bench_settings.TEMPLATES)
def test_the_yardstick_renders_about_5_kb_with_one_query(
    client, django_assert_num_queries
):
    article = ArticleFactory(title="Tin đo hiệu năng")
    with django_assert_num_queries(1):
        response = client.get("/__bench__/yardstick")
    assert response.status_code == 200
    assert f"<h1>{article.title}</h1>" in response.content.decode()
    assert 4500 <= len(response.content) <= 6000
    assert "no-store" in response["Cache-Control"]


def test_the_yardstick_template_is_found_under_the_bench_settings_only():
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    with pytest.raises(TemplateDoesNotExist):
        get_template("bench/yardstick.html")
