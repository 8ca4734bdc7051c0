"""The import preview maps an unknown name to a unit and keeps it as an alias."""

import re

import pytest

from parindex.edition_checks import UnitNameMatcher
from parindex.models import Edition, Group, Unit, UnitName
from tests.factories import WriterFactory
from tests.parindex.test_admin import upload
from tests.parindex.test_import import MINISTRIES_2023, vietnamese_excel_csv
from tests.parindex.test_workflow import data_user

pytestmark = pytest.mark.django_db

IMPORT_URL = "/quan-tri/parindex/edition/nhap/"
UNKNOWN = "Bộ Tư pháp TW"


def file_with_unknown_name() -> bytes:
    rows = list(MINISTRIES_2023)
    rows[0] = (1, UNKNOWN, "61,86", "28,10", "89,95")
    return vietnamese_excel_csv(rows)


@pytest.fixture
def officer(client, reference):
    from parindex import roles

    client.force_login(data_user(roles.DATA_OFFICER))
    return client


def justice():
    return Unit.objects.get(group=Group.MINISTRY, name="Bộ Tư pháp")


def save_alias(client, payload, unit, name=UNKNOWN):
    return client.post(
        IMPORT_URL, {"payload": payload, "alias_name": name, "unit": unit.pk}
    )


def test_preview_shows_the_mapping_form_for_an_unknown_name(officer):
    response = upload(officer, file_with_unknown_name())
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 tên đơn vị chưa biết" in html
    form = re.search(
        r'<form method="post" class="parindex-alias-form">.*?</form>', html, re.S
    )
    assert form is not None
    form = form.group(0)
    assert f'name="alias_name" value="{UNKNOWN}"' in form
    assert 'name="payload"' in form
    # The ranked suggestion comes first and is chosen; every 2022 unit is offered.
    assert re.search(
        rf'<optgroup label="Gợi ý">\s*<option value="{justice().pk}" selected>'
        r"Bộ Tư pháp</option>",
        form,
    )
    units_2022 = UnitNameMatcher(group=Group.MINISTRY, year=2022).units_of_year
    assert form.count("<option value=") == 1 + len(units_2022)
    assert all(f'<option value="{unit.pk}"' in form for unit in units_2022)
    assert '<label for="alias1_unit">' in form


def test_saving_the_alias_makes_the_same_file_pass(officer):
    before = set(UnitName.objects.values_list("pk", flat=True))
    payload = upload(officer, file_with_unknown_name()).context["payload"]

    response = save_alias(officer, payload, justice())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tệp hợp lệ: 17 đơn vị" in html
    assert f"Đã lưu “{UNKNOWN}” là tên gọi khác của Bộ Tư pháp" in html
    added = UnitName.objects.exclude(pk__in=before)
    assert [(a.unit, a.name, a.kind) for a in added] == [(justice(), UNKNOWN, "alias")]
    alias = added.get()
    assert alias.added_by == response.wsgi_request.user and alias.added_at
    assert "bo-2022.csv" in alias.note
    assert not Edition.objects.filter(year=2022).exists()  # nothing else saved
    # The next import of the same file passes, publishing the official name.
    again = upload(officer, file_with_unknown_name())
    assert "Tệp hợp lệ: 17 đơn vị" in again.content.decode()
    officer.post(IMPORT_URL, {"payload": again.context["payload"]})
    result = Edition.objects.get(year=2022).results.get(unit=justice())
    assert result.published_name != UNKNOWN


def test_non_data_role_user_is_refused(officer, client):
    payload = upload(officer, file_with_unknown_name()).context["payload"]
    count = UnitName.objects.count()
    client.force_login(WriterFactory())  # staff, not in a data role

    assert save_alias(client, payload, justice()).status_code == 403
    assert UnitName.objects.count() == count


def test_ambiguous_alias_is_refused_naming_both_units(officer):
    payload = upload(officer, file_with_unknown_name()).context["payload"]
    health = Unit.objects.get(group=Group.MINISTRY, name="Bộ Y tế")
    UnitName.objects.create(unit=health, name=UNKNOWN)  # meanwhile, elsewhere
    count = UnitName.objects.count()

    response = save_alias(officer, payload, justice())

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f"Không lưu tên gọi khác “{UNKNOWN}” cho Bộ Tư pháp: tên này sẽ khớp với "
        "hai đơn vị cùng tồn tại trong năm 2022: Bộ Tư pháp và Bộ Y tế."
    ) in html
    assert UnitName.objects.count() == count


@pytest.mark.parametrize(
    "post",
    [
        {"payload": "forged", "alias_name": UNKNOWN, "unit": "1"},
        {"alias_name": UNKNOWN, "unit": "1"},
        {"payload": None, "alias_name": UNKNOWN, "unit": "abc"},
        {"payload": None, "alias_name": UNKNOWN, "unit": "999999"},
        {"payload": None, "alias_name": UNKNOWN},
        {"payload": None, "alias_name": "Bộ Không Có", "unit": "justice"},
        {"payload": None, "alias_name": "", "unit": "justice"},
    ],
)
def test_tampered_alias_posts_save_nothing_and_never_fail(officer, post):
    payload = upload(officer, file_with_unknown_name()).context["payload"]
    post = {
        key: payload
        if value is None
        else (justice().pk if value == "justice" else value)
        for key, value in post.items()
    }
    count = UnitName.objects.count()

    response = officer.post(IMPORT_URL, post)

    assert response.status_code in (200, 302)
    assert UnitName.objects.count() == count


def test_alias_to_a_unit_not_existing_that_year_is_refused_by_the_service(reference):
    from django.core.exceptions import PermissionDenied, ValidationError

    from parindex import roles, services

    later = Unit.objects.get(slug="hai-phong-2025")
    count = UnitName.objects.count()
    with pytest.raises(ValidationError, match="không tồn tại vào cuối năm 2022"):
        services.unit_alias_add(
            name="HP", unit=later, year=2022, user=data_user(roles.DATA_OFFICER)
        )
    with pytest.raises(PermissionDenied):
        services.unit_alias_add(name="HP", unit=later, year=2025, user=WriterFactory())
    assert UnitName.objects.count() == count
