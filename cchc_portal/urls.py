from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from cchc_portal.web import sitemaps, views
from cchc_portal.web.language import in_english
from news import views as news_views

admin.site.site_header = "Quản trị Cổng thông tin CCHC"
admin.site.site_title = "Quản trị CCHC"
admin.site.index_title = "Nội dung cổng thông tin"

# One address per page and language. These stay Vietnamese only: machinery,
# the admin, the alerts and the JSON API (its data carries both names).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path("nhan-tin/", include("cchc_portal.alerts.urls")),
    path("quan-tri/", admin.site.urls),
]

# The public pages: Vietnamese at their addresses, English under /en/ with
# the route strings translated (locale/en). Views without English pages answer
# the English 404 there (cchc_portal/web/language.py).
urlpatterns += i18n_patterns(
    path("", in_english(news_views.home), name="home"),
    path(
        _("tuyen-bo-kha-nang-tiep-can/"),
        in_english(views.AccessibilityStatementView.as_view()),
        name="accessibility-statement",
    ),
    path(_("chi-so-cchc/"), include("parindex.urls")),
    path(_("tim-kiem/"), include("news.search_urls")),
    path("", include("news.urls")),
    prefix_default_language=False,
)

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
