from django.utils.functional import SimpleLazyObject

from cchc_portal.runtime.blocks import cached_block
from news.models import Category


def nav_categories_for(request) -> list[Category]:
    """Categories flagged for the primary navigation, read once per request."""
    if not hasattr(request, "_news_nav_categories"):
        # Once per content generation: every page shows the menu.
        request._news_nav_categories = cached_block(
            "nav-categories", compute=_nav_categories
        )
    return request._news_nav_categories


def _nav_categories() -> list[Category]:
    categories = list(
        Category.objects.filter(show_in_nav=True).only("id", "name", "slug", "order")
    )
    for category in categories:
        # The menu's link, reversed once with the list rather than per page.
        category.nav_url = category.get_absolute_url()
    return categories


def navigation(request):
    """The primary navigation's categories: one small query per page.

    Lazy, so a response that never renders the header does not query, and
    shared with views (the home page) that need the same list.
    """
    return {"nav_categories": SimpleLazyObject(lambda: nav_categories_for(request))}
