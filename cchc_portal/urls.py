from django.contrib import admin
from django.urls import include, path

from cchc_portal import views

admin.site.site_header = "Quản trị Cổng thông tin CCHC"
admin.site.site_title = "Quản trị CCHC"
admin.site.index_title = "Nội dung cổng thông tin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "tuyen-bo-kha-nang-tiep-can/",
        views.AccessibilityStatementView.as_view(),
        name="accessibility-statement",
    ),
    path("chi-so-cchc/", include("parindex.urls")),
    path("quan-tri/", admin.site.urls),
]
