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


def raises_integrity():
    return pytest.raises(IntegrityError)


def test_one_result_per_unit_per_edition():
    result = ResultFactory()
    with raises_integrity(), transaction.atomic():
        ResultFactory(edition=result.edition, unit=result.unit, rank=2)


def test_total_must_lie_within_0_and_100():
    with raises_integrity(), transaction.atomic():
        ResultFactory(total=Decimal("100.01"), index=Decimal("100"))
    with raises_integrity(), transaction.atomic():
        ResultFactory(total=Decimal("-1"), index=Decimal("0"))


def test_area_points_cannot_exceed_the_area_maximum():
    framework = FrameworkFactory(area_maxima=["10", "90"])
    result = ResultFactory(edition=EditionFactory(framework=framework))
    area = framework.areas.get(number=1)
    AreaScore.objects.create(result=result, area=area, points=Decimal("10.00"))
    with raises_integrity(), transaction.atomic():
        AreaScore.objects.filter(result=result).update(points=Decimal("10.01"))


def test_area_must_belong_to_the_edition_framework():
    other = FrameworkFactory(area_maxima=["50"])
    result = ResultFactory()
    with raises_integrity(), transaction.atomic():
        AreaScore.objects.create(
            result=result, area=other.areas.get(), points=Decimal("1")
        )


def test_result_unit_must_belong_to_the_edition_group():
    edition = EditionFactory(group=Group.PROVINCE)
    with raises_integrity(), transaction.atomic():
        ResultFactory(edition=edition, unit=MinistryFactory())


def test_result_unit_must_have_existed_during_the_year():
    edition = EditionFactory(year=2024)
    merged_away = UnitFactory(valid_to=datetime.date(2023, 12, 31))
    created_later = UnitFactory(valid_from=datetime.date(2025, 7, 1))
    for unit in (merged_away, created_later):
        with raises_integrity(), transaction.atomic():
            ResultFactory(edition=edition, unit=unit)
    ResultFactory(edition=edition, unit=UnitFactory(valid_to=datetime.date(2024, 1, 1)))


def test_edition_framework_must_be_of_the_same_group():
    with raises_integrity(), transaction.atomic():
        EditionFactory(group=Group.MINISTRY, framework=FrameworkFactory(group="tinh"))


def test_one_edition_per_year_and_group_and_released_needs_a_time():
    edition = EditionFactory(year=2020)
    with raises_integrity(), transaction.atomic():
        EditionFactory(year=2020, group=edition.group, framework=edition.framework)
    with raises_integrity(), transaction.atomic():
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
    with raises_integrity(), transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(group=Group.MINISTRY)


def test_framework_in_use_keeps_its_group_maxima_and_area_numbers():
    framework = FrameworkFactory(area_maxima=["60", "40"])
    unknown = FrameworkFactory(area_maxima=["50"]).areas.get()
    unknown_areas = Area.objects.filter(pk=unknown.pk)
    unknown_areas.update(max_points=None)
    EditionFactory(framework=framework)
    EditionFactory(framework=unknown.framework)
    areas = Area.objects.filter(framework=framework, number=1)
    for change in (
        lambda: areas.update(max_points=Decimal("70")),
        lambda: areas.update(max_points=None),
        lambda: areas.update(number=3),
        lambda: areas.update(framework=FrameworkFactory()),
        lambda: Framework.objects.filter(pk=framework.pk).update(max_points=90),
        lambda: Framework.objects.filter(pk=framework.pk).update(group=Group.MINISTRY),
    ):
        with raises_integrity(), transaction.atomic():
            change()
    # What pages do not depend on may change; an unknown maximum may be filled.
    areas.update(name="Tên mới")
    unknown_areas.update(max_points=Decimal("50"))
    unused = FrameworkFactory(area_maxima=["60"])
    unused.areas.update(number=2, max_points=Decimal("70"))
    Framework.objects.filter(pk=unused.pk).update(group=Group.MINISTRY)


def test_appraisal_and_survey_come_together():
    with raises_integrity(), transaction.atomic():
        ResultFactory(appraisal=Decimal("60"), survey=None)
    assert Result.objects.count() == 0
