from django.urls import path

from news import feeds, views

app_name = "news"

urlpatterns = [
    path("tin-tuc/", views.ArticleListView.as_view(), name="article-list"),
    path("tin-tuc/rss/", feeds.LatestArticlesFeed(), name="feed"),
    path("tin-tuc/don-vi/<slug:slug>/rss/", feeds.UnitFeed(), name="unit-feed"),
    path(
        "tin-tuc/<int:year>/<int:month>/",
        views.ArticleMonthArchiveView.as_view(),
        name="article-archive-month",
    ),
    path(
        "tin-tuc/<slug:slug>-<int:pk>/",
        views.ArticleDetailView.as_view(),
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
