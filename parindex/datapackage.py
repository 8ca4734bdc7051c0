"""Frictionless Data Packages (datapackage.json) for the open-data downloads.

One package per edition (/chi-so-cchc/<year>/<group>.datapackage.json, next
to its CSV files) and one for the whole archive (/chi-so-cchc/datapackage.json).
Each resource is a CSV download with its Table Schema (types, units of
measure, the decimal comma of the Excel flavour), the licence and the source.
Paths are relative to the descriptor, so a copy of the folder validates
offline (`frictionless validate`), as tests/parindex/test_datapackage.py does.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext, gettext_noop

from cchc_portal.web.open_data import LICENCE_URL
from parindex.models import Edition
from parindex.selectors.open_data import correction_line
from parindex.tables import (
    APPRAISAL,
    DEMO_NOTICE,
    INDEX,
    NAME,
    RANK,
    SURVEY,
    TOTAL,
    Layout,
)

PROFILE = "tabular-data-package"
LICENCES = [
    {
        "name": "CC-BY-4.0",
        "path": LICENCE_URL,
        "title": "Creative Commons Attribution 4.0 International",
    }
]
# The texts are marked for the catalogue: the English edition's descriptors
# (under /en/) describe its English files; gettext runs when one is built.
PORTAL_SOURCE_TITLE = gettext_noop("Cổng thông tin Cải cách hành chính (tổng hợp)")
MINISTRY_SOURCE = gettext_noop("Bộ Nội vụ, Chỉ số cải cách hành chính (PAR INDEX)")
POINTS = gettext_noop("điểm")

# Column header → (type, unit of measure, meaning).
FIELDS = {
    RANK: (
        "integer",
        None,
        gettext_noop("Thứ hạng trong nhóm; đơn vị bằng điểm có thể cùng hạng."),
    ),
    NAME: ("string", None, gettext_noop("Tên đơn vị đúng như bảng công bố.")),
    APPRAISAL: (
        "number",
        POINTS,
        gettext_noop("Điểm Bộ Nội vụ thẩm định kết quả tự đánh giá."),
    ),
    SURVEY: ("number", POINTS, gettext_noop("Điểm điều tra xã hội học.")),
    TOTAL: ("number", gettext_noop("điểm (thang 100)"), gettext_noop("Tổng điểm.")),
    INDEX: ("number", "%", gettext_noop("Tổng điểm ÷ điểm tối đa × 100.")),
}
AREA_FIELD = ("number", POINTS, gettext_noop("Điểm lĩnh vực của bộ chỉ số áp dụng."))
REQUIRED = {RANK, NAME, TOTAL, INDEX}


def _portal_source() -> dict:
    return {"title": gettext(PORTAL_SOURCE_TITLE)}


def _field(header: str, decimal: str) -> dict:
    # The layout's headers are the Vietnamese ones, or their English
    # translation in the English flavour.
    by_header = {gettext(vietnamese): spec for vietnamese, spec in FIELDS.items()}
    kind, unit, meaning = by_header.get(header, AREA_FIELD)
    field: dict = {"name": header, "type": kind, "description": gettext(meaning)}
    if unit:
        unit = gettext(unit) if unit != "%" else unit
        field["description"] = gettext("%(meaning)s Đơn vị: %(unit)s.") % {
            "meaning": gettext(meaning),
            "unit": unit,
        }
        field["unit"] = unit
    if kind == "number" and decimal != ".":
        field["decimalChar"] = decimal
    if header in {gettext(required) for required in REQUIRED}:
        field["constraints"] = {"required": True}
    return field


def _group_path(edition: Edition) -> str:
    """The group as the edition's CSV addresses spell it (English under /en/)."""
    from parindex.urls import ENGLISH_GROUPS

    if get_language() == "en":
        return ENGLISH_GROUPS[edition.group]
    return edition.group


def _notes(edition: Edition) -> list[str]:
    notes = [f"{edition} ({edition.framework.display_decision})"]
    if edition.is_demo:
        notes.append(gettext(DEMO_NOTICE))
    notes += [correction_line(c) for c in edition.corrections.all()]
    return notes


def _sources(edition: Edition) -> list[dict]:
    source = {"title": edition.announcing_body or gettext(MINISTRY_SOURCE)}
    if edition.source_url:
        source["path"] = edition.source_url
    return [source, _portal_source()]


def _resource(
    edition: Edition, layout: Layout, path: str, *, excel: bool = False
) -> dict:
    decimal = "," if excel else "."
    name = f"par-index-{edition.year}-{edition.group}" + ("-excel" if excel else "")
    resource = {
        "name": name,
        "path": path,
        "title": f"{edition}"
        + (" " + gettext("(CSV cho Excel tiếng Việt)") if excel else ""),
        "description": " ".join(_notes(edition)),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ";" if excel else ",", "header": True},
        "licenses": LICENCES,
        "sources": _sources(edition),
        "schema": {
            "fields": [_field(header, decimal) for header in layout.headers],
            "missingValues": [""],
        },
    }
    return resource


def _keywords() -> list[str]:
    if get_language() == "en":
        return ["PAR INDEX", "public administration reform", "Viet Nam"]
    return ["PAR INDEX", "Chỉ số CCHC", "cải cách hành chính"]


def edition_datapackage(edition: Edition, layout: Layout) -> dict:
    """The package of one edition: its CSV and its CSV for Vietnamese Excel."""
    return {
        "profile": PROFILE,
        "name": f"par-index-{edition.year}-{edition.group}",
        "title": gettext("Chỉ số CCHC %(edition)s") % {"edition": edition},
        "description": " ".join(_notes(edition)),
        "keywords": _keywords(),
        "licenses": LICENCES,
        "sources": _sources(edition),
        "resources": [
            _resource(edition, layout, f"{_group_path(edition)}.csv"),
            _resource(edition, layout, f"{_group_path(edition)}-excel.csv", excel=True),
        ],
        "is_demo": edition.is_demo,
    }


def archive_datapackage(editions: list[tuple[Edition, Layout]]) -> dict:
    """The package of every released edition (the CSV of each)."""
    return {
        "profile": PROFILE,
        "name": "par-index",
        "title": gettext("Chỉ số CCHC (PAR INDEX): mọi ấn bản đã công bố"),
        "description": gettext(
            "Bảng xếp hạng Chỉ số cải cách hành chính của các bộ và tỉnh qua các năm. "
            "Ấn bản có “is_demo” là dữ liệu minh họa, không phải số liệu chính thức."
        ),
        "keywords": _keywords(),
        "licenses": LICENCES,
        "sources": [{"title": gettext(MINISTRY_SOURCE)}, _portal_source()],
        "resources": [
            {
                **_resource(
                    edition, layout, f"{edition.year}/{_group_path(edition)}.csv"
                ),
                "is_demo": edition.is_demo,
            }
            for edition, layout in editions
        ],
    }
