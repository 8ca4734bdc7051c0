"""The OpenAPI 3.1 description of the read-only JSON API (parindex/api.py).

Served at /chi-so-cchc/api/v1/openapi.json. The test suite validates the
document (openapi-spec-validator) and checks every API response it gets
against it (tests/openapi.py), so a change to a response that is not made
here too fails the tests. Objects allow extra keys: adding a field is not a
breaking change for clients.
"""

from __future__ import annotations

from django.urls import reverse

from cchc_portal.web.open_data import LICENCE_URL

NUMBER_OR_NULL = {"type": ["number", "null"]}
TEXT_OR_NULL = {"type": ["string", "null"]}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
URL = {"type": "string", "format": "uri"}
GROUP = {
    "type": "string",
    "enum": ["bo", "tinh"],
    "description": "bo: bộ, cơ quan ngang bộ; tinh: tỉnh, thành phố",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        **extra,
    }


SCHEMAS = {
    "Licence": {
        "type": "string",
        "description": "Giấy phép CC BY 4.0 và cách ghi nguồn.",
    },
    "Error": _obj({"licence": _ref("Licence"), "error": {"type": "string"}}),
    "Root": _obj(
        {
            "licence": _ref("Licence"),
            "editions": URL,
            "units": URL,
            "documentation": URL,
            "openapi": URL,
        }
    ),
    "Correction": _obj(
        {
            "number": {"type": "integer"},
            "date": {"type": "string", "format": "date"},
            "note": {"type": "string"},
        }
    ),
    "EditionMetadata": _obj(
        {
            "year": {"type": "integer", "minimum": 2012},
            "group": GROUP,
            "group_label": {"type": "string"},
            "is_demo": {
                "type": "boolean",
                "description": "true: dữ liệu minh họa, không phải số liệu chính thức",
            },
            "notice": TEXT_OR_NULL,
            "framework": _obj(
                {
                    "code": {"type": "string"},
                    "decision": {"type": "string"},
                    "is_demo": {"type": "boolean"},
                }
            ),
            "announced_on": DATE_OR_NULL,
            "n_ranked": {"type": ["integer", "null"]},
            "national_average": NUMBER_OR_NULL,
            "source_url": TEXT_OR_NULL,
            "source_note": TEXT_OR_NULL,
            "announcing_body": TEXT_OR_NULL,
            "announcement_document": TEXT_OR_NULL,
            "corrections": {"type": "array", "items": _ref("Correction")},
        }
    ),
    "EditionSummary": {
        "allOf": [
            _ref("EditionMetadata"),
            _obj(
                {
                    "url": URL,
                    "api_url": URL,
                    "downloads": _obj(
                        {
                            "csv": URL,
                            "csv-excel": URL,
                            "xlsx": URL,
                            "json": URL,
                            "datapackage": URL,
                        }
                    ),
                }
            ),
        ]
    },
    "EditionList": _obj(
        {
            "licence": _ref("Licence"),
            "editions": {"type": "array", "items": _ref("EditionSummary")},
        }
    ),
    "Area": _obj(
        {
            "number": {"type": "integer", "minimum": 1},
            "name": {"type": "string"},
            "max_points": NUMBER_OR_NULL,
        }
    ),
    "Result": _obj(
        {
            "rank": {"type": "integer", "minimum": 1},
            "unit": {"type": "string", "description": "mã đường dẫn của đơn vị"},
            "published_name": {"type": "string"},
            "total": {"type": "number", "description": "điểm trên thang 100"},
            "index": {"type": "number", "description": "phần trăm"},
            "appraisal": NUMBER_OR_NULL,
            "survey": NUMBER_OR_NULL,
            "areas": {
                "type": "object",
                "description": "điểm theo số thứ tự lĩnh vực",
                "additionalProperties": NUMBER_OR_NULL,
                "propertyNames": {"pattern": "^[0-9]+$"},
            },
        }
    ),
    "EditionDetail": _obj(
        {
            "licence": _ref("Licence"),
            "edition": _ref("EditionSummary"),
            "areas": {"type": "array", "items": _ref("Area")},
            "results": {"type": "array", "items": _ref("Result")},
        }
    ),
    "Unit": _obj(
        {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "short_name": {"type": "string"},
            "name_en": TEXT_OR_NULL,
            "short_name_en": TEXT_OR_NULL,
            "kind": {"type": "string"},
            "group": GROUP,
            "gso_code": TEXT_OR_NULL,
            "region": TEXT_OR_NULL,
            "valid_from": DATE_OR_NULL,
            "valid_to": DATE_OR_NULL,
            "url": URL,
            "api_url": URL,
        }
    ),
    "UnitList": _obj(
        {
            "licence": _ref("Licence"),
            "units": {"type": "array", "items": _ref("Unit")},
        }
    ),
    "UnitLink": _obj(
        {
            "unit": {"type": "string"},
            "effective_on": {"type": "string", "format": "date"},
        }
    ),
    "UnitResult": {
        "allOf": [
            _ref("Result"),
            _obj(
                {
                    "year": {"type": "integer"},
                    "group": GROUP,
                    "is_demo": {"type": "boolean"},
                    "notice": TEXT_OR_NULL,
                }
            ),
        ]
    },
    "UnitDetail": _obj(
        {
            "licence": _ref("Licence"),
            "unit": {
                "allOf": [
                    _ref("Unit"),
                    _obj(
                        {
                            "other_names": {
                                "type": "array",
                                "items": _obj(
                                    {
                                        "name": {"type": "string"},
                                        "kind": {"type": "string"},
                                    }
                                ),
                            },
                            "predecessors": {
                                "type": "array",
                                "items": _ref("UnitLink"),
                            },
                            "successors": {
                                "type": "array",
                                "items": _ref("UnitLink"),
                            },
                        }
                    ),
                ]
            },
            "results": {"type": "array", "items": _ref("UnitResult")},
        }
    ),
}


def _json_content(schema: str) -> dict:
    return {"application/json": {"schema": _ref(schema)}}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": _json_content(schema)}


NOT_FOUND = {"description": "Không có", "content": _json_content("Error")}
NOT_ALLOWED = {"description": "Chỉ GET và HEAD (API chỉ đọc)"}
# Refused before any view, as on every page (RequestSanityMiddleware): an
# HTML error page, so no JSON schema.
BAD_REQUEST = {"description": "Yêu cầu hỏng (ký tự NUL trong đường dẫn hoặc truy vấn)"}
YEAR = {
    "name": "year",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
    "description": "năm đánh giá",
}
GROUP_PARAMETER = {"name": "group", "in": "path", "required": True, "schema": GROUP}
SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "mã đường dẫn; một mã cũ chuyển (301) sang mã hiện hành",
}


def _get(operation_id: str, summary: str, responses: dict, **extra) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "responses": {**responses, "400": BAD_REQUEST, "405": NOT_ALLOWED},
            **extra,
        }
    }


PATHS = {
    "/": _get("root", "Điểm bắt đầu", {"200": _ok("Root", "Các tập dữ liệu")}),
    "/editions/": _get(
        "listEditions",
        "Các ấn bản đã công bố, mới nhất trước",
        {"200": _ok("EditionList", "Các ấn bản")},
    ),
    "/editions/{year}/{group}/": _get(
        "getEdition",
        "Một ấn bản và toàn bộ kết quả",
        {"200": _ok("EditionDetail", "Ấn bản"), "404": NOT_FOUND},
        parameters=[YEAR, GROUP_PARAMETER],
    ),
    "/units/": _get(
        "listUnits",
        "Các đơn vị (bộ, tỉnh)",
        {"200": _ok("UnitList", "Các đơn vị")},
        parameters=[
            {
                "name": "group",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "bo hoặc tinh; giá trị khác bị bỏ qua",
            }
        ],
    ),
    "/units/{slug}/": _get(
        "getUnit",
        "Một đơn vị, tên khác, đơn vị trước/kế thừa và kết quả qua các năm",
        {
            "200": _ok("UnitDetail", "Đơn vị"),
            "301": {"description": "Mã cũ: chuyển sang mã hiện hành"},
            "404": NOT_FOUND,
        },
        parameters=[SLUG],
    ),
}


def openapi_document() -> dict:
    """The API's OpenAPI 3.1 document (paths relative to the API root)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API dữ liệu mở Chỉ số CCHC (PAR INDEX)",
            "version": "1.0.0",
            "description": (
                "API chỉ đọc của Cổng thông tin Cải cách hành chính: các ấn bản "
                "Chỉ số CCHC đã công bố, kết quả và đơn vị. Dữ liệu minh họa có "
                '"is_demo": true.'
            ),
            "license": {"name": "CC BY 4.0", "url": LICENCE_URL},
        },
        "servers": [{"url": reverse("parindex:api-root").rstrip("/")}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
