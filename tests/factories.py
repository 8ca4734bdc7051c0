"""factory_boy factories shared by the test suite."""

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Article, ArticleLink, Category, GlossaryTerm, Tag


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
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


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


def image_upload(name: str = "anh.jpg", image_format: str = "JPEG", **kwargs):
    """An uploaded image file as a form would receive it."""
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
    return SimpleUploadedFile(
        name,
        image_bytes(image_format, **kwargs),
        content_type=content_type.get(image_format, "application/octet-stream"),
    )
