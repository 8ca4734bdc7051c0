"""Layout helpers both apps' templates use (cchc_portal/templatetags/portal_tags.py)."""

from django.template import Context, Template


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
