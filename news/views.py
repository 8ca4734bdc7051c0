"""Public news pages: home, listings, article page, glossary, search."""

from __future__ import annotations

import datetime as dt

from csp.constants import SELF
from csp.decorators import csp_replace, csp_update
from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import DetailView, ListView

from cchc_portal.runtime.page_cache import query_parameters
from cchc_portal.web.csp import ZALO_SHARE_CSP
from cchc_portal.web.language import NoEnglishPage
from cchc_portal.web.paging import NextPagePaginator
from news import internal_links, permissions, selectors
from news.context_processors import nav_categories_for
from news.filters import ArticleSearchFilter, SearchForm
from news.models import ENGLISH, VIETNAMESE, Article, Category, GlossaryTerm, Tag
from news.search import NO_SYNONYMS
from news.translations import reading_language

ARTICLES_PER_PAGE = 12
# Archive pages outside these years are 404 rather than a datetime error.
ARCHIVE_YEARS = range(1990, 2200)


@query_parameters()
def home(request):
    """Home page: featured article, latest news, a block per menu category.

    In English (/en/): the latest English versions and the PAR INDEX; the
    sections are Vietnamese pages, so they have no blocks there.
    """
    language = reading_language()
    english = language != VIETNAMESE
    content = selectors.home_page_get(
        nav_categories=[] if english else nav_categories_for(request),
        language=language,
    )
    return render(request, "news/home.html", {"home": content, "english": english})


class ArticleListMixin:
    """Paged cards of public articles; subclasses narrow the queryset."""

    model = Article
    paginate_by = ARTICLES_PER_PAGE
    query_parameters = ("page",)
    context_object_name = "articles"
    template_name = "news/article_list.html"
    # Invalid ?page= values (abc, 0, -1, past the end) answer 404 from
    # Django's paginate_queryset; "last" is accepted.

    # "Xem thêm" paging: no COUNT(*) over the whole table on every page.
    paginator_class = NextPagePaginator

    def get_queryset(self):
        return Article.objects.published(language=reading_language()).for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            english=reading_language() != VIETNAMESE,
            heading=self.heading(),
            breadcrumb=self.breadcrumb(),
            intro=self.intro(),
        )
        return context

    def heading(self) -> str:
        return gettext("Tin tức")

    def intro(self) -> str:
        return ""

    def breadcrumb(self) -> list[tuple[str, str]]:
        """(label, url) pairs between "Trang chủ" and the current page."""
        return []


class ArticleListView(ArticleListMixin, ListView):
    """All news, newest first."""


class CategoryArticleListView(ArticleListMixin, ListView):
    """A category's articles, including those of its sub-sections."""

    template_name = "news/category_detail.html"

    @cached_property
    def category(self) -> Category:
        return get_object_or_404(
            Category.objects.select_related("parent"), slug=self.kwargs["slug"]
        )

    def get_queryset(self):
        return super().get_queryset().in_category(self.category)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["subcategories"] = list(
            self.category.children.only("id", "name", "slug")
        )
        return context

    def heading(self) -> str:
        return self.category.name

    def intro(self) -> str:
        return self.category.description

    def breadcrumb(self):
        return self.category.trail()[:-1]


class TagArticleListView(ArticleListMixin, ListView):
    """Articles carrying a tag."""

    template_name = "news/tag_detail.html"

    @cached_property
    def tag(self) -> Tag:
        return get_object_or_404(Tag.objects.public(), slug=self.kwargs["slug"])

    def get_queryset(self):
        return super().get_queryset().with_tag(self.tag)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag"] = self.tag
        return context

    def heading(self) -> str:
        return f"Thẻ: {self.tag.name}"

    def breadcrumb(self):
        return [("Tin tức", reverse("news:article-list"))]


class ArticleMonthArchiveView(ArticleListMixin, ListView):
    """Articles published in one month (Hanoi time); a month without any is 404."""

    template_name = "news/article_archive_month.html"

    @cached_property
    def month_start(self) -> dt.date:
        year, month = self.kwargs["year"], self.kwargs["month"]
        if year not in ARCHIVE_YEARS or not 1 <= month <= 12:
            raise Http404("Không có tháng này")
        return dt.date(year, month, 1)

    def get(self, request, *args, **kwargs):
        # One URL per month: /tin-tuc/2026/01/ answers 301 to /tin-tuc/2026/1/.
        start = self.month_start
        canonical = reverse(
            "news:article-archive-month", args=[start.year, start.month]
        )
        if request.path != canonical:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{canonical}?{query}" if query else canonical
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        start = self.month_start
        return super().get_queryset().in_month(start.year, start.month)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # An empty month is a thin page and, with neighbour links, a crawler
        # trap (checked on the page already read: no extra COUNT or EXISTS).
        if not context["articles"]:
            raise Http404("Không có tin bài nào trong tháng này")
        previous_month, next_month = selectors.article_months_around(self.month_start)
        context.update(
            month=self.month_start,
            previous_month=previous_month,
            next_month=next_month,
        )
        return context

    def heading(self) -> str:
        return f"Tin tức tháng {self.month_start:%m/%Y}"

    def breadcrumb(self):
        return [("Tin tức", reverse("news:article-list"))]


class ArticleDetailView(DetailView):
    """An article; a stale or wrong slug in the URL answers 301 to the current one."""

    template_name = "news/article_detail.html"
    context_object_name = "article"
    query_parameters = ()
    # "Tin liên quan" and "Đọc thêm" (and their queries).
    show_related = True
    # The share links, Zalo's button among them (its script and frame sources
    # are allowed on these pages only).
    show_share = True

    def get_queryset(self):
        # /en/news/…-<id>/ finds English versions only: the id of a
        # Vietnamese article there is a 404, and the other way round.
        return Article.objects.published(language=reading_language()).for_detail()

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            # /en/news/…-<id>/ with a Vietnamese article's id: its English
            # version if it has a public one (an address edited by hand).
            if reading_language() != ENGLISH:
                raise
            english = selectors.article_get_english_version(pk=self.kwargs["pk"])
            if english is not None:
                return HttpResponsePermanentRedirect(self.canonical_url(english))
            # An English version not (or no longer) public: its 404 points
            # to the Vietnamese original, when readers may see that.
            original = selectors.article_get_public_original(pk=self.kwargs["pk"])
            if original is None:
                raise
            raise NoEnglishPage(vietnamese_url=self.canonical_url(original)) from None
        if self.kwargs["slug"] != self.object.slug:
            return HttpResponsePermanentRedirect(self.canonical_url(self.object))
        return self.render_to_response(self.get_context_data(object=self.object))

    def canonical_url(self, article: Article) -> str:
        return article.get_absolute_url()

    def language_alternates(self, article: Article) -> dict[str, str | None]:
        """{"vi": url, "en": url}: this article and its public counterpart in
        the other language (None when it has none), for the language switch
        and hreflang (base.html)."""
        counterpart = selectors.article_get_counterpart(article=article)
        urls = {VIETNAMESE: None, ENGLISH: None}
        if article.is_public():
            urls[article.language] = self.canonical_url(article)
        if counterpart is not None:
            urls[counterpart.language] = self.canonical_url(counterpart)
        return urls

    def render_to_response(self, context, **response_kwargs):
        render = super().render_to_response
        if self.show_share and settings.ZALO_OA_ID:
            render = csp_update(ZALO_SHARE_CSP)(render)
        return render(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        english = article.language != VIETNAMESE
        # The glossary explains Vietnamese abbreviations ({% article_body %}).
        context["glossary"] = [] if english else selectors.glossary_term_list()
        context.update(
            english=english,
            language_alternates=self.language_alternates(article),
        )
        if self.show_related:
            lists = selectors.article_get_lists(article=self.object)
            context.update(related_articles=lists.related, read_more=lists.read_more)
        return context


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """Any article, for staff, exactly as readers would see it: "Bản xem trước".

    Everyone else gets 404, as for an unpublished article. Never cached: the
    response says no-store, and the page cache skips requests with a session.
    """

    def get_queryset(self):
        if not permissions.can_preview(self.request.user):
            raise Http404("Không có trang này")
        return Article.objects.for_detail()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.published_at is None:
            # Shown as it would be if published now (never saved).
            self.object.published_at = timezone.now()
        response = self.render_in_its_language()
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def render_in_its_language(self):
        """The page as its readers will see it: an English version with the
        English interface, though the preview's address is Vietnamese."""
        with translation.override(self.object.language):
            response = self.render_to_response(
                self.get_context_data(object=self.object)
            )
            response.render()
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            preview=True,
            preview_admin_url=reverse(
                "admin:news_article_change", args=[self.object.pk]
            ),
        )
        return context


@method_decorator(
    [xframe_options_sameorigin, csp_replace({"frame-ancestors": [SELF]})],
    name="dispatch",
)
class ArticleFormPreviewView(ArticlePreviewView):
    """An article never saved (the admin form as posted), for staff, rendered by
    the public article template: the admin's "Xem trước" before saving and
    the preview frames beside the form (same origin only).

    `article` is the unsaved instance the admin built from the form
    (news.forms.article_from_form); nothing is written.
    """

    article: Article | None = None
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if self.article is None or not permissions.can_preview(request.user):
            raise Http404("Không có trang này")
        self.object = self.article
        response = self.render_in_its_language()
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        context = super(ArticlePreviewView, self).get_context_data(**kwargs)
        context.update(preview=True, preview_admin_url="", preview_unsaved=True)
        return context


def internal_link(request, kind: str, pk: int):
    """/lien-ket/<kind>/<id>/, a link in an article body: the target's current
    page (302, so it follows slug changes); 404 while readers cannot see it."""
    url = internal_links.public_target_url(kind, pk)
    if url is None:
        raise Http404("Không có trang này")
    return redirect(url)


class ArticlePrintView(ArticleDetailView):
    """A print-friendly page with the article alone."""

    template_name = "news/article_print.html"
    show_related = False  # the article alone
    show_share = False

    def canonical_url(self, article: Article) -> str:
        return article.get_print_url()

    def language_alternates(self, article: Article) -> dict[str, str | None]:
        # Printing is for the Vietnamese pages only.
        return {VIETNAMESE: self.canonical_url(article), ENGLISH: None}


class GlossaryView(ListView):
    """The abbreviations the portal uses, with their meanings."""

    model = GlossaryTerm
    query_parameters = ()
    template_name = "news/glossaryterm_list.html"
    context_object_name = "terms"


class SearchView(ListView):
    """/tim-kiem/?q=: public articles matching the words, PAR INDEX units above.

    Filters alone (no words) list the matching articles newest first; with
    neither, the page shows the form and tips. Bad filter values are form
    errors on the page, and the valid filters still apply.
    """

    template_name = "news/article_search.html"
    context_object_name = "articles"
    paginate_by = ARTICLES_PER_PAGE
    query_parameters = (
        "page",
        *SearchForm.base_fields,
        *ArticleSearchFilter.base_filters,
    )
    paginator_class = NextPagePaginator

    @cached_property
    def english(self) -> bool:
        return reading_language() != VIETNAMESE

    @cached_property
    def filterset(self) -> ArticleSearchFilter:
        return ArticleSearchFilter(
            self.request.GET or None,
            queryset=Article.objects.published(language=reading_language()),
            # The glossary pairs Vietnamese abbreviations with their meanings.
            synonyms=NO_SYNONYMS if self.english else None,
        )

    @cached_property
    def searching(self) -> bool:
        return bool(self.filterset.query or self.filterset.active_filters)

    def get_queryset(self):
        if not self.searching:
            return Article.objects.none()
        return selectors.article_search(filterset=self.filterset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        query = filterset.query
        page = context["page_obj"]
        first_page = page.number == 1
        found = bool(page.object_list)
        units = (
            selectors.unit_search(query=query, language=reading_language())
            if first_page
            else []
        )
        articles = self.object_list
        context.update(
            english=self.english,
            # Older matches were left out of the ranking (a very common word).
            ranking_capped=isinstance(articles, selectors.RankedArticles)
            and articles.capped,
            ranked_limit=selectors.SEARCH_RANKED_LIMIT,
            filterset=filterset,
            form=filterset.form,
            query=query,
            searching=self.searching,
            units=units,
            par_index_links=(
                selectors.par_index_link_list(query=query, units=units)
                if first_page
                else []
            ),
            looser=(
                selectors.looser_search_get(filterset=filterset)
                if first_page and query and not found
                else None
            ),
        )
        return context
