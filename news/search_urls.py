"""The site search (its own namespace: `search:results`)."""

from django.urls import path

from news import views

app_name = "search"

urlpatterns = [
    path("", views.SearchView.as_view(), name="results"),
]
