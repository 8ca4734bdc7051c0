"""Releasing: one step, consistency checks, scheduling without cron."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parindex.models import Edition, Group
from parindex.services import edition_release, edition_unschedule
from tests.factories import UnitFactory
from tests.parindex.conftest import PROVENANCE, build_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    units = UnitFactory.create_batch(3)
    return build_edition(
        year=2021,
        units=units,
        totals=["90.00", "85.00", "80.00"],
        released=False,
        **PROVENANCE,
    )


def test_release_makes_the_edition_public_now(draft, client):
    assert client.get("/chi-so-cchc/2021/tinh/").status_code == 404
    edition_release(edition=draft)
    response = client.get("/chi-so-cchc/2021/tinh/")
    assert response.status_code == 200
    assert client.get("/chi-so-cchc/2021/tinh.csv").status_code == 200


def test_scheduled_release_appears_only_after_its_time(draft, client):
    moment = timezone.now() + datetime.timedelta(hours=2)
    edition_release(edition=draft, release_at=moment)
    draft.refresh_from_db()
    assert draft.is_scheduled
    unit = draft.results.first().unit
    assert client.get("/chi-so-cchc/2021/tinh/").status_code == 404
    assert client.get("/chi-so-cchc/2021/tinh.json").status_code == 404
    assert "2021" not in client.get(unit.get_absolute_url()).content.decode()

    # The announcement minute passes: no job runs, the queryset simply lets it in.
    Edition.objects.filter(pk=draft.pk).update(
        release_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get("/chi-so-cchc/2021/tinh/").status_code == 200
    assert "2021" in client.get(unit.get_absolute_url()).content.decode()


def test_release_refuses_an_inconsistent_edition(draft):
    draft.n_ranked = 4
    draft.national_average = Decimal("70.00")
    draft.save()
    with pytest.raises(ValidationError) as error:
        edition_release(edition=draft)
    assert (
        "Bảng có 3 đơn vị, ấn bản ghi 4 đơn vị được xếp hạng." in error.value.messages
    )
    assert any("Giá trị trung bình công bố 70,00" in m for m in error.value.messages)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_release_refuses_an_empty_edition():
    edition = build_edition(year=2020, units=[], totals=[], released=False)
    with pytest.raises(ValidationError, match="chưa có kết quả"):
        edition_release(edition=edition)


def test_a_scheduled_release_can_be_cancelled_before_its_time(draft):
    edition_release(
        edition=draft, release_at=timezone.now() + datetime.timedelta(days=1)
    )
    edition_unschedule(edition=draft)
    draft.refresh_from_db()
    # Back to checked: a reviewer may release it again without a new check.
    assert draft.status == "checked" and draft.release_at is None
    edition_release(edition=draft)
    with pytest.raises(ValidationError):
        edition_unschedule(edition=draft)


def test_released_edition_cannot_be_released_twice(draft):
    edition_release(edition=draft)
    with pytest.raises(ValidationError, match="đã được công bố"):
        edition_release(edition=draft)
    assert Edition.objects.get(pk=draft.pk).group == Group.PROVINCE
