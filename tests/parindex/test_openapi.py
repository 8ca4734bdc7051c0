"""The OpenAPI 3.1 description of the JSON API: served, valid, and true.

Every API response in the suite is checked against it by the autouse
fixture `api_responses_match_openapi` (tests/conftest.py, tests/openapi.py).
"""

import json

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from tests import openapi

pytestmark = pytest.mark.django_db


def test_openapi_document_is_served_at_a_stable_url_and_validates(client):
    response = client.get("/chi-so-cchc/api/v1/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/openapi+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on an invalid document


def test_the_api_root_points_to_the_openapi_document(client):
    root = client.get("/chi-so-cchc/api/v1/").json()
    assert root["openapi"] == "http://testserver/chi-so-cchc/api/v1/openapi.json"


def test_the_validator_rejects_a_broken_document():
    with pytest.raises(OpenAPIValidationError):
        validate({"openapi": "3.1.0", "info": {"title": "x"}, "paths": {"/": 1}})


@pytest.mark.parametrize(
    "url",
    [
        "/chi-so-cchc/api/v1/",
        "/chi-so-cchc/api/v1/editions/",
        "/chi-so-cchc/api/v1/editions/2024/tinh/",
        "/chi-so-cchc/api/v1/editions/2019/tinh/",
        "/chi-so-cchc/api/v1/editions/2031/bo/",
        "/chi-so-cchc/api/v1/units/",
        "/chi-so-cchc/api/v1/units/?group=bo",
        "/chi-so-cchc/api/v1/units/ha-noi/",
        "/chi-so-cchc/api/v1/units/ha-giang/",
        "/chi-so-cchc/api/v1/units/thua-thien-hue/",
        "/chi-so-cchc/api/v1/units/khong-co/",
    ],
)
def test_api_answers_as_the_document_describes(demo, client, url):
    # The check itself runs in the autouse fixture; asking twice proves a
    # cached answer is described too.
    assert client.get(url).status_code in (200, 301, 404)
    assert client.get(url).status_code in (200, 301, 404)


def test_a_response_that_breaks_the_document_fails_the_check(demo, client):
    url = "/chi-so-cchc/api/v1/editions/2024/tinh/"
    response = client.get(url)
    broken = json.loads(response.content)
    broken["results"][0]["rank"] = "một"
    response.content = json.dumps(broken).encode()

    with pytest.raises(AssertionError, match="rank"):
        openapi.check_response(
            "GET", "/chi-so-cchc/api/v1/editions/2024/tinh/", response
        )
    with pytest.raises(AssertionError, match="not in the OpenAPI document"):
        openapi.check_response("GET", "/chi-so-cchc/api/v1/khong-co/", response)


def test_post_is_refused_as_described(client):
    assert client.post("/chi-so-cchc/api/v1/editions/").status_code == 405


def test_a_nul_in_the_path_is_refused_as_described(client):
    # Checked against the document by the autouse fixture, like every answer.
    assert client.get("/chi-so-cchc/api/v1/units/a%00b/").status_code == 400
