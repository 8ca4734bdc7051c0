"""seed_demo: deterministic, idempotent, always labelled demo."""

import pytest
from django.core.management import call_command

from parindex.demo import DEMO_EDITIONS
from parindex.models import Edition, Result

pytestmark = pytest.mark.django_db


def fingerprint():
    return list(
        Result.objects.order_by(
            "edition__year", "edition__group", "unit__slug"
        ).values_list(
            "edition__year", "unit__slug", "rank", "total", "appraisal", "survey"
        )
    )


def test_seed_demo_is_idempotent_and_deterministic(demo_site, capsys):
    first = fingerprint()
    editions = Edition.objects.count()
    call_command("seed_demo")
    assert fingerprint() == first and Edition.objects.count() == editions
    assert "demo_editions +0" in capsys.readouterr().out.split("PAR INDEX:")[1]
    call_command("seed_demo", reset=True)
    assert fingerprint() == first


def test_demo_editions_are_complete_released_and_flagged(demo):
    assert demo["demo_editions"] == len(DEMO_EDITIONS)
    demo_editions = Edition.objects.filter(is_demo=True)
    assert demo_editions.count() == demo_editions.released().count()
    for edition in demo_editions:
        assert edition.results.count() == edition.n_ranked
        assert edition.results.filter(appraisal__isnull=True).count() == 0
        assert (
            edition.results.first().area_scores.count()
            == edition.framework.areas.count()
        )
    assert Edition.objects.filter(is_demo=False).count() == 1  # the official 2023 table
    province_2019 = Edition.objects.get(year=2019, group="tinh")
    assert province_2019.framework.code == "2948"
    assert (
        province_2019.results.get(unit__slug="hue").published_name == "Thừa Thiên Huế"
    )
