"""The English edition: the language of a page is its URL.

Vietnamese pages keep their addresses; English ones live under /en/ with
translated route strings (`i18n_patterns` in cchc_portal/urls.py). Neither a
cookie nor Accept-Language ever changes the language, so one URL is one page:
cacheable, shareable and indexable.

Only the views marked with `in_english` have English pages. Under /en/, any
other view answers the English 404, which links to the Vietnamese page.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import Http404
from django.urls import (
    NoReverseMatch,
    Resolver404,
    ResolverMatch,
    resolve,
    reverse,
    translate_url,
)
from django.utils import translation

ENGLISH = "en"
VIETNAMESE = settings.LANGUAGE_CODE
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
ENGLISH_PREFIX = f"/{ENGLISH}/"


class NoEnglishPage(Http404):
    """A 404 under /en/ that knows the Vietnamese page to point to (an English
    version not public, whose original is), for the English 404 page."""

    def __init__(self, *args, vietnamese_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.vietnamese_url = vietnamese_url


def language_of_path(path: str) -> str:
    if path == ENGLISH_PREFIX[:-1] or path.startswith(ENGLISH_PREFIX):
        return ENGLISH
    return VIETNAMESE


def in_english(view=None, *, same_route: bool = True):
    """Mark a view as having English pages.

    same_route: the page in the other language is this route translated
    (a ranking, a unit). False for pages whose counterpart is another object
    (an article and its English version); such views put
    `language_alternates` in their context instead.
    """

    def mark(view):
        view.in_english = True
        view.same_route_in_other_language = same_route
        return view

    return mark if view is None else mark(view)


def has_english_page(view) -> bool:
    return getattr(view, "in_english", False)


class URLLanguageMiddleware:
    """Activate the language the path names, for everything below."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of_path(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Nothing rendered later in this thread (another request's early
            # refusal, a worker's mail) inherits this request's language.
            translation.activate(VIETNAMESE)
        response.headers.setdefault("Content-Language", language)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.LANGUAGE_CODE == ENGLISH and not has_english_page(view_func):
            raise Http404("This page has no English version.")
        return None


def home_url(language: str) -> str:
    with translation.override(language):
        return reverse("home")


def _match_of(path: str, language: str) -> ResolverMatch | None:
    with translation.override(language):
        try:
            return resolve(urlsplit(path).path)
        except Resolver404:
            return None


def _view_of(path: str, language: str):
    match = _match_of(path, language)
    return match.func if match is not None else None


def counterpart_url(
    path: str, language: str, match: ResolverMatch | None = None
) -> str | None:
    """The same page in `language`: the route translated, if that view has
    pages in that language and its counterpart is the same route.

    `match` is the path resolved in the current language when the caller
    has it (the request's resolver_match), which saves resolving it again.
    """
    current = translation.get_language()
    if language == current:
        return path
    if match is None:
        match = _match_of(path, current)
    if match is None or not getattr(match.func, "same_route_in_other_language", True):
        return None
    if not has_english_page(match.func):
        return None
    # translate_url() without its resolve: the route reversed in `language`
    # with the same arguments, the query kept.
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(language):
        try:
            translated = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None
    parts = urlsplit(path)
    url = urlunsplit(("", "", translated, parts.query, parts.fragment))
    return None if url == path else url


def page_alternates(request, given: dict | None = None) -> dict[str, str | None]:
    """{language: URL of this page in it, or None} for every language.

    `given` is a view's own `language_alternates`; otherwise the route is
    translated. The current language always maps to this page.
    """
    current = translation.get_language()
    path = request.get_full_path()
    if given is not None:
        alternates = {code: given.get(code) for code in LANGUAGE_CODES}
        alternates[current] = alternates.get(current) or path
        return alternates
    # The handler resolved this request's path already (not for a 404).
    match = getattr(request, "resolver_match", None)
    return {code: counterpart_url(path, code, match) for code in LANGUAGE_CODES}


def vietnamese_url_of(path: str) -> str:
    """Where an English address that has no page points a reader: the route
    in Vietnamese when the address names one (an article with no English
    version), else the Vietnamese home."""
    with translation.override(ENGLISH):
        url = translate_url(path, VIETNAMESE)
    if url != path and _view_of(url, VIETNAMESE) is not None:
        return url
    return home_url(VIETNAMESE)


class BilingualSitemap:
    """A sitemap section whose items are listed in every language they have a
    page in, each with hreflang alternates to the others and x-default.

    An item has an English page when its Vietnamese address resolves to a
    view marked `in_english`. Mix in before django's Sitemap.
    """

    i18n = True
    alternates = True
    x_default = True

    def get_languages_for_item(self, item):
        with translation.override(VIETNAMESE):
            view = _view_of(self.location(item), VIETNAMESE)
        if has_english_page(view) and getattr(
            view, "same_route_in_other_language", True
        ):
            return [VIETNAMESE, ENGLISH]
        return [VIETNAMESE]

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            # A page in one language has no pair: no self-only hreflang noise.
            languages = [a for a in url["alternates"] if a["lang_code"] != "x-default"]
            if len(languages) < 2:
                url["alternates"] = []
        return urls


# OpenGraph names the page's locale; British English as the Government's
# English portal writes it.
OG_LOCALES = {VIETNAMESE: "vi_VN", ENGLISH: "en_GB"}


def og_locale(language: str | None = None) -> str:
    return OG_LOCALES[language or translation.get_language()]
