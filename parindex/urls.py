from django.urls import path, register_converter
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cchc_portal.web.language import in_english
from parindex import api, views

# The English edition names the two rankings in English.
ENGLISH_GROUPS = {"bo": "ministries", "tinh": "provinces"}
GROUPS_FROM_ENGLISH = {english: group for group, english in ENGLISH_GROUPS.items()}


class GroupConverter:
    """The two rankings: bo (ministries) and tinh (provinces); under /en/,
    ministries and provinces (the view always receives bo or tinh)."""

    regex = "bo|tinh|ministries|provinces"

    def to_python(self, value: str) -> str:
        english = value in GROUPS_FROM_ENGLISH
        if english != (get_language() == "en"):
            # /chi-so-cchc/2023/ministries/ and /en/par-index/2023/bo/ are not
            # addresses: one spelling per language.
            raise ValueError(value)
        return GROUPS_FROM_ENGLISH.get(value, value)

    def to_url(self, value: str) -> str:
        if get_language() == "en":
            return ENGLISH_GROUPS.get(value, value)
        return value


register_converter(GroupConverter, "group")

app_name = "parindex"

urlpatterns = [
    path("", in_english(views.overview), name="overview"),
    path(_("phuong-phap/"), in_english(views.MethodView.as_view()), name="method"),
    path(_("so-sanh/"), in_english(views.compare), name="compare"),
    path(_("du-lieu-mo/"), in_english(views.OpenDataView.as_view()), name="open-data"),
    path(_("dinh-chinh/"), in_english(views.corrections), name="corrections"),
    path(
        _("don-vi/<slug:slug>/"),
        in_english(views.UnitDetailView.as_view()),
        name="unit-detail",
    ),
    path(
        "don-vi/<slug:slug>/anh-chia-se.png",
        # The link previews' images stay Vietnamese; English pages use them too.
        in_english(views.unit_share_image),
        name="unit-share-image",
    ),
    path(
        "<int:year>/<group:group>/anh-chia-se.png",
        in_english(views.ranking_share_image),
        name="ranking-share-image",
    ),
    path(
        "<int:year>/<group:group>/",
        in_english(views.EditionDetailView.as_view()),
        name="ranking",
    ),
    path(
        "<int:year>/<group:group>.csv",
        in_english(views.edition_download),
        {"fmt": "csv"},
        name="download-csv",
    ),
    path(
        "<int:year>/<group:group>-excel.csv",
        in_english(views.edition_download),
        {"fmt": "csv-excel"},
        name="download-csv-excel",
    ),
    path(
        "<int:year>/<group:group>.xlsx",
        in_english(views.edition_download),
        {"fmt": "xlsx"},
        name="download-xlsx",
    ),
    path(
        "<int:year>/<group:group>.json",
        in_english(views.edition_download),
        {"fmt": "json"},
        name="download-json",
    ),
    path(
        "<int:year>/<group:group>.datapackage.json",
        in_english(views.edition_datapackage),
        name="download-datapackage",
    ),
    path(
        "datapackage.json",
        in_english(views.archive_datapackage),
        name="archive-datapackage",
    ),
    path("api/v1/", api.root, name="api-root"),
    path("api/v1/openapi.json", api.openapi, name="api-openapi"),
    path("api/v1/editions/", api.edition_list, name="api-edition-list"),
    path(
        "api/v1/editions/<int:year>/<group:group>/",
        api.edition_detail,
        name="api-edition-detail",
    ),
    path("api/v1/units/", api.unit_list, name="api-unit-list"),
    path("api/v1/units/<slug:slug>/", api.unit_detail, name="api-unit-detail"),
]
