"""Cached PAR INDEX pages follow releases at once, scheduled ones at their minute."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from parindex.services import edition_release
from tests.factories import UnitFactory
from tests.parindex.conftest import PROVENANCE, build_edition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


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


def public_pages(edition):
    unit = edition.results.first().unit
    return ["/chi-so-cchc/", unit.get_absolute_url(), "/"]


def test_releasing_shows_on_overview_profile_and_home_at_once(
    client, draft, django_capture_on_commit_callbacks
):
    for url in public_pages(draft):
        client.get(url)
    assert client.get("/chi-so-cchc/")["X-Page-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        edition_release(edition=draft)

    assert client.get("/chi-so-cchc/2021/tinh/").status_code == 200
    for url in public_pages(draft):
        response = client.get(url)
        assert response["X-Page-Cache"] == "MISS", url
        assert "2021" in response.content.decode(), url


def test_scheduled_release_appears_at_its_minute_without_any_write(
    client, draft, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        edition_release(edition=draft, release_at=start + datetime.timedelta(hours=2))
    profile = draft.results.first().unit.get_absolute_url()
    with time_machine.travel(start, tick=False):
        assert "2021" not in client.get(profile).content.decode()
        assert client.get(profile)["X-Page-Cache"] == "HIT"
    with time_machine.travel(
        start + datetime.timedelta(hours=2, seconds=1), tick=False
    ):
        response = client.get(profile)
        assert response["X-Page-Cache"] == "MISS"
        assert "2021" in response.content.decode()
        assert client.get("/chi-so-cchc/2021/tinh/").status_code == 200
