"""Template helpers used by the site layout."""

import json
from functools import lru_cache
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cchc_portal.web.language import home_url, page_alternates

register = template.Library()


@lru_cache(maxsize=16)
def _read_static(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"static file not found: {path}")
    with open(found, encoding="utf-8") as handle:
        return handle.read().strip()


@register.simple_tag
def inline_static(path: str) -> str:
    """Inline a small static file (a script that must run before first paint)."""
    return mark_safe(_read_static(path))


# What could end a <script> element or start markup inside it, as JSON escapes
# (the escaping Django's json_script uses).
_JSON_SCRIPT_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
}


@register.simple_tag
def json_ld(data: dict | list[dict]) -> SafeString:
    """One <script type="application/ld+json"> block per object, safe in HTML."""
    items = data if isinstance(data, list) else [data]
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        (
            (
                mark_safe(
                    json.dumps(
                        item, cls=DjangoJSONEncoder, ensure_ascii=False
                    ).translate(_JSON_SCRIPT_ESCAPES)
                ),
            )
            for item in items
        ),
    )


def _canonical_query(query: QueryDict) -> str:
    """?page=N past the first: the one parameter canonical addresses keep."""
    page = query.get("page", "")
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if page.isdecimal() and int(page) > 1:
        return "?" + urlencode({"page": int(page)})
    return ""


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """Absolute URL of this page without its query, except ?page=N past the first."""
    request = context["request"]
    # The head's link and the share tags both ask; worked out once.
    if not hasattr(request, "_canonical_url"):
        request._canonical_url = request.build_absolute_uri(
            request.path
        ) + _canonical_query(request.GET)
    return request._canonical_url


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """`path` on this site as an absolute URL, with the request's scheme and host."""
    return context["request"].build_absolute_uri(path)


@register.filter(is_safe=True)
def one_line(text: str) -> str:
    """Text written over several template lines, as one line with single spaces.

    For {% filter one_line %} around a long title or meta description, whose
    value is an attribute or a <title> and must not carry the line breaks.
    """
    return " ".join(str(text).split())


@register.simple_tag(takes_context=True)
def page_block(context, name: str) -> SafeString:
    """What a block of this page renders to, on one line (e.g. the title again,
    for og:title). Only in the template that defines the block (base.html)."""
    from django.template.loader_tags import BLOCK_CONTEXT_KEY

    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks is not None else None
    if block is None:
        return mark_safe("")
    # The block's output is already escaped; only its spacing changes.
    return mark_safe(" ".join(block.render(context).split()))


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in each language, for the language switch and hreflang.

    Each item: code, name, url (None when the page has no version in that
    language), switch_url (url, else that language's home), is_current.
    Worked out once per request and language: the header and the head both
    ask for it.
    """
    request = context.get("request")
    current = get_language()
    if request is None:
        return _language_versions({}, current)
    if not hasattr(request, "_language_versions"):
        request._language_versions = {}
    if current not in request._language_versions:
        request._language_versions[current] = _language_versions(
            page_alternates(request, context.get("language_alternates")), current
        )
    return request._language_versions[current]


def _language_versions(alternates: dict, current: str) -> list[dict]:
    return [
        {
            "code": code,
            "name": name,
            "url": alternates.get(code),
            "switch_url": alternates.get(code) or home_url(code),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def hreflang_links(context) -> SafeString:
    """<link rel="alternate" hreflang> for every language, and x-default (the
    Vietnamese page), only when the page exists in all of them: a pair must
    point both ways (Google ignores one-way pairs)."""
    request = context.get("request")
    if request is None:
        return mark_safe("")
    versions = language_versions(context)
    if not all(version["url"] for version in versions):
        return mark_safe("")
    urls = {
        version["code"]: request.build_absolute_uri(
            version["url"].split("?")[0]
            + _canonical_query(QueryDict(urlsplit(version["url"]).query))
        )
        for version in versions
    }
    pairs = [*urls.items(), ("x-default", urls[settings.LANGUAGE_CODE])]
    return format_html_join(
        "\n    ",
        '<link rel="alternate" hreflang="{}" href="{}">',
        pairs,
    )


@register.filter
def startswith(text, prefix) -> bool:
    """For aria-current on a section's links: is this path under that one?"""
    return bool(prefix) and str(text).startswith(str(prefix))


@register.simple_tag
def og_locale() -> str:
    """og:locale of the page's language (vi_VN, en_GB)."""
    from cchc_portal.web.language import og_locale

    return og_locale()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, parts: list):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context) -> SafeString:
        from cchc_portal.runtime.blocks import cached_block

        parts = [part.resolve(context) for part in self.parts]
        return cached_block(
            f"fragment:{self.name}",
            *parts,
            compute=lambda: mark_safe(self.nodelist.render(context)),
        )


@register.tag
def shared_fragment(parser, token):
    """{% shared_fragment "name" part … %}…{% endshared_fragment %}: markup
    that is the same on every page with the same parts (the footer, the
    header's search box), rendered once per content generation and language
    (runtime/blocks.py) instead of on every page.

    The parts must be everything the markup depends on besides the content
    and the language; nothing per visitor belongs inside.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs a name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return SharedFragmentNode(
        nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]]
    )
