"""PAR INDEX (Chỉ số CCHC): units that change over time, frameworks, editions.

Published history is never rewritten: a unit that merges keeps its own row and
its results, and is linked to its successor; an edition, once released, is
read-only. Rules that span tables (a result's unit belongs to the edition's
group and existed that year; area points within the area's maximum) are
enforced by PostgreSQL triggers created in migration 0002, on top of the
ordinary constraints below.
"""

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import connections, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cchc_portal.vietnamese import fold, nfc, sort_key_text, strip_tones

ZERO = Decimal("0")
HUNDRED = Decimal("100")
POINTS = {"max_digits": 5, "decimal_places": 2}


class Group(models.TextChoices):
    """The two yearly rankings."""

    MINISTRY = "bo", _("Bộ, cơ quan ngang bộ")
    PROVINCE = "tinh", _("Tỉnh, thành phố trực thuộc Trung ương")


class UnitKind(models.TextChoices):
    MINISTRY = "bo", _("Bộ")
    MINISTERIAL_AGENCY = "co-quan-ngang-bo", _("Cơ quan ngang bộ")
    PROVINCE = "tinh", _("Tỉnh")
    CITY = "thanh-pho", _("Thành phố trực thuộc Trung ương")


KIND_GROUP = {
    UnitKind.MINISTRY: Group.MINISTRY,
    UnitKind.MINISTERIAL_AGENCY: Group.MINISTRY,
    UnitKind.PROVINCE: Group.PROVINCE,
    UnitKind.CITY: Group.PROVINCE,
}


class ParStatus(models.TextChoices):
    """Whether a unit takes part in the ranking (ministries differ)."""

    RANKED = "ranked", _("Được xếp hạng")
    ASSESSED = "assessed", _("Được đánh giá, không xếp hạng")
    NOT_ASSESSED = "not-assessed", _("Không đánh giá")


def in_language(instance: models.Model, field: str) -> str:
    """The one rule for a name kept in both languages: `<field>_en` in the
    English edition when one is recorded, else `<field>` (never empty).

    The English field is read only in the English edition, and only when it
    was loaded: a page reading units through .only() without it shows the
    Vietnamese name rather than one query per unit."""
    english_field = f"{field}_en"
    if (
        get_language() == "en"
        and english_field not in instance.get_deferred_fields()
        and (english := getattr(instance, english_field))
    ):
        return english
    return getattr(instance, field)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def search_pattern(text: str) -> str | None:
    """PostgreSQL regex matching the folded words of text as whole words."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(text)).split()
    if not words:
        return None
    return r"\m" + r"\s+".join(words) + r"\M"


class Region(models.Model):
    """Socio-economic region (vùng kinh tế - xã hội, NQ 81/2023/QH15)."""

    name = models.CharField("tên vùng", max_length=100, unique=True)
    name_en = models.CharField("tên tiếng Anh", max_length=100, blank=True)
    slug = models.SlugField("đường dẫn", max_length=100, unique=True)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "vùng kinh tế - xã hội"
        verbose_name_plural = "vùng kinh tế - xã hội"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("parindex:overview") + f"#vung-{self.slug}"

    @property
    def display_name(self) -> str:
        """The region's name in the active language."""
        return in_language(self, "name")


class UnitQuerySet(models.QuerySet):
    def in_group(self, group: str) -> "UnitQuerySet":
        """Units of one ranking group (bo or tinh)."""
        return self.filter(group=group)

    def current(self, on: datetime.date | None = None) -> "UnitQuerySet":
        """Units in existence on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )

    def matching(self, name: str) -> "UnitQuerySet":
        """Units whose name, short name, alias or former name folds to name."""
        key = fold(nfc(name))
        return self.filter(
            Q(name_folded=key) | Q(short_name_folded=key) | Q(other_names__folded=key)
        ).distinct()

    def search(self, text: str) -> "UnitQuerySet":
        """Units whose names contain the folded words of text ("hue" → Huế)."""
        pattern = search_pattern(text)
        if pattern is None:
            return self.none()
        return self.filter(
            Q(name_folded__regex=pattern)
            | Q(short_name_folded__regex=pattern)
            | Q(other_names__folded__regex=pattern)
        ).distinct()

    def by_slug(self, slugs: Iterable[str]) -> dict[str, "Unit"]:
        """{slug: unit} for current or former slugs; unknown slugs are left out.

        A current slug wins over a former one; a former slug costs one more
        query, only when one of the slugs is not current.
        """
        slugs = list(slugs)
        found = {unit.slug: unit for unit in self.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            for unit in self.filter(old_slugs__slug__in=missing).annotate(
                old_slug=models.F("old_slugs__slug")
            ):
                found.setdefault(unit.old_slug, unit)
        return found

    def expected_in_ranking(self, year: int) -> "UnitQuerySet":
        """Units a year's ranking must list: ranked, in existence on 31 December."""
        return self.filter(par_status=ParStatus.RANKED).current(on=year_bounds(year)[1])

    def for_profile(self) -> "UnitQuerySet":
        """What the unit profile shows besides results: region, names, links."""
        return self.select_related("region").prefetch_related(
            "other_names",
            models.Prefetch(
                "successor_links",
                queryset=UnitSuccession.objects.select_related("successor"),
            ),
            models.Prefetch(
                "predecessor_links",
                queryset=UnitSuccession.objects.select_related("predecessor"),
            ),
        )


class Unit(models.Model):
    """A ministry, ministerial-level agency, province or centrally-run city."""

    kind = models.CharField("loại đơn vị", max_length=20, choices=UnitKind)
    group = models.CharField(
        "nhóm xếp hạng", max_length=4, choices=Group, editable=False
    )
    name = models.CharField("tên chính thức", max_length=200)
    short_name = models.CharField("tên ngắn", max_length=120)
    name_en = models.CharField(
        "tên chính thức tiếng Anh",
        max_length=200,
        blank=True,
        help_text="Tên tiếng Anh chính thức (Thông tư 03/2009/TT-BNG; địa danh "
        "viết không dấu như Cổng TTĐT Chính phủ tiếng Anh): Ministry of Justice, "
        "Quang Ninh Province. Để trống thì trang tiếng Anh hiện tên tiếng Việt.",
    )
    short_name_en = models.CharField(
        "tên ngắn tiếng Anh",
        max_length=120,
        blank=True,
        help_text="Quang Ninh, Ha Noi, Ho Chi Minh City.",
    )
    slug = models.SlugField("đường dẫn", max_length=120, unique=True)
    gso_code = models.CharField("mã đơn vị hành chính (TCTK)", max_length=3, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name="vùng kinh tế - xã hội",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    region_source = models.CharField(
        "căn cứ xác định vùng",
        max_length=400,
        blank=True,
        help_text="Văn bản phân vùng (NQ 81/2023/QH15), hoặc cách suy ra và lý do "
        "khi chưa có văn bản; để trống vùng khi không xác định được.",
    )
    valid_from = models.DateField(
        "tồn tại từ ngày",
        null=True,
        blank=True,
        help_text="Để trống nếu đơn vị đã có trước giai đoạn dữ liệu bao quát.",
    )
    valid_to = models.DateField("tồn tại đến ngày", null=True, blank=True)
    par_status = models.CharField(
        "tham gia xếp hạng",
        max_length=20,
        choices=ParStatus,
        default=ParStatus.RANKED,
    )
    note = models.TextField("ghi chú", blank=True)
    sources = models.TextField("nguồn", blank=True)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    short_name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    # Vietnamese alphabetical order of the short name (cchc_portal.vietnamese
    # .sort_key_text), compared byte by byte: the embedded PostgreSQL has no
    # guaranteed ICU collation, so the database sorts this key under "C".
    sort_name = models.CharField(
        max_length=400, editable=False, db_index=True, db_collation="C", default=""
    )
    # Another unit of the group has the same name (a province before and after
    # the 2025 merger): labels then carry the period (see label_for).
    has_twin = models.BooleanField(editable=False, default=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        # Vietnamese order; a name's older unit before its successor.
        ordering = ["group", "sort_name", models.F("valid_from").asc(nulls_first=True)]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="parindex_unit_valid_period",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[UnitKind.MINISTRY, UnitKind.MINISTERIAL_AGENCY],
                    group=Group.MINISTRY,
                )
                | Q(kind__in=[UnitKind.PROVINCE, UnitKind.CITY], group=Group.PROVINCE),
                name="parindex_unit_group_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["gso_code", "valid_from"],
                condition=~Q(gso_code=""),
                nulls_distinct=False,
                name="parindex_unit_unique_code_period",
                violation_error_message="Mã đơn vị này đã dùng cho đơn vị khác.",
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("parindex:unit-detail", kwargs={"slug": self.slug})

    @property
    def period_label(self) -> str:
        """ "(đến 06/2025)", "(từ 07/2025)", or both ends; "" when open."""
        if self.valid_from and self.valid_to:
            return f"({self.valid_from:%m/%Y}–{self.valid_to:%m/%Y})"
        if self.valid_to:
            return gettext("(đến %(month)s)") % {"month": f"{self.valid_to:%m/%Y}"}
        if self.valid_from:
            return gettext("(từ %(month)s)") % {"month": f"{self.valid_from:%m/%Y}"}
        return ""

    @property
    def full_name(self) -> str:
        """The official name in the active language ("Bộ Tư pháp", "Ministry of
        Justice"): every page shows units through this, display_name and the
        labels, never through name or name_en directly."""
        return in_language(self, "name")

    @property
    def label(self) -> str:
        """The full name, told apart from a twin: "Tỉnh An Giang (từ 07/2025)"."""
        return label_for(self, self.full_name)

    @property
    def short_label(self) -> str:
        """The display name, told apart from a twin: "An Giang (đến 06/2025)"."""
        return label_for(self, self.display_name)

    def share_image_url(self) -> str:
        return reverse("parindex:unit-share-image", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        self.name = nfc(self.name).strip()
        self.short_name = nfc(self.short_name or self.name).strip()
        self.group = KIND_GROUP[UnitKind(self.kind)]
        self.name_folded = fold(self.name)
        self.short_name_folded = fold(self.short_name)
        self.sort_name = sort_key_text(self.short_name)
        before = None
        if self.pk is not None:
            before = (
                Unit.objects.filter(pk=self.pk)
                .values_list("group", "short_name_folded")
                .first()
            )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)
        refresh_twins(self.group, self.short_name_folded)
        if before and before != (self.group, self.short_name_folded):
            refresh_twins(*before)
        self.has_twin = (
            Unit.objects.filter(pk=self.pk).values_list("has_twin", flat=True).get()
        )

    def delete(self, *args, **kwargs):
        key = (self.group, self.short_name_folded)
        result = super().delete(*args, **kwargs)
        refresh_twins(*key)
        return result

    def clean(self):
        if self.kind:
            self.group = KIND_GROUP[UnitKind(self.kind)]
        if self.slug and UnitSlug.objects.filter(slug=self.slug).exists():
            raise ValidationError(
                {"slug": "Đường dẫn này là đường dẫn cũ của một đơn vị khác."}
            )

    @property
    def display_name(self) -> str:
        """Short name for provinces ("Hà Nội"), full name for ministries, in the
        active language ("Ha Noi", "Ministry of Finance")."""
        if self.group == Group.PROVINCE:
            return in_language(self, "short_name")
        return self.full_name

    @property
    def sentence_name(self) -> str:
        """Name inside a sentence: "tỉnh Tuyên Quang", "Bộ Tài chính"; in
        English the official name ("Tuyen Quang Province")."""
        if get_language() == "en" and self.name_en:
            return self.name_en
        if self.kind == UnitKind.PROVINCE:
            return f"tỉnh {self.short_name}"
        if self.kind == UnitKind.CITY:
            return f"thành phố {self.short_name}"
        return self.name

    def published_name_in(self, year: int) -> str:
        """The official name a ranking of `year` shows for this unit.

        The name valid at the end of that year, with diacritics: a former name
        still in use then ("Thừa Thiên Huế" until 31/12/2024), else the short
        name for provinces ("Hà Nội") and the full name for ministries. Needs
        other_names prefetched to stay at one query per table.
        """
        year_end = year_bounds(year)[1]
        former = [
            other.name
            for other in self.other_names.all()
            if other.kind == NameKind.FORMER
            and other.used_until
            and other.used_until >= year_end
        ]
        if former:
            return min(former, key=len)
        return self.display_name

    @property
    def region_basis_translated(self) -> bool:
        """Whether region_basis is in the active language (the stored basis is
        Vietnamese; the reference loader's three wordings have an English one)."""
        return get_language() != "en" or self._english_region_basis() is not None

    @property
    def region_basis(self) -> str:
        """Where the unit's region comes from, in the active language when the
        basis is one of the reference loader's wordings, else as stored."""
        if get_language() == "en":
            return self._english_region_basis() or self.region_source
        return self.region_source

    def _english_region_basis(self) -> str | None:
        source = self.region_source
        if source.startswith("NQ 81/2023/QH15"):
            return gettext(
                "NQ 81/2023/QH15 (Quy hoạch tổng thể quốc gia thời kỳ 2021–2030)"
            )
        if source.startswith("Suy ra:"):
            return gettext(
                "Suy ra: các tỉnh hợp thành đều thuộc vùng này theo NQ 81/2023/QH15; "
                "chưa tìm thấy văn bản công bố phân vùng cho 34 đơn vị từ 01/07/2025."
            )
        if source.startswith("Chưa xác định vùng:"):
            return gettext(
                "Chưa xác định vùng: các tỉnh hợp thành thuộc các vùng khác nhau theo "
                "NQ 81/2023/QH15; chưa tìm thấy văn bản công bố phân vùng cho 34 đơn "
                "vị từ 01/07/2025."
            )
        return None

    @property
    def display_note(self) -> str:
        """The note in the active language when it is one of the reference
        loader's wordings (a merged province's formation, a ministry's
        government structure), else as stored (an editor's text)."""
        if get_language() == "en":
            return english_note(self.note) or self.note
        return self.note

    @property
    def note_translated(self) -> bool:
        return get_language() != "en" or english_note(self.note) is not None

    def display_name_in(self, published_name: str) -> str:
        """A result's published name in the active language: in English the
        unit's English name, or, for a former name the table used ("Thừa Thiên
        Huế"), that name without diacritics as the Government's English portal
        writes place names ("Thua Thien Hue")."""
        if get_language() != "en":
            return published_name
        if fold(published_name) in {
            self.short_name_folded,
            self.name_folded,
        } or not (self.short_name_en or self.name_en):
            return self.display_name
        return strip_tones(published_name)

    def existed_in(self, year: int) -> bool:
        first, last = year_bounds(year)
        return (self.valid_from is None or self.valid_from <= last) and (
            self.valid_to is None or self.valid_to >= first
        )


# The notes parindex/reference.py writes, and the English structures they name.
_FORMED_NOTE = re.compile(
    r"^Hình thành từ (\d\d)/(\d\d)/(\d{4}) trên cơ sở (.+?); trung tâm hành "
    r"chính - chính trị tại (.+?) \(cũ\)\.(?: Diện tích ([\d.,]+) km², dân số "
    r"([\d.]+) người \(NQ 202/2025/QH15\)\.)?$"
)
_STRUCTURE_NOTE = re.compile(
    r"^Cơ cấu Chính phủ theo (.+?)\.( Chưa có kết quả PAR INDEX theo cơ cấu mới; "
    r"tình trạng xếp hạng suy ra từ đơn vị trước\.)?$"
)
STRUCTURES = {
    "NQ 08/2021/QH15 (18 bộ + 4 cơ quan ngang bộ)": _(
        "NQ 08/2021/QH15 (18 bộ + 4 cơ quan ngang bộ)"
    ),
    "NQ 176/2025/QH15 (14 bộ + 3 cơ quan ngang bộ)": _(
        "NQ 176/2025/QH15 (14 bộ + 3 cơ quan ngang bộ)"
    ),
}


def _vietnamese_number(text: str) -> Decimal:
    """13.795,50 → Decimal("13795.50")."""
    return Decimal(text.replace(".", "").replace(",", "."))


def english_note(note: str) -> str | None:
    """The English wording of a note the reference loader wrote, or None."""
    from django.utils.formats import date_format, number_format

    if match := _FORMED_NOTE.match(note):
        day, month, year, parts, centre, area, people = match.groups()
        text = gettext(
            "Hình thành từ %(day)s trên cơ sở %(parts)s; trung tâm hành chính - "
            "chính trị tại %(centre)s (cũ)."
        ) % {
            "day": date_format(
                datetime.date(int(year), int(month), int(day)), gettext("d/m/Y")
            ),
            "parts": strip_tones(parts),
            "centre": strip_tones(centre),
        }
        if area:
            text += " " + gettext(
                "Diện tích %(area)s km², dân số %(people)s người (NQ 202/2025/QH15)."
            ) % {
                "area": number_format(_vietnamese_number(area), 2, force_grouping=True),
                "people": number_format(
                    _vietnamese_number(people), 0, force_grouping=True
                ),
            }
        return text
    if (match := _STRUCTURE_NOTE.match(note)) and match.group(1) in STRUCTURES:
        text = gettext("Cơ cấu Chính phủ theo %(structure)s.") % {
            "structure": STRUCTURES[match.group(1)]
        }
        if match.group(2):
            text += " " + gettext(
                "Chưa có kết quả PAR INDEX theo cơ cấu mới; tình trạng xếp hạng suy "
                "ra từ đơn vị trước."
            )
        return text
    return None


# The source notes parindex/demo.py and parindex/reference.py write.
_DEMO_OFFICIAL_FIGURES_NOTE = re.compile(
    r"^Bảng kết quả từng đơn vị là dữ liệu minh họa, không phải số liệu chính thức\. "
    r"Số đơn vị xếp hạng \((\d+)\), giá trị trung bình cả nước và ngày công bố là "
    r"số liệu Bộ Nội vụ công bố\.$"
)
SOURCE_NOTES = {
    "Dữ liệu minh họa, không phải số liệu chính thức: bảng được tạo tự động để "
    "trình diễn cổng thông tin.": _(
        "Dữ liệu minh họa, không phải số liệu chính thức: bảng được tạo tự động "
        "để trình diễn cổng thông tin."
    ),
    "Bảng xếp hạng chính thức do Bộ Nội vụ công bố ngày 17/04/2024, đăng trên "
    "Cổng Thông tin điện tử Chính phủ. Ở một số dòng, tổng điểm lệch 0,01 so "
    "với điểm thẩm định + điểm điều tra do làm tròn trong bảng gốc. Nguồn "
    "không nêu số phiếu điều tra xã hội học của khối bộ.": _(
        "Bảng xếp hạng chính thức do Bộ Nội vụ công bố ngày 17/04/2024, đăng "
        "trên Cổng Thông tin điện tử Chính phủ. Ở một số dòng, tổng điểm lệch "
        "0,01 so với điểm thẩm định + điểm điều tra do làm tròn trong bảng gốc. "
        "Nguồn không nêu số phiếu điều tra xã hội học của khối bộ."
    ),
}


def english_source_note(note: str) -> str | None:
    """The English wording of a source note the portal wrote, or None."""
    if note in SOURCE_NOTES:
        return str(SOURCE_NOTES[note])
    if match := _DEMO_OFFICIAL_FIGURES_NOTE.match(note):
        return gettext(
            "Bảng kết quả từng đơn vị là dữ liệu minh họa, không phải số liệu chính "
            "thức. Số đơn vị xếp hạng (%(count)s), giá trị trung bình cả nước và "
            "ngày công bố là số liệu Bộ Nội vụ công bố."
        ) % {"count": match.group(1)}
    return None


def label_for(unit: "Unit", name: str) -> str:
    """The one rule that tells coinciding names apart, wherever units are
    listed or chosen (admin, search filter, compare, API): the name, and the
    period when another unit of the group has the same name."""
    if unit.has_twin and unit.period_label:
        return f"{name} {unit.period_label}"
    return name


def refresh_twins(group: str, short_name_folded: str) -> None:
    """Mark the units of a group sharing a (folded) short name as twins."""
    same = Unit.objects.filter(group=group, short_name_folded=short_name_folded)
    twins = same.count() > 1
    same.exclude(has_twin=twins).update(has_twin=twins)


class NameKind(models.TextChoices):
    ALIAS = "alias", _("Tên gọi khác")
    FORMER = "former", _("Tên cũ")


class UnitName(models.Model):
    """Another name a unit is known by: alias ("TP HCM") or former name."""

    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        on_delete=models.CASCADE,
        related_name="other_names",
    )
    name = models.CharField("tên", max_length=200)
    kind = models.CharField(
        "loại tên", max_length=10, choices=NameKind, default=NameKind.ALIAS
    )
    used_until = models.DateField(
        "dùng đến ngày", null=True, blank=True, help_text="Với tên cũ."
    )
    note = models.CharField("ghi chú", max_length=300, blank=True)
    folded = models.CharField(max_length=200, editable=False, db_index=True)
    # Who added the name and when (an editor mapping an unknown name in the
    # import preview); empty for reference data.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thêm",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField("thời điểm thêm", null=True, editable=False)

    class Meta:
        ordering = ["unit", "kind", "name"]
        verbose_name = "tên khác của đơn vị"
        verbose_name_plural = "tên khác của đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "folded"], name="parindex_unitname_unique_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display().lower()})"

    def get_absolute_url(self):
        return self.unit.get_absolute_url()

    def save(self, *args, **kwargs):
        self.name = nfc(self.name).strip()
        self.folded = fold(self.name)
        super().save(*args, **kwargs)


class UnitSlug(models.Model):
    """A slug a unit used before; its address redirects to the current one."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="old_slugs"
    )
    slug = models.SlugField("đường dẫn cũ", max_length=120, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "đường dẫn cũ"
        verbose_name_plural = "đường dẫn cũ"

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return self.unit.get_absolute_url()

    def clean(self):
        if self.slug and Unit.objects.filter(slug=self.slug).exists():
            raise ValidationError({"slug": "Đường dẫn này đang được một đơn vị dùng."})


# The legal bases the reference loader records for the 2025 mergers.
LEGAL_BASES = {
    "NQ 202/2025/QH15 (hiệu lực 12/06/2025)": _(
        "NQ 202/2025/QH15 (hiệu lực 12/06/2025)"
    ),
    "NQ 176/2025/QH15": _("NQ 176/2025/QH15"),
}


class UnitSuccession(models.Model):
    """predecessor → successor from a date (merger, restructuring)."""

    predecessor = models.ForeignKey(
        Unit,
        verbose_name="đơn vị trước",
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        Unit,
        verbose_name="đơn vị kế thừa",
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )
    effective_on = models.DateField("có hiệu lực từ")
    legal_basis = models.CharField("căn cứ", max_length=200, blank=True)

    @property
    def display_legal_basis(self) -> str:
        """The legal basis in the active language: the reference loader's two
        wordings have an English one; an editor's text is shown as stored."""
        return str(LEGAL_BASES.get(self.legal_basis, self.legal_basis))

    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        ordering = ["effective_on", "successor", "predecessor"]
        verbose_name = "kế thừa đơn vị"
        verbose_name_plural = "kế thừa đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="parindex_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="parindex_succession_not_self",
                violation_error_message="Một đơn vị không thể kế thừa chính nó.",
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return self.successor.get_absolute_url()


class Framework(models.Model):
    """A scoring framework (bộ chỉ số) of one group, e.g. QĐ 2948/QĐ-BNV."""

    code = models.CharField("mã", max_length=20)
    group = models.CharField("nhóm", max_length=4, choices=Group)
    decision = models.CharField("văn bản", max_length=200)
    decision_en = models.CharField(
        "văn bản (tiếng Anh)",
        max_length=200,
        blank=True,
        help_text="Decision 876/QD-BNV: số hiệu viết không dấu cho trang tiếng Anh.",
    )
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    applies_to = models.CharField("áp dụng", max_length=300, blank=True)
    n_areas = models.PositiveSmallIntegerField("số lĩnh vực", null=True, blank=True)
    n_criteria = models.PositiveSmallIntegerField("số tiêu chí", null=True, blank=True)
    n_subcriteria = models.PositiveSmallIntegerField(
        "số tiêu chí thành phần", null=True, blank=True
    )
    max_points = models.DecimalField("điểm tối đa", default=HUNDRED, **POINTS)
    survey_points = models.DecimalField(
        "điểm điều tra xã hội học", null=True, blank=True, **POINTS
    )
    note = models.TextField("ghi chú", blank=True)
    sources = models.TextField("nguồn", blank=True)
    is_demo = models.BooleanField(
        "minh họa", default=False, help_text="Khung điểm minh họa, không chính thức."
    )

    class Meta:
        ordering = ["group", "code"]
        verbose_name = "bộ chỉ số (khung điểm)"
        verbose_name_plural = "bộ chỉ số (khung điểm)"
        constraints = [
            models.UniqueConstraint(
                fields=["code", "group"], name="parindex_framework_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="parindex_framework_max_positive"
            ),
        ]

    def __str__(self):
        return f"{self.decision} ({self.get_group_display().lower()})"

    def get_absolute_url(self):
        return reverse("parindex:method") + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        """The id of this framework's section on the method page."""
        return f"khung-{self.group}-{self.code}"

    @property
    def display_decision(self) -> str:
        """The framework's document in the active language."""
        return in_language(self, "decision")


class Area(models.Model):
    """A component area (lĩnh vực) of a framework, with its maximum points."""

    framework = models.ForeignKey(
        Framework,
        verbose_name="bộ chỉ số",
        on_delete=models.CASCADE,
        related_name="areas",
    )
    number = models.PositiveSmallIntegerField("số thứ tự")
    name = models.CharField("tên lĩnh vực", max_length=300)
    name_en = models.CharField("tên lĩnh vực tiếng Anh", max_length=300, blank=True)
    n_criteria = models.PositiveSmallIntegerField("số tiêu chí", null=True, blank=True)
    n_subcriteria = models.PositiveSmallIntegerField(
        "số tiêu chí thành phần", null=True, blank=True
    )
    max_points = models.DecimalField(
        "điểm tối đa",
        null=True,
        blank=True,
        help_text="Để trống khi chưa có nguồn công bố.",
        **POINTS,
    )
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="parindex_area_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gt=0),
                name="parindex_area_max_positive",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="parindex_area_number_positive"
            ),
        ]

    def __str__(self):
        return f"Lĩnh vực {self.number}: {self.name}"

    def get_absolute_url(self):
        return self.framework.get_absolute_url()

    @property
    def column_header(self) -> str:
        """The header of this area's column in import and export files."""
        return f"Lĩnh vực {self.number}: {self.name}"

    @property
    def display_name(self) -> str:
        """The area's name in the active language."""
        return in_language(self, "name")

    @property
    def column_header_en(self) -> str:
        """The header of this area's column in the English downloads."""
        return f"Area {self.number}: {self.name_en or self.name}"


class EditionStatus(models.TextChoices):
    """What is stored; "scheduled" is RELEASED before its release time
    (parindex.workflow reads both as one state graph)."""

    DRAFT = "draft", "Bản nháp"
    CHECKED = "checked", "Đã kiểm tra, chờ công bố"
    RELEASED = "released", "Đã công bố"
    CORRECTED = "corrected", "Đã đính chính"
    WITHDRAWN = "withdrawn", "Đã thu hồi"


# Statuses whose figures went (or go, once release_at passes) to the public:
# their rows change only through a correction (triggers in migration 0005).
PUBLISHED_STATUSES = (
    EditionStatus.RELEASED,
    EditionStatus.CORRECTED,
    EditionStatus.WITHDRAWN,
)
# Statuses the public sees once release_at has passed.
PUBLIC_STATUSES = (EditionStatus.RELEASED, EditionStatus.CORRECTED)


class EditionQuerySet(models.QuerySet):
    def released(self) -> "EditionQuerySet":
        """Editions the public sees: released (or corrected), past their time."""
        return self.filter(status__in=PUBLIC_STATUSES, release_at__lte=timezone.now())

    def withdrawn(self) -> "EditionQuerySet":
        """Editions taken back: their address shows the public note instead."""
        return self.filter(status=EditionStatus.WITHDRAWN)

    def next_release_time(self) -> datetime.datetime | None:
        """When the next scheduled edition goes public by itself (or None)."""
        return (
            self.filter(status=EditionStatus.RELEASED, release_at__gt=timezone.now())
            .order_by("release_at")
            .values_list("release_at", flat=True)
            .first()
        )

    def in_group(self, group: str) -> "EditionQuerySet":
        return self.filter(group=group)

    def for_listing(self) -> "EditionQuerySet":
        return self.select_related("framework")

    def for_ranking(self) -> "EditionQuerySet":
        """An edition as its ranking page reads it: framework, areas, tiers and
        public corrections."""
        return self.for_listing().prefetch_related(
            "tiers", "framework__areas", "corrections"
        )

    def latest_per_group(self) -> list["Edition"]:
        """The newest edition of each group (ministries first)."""
        return latest_per_group(self)


def latest_per_group(editions: Iterable["Edition"]) -> list["Edition"]:
    """The newest of the given editions in each group (ministries first)."""
    latest: dict[str, Edition] = {}
    for edition in editions:
        newest = latest.get(edition.group)
        if newest is None or edition.year > newest.year:
            latest[edition.group] = edition
    return [latest[g] for g in (Group.MINISTRY, Group.PROVINCE) if g in latest]


class Edition(models.Model):
    """One year's ranking of one group, with the framework it was scored on."""

    year = models.PositiveSmallIntegerField(
        "năm đánh giá",
        validators=[MinValueValidator(2012), MaxValueValidator(2100)],
    )
    group = models.CharField("nhóm", max_length=4, choices=Group)
    framework = models.ForeignKey(
        Framework,
        verbose_name="bộ chỉ số",
        on_delete=models.PROTECT,
        related_name="editions",
    )
    status = models.CharField(
        "trạng thái",
        max_length=10,
        choices=EditionStatus,
        default=EditionStatus.DRAFT,
    )
    release_at = models.DateTimeField(
        "thời điểm công bố trên cổng",
        null=True,
        blank=True,
        help_text="Bảng xếp hạng hiện ra từ thời điểm này.",
    )
    announced_on = models.DateField("ngày công bố chính thức", null=True, blank=True)
    n_ranked = models.PositiveSmallIntegerField(
        "số đơn vị được xếp hạng", null=True, blank=True
    )
    national_average = models.DecimalField(
        "giá trị trung bình công bố (%)", null=True, blank=True, **POINTS
    )
    survey_size = models.PositiveIntegerField(
        "số phiếu điều tra xã hội học", null=True, blank=True
    )
    average_not_published = models.BooleanField(
        "không công bố giá trị trung bình",
        default=False,
        help_text="Đánh dấu khi nguồn chính thức không công bố giá trị trung bình.",
    )
    survey_size_not_published = models.BooleanField(
        "không công bố số phiếu điều tra",
        default=False,
        help_text="Đánh dấu khi nguồn chính thức không công bố số phiếu điều tra.",
    )
    announcing_body = models.CharField(
        "cơ quan công bố", max_length=200, blank=True, help_text="Ví dụ: Bộ Nội vụ."
    )
    announcement_document = models.CharField(
        "văn bản công bố",
        max_length=300,
        blank=True,
        help_text="Số quyết định, báo cáo hoặc thông cáo báo chí công bố kết quả.",
    )
    source_url = models.URLField("nguồn (địa chỉ)", max_length=500, blank=True)
    source_file = models.FileField(
        "tệp nguồn (PDF)",
        upload_to="parindex/nguon/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    source_note = models.TextField("ghi chú nguồn", blank=True)
    regional_note = models.TextField(
        "ghi chú về trung bình vùng",
        blank=True,
        help_text="Bắt buộc trước khi công bố nếu trung bình vùng tính từ bảng mà "
        "có đơn vị chưa xác định vùng: nói rõ tính trên bao nhiêu đơn vị và vì sao.",
    )
    is_demo = models.BooleanField(
        "dữ liệu minh họa",
        default=False,
        help_text="Dữ liệu minh họa, không phải số liệu chính thức.",
    )
    # Who did what (four-eyes: parindex.services refuses a release by a person
    # who imported or last changed the figures; history keeps every step).
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    figures_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người sửa số liệu gần nhất",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đánh dấu đã kiểm tra",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người công bố",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    withdrawal_note = models.TextField("lý do thu hồi (công khai)", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = EditionQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name="phiên bản ấn bản chỉ số", excluded_fields=["updated_at"]
    )

    class Meta:
        ordering = ["-year", "group"]
        verbose_name = "ấn bản chỉ số"
        verbose_name_plural = "ấn bản chỉ số"
        # The data team's steps (roles in parindex/roles.py, steps in
        # parindex/workflow.py).
        permissions = [
            ("check_edition", "Đánh dấu ấn bản đã kiểm tra, sẵn sàng công bố"),
            ("release_edition", "Công bố, hẹn giờ, hủy lịch và thu hồi ấn bản"),
            ("correct_edition", "Đính chính ấn bản đã công bố"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "group"],
                name="parindex_edition_unique_year_group",
                violation_error_message="Đã có ấn bản của nhóm này trong năm này.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLISHED_STATUSES)
                | Q(release_at__isnull=False),
                name="parindex_edition_released_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=EditionStatus.WITHDRAWN)
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_note="")),
                name="parindex_edition_withdrawn_has_note",
                violation_error_message="Thu hồi ấn bản cần có lý do công khai.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2012, year__lte=2100),
                name="parindex_edition_year_range",
            ),
            models.CheckConstraint(
                condition=Q(national_average__isnull=True)
                | Q(national_average__gte=0, national_average__lte=100),
                name="parindex_edition_average_range",
            ),
        ]

    def __str__(self):
        return f"PAR INDEX {self.year} · {self.get_group_display()}"

    def get_absolute_url(self):
        return reverse(
            "parindex:ranking", kwargs={"year": self.year, "group": self.group}
        )

    def clean(self):
        if self.framework_id and self.group and self.framework.group != self.group:
            raise ValidationError(
                {"framework": "Bộ chỉ số phải thuộc cùng nhóm với ấn bản."}
            )

    @property
    def is_released(self) -> bool:
        """Released (public or scheduled), corrected or withdrawn: figures frozen."""
        return self.status in PUBLISHED_STATUSES

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == EditionStatus.RELEASED and self.release_at > timezone.now()
        )

    @property
    def is_withdrawn(self) -> bool:
        return self.status == EditionStatus.WITHDRAWN

    @property
    def state(self) -> str:
        """The state in parindex.workflow's graph (a stored status or "scheduled")."""
        from parindex.workflow import SCHEDULED

        return SCHEDULED if self.is_scheduled else self.status

    @property
    def state_label(self) -> str:
        from parindex.workflow import STATE_LABELS

        return STATE_LABELS[self.state]

    @property
    def display_source_note(self) -> str:
        """The source note in the active language when it is one the portal
        writes itself (demo tables, the official 2023 ministry table), else
        as stored (an editor's text)."""
        if get_language() == "en":
            return english_source_note(self.source_note) or self.source_note
        return self.source_note

    @property
    def source_note_translated(self) -> bool:
        return (
            get_language() != "en" or english_source_note(self.source_note) is not None
        )

    def corrections_url(self) -> str:
        return reverse("parindex:corrections") + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        """The id of this edition's section on the corrections page."""
        return f"an-ban-{self.year}-{self.group}"

    def share_image_url(self) -> str:
        return reverse(
            "parindex:ranking-share-image",
            kwargs={"year": self.year, "group": self.group},
        )

    @property
    def short_title(self) -> str:
        return f"PAR INDEX {self.year}"

    def download_url(self, fmt: str) -> str:
        return reverse(
            f"parindex:download-{fmt}",
            kwargs={"year": self.year, "group": self.group},
        )

    @property
    def downloads(self) -> list[tuple[str, str]]:
        """(label, address) of the open-data files of this edition."""
        return [
            ("CSV", self.download_url("csv")),
            (gettext("CSV cho Excel tiếng Việt (;)"), self.download_url("csv-excel")),
            ("XLSX (Excel)", self.download_url("xlsx")),
            ("JSON", self.download_url("json")),
            ("Data Package", self.download_url("datapackage")),
        ]


class Tier(models.Model):
    """A published group of an edition, e.g. A ≥ 90 points."""

    edition = models.ForeignKey(
        Edition, verbose_name="ấn bản", on_delete=models.CASCADE, related_name="tiers"
    )
    code = models.CharField("ký hiệu", max_length=5)
    min_points = models.DecimalField("từ (điểm)", **POINTS)

    class Meta:
        ordering = ["edition", "-min_points"]
        verbose_name = "nhóm xếp loại"
        verbose_name_plural = "nhóm xếp loại"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"], name="parindex_tier_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(min_points__gte=0, min_points__lte=100),
                name="parindex_tier_min_range",
            ),
        ]

    def __str__(self):
        return f"Nhóm {self.code} (từ {self.min_points} điểm)"

    def get_absolute_url(self):
        return self.edition.get_absolute_url()


class ResultQuerySet(models.QuerySet):
    def public(self) -> "ResultQuerySet":
        """Results of released editions whose release time has passed."""
        return self.filter(
            edition__status__in=PUBLIC_STATUSES,
            edition__release_at__lte=timezone.now(),
        )

    def for_table(self) -> "ResultQuerySet":
        """A ranking table's rows: results with their unit and region.

        Per-area points come separately as plain values (AreaScore.points_by):
        a 63-province table has 500 of them, and model instances for each
        would cost more than the rest of the page.
        """
        return self.select_related("unit", "unit__region")

    def with_area_scores(self) -> "ResultQuerySet":
        """Results with their unit, edition, framework and area points.

        For the pages and files that show each result with its areas (profile,
        compare, downloads, API, release checks): the points come in one
        query, each with its area.
        """
        return self.select_related("unit", "edition__framework").prefetch_related(
            models.Prefetch(
                "area_scores", queryset=AreaScore.objects.select_related("area")
            )
        )

    def with_edition_size(self) -> "ResultQuerySet":
        """Results carrying edition_count, the number of results in their edition.

        Ranks are shown out of their own total ("hạng 44/63", "13/34"), since
        totals differ across the 2025 reorganisation.
        """
        sizes = (
            Result.objects.filter(edition=models.OuterRef("edition"))
            .values("edition")
            .annotate(n=models.Count("pk"))
            .values("n")[:1]
        )
        return self.annotate(edition_count=models.Subquery(sizes))


class Result(models.Model):
    """A unit's points and rank in one edition, as published."""

    edition = models.ForeignKey(
        Edition, verbose_name="ấn bản", on_delete=models.CASCADE, related_name="results"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="results"
    )
    published_name = models.CharField(
        "tên công bố",
        max_length=200,
        help_text="Tên chính thức của đơn vị trong năm đánh giá, có dấu "
        "(Unit.published_name_in); trang, tệp tải về và API hiển thị tên này.",
    )
    file_name = models.CharField(
        "tên trong tệp nhập",
        max_length=200,
        blank=True,
        help_text="Tên đúng như tệp đã nhập viết (chỉ để đối chiếu, không hiển thị "
        "công khai).",
    )
    rank = models.PositiveSmallIntegerField("xếp hạng")
    total = models.DecimalField("tổng điểm", **POINTS)
    index = models.DecimalField("chỉ số (%)", **POINTS)
    appraisal = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)
    survey = models.DecimalField(
        "điểm điều tra xã hội học", null=True, blank=True, **POINTS
    )

    objects = ResultQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="phiên bản kết quả")

    class Meta:
        ordering = ["edition", "rank", "published_name"]
        verbose_name = "kết quả"
        verbose_name_plural = "kết quả"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "unit"],
                name="parindex_result_one_per_unit",
                violation_error_message="Đơn vị đã có kết quả trong ấn bản này.",
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1), name="parindex_result_rank_positive"
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0, total__lte=100),
                name="parindex_result_total_range",
            ),
            models.CheckConstraint(
                condition=Q(index__gte=0, index__lte=100),
                name="parindex_result_index_range",
            ),
            models.CheckConstraint(
                condition=Q(appraisal__isnull=True, survey__isnull=True)
                | Q(
                    appraisal__isnull=False,
                    survey__isnull=False,
                    appraisal__gte=0,
                    appraisal__lte=100,
                    survey__gte=0,
                    survey__lte=100,
                ),
                name="parindex_result_split_range",
            ),
        ]

    def __str__(self):
        return f"{self.published_name} · {self.edition}"

    def get_absolute_url(self):
        return self.unit.get_absolute_url()

    @property
    def display_name(self) -> str:
        """The published name in the active language (needs the unit loaded)."""
        if get_language() != "en":
            return self.published_name
        return self.unit.display_name_in(self.published_name)


class AreaScoreQuerySet(models.QuerySet):
    def points_by_result(self, result_ids) -> dict[int, dict[int, Decimal]]:
        """{result id: {area number: points}} as plain values, in one query.

        Hand-written: a ranking reads hundreds of these, and building the
        queryset and converting each value cost more than the query
        (bench/profile_misses.py). PostgreSQL's numeric arrives as Decimal.
        """
        database = connections[self.db]
        score, area = (
            database.ops.quote_name(model._meta.db_table) for model in (AreaScore, Area)
        )
        points: dict[int, dict[int, Decimal]] = {}
        with database.cursor() as cursor:
            cursor.execute(
                f"SELECT score.result_id, area.number, score.points FROM {score} score"
                f" JOIN {area} area ON area.id = score.area_id"
                " WHERE score.result_id = ANY(%s::bigint[])"
                " ORDER BY score.result_id, area.number",
                [list(result_ids)],
            )
            for result_id, number, value in cursor.fetchall():
                points.setdefault(result_id, {})[number] = value
        return points


class AreaScore(models.Model):
    """Points of one result in one component area."""

    result = models.ForeignKey(
        Result,
        verbose_name="kết quả",
        on_delete=models.CASCADE,
        related_name="area_scores",
    )
    area = models.ForeignKey(
        Area, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField("điểm", **POINTS)

    objects = AreaScoreQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="phiên bản điểm lĩnh vực")

    class Meta:
        ordering = ["result", "area__number"]
        verbose_name = "điểm lĩnh vực"
        verbose_name_plural = "điểm lĩnh vực"
        constraints = [
            models.UniqueConstraint(
                fields=["result", "area"], name="parindex_areascore_unique"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="parindex_areascore_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.area}: {self.points}"

    def get_absolute_url(self):
        return self.result.get_absolute_url()


class Correction(models.Model):
    """A public correction of a released edition: when, why, by whom, what changed.

    Made only by parindex.services.edition_correct, which also records the
    changed results and area points in their history (every released state
    stays retrievable); the list of changes is kept here for the public page.
    """

    edition = models.ForeignKey(
        Edition,
        verbose_name="ấn bản",
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    number = models.PositiveSmallIntegerField("lần đính chính")
    corrected_at = models.DateTimeField("đính chính lúc")
    note = models.TextField("ghi chú công khai")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đính chính",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = "đính chính"
        verbose_name_plural = "đính chính"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"], name="parindex_correction_unique_number"
            ),
            models.CheckConstraint(
                condition=~Q(note=""), name="parindex_correction_has_note"
            ),
        ]

    def __str__(self):
        when = timezone.localtime(self.corrected_at)
        return f"Đính chính {self.edition} ngày {when:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("parindex:corrections") + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"dinh-chinh-{self.edition.year}-{self.edition.group}-{self.number}"


class CorrectionChange(models.Model):
    """One figure a correction changed: unit, field, old value → new value."""

    correction = models.ForeignKey(
        Correction,
        verbose_name="đính chính",
        on_delete=models.CASCADE,
        related_name="changes",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    published_name = models.CharField("tên trong bảng công bố", max_length=200)
    field = models.CharField("mục", max_length=20)  # rank, total, …, area-3
    label = models.CharField("tên mục", max_length=300)
    old_value = models.DecimalField(
        "giá trị cũ", max_digits=6, decimal_places=2, null=True, blank=True
    )
    new_value = models.DecimalField(
        "giá trị mới", max_digits=6, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["correction", "position"]
        verbose_name = "thay đổi trong đính chính"
        verbose_name_plural = "thay đổi trong đính chính"

    def __str__(self):
        return (
            f"{self.published_name} · {self.label}: {self.old_value} → {self.new_value}"
        )

    def get_absolute_url(self):
        return self.correction.get_absolute_url()

    @property
    def is_rank(self) -> bool:
        return self.field == "rank"

    @property
    def display_name(self) -> str:
        """The unit's name as the table published it, in the active language."""
        if get_language() != "en":
            return self.published_name
        return self.unit.display_name_in(self.published_name)

    @property
    def display_label(self) -> str:
        """What changed, in the active language (the stored label is Vietnamese)."""
        if get_language() != "en":
            return self.label
        if self.field.startswith("area-"):
            return gettext("Lĩnh vực %(number)s") % {
                "number": self.field.removeprefix("area-")
            }
        return str(CHANGE_LABELS.get(self.field, self.label))


# The figures a correction can change (CorrectionChange.field), named for pages.
CHANGE_LABELS = {
    "rank": _("Xếp hạng"),
    "total": _("Tổng điểm"),
    "index": _("Chỉ số (%)"),
    "appraisal": _("Điểm thẩm định"),
    "survey": _("Điểm điều tra XHH"),
}


class AnnualSummary(models.Model):
    """Published yearly figures (number ranked, national average) per group."""

    year = models.PositiveSmallIntegerField("năm đánh giá")
    group = models.CharField("nhóm", max_length=4, choices=Group)
    n_ranked = models.PositiveSmallIntegerField("số đơn vị xếp hạng", null=True)
    national_average = models.DecimalField(
        "giá trị trung bình (%)", null=True, blank=True, **POINTS
    )
    distribution = models.CharField("phân bố", max_length=300, blank=True)
    announced_on = models.DateField("ngày công bố", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    sources = models.TextField("nguồn", blank=True)

    class Meta:
        ordering = ["-year", "group"]
        verbose_name = "số liệu tổng hợp theo năm"
        verbose_name_plural = "số liệu tổng hợp theo năm"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "group"], name="parindex_summary_unique_year_group"
            )
        ]

    def __str__(self):
        return f"{self.year} · {self.get_group_display()}"

    def get_absolute_url(self):
        return reverse("parindex:overview") + "#trung-binh-qua-cac-nam"

    @property
    def source_list(self) -> list[str]:
        return [s.strip() for s in self.sources.split(";") if s.strip()]


class RegionalAverage(models.Model):
    """Published average PAR INDEX of a socio-economic region in a year."""

    year = models.PositiveSmallIntegerField("năm đánh giá")
    region = models.ForeignKey(
        Region,
        verbose_name="vùng",
        on_delete=models.CASCADE,
        related_name="averages",
    )
    average = models.DecimalField("giá trị trung bình (%)", **POINTS)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    source = models.URLField("nguồn", max_length=500, blank=True)

    class Meta:
        ordering = ["-year", "region__position"]
        verbose_name = "trung bình vùng"
        verbose_name_plural = "trung bình vùng"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region"], name="parindex_regional_unique"
            ),
            models.CheckConstraint(
                condition=Q(average__gte=0, average__lte=100),
                name="parindex_regional_range",
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year}: {self.average}"

    def get_absolute_url(self):
        return reverse("parindex:overview") + "#trung-binh-vung"
