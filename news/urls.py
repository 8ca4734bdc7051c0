from django.urls import path
from django.utils.translation import gettext_lazy as _

from cchc_portal.web.language import in_english
from news import feeds, views

app_name = "news"

# The routes with English pages have translated route strings (English in
# news/locale/en): /en/news/, /en/news/rss/, /en/news/<slug>-<id>/. An
# article and its English version are different rows, so the article page's
# counterpart is not its route translated (same_route=False): the view gives
# language_alternates. The other routes are Vietnamese pages only.
urlpatterns = [
    path(
        _("tin-tuc/"),
        in_english(views.ArticleListView.as_view()),
        name="article-list",
    ),
    path(_("tin-tuc/rss/"), in_english(feeds.LatestArticlesFeed()), name="feed"),
    path("tin-tuc/don-vi/<slug:slug>/rss/", feeds.UnitFeed(), name="unit-feed"),
    path(
        "tin-tuc/<int:year>/<int:month>/",
        views.ArticleMonthArchiveView.as_view(),
        name="article-archive-month",
    ),
    path(
        _("tin-tuc/<slug:slug>-<int:pk>/"),
        in_english(views.ArticleDetailView.as_view(), same_route=False),
        name="article-detail",
    ),
    path(
        "tin-tuc/<slug:slug>-<int:pk>/ban-in/",
        views.ArticlePrintView.as_view(),
        name="article-print",
    ),
    path(
        "xem-truoc/tin-tuc/<int:pk>/",
        views.ArticlePreviewView.as_view(),
        name="article-preview",
    ),
    path(
        "lien-ket/<str:kind>/<int:pk>/",
        views.internal_link,
        name="internal-link",
    ),
    path(
        "chuyen-muc/<slug:slug>/",
        views.CategoryArticleListView.as_view(),
        name="category-detail",
    ),
    path("chuyen-muc/<slug:slug>/rss/", feeds.CategoryFeed(), name="category-feed"),
    path("the/<slug:slug>/", views.TagArticleListView.as_view(), name="tag-detail"),
    path("the/<slug:slug>/rss/", feeds.TagFeed(), name="tag-feed"),
    path("thuat-ngu/", views.GlossaryView.as_view(), name="glossary"),
]
