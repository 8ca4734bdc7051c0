"""The English flavour of the downloads: English headers, names and notes
under /en/par-index/; the Vietnamese files unchanged, byte for byte."""

import csv
import hashlib
import io
import json

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

# The Vietnamese downloads of the official 2023 ministry table as they were
# before the English edition (computed on commit 538923a): the English edition
# must not change a byte of them.
VIETNAMESE_SHA256 = {
    "/chi-so-cchc/2023/bo.csv": (
        "9c3a9904f9d8660a00728ab83a6e9c196986e2dc8f91a70e9e5ba6fd76eca38b"
    ),
    "/chi-so-cchc/2023/bo-excel.csv": (
        "9597827a053c01a4857784199ca4b02fff486f29c6a518fdcdbcf311253f737d"
    ),
}


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_english_csv_has_english_headers_and_names(reference, client):
    response = client.get("/en/par-index/2023/ministries.csv")
    assert response.status_code == 200
    rows = csv_rows(response)
    assert rows[0] == [
        "Rank",
        "Unit name",
        "Appraisal score",
        "Survey score",
        "Total score",
        "Index (%)",
    ]
    assert rows[1] == ["1", "Ministry of Justice", "61.86", "28.10", "89.95", "89.95"]
    assert rows[2][1] == "State Bank of Viet Nam"


def test_the_english_csv_names_areas_in_english(demo, client):
    rows = csv_rows(client.get("/en/par-index/2024/provinces.csv"))
    assert "Area 3: Administrative procedure reform" in rows[0]
    names = {row[1] for row in rows[1:]}
    assert {"Ha Noi", "Ho Chi Minh City", "Quang Ninh", "Thua Thien Hue"} <= names
    assert not any("Lĩnh vực" in header for header in rows[0])


def test_the_english_json_and_xlsx_are_english_too(demo, client):
    data = json.loads(client.get("/en/par-index/2024/provinces.json").content)
    assert data["columns"][:2] == ["Rank", "Unit name"]
    assert data["edition"]["group_label"] == "Provinces and centrally-run cities"
    assert data["edition"]["notice"] == "Illustrative data, not official figures"
    assert data["rows"][0]["Unit name"].isascii()

    response = client.get("/en/par-index/2024/provinces.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    lines = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert lines[1][0] == "Illustrative data, not official figures"
    assert lines[2][:2] == ["Rank", "Unit name"]


def test_the_english_data_package_describes_the_english_files(demo, client):
    package = json.loads(
        client.get("/en/par-index/2024/provinces.datapackage.json").content
    )
    resource = package["resources"][0]
    assert resource["path"] == "provinces.csv"
    fields = {field["name"]: field for field in resource["schema"]["fields"]}
    assert fields["Rank"]["type"] == "integer"
    assert fields["Total score"]["unit"] == "points (out of 100)"
    assert fields["Unit name"]["constraints"] == {"required": True}
    assert package["title"] == "PAR INDEX 2024 · Provinces and centrally-run cities"
    assert "Illustrative data, not official figures" in package["description"]


@pytest.mark.parametrize("url", sorted(VIETNAMESE_SHA256))
def test_the_vietnamese_downloads_are_unchanged_byte_for_byte(reference, client, url):
    response = client.get(url)
    assert hashlib.sha256(response.content).hexdigest() == VIETNAMESE_SHA256[url]


def test_the_vietnamese_csv_keeps_the_import_headers(reference, client):
    rows = csv_rows(client.get("/chi-so-cchc/2023/bo.csv"))
    assert rows[0][:2] == ["Xếp hạng", "Tên đơn vị"]
    assert rows[1][1] == "Bộ Tư pháp"
