"""news_tags helpers that templates use in several places."""

import datetime as dt

import pytest
from django.template import Context, Template

from news.templatetags.news_tags import time_tag
from tests.factories import ArticleFactory, CategoryFactory


def render(source: str, **context) -> str:
    return Template("{% load news_tags %}" + source).render(Context(context))


def test_time_tag_gives_hanoi_time_and_nothing_for_no_time():
    moment = dt.datetime(2026, 5, 30, 14, 27, tzinfo=dt.UTC)
    assert time_tag(moment) == (
        '<time datetime="2026-05-30T21:27:00+07:00">30/05/2026 21:27</time>'
    )
    assert time_tag(moment, "d/m/Y").endswith(">30/05/2026</time>")
    assert time_tag(None) == ""


def test_page_suffix_only_past_the_first_page():
    class Page:
        def __init__(self, number):
            self.number = number

    assert render("{% page_suffix %}", page_obj=Page(1)) == ""
    assert render("{% page_suffix %}", page_obj=Page(3)) == " – trang 3"
    assert render("{% page_suffix %}") == ""


@pytest.mark.django_db
def test_article_breadcrumb_names_the_section_and_its_parent():
    parent = CategoryFactory(name="Tin tức")
    article = ArticleFactory(
        title=" ".join(["từ"] * 15),
        category=CategoryFactory(name="Địa phương", parent=parent),
    )
    html = render("{% article_breadcrumb article %}", article=article)
    assert f'<li><a href="{parent.get_absolute_url()}">Tin tức</a></li>' in html
    assert (
        f'<li><a href="{article.category.get_absolute_url()}">Địa phương</a></li>'
        in html
    )
    assert '<li aria-current="page">' + " ".join(["từ"] * 12) + " …</li>" in html
    assert article.category_trail() == [
        ("Tin tức", parent.get_absolute_url()),
        ("Địa phương", article.category.get_absolute_url()),
    ]
