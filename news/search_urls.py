"""The site search (its own namespace: `search:results`), in both languages:
/tim-kiem/ searches the Vietnamese articles, /en/search/ the English ones."""

from django.urls import path

from cchc_portal.web.language import in_english
from news import views

app_name = "search"

urlpatterns = [
    path("", in_english(views.SearchView.as_view()), name="results"),
]
