"""Shared blocks computed once per content generation and language."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from cchc_portal.runtime import blocks, page_cache
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocks_on(settings):
    settings.BLOCK_CACHE_SECONDS = 600


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"block {self.calls}"


def test_a_block_is_computed_once_per_generation(blocks_on, committed):
    compute = Counter()
    assert blocks.cached_block("b", compute=compute) == "block 1"
    assert blocks.cached_block("b", compute=compute) == "block 1"
    committed(page_cache.invalidate)
    assert blocks.cached_block("b", compute=compute) == "block 2"


def test_a_change_that_commits_ends_the_blocks(blocks_on, committed, client):
    """A watched model's change (a new menu category) refreshes the menu."""
    client.get("/")
    committed(lambda: CategoryFactory(name="Chuyên mục mới", show_in_nav=True))
    assert "Chuyên mục mới" in client.get("/").content.decode()


def test_the_language_and_parts_are_part_of_the_key(blocks_on):
    compute = Counter()
    blocks.cached_block("b", 1, compute=compute)
    blocks.cached_block("b", 2, compute=compute)
    with translation.override("en"):
        blocks.cached_block("b", 1, compute=compute)
    assert compute.calls == 3
    assert blocks.cached_block("b", 1, compute=compute) == "block 1"


def test_none_is_kept_like_any_value(blocks_on):
    calls = []
    for _ in range(2):
        blocks.cached_block("none", compute=lambda: calls.append(1))
    assert calls == [1]


def test_a_shared_fragment_renders_once_per_generation_language_and_parts(
    blocks_on, committed
):
    fragment = Template(
        "{% load portal_tags %}"
        "{% shared_fragment 'f' part %}{{ text }}{% endshared_fragment %}"
    )

    def render(text, part="a"):
        return fragment.render(Context({"text": text, "part": part}))

    assert render("first") == "first"
    assert render("second") == "first"
    assert render("second", part="b") == "second"
    with translation.override("en"):
        assert render("in English") == "in English"
    committed(page_cache.invalidate)
    assert render("after the change") == "after the change"


def test_a_shared_fragment_without_a_name_is_a_template_error():
    with pytest.raises(TemplateSyntaxError, match="needs a name"):
        Template("{% load portal_tags %}{% shared_fragment %}{% endshared_fragment %}")


def test_off_computes_every_time(settings):
    settings.BLOCK_CACHE_SECONDS = 0
    compute = Counter()
    blocks.cached_block("b", compute=compute)
    blocks.cached_block("b", compute=compute)
    assert compute.calls == 2


def test_the_parindex_home_box_reads_the_database_once_per_generation(
    blocks_on, demo_site, django_assert_num_queries
):
    template = Template("{% load parindex_tags %}{% parindex_home_box %}")
    first = template.render(Context())
    with django_assert_num_queries(0):
        assert template.render(Context()) == first
    assert "Chỉ số CCHC" in first


def _without_nonces(html: str) -> str:
    """The page without what differs between any two renders: CSP nonces and
    the charts' ids (counters in parindex/charts/)."""
    html = re.sub(r"(ban-do|bieu-do)-[0-9]+", r"\1-N", html)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/tin-tuc/",
        "article",
        "/chi-so-cchc/2023/bo/",
        "/chi-so-cchc/2024/tinh/",
        # The English edition: its blocks are kept apart (the language is
        # part of every key).
        "/en/",
        "/en/par-index/2023/ministries/",
    ],
)
def test_pages_made_of_cached_blocks_are_the_pages_rendered_without_them(
    demo_site, client, settings, path, django_assert_max_num_queries
):
    from news.models import Article

    if path == "article":
        article = Article.objects.published().filter(units__isnull=False).first()
        path = article.get_absolute_url()
    settings.BLOCK_CACHE_SECONDS = 0
    plain = client.get(path)
    settings.BLOCK_CACHE_SECONDS = 600
    # The blocks are stored, by the other language's page first.
    client.get("/" if path.startswith("/en/") else "/en/")
    client.get(path)
    with django_assert_max_num_queries(len_queries(client, path, blocks=False) - 1):
        cached = client.get(path)
    assert plain.status_code == cached.status_code == 200
    assert _without_nonces(cached.content.decode()) == _without_nonces(
        plain.content.decode()
    )


def len_queries(client, path: str, *, blocks: bool) -> int:
    """How many queries the page runs with the blocks off."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds = settings.BLOCK_CACHE_SECONDS
    settings.BLOCK_CACHE_SECONDS = 600 if blocks else 0
    try:
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
    finally:
        settings.BLOCK_CACHE_SECONDS = seconds
    return len(queries)
