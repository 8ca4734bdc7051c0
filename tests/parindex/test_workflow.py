"""The data team's workflow: roles, four-eyes release, provenance, corrections,
withdrawal, and released editions that cannot be deleted."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from parindex import history, roles, services, signals
from parindex.charts.tiles import (
    PALETTE,
    contrast,
    layout_for_year,
    read_layout,
    text_colour,
)
from parindex.migrations import __path__ as migrations_path
from parindex.models import Edition, Group, Unit
from parindex.selectors import edition_get_table
from tests.factories import UserFactory
from tests.parindex.conftest import PROVENANCE
from tests.parindex.test_admin import upload, vietnamese_excel_csv

pytestmark = pytest.mark.django_db


def data_user(role):
    user = UserFactory()
    roles.ensure_roles()
    user.groups.set([AuthGroup.objects.get(name=role)])
    return user


@pytest.fixture
def officer(reference):
    return data_user(roles.DATA_OFFICER)


@pytest.fixture
def reviewer(reference):
    return data_user(roles.DATA_REVIEWER)


def test_role_migration_grants_what_roles_py_lists():
    import importlib

    migration = importlib.import_module("parindex.migrations.0006_data_roles")
    assert migration.ROLE_PERMISSIONS == roles.ROLE_PERMISSIONS
    assert migrations_path
    for name, wanted in roles.ROLE_PERMISSIONS.items():
        group = AuthGroup.objects.get(name=name)
        granted = set(
            group.permissions.values_list("content_type__app_label", "codename")
        )
        assert granted == set(wanted)


def test_officer_imports_cannot_release_and_a_reviewer_releases(
    officer, reviewer, client
):
    received = []
    signals.edition_checked.connect(lambda **kw: received.append("checked"), weak=False)
    signals.edition_released.connect(
        lambda **kw: received.append("released"), weak=False
    )

    client.force_login(officer)
    payload = upload(client, vietnamese_excel_csv()).context["payload"]
    client.post("/quan-tri/parindex/edition/nhap/", {"payload": payload})
    edition = Edition.objects.get(year=2022, group=Group.MINISTRY)
    assert edition.imported_by == officer
    # The release checks list what is missing, in Vietnamese, and block.
    page = client.get(f"/quan-tri/parindex/edition/{edition.pk}/cong-bo/")
    text = page.content.decode()
    assert "Thiếu ngày công bố chính thức." in text
    assert "Thiếu nguồn: địa chỉ trang công bố hoặc tệp PDF gốc." in text
    with pytest.raises(ValidationError):
        services.edition_mark_checked(edition=edition, user=officer)
    Edition.objects.filter(pk=edition.pk).update(**PROVENANCE, n_ranked=17)

    with transaction.atomic():
        services.edition_mark_checked(edition=edition, user=officer)
    # The officer may not release (no permission) ...
    response = client.post(
        f"/quan-tri/parindex/edition/{edition.pk}/cong-bo/",
        {"step": "release", "when": "now"},
        follow=True,
    )
    assert "Bạn không có quyền công bố ấn bản chỉ số." in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == "checked"
    # ... and a reviewer who changed the figures may not release alone.
    with pytest.raises(PermissionDenied, match="Cần người thứ hai"):
        Edition.objects.filter(pk=edition.pk).update(figures_changed_by=reviewer)
        services.edition_release(edition=edition, user=reviewer)
    Edition.objects.filter(pk=edition.pk).update(figures_changed_by=officer)

    client.force_login(reviewer)
    response = client.post(
        f"/quan-tri/parindex/edition/{edition.pk}/cong-bo/",
        {"step": "release", "when": "now"},
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.status == "released" and edition.released_by == reviewer
    assert client.get("/chi-so-cchc/2022/bo/").status_code == 200

    steps = [(v.who, v.reason) for v in reversed(history.edition_versions(edition))]
    officer_name, reviewer_name = officer.get_full_name(), reviewer.get_full_name()
    assert (officer_name, services.REASON_IMPORTED) in steps
    assert (officer_name, services.REASON_CHECKED) in steps
    assert (reviewer_name, services.REASON_RELEASED) in steps
    page = client.get(f"/quan-tri/parindex/edition/{edition.pk}/lich-su-cong-bo/")
    assert officer_name in page.content.decode()
    assert reviewer_name in page.content.decode()


def test_a_release_without_provenance_is_refused_and_nothing_saved(reviewer):
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    assert edition.is_released  # the reference loader gave it its provenance
    draft = Edition.objects.create(
        year=2022, group=Group.MINISTRY, framework=edition.framework
    )
    with pytest.raises(ValidationError) as error:
        services.edition_release(edition=draft)
    messages = error.value.messages
    assert "Ấn bản chưa có kết quả nào." in messages
    assert "Thiếu cơ quan công bố (ví dụ: Bộ Nội vụ)." in messages
    assert any(m.startswith("Thiếu giá trị trung bình công bố") for m in messages)
    draft.refresh_from_db()
    assert draft.status == "draft"


def correct_one_unit(client, edition, **values):
    """Post the admin's one-row correction for Bộ Tư pháp."""
    unit = Unit.objects.get(slug="bo-tu-phap")
    form = client.get(
        f"/quan-tri/parindex/edition/{edition.pk}/dinh-chinh/", {"don_vi": unit.pk}
    ).context["row_form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(kind="row", unit=unit.pk, **values)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"/quan-tri/parindex/edition/{edition.pk}/dinh-chinh/", data)


NOTE = "Sửa điểm điều tra của Bộ Tư pháp theo thông báo của Bộ Nội vụ."


def test_a_correction_shows_everywhere_and_the_old_figure_stays_in_history(
    reviewer, client
):
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    client.force_login(reviewer)
    # 89,95 → 89,97: still first; the survey points carry the change.
    response = correct_one_unit(
        client, edition, survey="28.12", total="89.97", index="89.97", note=NOTE
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    edition.refresh_from_db()
    assert edition.status == "corrected"
    client.logout()

    ranking = client.get("/chi-so-cchc/2023/bo/").content.decode()
    assert "Đính chính ngày" in ranking and NOTE in ranking
    assert "89,97" in ranking and "89,95" not in ranking
    profile = client.get("/chi-so-cchc/don-vi/bo-tu-phap/").content.decode()
    assert "89,97" in profile and NOTE in profile
    csv_text = client.get("/chi-so-cchc/2023/bo.csv").content.decode("utf-8-sig")
    # The correction note is metadata (JSON below); the CSV starts with its header.
    assert csv_text.startswith("Xếp hạng,")
    assert ",89.97,89.97" in csv_text
    data = json.loads(client.get("/chi-so-cchc/2023/bo.json").content)
    assert data["edition"]["corrections"][0]["note"] == NOTE
    assert {"Tên đơn vị": "Bộ Tư pháp", "Tổng điểm": 89.97}.items() <= data["rows"][
        0
    ].items()
    workbook = load_workbook(
        io.BytesIO(client.get("/chi-so-cchc/2023/bo.xlsx").content)
    )
    cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row]
    assert any(NOTE in str(c) for c in cells) and 89.97 in cells
    api = json.loads(client.get("/chi-so-cchc/api/v1/editions/2023/bo/").content)
    assert api["edition"]["corrections"][0]["note"] == NOTE

    page = client.get("/chi-so-cchc/dinh-chinh/").content.decode()
    assert NOTE in page
    # Each correction is headed by its date and number.
    assert re.search(
        r'<h3 id="[^"]+">Đính chính ngày \d\d/\d\d/\d{4} \(lần 1\)</h3>', page
    )
    for old, new in (("28,10", "28,12"), ("89,95", "89,97")):
        assert f'<td class="num">{old}</td>' in page
        assert f'<td class="num">{new}</td>' in page

    states = history.edition_released_states(edition)
    assert [s.number for s in states] == [0, 1]
    before = history.edition_table_as_of(edition, states[0].until)
    after = history.edition_table_as_of(edition, states[1].until)
    first_before = next(r for r in before.rows if r.name == "Bộ Tư pháp")
    first_after = next(r for r in after.rows if r.name == "Bộ Tư pháp")
    assert (first_before.total, first_after.total) == (
        Decimal("89.95"),
        Decimal("89.97"),
    )
    client.force_login(reviewer)
    old_file = client.get(
        f"/quan-tri/parindex/edition/{edition.pk}/lich-su-cong-bo/",
        {"trang-thai": "0"},
    ).content.decode("utf-8-sig")
    assert any(
        row[1:2] == ["Bộ Tư pháp"] and "89.95" in row
        for row in csv.reader(io.StringIO(old_file))
    )


def test_corrections_that_break_ranks_or_lack_a_note_are_refused(reviewer, client):
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    before = edition_get_table(edition).rows
    client.force_login(reviewer)
    # Bộ Tư pháp dropping to 80 points would no longer be first.
    response = correct_one_unit(
        client, edition, survey="18.14", total="80.00", index="80.00", note=NOTE
    )
    assert "Chưa đính chính được; không có gì được lưu." in response.content.decode()
    assert "không khớp với tổng điểm" in response.content.decode()
    response = correct_one_unit(
        client, edition, survey="28.12", total="89.97", index="89.97", note=""
    )
    assert "Hãy ghi chú công khai cho đính chính" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == "released" and not edition.corrections.exists()
    assert edition_get_table(edition).rows == before
    # Same table again: nothing to correct.
    with pytest.raises(ValidationError, match="giống hệt"):
        services.edition_correct(
            edition=edition, table=edition_get_table(edition), note=NOTE, user=reviewer
        )


def test_a_correction_by_file_upload(reviewer, client):
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    content = client.get("/chi-so-cchc/2023/bo.csv").content.decode("utf-8-sig")
    content = content.replace("61.86,28.10,89.95,89.95", "61.86,28.12,89.97,89.97")
    client.force_login(reviewer)
    response = client.post(
        f"/quan-tri/parindex/edition/{edition.pk}/dinh-chinh/",
        {
            "kind": "file",
            "note": NOTE,
            "file": SimpleUploadedFile("bo.csv", content.encode("utf-8-sig")),
        },
    )
    assert response.status_code == 302
    change_labels = set(
        edition.corrections.get().changes.values_list("label", flat=True)
    )
    assert change_labels == {"Điểm điều tra XHH", "Tổng điểm", "Chỉ số (%)"}


def test_withdrawal_needs_a_note_and_hides_the_edition_with_it(reviewer, client):
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    with pytest.raises(ValidationError, match="lý do thu hồi"):
        services.edition_withdraw(edition=edition, note="  ", user=reviewer)
    edition.refresh_from_db()
    assert edition.status == "released"
    services.edition_withdraw(
        edition=edition, note="Bảng đăng nhầm năm (thử nghiệm).", user=reviewer
    )
    response = client.get("/chi-so-cchc/2023/bo/")
    assert response.status_code == 410
    assert "Bảng đăng nhầm năm (thử nghiệm)." in response.content.decode()
    assert client.get("/chi-so-cchc/2023/bo.csv").status_code == 410
    assert "2023" not in client.get("/chi-so-cchc/don-vi/bo-tu-phap/").content.decode()
    assert (
        "Bảng đăng nhầm năm" in client.get("/chi-so-cchc/dinh-chinh/").content.decode()
    )
    assert Edition.objects.filter(pk=edition.pk).exists()


def test_a_released_edition_cannot_be_deleted_or_its_figures_changed(
    admin_client, reference
):
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        edition.results.filter(rank=1).update(total=Decimal("99.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(status="draft")
    response = admin_client.post(
        f"/quan-tri/parindex/edition/{edition.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Edition.objects.filter(pk=edition.pk).exists()


def test_demo_editions_are_removed_by_seed_demo_reset_only(demo, admin_client):
    edition = Edition.objects.filter(is_demo=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).delete()
    page = admin_client.get(f"/quan-tri/parindex/edition/{edition.pk}/delete/")
    assert page.status_code == 403
    call_command("seed_demo", reset=True, stdout=io.StringIO())
    assert not Edition.objects.filter(pk=edition.pk).exists()
    assert Edition.objects.filter(
        year=edition.year, group=edition.group, is_demo=True
    ).exists()


def test_admin_overview_shows_state_blockers_and_holder(officer, client):
    client.force_login(officer)
    payload = upload(client, vietnamese_excel_csv()).context["payload"]
    client.post("/quan-tri/parindex/edition/nhap/", {"payload": payload})
    text = client.get("/quan-tri/parindex/edition/").content.decode()
    assert "Bản nháp" in text and "Đã công bố" in text
    assert "Thiếu ngày công bố chính thức." in text
    assert f"Dữ liệu: {officer.get_full_name()}" in text


@pytest.mark.parametrize("year", [2016, 2024, 2025, 2026])
def test_each_unit_of_a_year_has_exactly_one_tile_and_no_two_overlap(reference, year):
    layout = read_layout(layout_for_year(year))
    cells = [(cell.col, cell.row) for cell in layout]
    assert len(cells) == len(set(cells))
    codes = [cell.code for cell in layout]
    units = Unit.objects.in_group(Group.PROVINCE).expected_in_ranking(year)
    unit_codes = sorted(unit.gso_code for unit in units)
    assert unit_codes == sorted(codes)
    assert len(unit_codes) == (34 if year >= 2025 else 63)


def test_map_colours_have_readable_text():
    for fill in PALETTE:
        assert contrast(fill, text_colour(fill)) >= 4.5, fill


def test_share_images_and_link_previews(reference, client, reviewer):
    from PIL import Image

    html = client.get("/chi-so-cchc/2023/bo/").content.decode()
    assert (
        '<meta property="og:image" content="http://testserver/chi-so-cchc/2023/bo/anh-chia-se.png">'
        in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    response = client.get("/chi-so-cchc/2023/bo/anh-chia-se.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    unit_html = client.get("/chi-so-cchc/don-vi/bo-tu-phap/").content.decode()
    assert "/chi-so-cchc/don-vi/bo-tu-phap/anh-chia-se.png" in unit_html
    first = client.get("/chi-so-cchc/don-vi/bo-tu-phap/anh-chia-se.png").content
    assert client.get("/chi-so-cchc/don-vi/ha-noi/anh-chia-se.png").status_code == 200
    for url in (
        "/chi-so-cchc/don-vi/khong-co/anh-chia-se.png",
        "/chi-so-cchc/2019/bo/anh-chia-se.png",
        "/chi-so-cchc/1999/tinh/anh-chia-se.png",
    ):
        assert client.get(url).status_code == 404, url
    # A correction changes the edition: the image is drawn again.
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    table = edition_get_table(edition)
    row = next(r for r in table.rows if r.name == "Bộ Tư pháp")
    row.survey, row.total, row.index = (
        Decimal("28.12"),
        Decimal("89.97"),
        Decimal("89.97"),
    )
    services.edition_correct(edition=edition, table=table, note=NOTE, user=reviewer)
    again = client.get("/chi-so-cchc/don-vi/bo-tu-phap/anh-chia-se.png").content
    assert again != first


@pytest.mark.parametrize(("year", "tiles"), [(2024, 63), (2025, 34)])
def test_the_ranking_shows_a_tile_map_of_63_or_34_linked_units(
    reference, client, year, tiles
):
    from tests.parindex.conftest import build_edition

    units = list(Unit.objects.in_group(Group.PROVINCE).expected_in_ranking(year))
    if not Edition.objects.filter(year=year, group=Group.PROVINCE).exists():
        build_edition(
            year=year,
            units=units,
            totals=[f"{60 + i * 0.5:.2f}" for i in range(len(units))],
        )
    html = client.get(f"/chi-so-cchc/{year}/tinh/").content.decode()
    assert html.count('class="tile-map__tile"') == tiles
    first = Edition.objects.get(year=year, group=Group.PROVINCE).results.get(rank=1)
    label = f'aria-label="{first.published_name}: hạng 1/{tiles}, '
    assert label in html
    assert f'<a href="{first.unit.get_absolute_url()}" {label}' in html
    assert "style=" not in html.split('class="tile-map"')[1].split("</figure>")[0]
