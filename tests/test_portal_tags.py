"""Layout helpers both apps' templates use (cchc_portal/templatetags/portal_tags.py)."""

from django.template import Context, Template
from django.test import RequestFactory


def render(source: str, **context) -> str:
    return Template("{% load portal_tags %}" + source).render(Context(context))


def test_one_line_joins_a_long_text_written_over_several_lines():
    html = render(
        "{% filter one_line %}\n  Chỉ số {{ name }}\n  qua  các năm.\n{% endfilter %}",
        name="<Huế>",
    )
    assert html == "Chỉ số &lt;Huế&gt; qua các năm."


def test_one_line_keeps_markup_and_what_it_escaped():
    html = render(
        '{% filter one_line %}<span class="a">\n  {{ name }}\n</span>{% endfilter %}',
        name="<b>Huế</b>",
    )
    assert html == '<span class="a"> &lt;b&gt;Huế&lt;/b&gt; </span>'


def test_absolute_url_uses_the_requests_scheme_and_host(settings):
    settings.ALLOWED_HOSTS = ["cchc.example.gov.vn"]
    request = RequestFactory().get("/", HTTP_HOST="cchc.example.gov.vn", secure=True)
    html = render("{% absolute_url path %}", request=request, path="/tin-tuc/a-1/")
    assert html == "https://cchc.example.gov.vn/tin-tuc/a-1/"
