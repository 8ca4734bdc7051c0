"""factory_boy factories shared by the test suite."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from parindex.models import (
    Area,
    AreaScore,
    Edition,
    EditionStatus,
    Framework,
    Group,
    Region,
    Result,
    Unit,
    UnitKind,
)

# PAR INDEX -------------------------------------------------------------------


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Vùng thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"vung-thu-nghiem-{n}")
    position = factory.Sequence(lambda n: n)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    kind = UnitKind.PROVINCE
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"Thử Nghiệm {n}")
    slug = factory.Sequence(lambda n: f"thu-nghiem-{n}")
    region = factory.SubFactory(RegionFactory)


class MinistryFactory(UnitFactory):
    kind = UnitKind.MINISTRY
    name = factory.Sequence(lambda n: f"Bộ Thử Nghiệm {n}")
    short_name = factory.SelfAttribute("name")
    slug = factory.Sequence(lambda n: f"bo-thu-nghiem-{n}")
    region = None


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"qd-{n}")
    group = Group.PROVINCE
    decision = factory.Sequence(lambda n: f"QĐ {n}/QĐ-BNV")

    @factory.post_generation
    def area_maxima(self, create, extracted, **kwargs):
        """area_maxima=["60", "40"] creates numbered areas with those maxima."""
        for number, maximum in enumerate(extracted or [], 1):
            Area.objects.create(
                framework=self,
                number=number,
                name=f"Lĩnh vực thử {number}",
                max_points=Decimal(maximum),
            )


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    year = factory.Sequence(lambda n: 2013 + n % 80)
    group = Group.PROVINCE
    framework = factory.SubFactory(
        FrameworkFactory, group=factory.SelfAttribute("..group")
    )
    status = EditionStatus.RELEASED
    release_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=1)
    )


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    edition = factory.SubFactory(EditionFactory)
    unit = factory.SubFactory(UnitFactory)
    published_name = factory.SelfAttribute("unit.short_name")
    rank = 1
    total = Decimal("85.00")
    index = factory.SelfAttribute("total")


class AreaScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaScore

    result = factory.SubFactory(ResultFactory)
    points = Decimal("5.00")
