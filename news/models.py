"""News content: categories, tags, articles, curated related links, glossary."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQueryField,
    SearchRank,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_prose_editor.fields import ProseEditorField
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from cchc_portal.vietnamese import fold, nfc, slugify
from news.html import BODY_EDITOR_EXTENSIONS, sanitize_html
from news.images import check_image, rendition_src, rendition_srcset
from news.search import ParsedQuery, Synonyms, search_document

# Slug used when a title has no letter or digit at all ("!!!").
FALLBACK_SLUG = "tin"
SLUG_HELP = "Để trống để tạo tự động từ tên."


def whole_second_now() -> dt.datetime:
    """Now, without microseconds: the admin's time fields show whole seconds,
    so a time set by code survives an editor's save unchanged (and the
    history shows no change nobody made)."""
    return timezone.now().replace(microsecond=0)


def time_label(moment: dt.datetime) -> str:
    """A moment as the editors' messages write it: "30/05/2026 14:05", Hanoi time."""
    return formats.date_format(timezone.localtime(moment), "d/m/Y H:i")


def article_state_label(article) -> str:
    """Status, time and section in a few words, for choosers and messages:
    "đã xuất bản 30/05/2026 14:05 · Tin tức", "hẹn giờ …", "nháp · …"."""
    now = timezone.now()
    Status = Article.Status
    if article.status != Status.PUBLISHED:
        state = Status(article.status).label.lower()
    elif article.expires_at and article.expires_at <= now:
        state = f"hết hạn {time_label(article.expires_at)}"
    elif article.published_at and article.published_at > now:
        state = f"hẹn giờ {time_label(article.published_at)}"
    elif article.published_at:
        state = f"đã xuất bản {time_label(article.published_at)}"
    else:
        state = "đã xuất bản"
    category = article.category.name if article.category_id else "chưa có chuyên mục"
    return f"{state} · {category}"


class TimeStampedModel(models.Model):
    """Creation and last-change times for content models."""

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


def _fill_slug(instance: models.Model, source: str) -> None:
    """Derive an empty slug from `source` with the portal's Vietnamese slugify."""
    if not instance.slug:
        max_length = instance._meta.get_field("slug").max_length
        instance.slug = slugify(source, max_length=max_length) or FALLBACK_SLUG


class NamedWithSlug(models.Model):
    """A name stored in NFC and a slug filled from it when left empty.

    `name_folded` is the name without marks, in lower case (`fold`), which the
    admin searches so that "dia phuong" finds "Địa phương".
    """

    name_folded = models.CharField(max_length=200, editable=False, default="")

    class Meta:
        abstract = True

    def _normalise_name(self) -> None:
        self.name = nfc(self.name).strip()
        self.name_folded = fold(self.name)
        _fill_slug(self, self.name)

    def clean(self):
        super().clean()
        self._normalise_name()

    def save(self, *args, **kwargs):
        self._normalise_name()
        super().save(*args, **kwargs)


class Category(NamedWithSlug, TimeStampedModel):
    """A news section ("Chuyên mục"), optionally under a parent section."""

    name = models.CharField("tên chuyên mục", max_length=120)
    slug = models.SlugField(
        "đường dẫn", max_length=140, unique=True, blank=True, help_text=SLUG_HELP
    )
    description = models.TextField("mô tả", blank=True)
    order = models.PositiveSmallIntegerField(
        "thứ tự", default=100, help_text="Số nhỏ đứng trước."
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="chuyên mục cha",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    show_in_nav = models.BooleanField(
        "hiện trên thanh điều hướng",
        default=False,
        help_text="Hiện trong menu chính và thành một khối trên trang chủ.",
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="news_category_not_own_parent",
                violation_error_message="Chuyên mục không thể là cha của chính nó.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:category-detail", kwargs={"slug": self.slug})

    def trail(self) -> list[tuple[str, str]]:
        """(name, url) of the parent section, if any, then of this one."""
        sections = [self.parent] if self.parent_id else []
        return [
            (section.name, section.get_absolute_url()) for section in [*sections, self]
        ]


class TagQuerySet(models.QuerySet):
    """Chainable reads for tags; `public()` is what readers may see."""

    def public(self, now: dt.datetime | None = None) -> TagQuerySet:
        """Tags carried by at least one public article: a writer's new tag
        appears only when a reviewer publishes an article with it."""
        articles = Article.objects.published(now).filter(tags=OuterRef("pk"))
        # A first public article per tag, not EXISTS: PostgreSQL turns EXISTS
        # into one join over every article and tag row (4 s at a million
        # articles); a subquery with LIMIT stops at each tag's first one.
        return self.alias(
            first_public_article=Subquery(articles.values("pk")[:1])
        ).filter(first_public_article__isnull=False)


class Tag(NamedWithSlug, TimeStampedModel):
    """A keyword ("Thẻ") shared by articles on the same subject."""

    objects = TagQuerySet.as_manager()

    name = models.CharField("tên thẻ", max_length=80, unique=True)
    slug = models.SlugField(
        "đường dẫn", max_length=100, unique=True, blank=True, help_text=SLUG_HELP
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "thẻ"
        verbose_name_plural = "thẻ"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:tag-detail", kwargs={"slug": self.slug})


class GlossaryTermQuerySet(models.QuerySet):
    def synonyms(self) -> Synonyms:
        """The abbreviations and their meanings as search synonyms (one query)."""
        return Synonyms(self.values_list("abbreviation", "meaning"))


class GlossaryTerm(TimeStampedModel):
    """An abbreviation the portal uses often, explained on its first use.

    The public search also treats each as a synonym of its meaning.
    """

    abbreviation = models.CharField("viết tắt", max_length=30, unique=True)
    meaning = models.CharField("nghĩa đầy đủ", max_length=200)

    objects = GlossaryTermQuerySet.as_manager()

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = "thuật ngữ viết tắt"
        verbose_name_plural = "thuật ngữ viết tắt"
        constraints = [
            models.CheckConstraint(
                condition=~Q(abbreviation="") & ~Q(meaning=""),
                name="news_glossary_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation}: {self.meaning}"

    def save(self, *args, **kwargs):
        self.abbreviation = nfc(self.abbreviation).strip()
        self.meaning = nfc(self.meaning).strip()
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        """Fragment id of this term on the glossary page ("HĐND" -> "hdnd")."""
        return slugify(self.abbreviation)

    def get_absolute_url(self) -> str:
        return reverse("news:glossary") + f"#{self.anchor}"


class TsMatch(models.Func):
    """`document @@ query`: whether a tsvector matches a tsquery."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


def _tsquery(text: str) -> Cast:
    # A literal tsquery built by news.search (no parser on the server).
    return Cast(models.Value(text), output_field=SearchQueryField())


def _matches_or_false(tsquery: str | None):
    if tsquery is None:
        return models.Value(False)
    return TsMatch(F("search_document"), _tsquery(tsquery))


# The languages an article is written in: the Vietnamese original, and an
# editor's English version of it (never machine-translated).
VIETNAMESE = "vi"
ENGLISH = "en"


# Articles refreshed per query when tags, units or bulk changes touch many.
SEARCH_REFRESH_BATCH = 500


# published() in SQL, for the hand-written queries of the pages read most
# (news.selectors: "Tin liên quan", the home's blocks; the article's
# counterpart): compiled once from published() itself, so the rule is said
# once. Placeholders stand for the values each query gives.
_NOW_PLACEHOLDER = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_LANGUAGE_PLACEHOLDER = "\x1flanguage"
_NAMED_PARAMETER = re.compile(r"%\((\w+)\)s")


@functools.cache
def published_sql(alias: str, *, any_language: bool = False) -> tuple[str, dict]:
    """published()'s condition on the table alias `alias`, with the
    parameters %(now)s and %(language)s (none with `any_language`, as
    published(language=None)) and its own constants in the dict returned."""
    query = Article.objects.published(
        _NOW_PLACEHOLDER, language=None if any_language else _LANGUAGE_PLACEHOLDER
    ).query
    compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = query.where.as_sql(compiler, compiler.connection)
    pieces = sql.split("%s")
    constants, parts = {}, [pieces[0]]
    for number, (param, piece) in enumerate(zip(params, pieces[1:], strict=True)):
        if param == _NOW_PLACEHOLDER:
            parts.append("%(now)s")
        elif param == _LANGUAGE_PLACEHOLDER:
            parts.append("%(language)s")
        else:
            constants[f"published_{number}"] = param
            parts.append(f"%(published_{number})s")
        parts.append(piece)
    table = compiler.connection.ops.quote_name(Article._meta.db_table)
    return "".join(parts).replace(f"{table}.", f"{alias}."), constants


def positional_sql(sql: str, params: dict) -> tuple[str, list]:
    """SQL with %(name)s parameters as %s ones and their values in order,
    for RawSQL (which takes positional parameters only)."""
    values = []

    def take(match: re.Match) -> str:
        values.append(params[match.group(1)])
        return "%s"

    return _NAMED_PARAMETER.sub(take, sql), values


def _model_table(app_label: str, model_name: str) -> str:
    """A model's table, quoted, found through the app registry (parindex's
    models import this module)."""
    from django.apps import apps

    return connection.ops.quote_name(
        apps.get_model(app_label, model_name)._meta.db_table
    )


def _m2m_table(field_name: str) -> str:
    """The table behind one of Article's many-to-many fields."""
    through = Article._meta.get_field(field_name).remote_field.through
    return connection.ops.quote_name(through._meta.db_table)


def _exists_sql(table: str, column: str, outer: str) -> str:
    """Whether `table` has a row whose `column` is the outer row's id."""
    return f"EXISTS (SELECT FROM {table} item WHERE item.{column} = {outer}.id)"


class ArticleQuerySet(models.QuerySet):
    """Chainable reads for articles; `published()` is the public view."""

    def published(
        self, now: dt.datetime | None = None, *, language: str | None = VIETNAMESE
    ) -> ArticleQuerySet:
        """Articles the public may see at `now`: published, started, not expired,
        in `language` (None: every language).

        Vietnamese by default, so that every Vietnamese page, feed, sitemap,
        search and alert leaves English versions out without saying so; the
        English pages ask for "en", and only lookups by id that serve both
        editions (internal links, the writer's go-live notice) ask for None.
        """
        now = now or timezone.now()
        public = self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
        )
        return public if language is None else public.in_language(language)

    def in_language(self, language: str) -> ArticleQuerySet:
        """Articles written in `language` ("vi" or "en")."""
        return self.filter(language=language)

    def next_scheduled_change(
        self, now: dt.datetime | None = None
    ) -> dt.datetime | None:
        """When the public set changes by itself next: a publish time or an expiry."""
        now = now or timezone.now()
        times = self.filter(status=Article.Status.PUBLISHED).aggregate(
            next_publish=models.Min("published_at", filter=Q(published_at__gt=now)),
            next_expiry=models.Min("expires_at", filter=Q(expires_at__gt=now)),
        )
        upcoming = [when for when in times.values() if when is not None]
        return min(upcoming) if upcoming else None

    def in_category(self, category: Category) -> ArticleQuerySet:
        """Articles of a category and of its direct sub-sections."""
        return self.filter(Q(category=category) | Q(category__parent=category))

    def with_tag(self, tag: Tag) -> ArticleQuerySet:
        """Articles carrying a tag."""
        return self.filter(tags=tag)

    def in_month(self, year: int, month: int) -> ArticleQuerySet:
        """Articles published in a calendar month, Hanoi time."""
        zone = timezone.get_current_timezone()
        start = dt.datetime(year, month, 1, tzinfo=zone)
        end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
        return self.filter(published_at__gte=start, published_at__lt=end)

    def newest_first(self) -> ArticleQuerySet:
        """Latest publication first; the id breaks ties so paging is stable."""
        return self.order_by("-published_at", "-id")

    def for_listing(self) -> ArticleQuerySet:
        """What a card shows (no body), with its category, newest first."""
        return self.select_related("category").only(*Article.CARD_FIELDS).newest_first()

    def for_detail(self) -> ArticleQuerySet:
        """Everything the article page shows, in one query: the article with
        its category and section, its tags (Article.tag_list), the ids of the
        units it is about (Article.linked_unit_ids), whether it has a gallery
        or announces editions, and the address of its public counterpart in
        the other language. The gallery and the announced editions are read
        only when there are some."""
        table = _model_table("news", "Article")
        public, constants = published_sql("other", any_language=True)
        # Hand-written: as querysets (or prefetches, which read the units'
        # every column for score cards that are cached by unit id), these
        # cost more to build than the article's whole read
        # (bench/profile_misses.py).
        counterpart = (
            f"SELECT jsonb_build_array(other.id, other.slug) FROM {table} other"
            f" WHERE {public}"
            f" AND (other.translation_of_id = {table}.id"
            f" OR other.id = {table}.translation_of_id) LIMIT 1"
        )
        unit_table = _model_table("parindex", "Unit")
        unit_ids = (
            f"ARRAY(SELECT linked.unit_id FROM {_m2m_table('units')} linked"
            f" JOIN {unit_table} unit ON unit.id = linked.unit_id"
            f' WHERE linked.article_id = {table}.id ORDER BY unit."group",'
            " unit.sort_name)"
        )
        tag_rows = (
            "SELECT coalesce(jsonb_agg(jsonb_build_array(tag.id, tag.name, tag.slug)"
            " ORDER BY tag.name), '[]'::jsonb)"
            f" FROM {_m2m_table('tags')} linked"
            f" JOIN {_model_table('news', 'Tag')} tag"
            f" ON tag.id = linked.tag_id WHERE linked.article_id = {table}.id"
        )
        params = {**constants, "now": timezone.now()}
        return self.select_related("category", "category__parent").annotate(
            # As (id, name, slug) rows: Article.tag_list.
            tag_rows=RawSQL(tag_rows, (), output_field=models.JSONField()),
            # Announcements of PAR INDEX editions read them (one more query).
            announces_editions=RawSQL(
                _exists_sql(_m2m_table("editions"), "article_id", table),
                (),
                output_field=models.BooleanField(),
            ),
            # The "Một số hình ảnh" block reads its photos (Article.gallery).
            has_gallery=RawSQL(
                _exists_sql(
                    _model_table("news", "ArticleGalleryImage"), "article_id", table
                ),
                (),
                output_field=models.BooleanField(),
            ),
            linked_unit_ids=RawSQL(
                unit_ids, (), output_field=ArrayField(models.BigIntegerField())
            ),
            # The language switch: the public article in the other
            # language, if any, as [id, slug] (selectors.article_get_counterpart).
            counterpart=RawSQL(
                *positional_sql(counterpart, params), output_field=models.JSONField()
            ),
        )

    def for_public_pages(self) -> ArticleQuerySet:
        """What news.selectors.public_page_list reads: category, its parent,
        tags and units (three queries for any number of articles)."""
        return self.select_related("category__parent").prefetch_related("tags", "units")

    def about_unit(self, unit) -> ArticleQuerySet:
        """Articles linked to a PAR INDEX unit."""
        return self.filter(units=unit)

    def search(self, query: ParsedQuery) -> ArticleQuerySet:
        """Articles matching the query, annotated for by_relevance().

        Every term must match (any one in any-word mode). `exact_match`: the
        words typed with diacritics match exactly; `adjacent_match`: all the
        words stand side by side in the order typed; `search_rank`: ts_rank.
        """
        tsquery = _tsquery(query.tsquery())
        return self.filter(TsMatch(F("search_document"), tsquery)).annotate(
            search_rank=SearchRank(F("search_document"), tsquery),
            exact_match=_matches_or_false(query.exact_tsquery()),
            adjacent_match=_matches_or_false(query.adjacent_tsquery()),
            title_match=_matches_or_false(query.title_tsquery()),
        )

    def containing(self, query: ParsedQuery) -> ArticleQuerySet:
        """Articles matching the query, without ranking (the admin's search)."""
        return self.filter(TsMatch(F("search_document"), _tsquery(query.tsquery())))

    def by_relevance(self) -> ArticleQuerySet:
        """After search(): exact diacritics, then words side by side, then all
        the words in the title, then rank, then the newest."""
        return self.order_by(
            "-exact_match",
            "-adjacent_match",
            "-title_match",
            "-search_rank",
            "-published_at",
            "-id",
        )

    def for_feed(self) -> ArticleQuerySet:
        """What a feed item carries: a card's fields, byline and tags; newest first."""
        return (
            self.select_related("category")
            .only(*Article.CARD_FIELDS, "byline", "updated_at")
            .prefetch_related(
                models.Prefetch("tags", queryset=Tag.objects.only("id", "name"))
            )
            .newest_first()
        )

    def for_search_results(self) -> ArticleQuerySet:
        """What a search result shows: a card's fields plus the body (snippet)."""
        return self.select_related("category").only(*Article.CARD_FIELDS, "body")

    def refresh_search_documents(self) -> int:
        """Rebuild the search documents of these articles; returns how many."""
        from parindex.models import Unit

        ids = list(self.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), SEARCH_REFRESH_BATCH):
            chunk = ids[start : start + SEARCH_REFRESH_BATCH]
            articles = list(
                Article.objects.filter(pk__in=chunk)
                .only("id", "title", "sapo", "body")
                .prefetch_related(
                    models.Prefetch("tags", queryset=Tag.objects.only("id", "name")),
                    models.Prefetch("units", queryset=Unit.objects.only("id", "name")),
                )
            )
            for article in articles:
                article.search_document = article.build_search_document()
            Article.objects.bulk_update(articles, ["search_document"])
        return len(ids)


class Article(TimeStampedModel):
    """A news article ("Tin bài")."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Nháp"
        PENDING = "pending", "Chờ duyệt"
        PUBLISHED = "published", "Đã xuất bản"

    class Language(models.TextChoices):
        VIETNAMESE = VIETNAMESE, "Tiếng Việt"
        ENGLISH = ENGLISH, "Tiếng Anh"

    # Fields the search document is made of, besides tags and units.
    SEARCHED_FIELDS = frozenset({"title", "sapo", "body"})
    # Fields a news card needs; listings load only these.
    CARD_FIELDS = (
        "id",
        "title",
        "slug",
        "language",  # its address (get_absolute_url)
        "sapo",
        "published_at",
        "hero_image",
        "hero_alt",
        "hero_width",
        "hero_height",
        "hero_renditions",
        "category__id",
        "category__name",
        "category__slug",
    )

    title = models.CharField("tiêu đề", max_length=300)
    slug = models.SlugField(
        "đường dẫn",
        max_length=200,
        blank=True,
        help_text=(
            "Để trống để tạo từ tiêu đề. Đổi đường dẫn không làm hỏng liên kết cũ."
        ),
    )
    sapo = models.TextField(
        "sapo (tóm tắt)",
        max_length=600,
        blank=True,
        help_text="Đoạn mở đầu, nên dưới 300 ký tự (tối đa 600).",
    )
    body = ProseEditorField(
        "nội dung", extensions=BODY_EDITOR_EXTENSIONS, sanitize=sanitize_html
    )
    hero_image = models.ImageField(
        "ảnh đại diện",
        upload_to="news/",
        blank=True,
        max_length=255,
        validators=[check_image],
        help_text="JPEG, PNG hoặc WebP; thông tin EXIF/GPS sẽ được xoá.",
    )
    hero_alt = models.CharField(
        "mô tả ảnh (alt)",
        max_length=250,
        blank=True,
        help_text="Bắt buộc khi có ảnh: mô tả nội dung ảnh cho người không xem được.",
    )
    hero_caption = models.CharField("chú thích ảnh", max_length=300, blank=True)
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # [{"width": 480, "height": 320, "name": "news/…-480.jpg"}, …] narrowest first.
    hero_renditions = models.JSONField(default=list, blank=True, editable=False)
    byline = models.CharField(
        "tác giả", max_length=120, help_text="Hiện cuối bài, ví dụ: Huyền Anh."
    )
    source_agency = models.CharField("nguồn (cơ quan)", max_length=200, blank=True)
    # Optional while drafting; a published article always has one (constraint).
    category = models.ForeignKey(
        Category,
        verbose_name="chuyên mục",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name="thẻ", blank=True, related_name="articles"
    )
    units = models.ManyToManyField(
        "parindex.Unit",
        verbose_name="đơn vị liên quan",
        blank=True,
        related_name="articles",
        help_text="Bộ, ngành, tỉnh, thành phố mà tin bài nói tới (kèm thẻ điểm).",
    )
    # The announcement of a PAR INDEX edition shows its headline box.
    editions = models.ManyToManyField(
        "parindex.Edition",
        verbose_name="ấn bản Chỉ số CCHC được công bố",
        blank=True,
        related_name="announcements",
        help_text="Khi tin bài là tin công bố một ấn bản: bài hiện ô tóm tắt ấn bản.",
    )
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    published_at = models.DateTimeField(
        "thời điểm xuất bản",
        null=True,
        blank=True,
        help_text="Một thời điểm trong tương lai là hẹn giờ: bài tự hiện khi đến giờ.",
    )
    expires_at = models.DateTimeField(
        "hết hạn",
        null=True,
        blank=True,
        help_text="Để trống nếu bài không hết hạn; sau thời điểm này bài bị ẩn.",
    )
    change_note = models.CharField(
        "ghi chú cập nhật",
        max_length=300,
        blank=True,
        help_text="Hiện công khai dưới bài: “Cập nhật lúc … : ghi chú”.",
    )
    change_noted_at = models.DateTimeField("thời điểm cập nhật", null=True, blank=True)
    featured = models.BooleanField("tin nổi bật", default=False)
    # Who wrote it: a writer edits only their own articles, reviewers all
    # (news/permissions.py). Set once, when the article is first saved.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người viết",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(
        "nhận xét của người duyệt",
        blank=True,
        help_text="Bắt buộc khi trả bài về cho người viết (từ Chờ duyệt về Nháp).",
    )
    related = models.ManyToManyField(
        "self",
        verbose_name="tin liên quan",
        through="ArticleLink",
        through_fields=("from_article", "to_article"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    # A working draft of a published article (news/drafts.py): edited and
    # reviewed beside the live article, which readers keep seeing until a
    # reviewer publishes the draft into it. One per live article (unique).
    draft_of = models.OneToOneField(
        "self",
        verbose_name="bản sửa của tin bài",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="working_draft",
    )
    # An English version is its own article (title, sapo, body, slug, review
    # and publication) linked to its Vietnamese original: one per original
    # and language, and the original is Vietnamese and live, not a working
    # draft (constraints below and the trigger of migration 0014). A working
    # draft of an English version carries the language but not the link,
    # which stays on the live row.
    language = models.CharField(
        "ngôn ngữ",
        max_length=2,
        choices=Language.choices,
        default=Language.VIETNAMESE,
        editable=False,
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name="bản gốc tiếng Việt",
        null=True,
        blank=True,
        editable=False,
        # The translator's text is not deleted with the original by accident.
        on_delete=models.PROTECT,
        related_name="translations",
    )
    # The live article's last save time when the draft was started: a live
    # article changed since then is not overwritten by publishing the draft.
    draft_base = models.DateTimeField(null=True, blank=True, editable=False)
    # A scheduled publish of the draft: it replaces the live version then.
    replaces_at = models.DateTimeField(
        "thay bản công khai lúc", null=True, blank=True, editable=False
    )
    # Folded and exact words of title, sapo, tags, units and body, weighted
    # (news/search.py); kept current by save(), the tag and unit signals and
    # bulk_create(). Stored in the row (STORAGE MAIN, migration 0003).
    search_document = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "tin bài"
        verbose_name_plural = "tin bài"
        # Editorial roles (news/roles.py): writers submit, reviewers publish.
        permissions = [
            ("submit_article", "Gửi tin bài để duyệt"),
            ("review_article", "Duyệt tin bài: trả bài về người viết kèm nhận xét"),
            (
                "publish_article",
                "Xuất bản, hẹn giờ, gỡ tin bài và sửa tin bài đã xuất bản",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-id"], name="news_article_public"
            ),
            models.Index(
                fields=["category", "-published_at", "-id"],
                name="news_article_category",
            ),
            # The admin's article list, every status, newest first: without it
            # the first page sorted all 100,000 rows (about 100 ms).
            models.Index(fields=["-published_at", "-id"], name="news_article_newest"),
            # The home page's featured article: a handful of rows among many.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(featured=True),
                name="news_article_featured",
            ),
            GinIndex(fields=["search_document"], name="news_article_search"),
            # The English list, feed and home: a few rows among many Vietnamese.
            models.Index(
                fields=["-published_at", "-id"],
                condition=~Q(language=VIETNAMESE),
                name="news_article_english",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="news_article_published_has_time",
                violation_error_message="Bài đã xuất bản phải có thời điểm xuất bản.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(category__isnull=False),
                name="news_article_published_has_category",
                violation_error_message="Bài xuất bản phải có chuyên mục.",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=F("published_at")),
                name="news_article_expires_after_publishing",
                violation_error_message=(
                    "Thời điểm hết hạn phải sau thời điểm xuất bản."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_alt=""),
                name="news_article_image_has_alt",
                violation_error_message="Ảnh đại diện cần có mô tả (alt).",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "pending", "published"]),
                name="news_article_status_valid",
            ),
            # A working draft is never public by itself: it is published
            # by copying it into its live article (news.drafts).
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True) | ~Q(status="published"),
                name="news_article_draft_not_published",
                violation_error_message="Bản sửa không tự xuất bản được.",
            ),
            models.CheckConstraint(
                condition=Q(replaces_at__isnull=True) | Q(draft_of__isnull=False),
                name="news_article_only_drafts_replace",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[VIETNAMESE, ENGLISH]),
                name="news_article_language_valid",
            ),
            # A Vietnamese article is an original; a live English one is the
            # version of an original (its working draft points at it instead).
            models.CheckConstraint(
                condition=Q(language=VIETNAMESE, translation_of__isnull=True)
                | (
                    ~Q(language=VIETNAMESE)
                    & (
                        Q(translation_of__isnull=False, draft_of__isnull=True)
                        | Q(translation_of__isnull=True, draft_of__isnull=False)
                    )
                ),
                name="news_article_translation_has_original",
                violation_error_message=(
                    "Bản tiếng Anh phải gắn với một bài gốc tiếng Việt."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=F("pk")),
                name="news_article_not_own_translation",
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="news_article_one_translation",
                violation_error_message="Bài này đã có bản tiếng Anh.",
            ),
        ]

    def __str__(self) -> str:
        if not self.title and self.language != VIETNAMESE:
            # An English version just started: its texts are still to write.
            return "(Bản tiếng Anh chưa có tiêu đề)"
        return self.title

    def _fill_own_slug(self) -> None:
        # An English version starts with no title: its slug waits for one.
        if self.title:
            _fill_slug(self, self.title)
            if self.slug == FALLBACK_SLUG and self.language == ENGLISH:
                self.slug = "news"

    def clean(self):
        self.title = nfc(self.title).strip()
        self._fill_own_slug()
        errors = {}
        if self.translation_of_id is not None:
            original = (
                Article.objects.filter(pk=self.translation_of_id)
                .values("language", "draft_of_id")
                .first()
            )
            if (
                original is None
                or original["language"] != VIETNAMESE
                or original["draft_of_id"] is not None
            ):
                errors["translation_of"] = (
                    "Bản tiếng Anh phải gắn với một bài gốc tiếng Việt "
                    "(không phải bản sửa)."
                )
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            # "Publish" without a time means now.
            self.published_at = whole_second_now()
        if (
            self.expires_at
            and self.published_at
            and self.expires_at <= self.published_at
        ):
            errors["expires_at"] = "Thời điểm hết hạn phải sau thời điểm xuất bản."
        if self.hero_image and not self.hero_alt.strip():
            errors["hero_alt"] = "Cần mô tả ảnh (alt) cho người không xem được ảnh."
        if self.status == self.Status.PUBLISHED and self.category_id is None:
            errors["category"] = "Chọn chuyên mục trước khi xuất bản."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.title = nfc(self.title).strip()
        self.sapo = nfc(self.sapo).strip()
        self.body = sanitize_html(nfc(self.body))
        self._fill_own_slug()
        if not self.change_note:
            self.change_noted_at = None
        elif self.change_noted_at is None:
            self.change_noted_at = whole_second_now()
        # Rebuild the search document unless the save names only other fields.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.SEARCHED_FIELDS & set(update_fields):
            self.search_document = self.build_search_document()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_document"}
        super().save(*args, **kwargs)

    def build_search_document(
        self, *, tags: Iterable[str] | None = None, units: Iterable[str] | None = None
    ) -> str:
        """This article's search document; tag and unit names read unless given."""
        return search_document(
            title=self.title,
            sapo=self.sapo,
            body=self.body,
            tags=self._related_names("tags") if tags is None else tags,
            units=self._related_names("units") if units is None else units,
        )

    def _related_names(self, relation: str) -> list[str]:
        if self.pk is None:
            return []
        if relation in getattr(self, "_prefetched_objects_cache", {}):
            return [item.name for item in getattr(self, relation).all()]
        return list(getattr(self, relation).values_list("name", flat=True))

    def get_absolute_url(self) -> str:
        # In its own language whatever page links to it: /en/news/… for an
        # English version, from a Vietnamese page too.
        with translation.override(self.language):
            return reverse(
                "news:article-detail", kwargs={"slug": self.slug, "pk": self.pk}
            )

    @functools.cached_property
    def tag_list(self) -> list[Tag]:
        """The article's tags by name; for_detail() reads them with the article."""
        rows = self.__dict__.get("tag_rows")
        if rows is None:
            return list(self.tags.all())
        database = self._state.db or DEFAULT_DB_ALIAS
        return [Tag.from_db(database, ["id", "name", "slug"], row) for row in rows]

    @functools.cached_property
    def linked_unit_ids(self) -> list[int]:
        """Ids of the PAR INDEX units the article is about, in their score
        cards' order (group, then name); for_detail() reads them with the
        article."""
        units = sorted(self.units.all(), key=lambda unit: (unit.group, unit.sort_name))
        return [unit.pk for unit in units]

    @functools.cached_property
    def has_gallery(self) -> bool:
        """Whether the "Một số hình ảnh" block has photos (for_detail() reads it)."""
        return self.pk is not None and self.gallery_items.exists()

    def gallery(self) -> models.QuerySet:
        """The "Một số hình ảnh" block's photos, in the editor's order."""
        return self.gallery_items.select_related("image").order_by("position", "id")

    def category_trail(self) -> list[tuple[str, str]]:
        """(name, url) of the sections above the article, outermost first.

        The breadcrumb on the page and in its JSON-LD; a draft in preview may
        have no category yet.
        """
        return self.category.trail() if self.category_id else []

    def get_preview_url(self) -> str:
        return reverse("news:article-preview", kwargs={"pk": self.pk})

    def get_print_url(self) -> str:
        return reverse("news:article-print", kwargs={"slug": self.slug, "pk": self.pk})

    def is_public(self, now: dt.datetime | None = None) -> bool:
        """Whether the public may see this article now (same rule as published())."""
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    def visibility_note(self, now: dt.datetime | None = None) -> str:
        """One sentence telling editors whether readers see the article now."""
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return f"{self.get_status_display()}: bạn đọc chưa thấy bài này."
        if self.published_at > now:
            return (
                f"Hẹn giờ: bài tự hiện với bạn đọc lúc {time_label(self.published_at)}."
            )
        if self.expires_at and self.expires_at <= now:
            return (
                f"Đã hết hạn lúc {time_label(self.expires_at)}: bạn đọc không còn thấy "
                "bài này."
            )
        if self.expires_at:
            return f"Đang hiện với bạn đọc, đến {time_label(self.expires_at)}."
        return "Đang hiện với bạn đọc."

    @property
    def hero_src(self) -> str:
        """URL of the rendition used as `src` (about 800 px wide)."""
        if not self.hero_image:
            return ""
        return rendition_src(self.hero_renditions) or self.hero_image.url

    @property
    def hero_share_image(self) -> dict | None:
        """The widest stored hero image, {url, width, height}, for link previews."""
        if not self.hero_image:
            return None
        if self.hero_renditions:
            widest = self.hero_renditions[-1]
            return {
                "url": default_storage.url(widest["name"]),
                "width": widest["width"],
                "height": widest["height"],
            }
        return {
            "url": self.hero_image.url,
            "width": self.hero_width,
            "height": self.hero_height,
        }

    @property
    def hero_srcset(self) -> str:
        """`srcset` value listing every stored width."""
        return rendition_srcset(self.hero_renditions)


class ArticleLink(models.Model):
    """An editor-curated "Tin liên quan" link, in the editor's order."""

    from_article = models.ForeignKey(
        Article,
        verbose_name="bài viết",
        on_delete=models.CASCADE,
        related_name="outgoing_links",
    )
    to_article = models.ForeignKey(
        Article,
        verbose_name="tin liên quan",
        on_delete=models.CASCADE,
        related_name="incoming_links",
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["from_article", "position", "id"]
        verbose_name = "tin liên quan"
        verbose_name_plural = "tin liên quan"
        constraints = [
            models.UniqueConstraint(
                fields=["from_article", "to_article"],
                name="news_link_once",
                violation_error_message="Tin liên quan này đã có trong danh sách.",
            ),
            models.CheckConstraint(
                condition=~Q(from_article=F("to_article")),
                name="news_link_not_self",
                violation_error_message="Không thể liên kết một bài với chính nó.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_article} → {self.to_article}"

    def get_absolute_url(self) -> str:
        return self.to_article.get_absolute_url()


class ArticleVersionRecords(HistoricalRecords):
    """django-simple-history's recorder for articles, reachable as
    `Article.version_recorder`.

    The admin saves an article's fields, then its tags and links; recording
    after each step would split one edit into several versions. It saves
    with history paused and records one version at the end
    (news.services.article_record_version).
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            sender.version_recorder = self

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        # Changed from the other side (tag.articles.add(...), unit.articles...):
        # the instance is a tag or a unit, which has no history; record a
        # version of each article concerned instead.
        if reverse:
            if action in ("post_add", "post_remove"):
                for article in self.cls.objects.filter(pk__in=pk_set or ()):
                    super().m2m_changed(article, action, attr, pk_set, False, **kwargs)
            return
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)


# Registered here rather than as a field of Article: the links' through model
# (ArticleLink) must exist before its rows can be copied into each version.
register_history(
    Article,
    records_class=ArticleVersionRecords,
    verbose_name="phiên bản tin bài",
    verbose_name_plural="phiên bản tin bài",
    m2m_fields=[Article.tags.field, Article.units.field, Article.related.field],
    # Derived from the other fields on every save: no need to keep a copy per version.
    excluded_fields=[
        "search_document",
        "created_by",
        "draft_of",
        "draft_base",
        "replaces_at",
        # Which edition a row belongs to never changes with its content.
        "language",
        "translation_of",
    ],
)


class ImageQuerySet(models.QuerySet):
    """Chainable reads for the image library."""

    def newest_first(self) -> ImageQuerySet:
        return self.order_by("-created_at", "-id")


class Image(TimeStampedModel):
    """A photo of the image library ("Thư viện ảnh"): uploaded once, used in
    any article body or gallery by its id.

    The stored file and its narrower renditions are the cleaned copies made
    by news.images.store_image (no EXIF or GPS position); deleting or
    replacing the image deletes them, and the bodies that named it stop
    showing it (news.html.expand_library_images).
    """

    file = models.ImageField(
        "tệp ảnh",
        upload_to="news/thu-vien/",
        max_length=255,
        validators=[check_image],
        help_text="JPEG, PNG hoặc WebP; thông tin EXIF/GPS sẽ được xoá.",
    )
    alt = models.CharField(
        "mô tả ảnh (alt)",
        max_length=250,
        help_text="Mô tả nội dung ảnh cho người không xem được ảnh.",
    )
    caption = models.CharField(
        "chú thích", max_length=300, help_text="Hiện dưới ảnh trong bài."
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    # As Article.hero_renditions: narrowest first, the stored original last.
    renditions = models.JSONField(default=list, blank=True, editable=False)
    # Alt text and caption without marks, for the admin's search.
    search_folded = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "ảnh trong thư viện"
        verbose_name_plural = "thư viện ảnh"
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt="") & ~Q(caption=""),
                name="news_image_has_alt_and_caption",
                violation_error_message="Ảnh cần có mô tả (alt) và chú thích.",
            ),
        ]

    def __str__(self) -> str:
        return self.caption or self.alt

    def save(self, *args, **kwargs):
        self.alt = nfc(self.alt).strip()
        self.caption = nfc(self.caption).strip()
        self.search_folded = fold(f"{self.alt} {self.caption}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.src

    @property
    def src(self) -> str:
        """URL of the rendition used as `src` (about 800 px wide)."""
        return rendition_src(self.renditions)

    @property
    def thumbnail_src(self) -> str:
        """The narrowest stored width, for choosers."""
        return rendition_src(self.renditions, near=0)

    @property
    def srcset(self) -> str:
        return rendition_srcset(self.renditions)


class ArticleGalleryImage(models.Model):
    """A photo of an article's "Một số hình ảnh" block, in the editor's order."""

    article = models.ForeignKey(
        Article,
        verbose_name="tin bài",
        on_delete=models.CASCADE,
        related_name="gallery_items",
    )
    image = models.ForeignKey(
        Image,
        verbose_name="ảnh",
        on_delete=models.CASCADE,
        related_name="gallery_items",
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["article", "position", "id"]
        verbose_name = "ảnh trong khối “Một số hình ảnh”"
        verbose_name_plural = "Một số hình ảnh (theo thứ tự; số nhỏ đứng trước)"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "image"],
                name="news_gallery_image_once",
                violation_error_message="Ảnh này đã có trong khối.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} · {self.image}"

    def get_absolute_url(self) -> str:
        return self.image.src
