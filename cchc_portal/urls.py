from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from cchc_portal.web import sitemaps, views
from news import views as news_views

admin.site.site_header = "Quản trị Cổng thông tin CCHC"
admin.site.site_title = "Quản trị CCHC"
admin.site.index_title = "Nội dung cổng thông tin"

urlpatterns = [
    path("", news_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path(
        "tuyen-bo-kha-nang-tiep-can/",
        views.AccessibilityStatementView.as_view(),
        name="accessibility-statement",
    ),
    path("chi-so-cchc/", include("parindex.urls")),
    path("tim-kiem/", include("news.search_urls")),
    path("nhan-tin/", include("cchc_portal.alerts.urls")),
    path("quan-tri/", admin.site.urls),
    path("", include("news.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")),
            views.media,
            name="media",
        )
    )

handler404 = "cchc_portal.web.views.page_not_found"
handler500 = "cchc_portal.web.views.server_error"
