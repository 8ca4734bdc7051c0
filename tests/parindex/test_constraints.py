"""Invariants enforced by the database, whatever path the data takes."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from parindex.models import (
    Area,
    AreaScore,
    Edition,
    Framework,
    Group,
    Result,
    Unit,
    UnitKind,
)
from tests.factories import (
    EditionFactory,
    FrameworkFactory,
    MinistryFactory,
    ResultFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def violates(rule: str):
    """The database refuses the write and names the rule: constraint or trigger.

    Several rules can refuse the same row (a total above 100 breaks both the
    range constraint and the framework-maximum trigger); naming the rule keeps
    each test on the one its name is about.
    """
    return pytest.raises(IntegrityError, match=rule)


def test_one_result_per_unit_per_edition():
    result = ResultFactory()
    with violates("parindex_result_one_per_unit"), transaction.atomic():
        ResultFactory(edition=result.edition, unit=result.unit, rank=2)


def test_total_must_lie_within_0_and_100():
    # A framework worth more than 100 points: its own maximum does not apply.
    edition = EditionFactory(framework=FrameworkFactory(max_points=Decimal("200")))
    with violates("parindex_result_total_range"), transaction.atomic():
        ResultFactory(edition=edition, total=Decimal("100.01"), index=Decimal("100"))
    with violates("parindex_result_total_range"), transaction.atomic():
        ResultFactory(edition=edition, total=Decimal("-1"), index=Decimal("0"))
    ResultFactory(edition=edition, total=Decimal("100"), index=Decimal("100"))


def test_points_must_not_exceed_the_framework_maximum():
    with violates("parindex_result_points_max"), transaction.atomic():
        ResultFactory(total=Decimal("100.01"), index=Decimal("100"))


def test_area_points_cannot_exceed_the_area_maximum():
    framework = FrameworkFactory(area_maxima=["10", "90"])
    result = ResultFactory(edition=EditionFactory(framework=framework))
    area = framework.areas.get(number=1)
    AreaScore.objects.create(result=result, area=area, points=Decimal("10.00"))
    with violates("parindex_areascore_points_max"), transaction.atomic():
        AreaScore.objects.filter(result=result).update(points=Decimal("10.01"))


def test_area_must_belong_to_the_edition_framework():
    other = FrameworkFactory(area_maxima=["50"])
    result = ResultFactory()
    with violates("parindex_areascore_framework"), transaction.atomic():
        AreaScore.objects.create(
            result=result, area=other.areas.get(), points=Decimal("1")
        )


def test_result_unit_must_belong_to_the_edition_group():
    edition = EditionFactory(group=Group.PROVINCE)
    with violates("parindex_result_unit_group"), transaction.atomic():
        ResultFactory(edition=edition, unit=MinistryFactory())


def test_result_unit_must_have_existed_during_the_year():
    edition = EditionFactory(year=2024)
    merged_away = UnitFactory(valid_to=datetime.date(2023, 12, 31))
    created_later = UnitFactory(valid_from=datetime.date(2025, 7, 1))
    for unit in (merged_away, created_later):
        with violates("parindex_result_unit_period"), transaction.atomic():
            ResultFactory(edition=edition, unit=unit)
    ResultFactory(edition=edition, unit=UnitFactory(valid_to=datetime.date(2024, 1, 1)))


def test_edition_framework_must_be_of_the_same_group():
    with violates("parindex_edition_framework_group"), transaction.atomic():
        EditionFactory(group=Group.MINISTRY, framework=FrameworkFactory(group="tinh"))


def test_one_edition_per_year_and_group_and_released_needs_a_time():
    edition = EditionFactory(year=2020)
    with violates("parindex_edition_unique_year_group"), transaction.atomic():
        EditionFactory(year=2020, group=edition.group, framework=edition.framework)
    with violates("parindex_edition_released_has_time"), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(release_at=None)


def test_unit_group_follows_its_kind_and_names_fold_d_with_stroke():
    unit = Unit.objects.create(
        kind=UnitKind.CITY,
        name="Thành phố Đà Nẵng",
        short_name="Đà Nẵng",
        slug="da-nang",
    )
    assert unit.group == Group.PROVINCE
    assert unit.short_name_folded == "da nang"
    with violates("parindex_unit_group_matches_kind"), transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(group=Group.MINISTRY)


def test_framework_in_use_keeps_its_group_maxima_and_area_numbers():
    framework = FrameworkFactory(area_maxima=["60", "40"])
    unknown = FrameworkFactory(area_maxima=["50"]).areas.get()
    unknown_areas = Area.objects.filter(pk=unknown.pk)
    unknown_areas.update(max_points=None)
    EditionFactory(framework=framework)
    EditionFactory(framework=unknown.framework)
    areas = Area.objects.filter(framework=framework, number=1)
    frozen = Framework.objects.filter(pk=framework.pk)
    for rule, change in (
        ("parindex_area_frozen", lambda: areas.update(max_points=Decimal("70"))),
        ("parindex_area_frozen", lambda: areas.update(max_points=None)),
        ("parindex_area_frozen", lambda: areas.update(number=3)),
        ("parindex_area_frozen", lambda: areas.update(framework=FrameworkFactory())),
        ("parindex_framework_frozen", lambda: frozen.update(max_points=90)),
        ("parindex_framework_frozen", lambda: frozen.update(group=Group.MINISTRY)),
    ):
        with violates(rule), transaction.atomic():
            change()
    # What pages do not depend on may change; an unknown maximum may be filled.
    areas.update(name="Tên mới")
    unknown_areas.update(max_points=Decimal("50"))
    unused = FrameworkFactory(area_maxima=["60"])
    unused.areas.update(number=2, max_points=Decimal("70"))
    Framework.objects.filter(pk=unused.pk).update(group=Group.MINISTRY)


def test_appraisal_and_survey_come_together():
    with violates("parindex_result_split_range"), transaction.atomic():
        ResultFactory(appraisal=Decimal("60"), survey=None)
    with violates("parindex_result_split_range"), transaction.atomic():
        ResultFactory(appraisal=None, survey=Decimal("25"))
    assert Result.objects.count() == 0
