"""Editors: upload with preview, template file, one-step release."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parindex.models import Area, Edition, Framework, Group, Result
from tests.factories import EditionFactory, FrameworkFactory
from tests.parindex.conftest import PROVENANCE
from tests.parindex.test_import import (
    MINISTRIES_2023,
    UNREADABLE_FILES,
    vietnamese_excel_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(admin_client, reference):
    return admin_client


def upload(client, content, name="bo-2022.csv", year=2022, framework=None):
    framework = framework or Framework.objects.get(code="876", group=Group.MINISTRY)
    return client.post(
        "/quan-tri/parindex/edition/nhap/",
        {
            "year": year,
            "group": "bo",
            "framework": framework.pk,
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        },
    )


def test_upload_shows_a_preview_and_saves_only_after_confirmation(editor):
    response = upload(editor, vietnamese_excel_csv())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tệp hợp lệ: 17 đơn vị" in html
    assert "Bộ Nông nghiệp và Phát triển nông thôn" in html  # the matched unit
    assert not Edition.objects.filter(year=2022).exists()

    payload = response.context["payload"]
    confirmed = editor.post("/quan-tri/parindex/edition/nhap/", {"payload": payload})
    edition = Edition.objects.get(year=2022, group=Group.MINISTRY)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/quan-tri/parindex/edition/{edition.pk}/change/"
    assert edition.status == "draft" and edition.results.count() == 17


def test_broken_upload_lists_problems_and_saves_nothing(editor):
    rows = list(MINISTRIES_2023)
    rows[3] = (4, "Bộ Nội Vụ", "60,65", "26,38", "abc")
    response = upload(editor, vietnamese_excel_csv(rows))
    html = response.content.decode()
    assert "Tệp có 2 lỗi; không có gì được lưu." in html
    assert "Dòng 6, cột “Tổng điểm”: “abc” không phải là số." in html
    assert "Dòng 6, cột “Chỉ số”: “abc%” không phải là số." in html
    # The file comes back signed only to map unknown names: no confirm button,
    # and posting it as a confirmation checks it again and saves nothing.
    assert "Xác nhận nhập" not in html
    editor.post(
        "/quan-tri/parindex/edition/nhap/", {"payload": response.context["payload"]}
    )
    assert not Edition.objects.filter(year=2022).exists()


@pytest.mark.parametrize("case", UNREADABLE_FILES)
def test_absurd_numbers_and_unreadable_uploads_show_a_report(editor, case):
    name, content, message = UNREADABLE_FILES[case]
    response = upload(editor, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Xác nhận nhập" not in response.content.decode()
    assert not Edition.objects.filter(year=2022).exists()


def test_tampered_payload_is_refused(editor):
    response = editor.post("/quan-tri/parindex/edition/nhap/", {"payload": "forged"})
    assert response.status_code == 302
    assert not Edition.objects.filter(year=2022).exists()


def test_template_file_lists_expected_units(editor):
    framework = Framework.objects.get(code="2948", group=Group.PROVINCE)
    response = editor.get(
        "/quan-tri/parindex/edition/nhap/tep-mau.csv",
        {"year": 2019, "group": "tinh", "framework": framework.pk},
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "Xếp hạng,Tên đơn vị,Điểm thẩm định,Điểm điều tra XHH,Tổng điểm,Chỉ số (%)"
        in text
    )
    assert "Lĩnh vực 3: Cải cách thủ tục hành chính" in text
    assert ",Bà Rịa - Vũng Tàu," in text
    # The header on the first line, then one line per province.
    assert len(text.strip().splitlines()) == 1 + 63


def test_import_page_offers_the_template_file_as_a_form_of_choices(editor):
    framework = Framework.objects.get(code="2948", group=Group.PROVINCE)
    html = editor.get("/quan-tri/parindex/edition/nhap/").content.decode()
    form = re.search(
        r'<form method="get" action="/quan-tri/parindex/edition/nhap/tep-mau.csv">'
        r"(.*?)</form>",
        html,
        re.S,
    ).group(1)
    assert '<label for="template_year">Năm đánh giá:</label>' in form
    assert f'<option value="{framework.pk}">' in form
    blank = editor.get(
        "/quan-tri/parindex/edition/nhap/tep-mau.csv",
        {"year": "", "group": "", "framework": ""},
    )
    assert blank.status_code == 200
    (headers,) = blank.content.decode("utf-8-sig").strip().splitlines()
    assert headers.startswith("Xếp hạng,Tên đơn vị,")


@pytest.mark.parametrize(
    "query",
    [
        {"framework": "abc"},
        {"framework": "99999999999999999999"},
        {"year": "99999", "group": "tinh"},
        {"year": "2000", "group": "tinh"},
        {"year": "2019", "group": "xyz"},
    ],
)
def test_template_file_refuses_bad_parameters_with_400(editor, query):
    response = editor.get("/quan-tri/parindex/edition/nhap/tep-mau.csv", query)
    assert response.status_code == 400
    assert "Tham số tệp mẫu không hợp lệ" in response.content.decode()


def test_release_view_checks_then_schedules_to_the_minute(editor, client):
    upload(editor, vietnamese_excel_csv())
    payload = upload(editor, vietnamese_excel_csv()).context["payload"]
    editor.post("/quan-tri/parindex/edition/nhap/", {"payload": payload})
    edition = Edition.objects.get(year=2022, group=Group.MINISTRY)
    page = editor.get(f"/quan-tri/parindex/edition/{edition.pk}/cong-bo/")
    assert "Thiếu văn bản công bố" in page.content.decode()
    Edition.objects.filter(pk=edition.pk).update(**PROVENANCE)

    page = editor.get(f"/quan-tri/parindex/edition/{edition.pk}/cong-bo/")
    assert "đã qua mọi bước kiểm tra" in page.content.decode()
    editor.post(f"/quan-tri/parindex/edition/{edition.pk}/cong-bo/", {"step": "check"})
    moment = timezone.localtime() + datetime.timedelta(days=2)
    response = editor.post(
        f"/quan-tri/parindex/edition/{edition.pk}/cong-bo/",
        {
            "step": "release",
            "when": "at",
            "release_at": moment.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.is_scheduled
    assert timezone.localtime(edition.release_at).strftime("%d/%m/%Y %H:%M") == (
        moment.strftime("%d/%m/%Y %H:%M")
    )
    assert client.get("/chi-so-cchc/2022/bo/").status_code == 404
    # Staff can preview it meanwhile.
    preview = editor.get(f"/quan-tri/parindex/edition/{edition.pk}/xem-truoc/")
    assert "Bản xem trước dành cho biên tập viên" in preview.content.decode()


def test_release_view_refuses_when_checks_fail(editor):
    content = vietnamese_excel_csv()
    payload = upload(editor, content).context["payload"]
    editor.post("/quan-tri/parindex/edition/nhap/", {"payload": payload})
    edition = Edition.objects.get(year=2022, group=Group.MINISTRY)
    Edition.objects.filter(pk=edition.pk).update(n_ranked=18, **PROVENANCE)

    response = editor.post(
        f"/quan-tri/parindex/edition/{edition.pk}/cong-bo/",
        {"step": "check"},
        follow=True,
    )
    assert "Chưa thể công bố" in response.content.decode()
    assert "Bảng có 17 đơn vị, ấn bản ghi 18 đơn vị" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == "draft"


def test_released_edition_is_read_only_in_admin(editor):
    edition = Edition.objects.get(year=2023, group=Group.MINISTRY)
    page = editor.get(f"/quan-tri/parindex/edition/{edition.pk}/change/")
    assert page.status_code == 200
    assert 'name="national_average"' not in page.content.decode()
    delete = editor.post(
        f"/quan-tri/parindex/edition/{edition.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Result.objects.filter(edition=edition).count() == 17


def test_anonymous_users_cannot_reach_the_import(client, reference):
    response = client.get("/quan-tri/parindex/edition/nhap/")
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]


@pytest.mark.parametrize(
    "model",
    ["unit", "framework", "edition", "region", "annualsummary", "regionalaverage"],
)
def test_admin_lists_and_forms_render(editor, model):
    assert editor.get(f"/quan-tri/parindex/{model}/").status_code == 200
    assert editor.get(f"/quan-tri/parindex/{model}/add/").status_code == 200


def test_unit_change_page_shows_names_and_successors(editor):
    from parindex.models import Unit

    unit = Unit.objects.get(slug="ha-giang")
    html = editor.get(f"/quan-tri/parindex/unit/{unit.pk}/change/").content.decode()
    assert "đơn vị này hợp nhất vào" in html and "Tỉnh Tuyên Quang" in html
    hue = Unit.objects.get(slug="hue")
    html = editor.get(f"/quan-tri/parindex/unit/{hue.pk}/change/").content.decode()
    assert "Thừa Thiên Huế" in html and "thua-thien-hue" in html


def change_form_data(response) -> dict:
    """What a browser would post back from an admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value not in (None, False):
                data[field.html_name] = value
    return data


def post_area_changes(editor, framework) -> tuple:
    """Try to renumber area 1, change both maxima and the framework's group."""
    url = f"/quan-tri/parindex/framework/{framework.pk}/change/"
    data = change_form_data(editor.get(url))
    data.update(
        {
            "group": Group.MINISTRY,
            "max_points": "90",
            "areas-0-number": "5",
            "areas-0-max_points": "70",
            "areas-1-max_points": "25",
        }
    )
    response = editor.post(url, data)
    framework.refresh_from_db()
    return response, framework, list(framework.areas.order_by("pk"))


def test_area_numbers_and_maxima_are_read_only_once_an_edition_uses_them(editor):
    framework = FrameworkFactory(area_maxima=["60", "40"])
    Area.objects.filter(framework=framework, number=2).update(max_points=None)
    EditionFactory(framework=framework)

    page = editor.get(f"/quan-tri/parindex/framework/{framework.pk}/change/")
    html = page.content.decode()
    assert 'name="areas-0-number"' in html and 'name="group"' not in html
    response, framework, areas = post_area_changes(editor, framework)

    assert response.status_code == 302
    assert (framework.group, framework.max_points) == (Group.PROVINCE, 100)
    assert (areas[0].number, areas[0].max_points) == (1, 60)
    # A maximum nobody knew yet may still be filled in.
    assert (areas[1].number, areas[1].max_points) == (2, 25)


def test_area_numbers_and_maxima_stay_editable_while_no_edition_uses_them(editor):
    framework = FrameworkFactory(area_maxima=["60", "40"])

    response, framework, areas = post_area_changes(editor, framework)

    assert response.status_code == 302
    assert (framework.group, framework.max_points) == (Group.MINISTRY, 90)
    assert (areas[0].number, areas[0].max_points) == (5, 70)
    assert areas[1].max_points == 25


def test_the_template_file_is_only_for_staff_who_may_import(client, reference):
    from tests.factories import WriterFactory

    client.force_login(WriterFactory())  # staff, but no edition permissions
    url = "/quan-tri/parindex/edition/nhap/tep-mau.csv"
    assert client.get(url, {"year": 2019, "group": "tinh"}).status_code == 403
    assert client.get("/quan-tri/parindex/edition/nhap/").status_code == 403
