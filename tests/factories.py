"""factory_boy factories shared by the test suite."""

import datetime as dt
import io
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import (
    Article,
    ArticleLink,
    Category,
    GlossaryTerm,
    Tag,
    whole_second_now,
)
from news.roles import EDITOR, REVIEWER, ensure_roles
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

# Every factory-made user's password (long enough for the validators).
PASSWORD = "mat-khau-thu-nghiem-2026"

# News ------------------------------------------------------------------------


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Chuyên mục {n}")
    slug = ""  # filled from the name by save()


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Thẻ {n}")
    slug = ""  # filled from the name by save()


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm
        django_get_or_create = ["abbreviation"]

    abbreviation = factory.Sequence(lambda n: f"VT{n}")
    meaning = factory.Sequence(lambda n: f"viết tắt số {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article, public since an hour ago."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tin cải cách hành chính số {n}")
    slug = ""  # filled from the title by Article.save()
    sapo = factory.Sequence(lambda n: f"Tóm tắt của tin số {n}.")
    body = "<p>Nội dung bài viết.</p>"
    byline = "Huyền Anh"
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.PUBLISHED
    # Whole seconds, as the admin's time fields keep them.
    published_at = factory.LazyFunction(
        lambda: whole_second_now() - dt.timedelta(hours=1)
    )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class EnglishArticleFactory(ArticleFactory):
    """A published English version of a published Vietnamese article."""

    title = factory.Sequence(lambda n: f"Administrative reform news no. {n}")
    sapo = factory.Sequence(lambda n: f"Summary of news item {n}.")
    body = "<p>The article in English.</p>"
    byline = "Huyen Anh"
    language = Article.Language.ENGLISH
    translation_of = factory.SubFactory(
        ArticleFactory, category=factory.SelfAttribute("..category")
    )


class ArticleLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleLink

    from_article = factory.SubFactory(ArticleFactory)
    to_article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)


def image_bytes(
    image_format: str = "JPEG", size: tuple[int, int] = (1600, 900), **save_options
) -> bytes:
    """A real image made in memory with Pillow."""
    image = Image.new("RGB", size, (165, 14, 14))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


def image_upload(name: str = "", image_format: str = "JPEG", **kwargs):
    """An uploaded image file as a form would receive it (named anh.jpg/png/webp)."""
    name = name or f"anh.{'jpg' if image_format == 'JPEG' else image_format.lower()}"
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
    return SimpleUploadedFile(
        name,
        image_bytes(image_format, **kwargs),
        content_type=content_type.get(image_format, "application/octet-stream"),
    )


# People ----------------------------------------------------------------------


def _join_roles(user, create: bool, names) -> None:
    if create and names:
        # A transactional (browser) test flushes the groups the migration
        # made: put them back when needed.
        ensure_roles()
        user.groups.set(AuthGroup.objects.filter(name__in=names))


class UserFactory(factory.django.DjangoModelFactory):
    """A staff account; roles=[news.roles.EDITOR] puts it in that group."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    first_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.Sequence(lambda n: f"nguoidung{n}@example.gov.vn")
    password = factory.django.Password(PASSWORD)
    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _join_roles(self, create, extracted)


class WriterFactory(UserFactory):
    """A "Biên tập viên": writes and submits for review, cannot publish."""

    first_name = factory.Sequence(lambda n: f"Biên tập viên {n}")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _join_roles(self, create, extracted or [EDITOR])


class ReviewerFactory(UserFactory):
    """A "Duyệt bài": reviews, publishes, schedules, unpublishes, deletes."""

    first_name = factory.Sequence(lambda n: f"Người duyệt {n}")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _join_roles(self, create, extracted or [REVIEWER])


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
    release_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


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


def library_image(**kwargs):
    """An image in the library, stored as the admin stores it."""
    from news import services

    return services.image_create(
        upload=kwargs.pop("upload", None) or image_upload(),
        alt=kwargs.pop("alt", "Quang cảnh hội nghị"),
        caption=kwargs.pop("caption", "Hội nghị tổng kết cải cách hành chính."),
        user=None,
    )
