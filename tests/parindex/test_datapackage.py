"""Frictionless Data Packages: what data tools read, validated by `frictionless`."""

import json
from pathlib import Path

import pytest
from frictionless import Package, validate

from parindex.models import Edition

pytestmark = pytest.mark.django_db


def save_package(client, url: str, folder: Path) -> Path:
    """The descriptor and every file it names, laid out as on the site."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    descriptor = json.loads(response.content)
    base = url.rsplit("/", 1)[0] + "/"
    path = folder / url.rsplit("/", 1)[1]
    path.write_bytes(response.content)
    for resource in descriptor["resources"]:
        data = client.get(base + resource["path"])
        assert data.status_code == 200, resource["path"]
        target = folder / resource["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.content)
    return path


def test_edition_package_validates_with_frictionless(demo, client, tmp_path):
    path = save_package(client, "/chi-so-cchc/2024/tinh.datapackage.json", tmp_path)

    report = validate(str(path))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(path))
    assert [r.name for r in package.resources] == [
        "par-index-2024-tinh",
        "par-index-2024-tinh-excel",
    ]
    assert package.licenses[0]["name"] == "CC-BY-4.0"
    assert package.sources
    plain, excel = package.resources
    rows = plain.read_rows()
    assert len(rows) == 63 and rows[0]["Xếp hạng"] == 1
    # The Excel flavour reads to the same numbers (decimal comma declared).
    assert [dict(r) for r in excel.read_rows()] == [dict(r) for r in rows]
    total = plain.schema.get_field("Tổng điểm")
    assert total.type == "number" and "thang 100" in total.description
    assert "minh họa" in package.description


def test_archive_package_has_every_released_edition_and_validates(
    demo, client, tmp_path
):
    path = save_package(client, "/chi-so-cchc/datapackage.json", tmp_path)

    report = validate(str(path))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {r.name for r in Package(str(path)).resources}
    expected = {f"par-index-{e.year}-{e.group}" for e in Edition.objects.released()}
    assert names == expected and len(names) > 2


def test_a_package_whose_schema_lies_fails_frictionless(demo, client, tmp_path):
    path = save_package(client, "/chi-so-cchc/2023/bo.datapackage.json", tmp_path)
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["schema"]["fields"][1]["type"] = "integer"
    path.write_text(json.dumps(descriptor, ensure_ascii=False))

    assert not validate(str(path)).valid


def test_downloads_link_their_data_package(demo, client):
    response = client.get("/chi-so-cchc/2023/bo.csv")
    assert (
        '</chi-so-cchc/2023/bo.datapackage.json>; rel="describedby"'
        in (response["Link"])
    )
    assert 'rel="license"' in response["Link"]
    html = client.get("/chi-so-cchc/2023/bo/").content.decode()
    assert 'href="/chi-so-cchc/2023/bo.datapackage.json"' in html
