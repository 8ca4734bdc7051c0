"""Check API responses against the OpenAPI document the portal serves.

tests/conftest.py wraps Django's test client so every response to a request
under the API root, in any test, goes through check_response(): its path and
method must be described, its status listed, its JSON valid for the schema.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache

import brotli
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from parindex.openapi import openapi_document

DOCUMENT_URI = "urn:cchc-portal:openapi"


@cache
def _document() -> dict:
    return openapi_document()


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(_document(), default_specification=DRAFT202012)
    return Registry().with_resource(DOCUMENT_URI, resource)


@cache
def _api_prefix() -> str:
    return _document()["servers"][0]["url"]


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def _match(path: str) -> str | None:
    relative = path[len(_api_prefix()) :]
    for template in _document()["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, relative):
            return template
    return None


def is_api_path(path: str) -> bool:
    """A request the OpenAPI document must describe (not the document itself)."""
    return path.startswith(_api_prefix() + "/") and not path.endswith("openapi.json")


def check_response(method: str, path: str, response) -> None:
    """Fail unless the document describes this response and its JSON fits."""
    template = _match(path)
    if template is None:
        # A path no route matches: the API's JSON 404 (a refusal for methods
        # the API never offers), the one answer no document can list per path.
        if response.status_code in {400, 403, 405, 413}:
            return
        assert response.status_code == 404, f"{path} is not in the OpenAPI document"
        assert response["Content-Type"].startswith("application/json")
        _assert_valid(
            method, path, response, _pointer("components", "schemas", "Error")
        )
        return
    operation = _document()["paths"][template].get(method.lower())
    if method.upper() == "HEAD":
        operation = _document()["paths"][template]["get"]
    if operation is None:
        # A method the read-only API does not offer must be refused: 405 from
        # the view, or earlier (403 for a POST without its CSRF token, 400/413
        # from the request checks every page has).
        refused = response.status_code in {400, 403, 405, 413}
        assert refused, f"{method} {path} was not refused"
        return
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method} {path} answered {status}, not listed for {template}"
    )
    described = operation["responses"][status]
    if "content" not in described or method.upper() == "HEAD":
        return
    assert response["Content-Type"].startswith("application/json")
    pointer = _pointer(
        "paths",
        template,
        method.lower(),
        "responses",
        status,
        "content",
        "application/json",
        "schema",
    )
    _assert_valid(method, path, response, pointer)


def _decoded_body(response) -> bytes:
    """The JSON as a client reads it, brotli or gzip undone (Content-Encoding)."""
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.content)
    if encoding == "gzip":
        return gzip.decompress(response.content)
    return response.content


def _assert_valid(method: str, path: str, response, pointer: str) -> None:
    validator = Draft202012Validator(
        {"$ref": f"{DOCUMENT_URI}#/{pointer}"},
        registry=_registry(),
        format_checker=FormatChecker(),
    )
    errors = sorted(
        validator.iter_errors(json.loads(_decoded_body(response))),
        key=lambda e: e.path,
    )
    assert not errors, f"{method} {path}: " + "; ".join(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in errors[:5]
    )
