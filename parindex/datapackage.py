"""Frictionless Data Packages (datapackage.json) for the open-data downloads.

One package per edition (/chi-so-cchc/<year>/<group>.datapackage.json, next
to its CSV files) and one for the whole archive (/chi-so-cchc/datapackage.json).
Each resource is a CSV download with its Table Schema (types, units of
measure, the decimal comma of the Excel flavour), the licence and the source.
Paths are relative to the descriptor, so a copy of the folder validates
offline (`frictionless validate`), as tests/parindex/test_datapackage.py does.
"""

from __future__ import annotations

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
PORTAL_SOURCE = {
    "title": "Cổng thông tin Cải cách hành chính (tổng hợp)",
}
MINISTRY_SOURCE = "Bộ Nội vụ, Chỉ số cải cách hành chính (PAR INDEX)"

# Column header → (type, unit of measure, meaning).
FIELDS = {
    RANK: ("integer", None, "Thứ hạng trong nhóm; đơn vị bằng điểm có thể cùng hạng."),
    NAME: ("string", None, "Tên đơn vị đúng như bảng công bố."),
    APPRAISAL: ("number", "điểm", "Điểm Bộ Nội vụ thẩm định kết quả tự đánh giá."),
    SURVEY: ("number", "điểm", "Điểm điều tra xã hội học."),
    TOTAL: ("number", "điểm (thang 100)", "Tổng điểm."),
    INDEX: ("number", "%", "Tổng điểm ÷ điểm tối đa × 100."),
}
AREA_FIELD = ("number", "điểm", "Điểm lĩnh vực của bộ chỉ số áp dụng.")
REQUIRED = {RANK, NAME, TOTAL, INDEX}


def _field(header: str, decimal: str) -> dict:
    kind, unit, meaning = FIELDS.get(header, AREA_FIELD)
    field: dict = {"name": header, "type": kind, "description": meaning}
    if unit:
        field["description"] = f"{meaning} Đơn vị: {unit}."
        field["unit"] = unit
    if kind == "number" and decimal != ".":
        field["decimalChar"] = decimal
    if header in REQUIRED:
        field["constraints"] = {"required": True}
    return field


def _notes(edition: Edition) -> list[str]:
    notes = [f"{edition} ({edition.framework.decision})"]
    if edition.is_demo:
        notes.append(DEMO_NOTICE)
    notes += [correction_line(c) for c in edition.corrections.all()]
    return notes


def _sources(edition: Edition) -> list[dict]:
    source = {"title": edition.announcing_body or MINISTRY_SOURCE}
    if edition.source_url:
        source["path"] = edition.source_url
    return [source, PORTAL_SOURCE]


def _resource(
    edition: Edition, layout: Layout, path: str, *, excel: bool = False
) -> dict:
    decimal = "," if excel else "."
    name = f"par-index-{edition.year}-{edition.group}" + ("-excel" if excel else "")
    resource = {
        "name": name,
        "path": path,
        "title": f"{edition}" + (" (CSV cho Excel tiếng Việt)" if excel else ""),
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


def edition_datapackage(edition: Edition, layout: Layout) -> dict:
    """The package of one edition: its CSV and its CSV for Vietnamese Excel."""
    return {
        "profile": PROFILE,
        "name": f"par-index-{edition.year}-{edition.group}",
        "title": f"Chỉ số CCHC {edition}",
        "description": " ".join(_notes(edition)),
        "keywords": ["PAR INDEX", "Chỉ số CCHC", "cải cách hành chính"],
        "licenses": LICENCES,
        "sources": _sources(edition),
        "resources": [
            _resource(edition, layout, f"{edition.group}.csv"),
            _resource(edition, layout, f"{edition.group}-excel.csv", excel=True),
        ],
        "is_demo": edition.is_demo,
    }


def archive_datapackage(editions: list[tuple[Edition, Layout]]) -> dict:
    """The package of every released edition (the CSV of each)."""
    return {
        "profile": PROFILE,
        "name": "par-index",
        "title": "Chỉ số CCHC (PAR INDEX): mọi ấn bản đã công bố",
        "description": (
            "Bảng xếp hạng Chỉ số cải cách hành chính của các bộ và tỉnh qua các năm. "
            "Ấn bản có “is_demo” là dữ liệu minh họa, không phải số liệu chính thức."
        ),
        "keywords": ["PAR INDEX", "Chỉ số CCHC", "cải cách hành chính"],
        "licenses": LICENCES,
        "sources": [{"title": MINISTRY_SOURCE}, PORTAL_SOURCE],
        "resources": [
            {
                **_resource(edition, layout, f"{edition.year}/{edition.group}.csv"),
                "is_demo": edition.is_demo,
            }
            for edition, layout in editions
        ],
    }
