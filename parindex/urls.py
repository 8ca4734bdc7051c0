from django.urls import path, register_converter

from parindex import api, views


class GroupConverter:
    """The two rankings: bo (ministries) and tinh (provinces)."""

    regex = "bo|tinh"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(GroupConverter, "group")

app_name = "parindex"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("phuong-phap/", views.MethodView.as_view(), name="method"),
    path("so-sanh/", views.compare, name="compare"),
    path("du-lieu-mo/", views.OpenDataView.as_view(), name="open-data"),
    path("dinh-chinh/", views.corrections, name="corrections"),
    path("don-vi/<slug:slug>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path(
        "don-vi/<slug:slug>/anh-chia-se.png",
        views.unit_share_image,
        name="unit-share-image",
    ),
    path(
        "<int:year>/<group:group>/anh-chia-se.png",
        views.ranking_share_image,
        name="ranking-share-image",
    ),
    path(
        "<int:year>/<group:group>/",
        views.EditionDetailView.as_view(),
        name="ranking",
    ),
    path(
        "<int:year>/<group:group>.csv",
        views.edition_download,
        {"fmt": "csv"},
        name="download-csv",
    ),
    path(
        "<int:year>/<group:group>-excel.csv",
        views.edition_download,
        {"fmt": "csv-excel"},
        name="download-csv-excel",
    ),
    path(
        "<int:year>/<group:group>.xlsx",
        views.edition_download,
        {"fmt": "xlsx"},
        name="download-xlsx",
    ),
    path(
        "<int:year>/<group:group>.json",
        views.edition_download,
        {"fmt": "json"},
        name="download-json",
    ),
    path(
        "<int:year>/<group:group>.datapackage.json",
        views.edition_datapackage,
        name="download-datapackage",
    ),
    path("datapackage.json", views.archive_datapackage, name="archive-datapackage"),
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
