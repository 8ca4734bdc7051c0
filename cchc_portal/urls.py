from django.contrib import admin
from django.urls import path

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
    path("quan-tri/", admin.site.urls),
]

handler500 = "cchc_portal.views.server_error"
