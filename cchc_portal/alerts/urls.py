from django.urls import path

from cchc_portal.alerts import views

app_name = "alerts"

urlpatterns = [
    path("dang-ky/", views.subscribe, name="subscribe"),
    path("da-gui/", views.SubscribeSentView.as_view(), name="subscribe-sent"),
    path("xac-nhan/<str:token>/", views.confirm, name="confirm"),
    path("quan-ly/", views.manage_request, name="manage-request"),
    path("quan-ly/<str:token>/", views.manage, name="manage"),
    path("quan-ly/<str:token>/du-lieu.json", views.manage_export, name="manage-export"),
    path("huy/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("bao-ve-du-lieu-ca-nhan/", views.PrivacyView.as_view(), name="privacy"),
    path("thong-bao-bien-tap/", views.editor_preferences, name="editor-preferences"),
    path("thong-bao-bien-tap/tat/<str:token>/", views.editor_off, name="editor-off"),
]
