"""Template helpers used by the site layout."""

from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

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
