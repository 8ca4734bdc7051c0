"""No input reaches a 500: hostile query strings, path segments and form data
sent to every public route (property-based, with hypothesis).

Routes are read from the URL configuration itself, so a new page is covered
as soon as it exists. Each route is tried both with generated path segments
(mostly answering 404) and, where the demo data has real objects, with a
real path and hostile query strings.
"""

import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news.models import Article, Category, Tag
from parindex.models import Edition, Unit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Parameter names the public views read, plus a few that nobody reads.
QUERY_KEYS = [
    "q",
    "page",
    "sort",
    "vung",
    "don_vi",
    "chuyen_muc",
    "the",
    "don_vi_lien_quan",
    "tu_ngay",
    "den_ngay",
    "sap_xep",
    "group",
    "year",
    "format",
    "x",
]
HOSTILE_VALUES = [
    "",
    " ",
    "'",
    '"',
    "' OR 1=1 --",
    "1; DROP TABLE news_article; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%",
    "%25",
    "\\",
    "🇻🇳🙂",
    "a" * 3000,
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "null",
    "[]",
    "{}",
    "Đà Nẵng",
    "da nang",
    '"một cửa"',
    "\u0301",
    "\ufeff",
    "\u202e",
    "31/02/2024",
    "2024-13-45",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(max_size=40),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
)
query_strings = st.lists(
    st.tuples(
        st.sampled_from(QUERY_KEYS) | st.text(min_size=1, max_size=8), hostile_text
    ),
    max_size=4,
)
EXCLUDED_PREFIXES = ("quan-tri/", "media/", "static/")
CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


def public_routes(resolver=None, prefix=""):
    """Every route outside the admin as (route text, {parameter: converter kind})."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes.extend(public_routes(entry, prefix + pattern))
        elif isinstance(entry, URLPattern):
            route = (prefix + pattern).lstrip("^").rstrip("$")
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            kinds = {m["name"]: m["kind"] or "str" for m in CONVERTER.finditer(route)}
            routes.append((route, kinds))
    return routes


ROUTES = public_routes()


def segment_for(kind):
    if kind == "int":
        return st.integers(min_value=0, max_value=10**25).map(str)
    if kind == "group":
        return st.sampled_from(["bo", "tinh"])
    return hostile_text.filter(lambda text: text and "/" not in text)


def fill(route, values):
    return "/" + CONVERTER.sub(lambda m: quote(values[m["name"]], safe=""), route)


@pytest.fixture
def site(demo_site):
    """The demo data `make run` loads: real pages to aim hostile queries at."""


def real_paths():
    article = Article.objects.published().first()
    edition = Edition.objects.released().first()
    paths = [
        "/",
        "/tin-tuc/",
        article.get_absolute_url(),
        Category.objects.first().get_absolute_url(),
        Tag.objects.first().get_absolute_url(),
        Unit.objects.filter(results__isnull=False).first().get_absolute_url(),
        edition.get_absolute_url(),
        f"{edition.get_absolute_url().rstrip('/')}.csv",
    ]
    for route, kinds in ROUTES:
        if not kinds:
            paths.append("/" + route)
    return sorted(set(paths))


def assert_answered(response, url):
    assert response.status_code < 500, url
    body = response.content if not response.streaming else b""
    assert b"Traceback" not in body, url


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_paths_and_queries_never_answer_500(site, data):
    route, kinds = data.draw(st.sampled_from(ROUTES))
    values = {name: data.draw(segment_for(kind)) for name, kind in kinds.items()}
    url = fill(route, values)
    query = urlencode(data.draw(query_strings))
    response = Client().get(f"{url}?{query}" if query else url)
    assert_answered(response, url)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_real_pages_with_hostile_queries_never_answer_500(site, data):
    path = data.draw(st.sampled_from(real_paths()))
    query = urlencode(data.draw(query_strings))
    response = Client().get(f"{path}?{query}" if query else path)
    assert_answered(response, f"{path}?{query}")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_form_posts_to_public_pages_never_answer_500(site, data):
    path = data.draw(st.sampled_from(real_paths()))
    fields = dict(data.draw(query_strings))
    # A real browser's CSRF protection applies: posts without a token are refused.
    response = Client(enforce_csrf_checks=True).post(path, fields)
    assert_answered(response, path)
    assert response.status_code in {400, 403, 405, 413}
