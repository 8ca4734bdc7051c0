import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from parindex.demo import seed_parindex_demo
from parindex.models import AreaScore, Edition, EditionStatus, Group, Result, Unit
from parindex.reference import load_reference_data
from tests.factories import EditionFactory, FrameworkFactory


@pytest.fixture
def reference(db, seeded):
    """The real reference data shipped in parindex/data/."""
    return seeded("parindex-reference", load_reference_data)


@pytest.fixture
def demo(db, seeded):
    """Reference data plus the demo editions, as `make run` loads them."""
    return seeded("parindex-demo", seed_parindex_demo)


# Where an edition's figures come from: what a release needs besides them.
PROVENANCE = {
    "announced_on": datetime.date(2023, 4, 19),
    "announcing_body": "Bộ Nội vụ",
    "announcement_document": "Báo cáo Chỉ số CCHC (văn bản thử nghiệm)",
    "source_url": "https://example.gov.vn/par-index",
    "average_not_published": True,
    "survey_size_not_published": True,
}


def build_edition(
    *,
    year: int,
    units: list,
    totals: list[str],
    group: str = Group.PROVINCE,
    framework=None,
    area_points: list[list[str]] | None = None,
    released: bool = True,
    **fields,
) -> Edition:
    """A released edition whose results follow totals (ranks computed)."""
    framework = framework or FrameworkFactory(group=group)
    edition = EditionFactory(
        year=year,
        group=group,
        framework=framework,
        status=EditionStatus.RELEASED if released else EditionStatus.DRAFT,
        release_at=timezone.now() - datetime.timedelta(days=1) if released else None,
        **fields,
    )
    values = [Decimal(t) for t in totals]
    areas = list(framework.areas.all())
    for position, (unit, total) in enumerate(zip(units, values, strict=True)):
        result = Result.objects.create(
            edition=edition,
            unit=unit,
            published_name=unit.short_name,
            rank=1 + sum(1 for other in values if other > total),
            total=total,
            index=total,
        )
        if area_points:
            for area, points in zip(areas, area_points[position], strict=True):
                AreaScore.objects.create(
                    result=result, area=area, points=Decimal(points)
                )
    return edition


def build_province_tables(years, *, top: float, step: float) -> None:
    """Released province tables of the units ranked each year, best first.

    Before 2025 that is the 63 provinces, from 2025 the 34 units.
    """
    for year in years:
        units = list(
            Unit.objects.in_group(Group.PROVINCE)
            .expected_in_ranking(year)
            .order_by("gso_code")
        )
        build_edition(
            year=year,
            units=units,
            totals=[f"{top - i * step:.2f}" for i in range(len(units))],
        )
