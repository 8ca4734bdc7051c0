"""Demo PAR INDEX editions so that every page has something to show.

Deterministic (fixed seed per unit and year) and idempotent: an edition that
exists for a year and group, real or demo, is never touched. Every demo
edition is flagged `is_demo`, goes through the same import and release checks
as real data, and is labelled "Dữ liệu minh họa, không phải số liệu chính
thức" wherever it is shown. Real reference data is loaded first.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from parindex.edition_checks import competition_ranks
from parindex.models import (
    AnnualSummary,
    Area,
    AreaScore,
    Edition,
    Framework,
    Group,
    Result,
    Tier,
    Unit,
)
from parindex.reference import HANOI, fill_english_names, load_reference_data
from parindex.services import edition_import, edition_release, resetting_demo
from parindex.tables import CENT, STANDARD_COLUMNS, Table, TableRow

SEED = 20240417
DEMO_CODE = "minh-hoa"
# Years: provinces 2016–2024 (2016 on the original framework, whose area maxima
# are not in the sources: totals only; 2017–2019 on the real QĐ 2948 areas),
# ministries 2019–2022 (the official 2023 table stays the latest).
DEMO_EDITIONS = [
    *((year, Group.PROVINCE) for year in range(2016, 2025)),
    *((year, Group.MINISTRY) for year in range(2019, 2023)),
]
TIERS_FROM = 2022
# Years whose demo table is made to average exactly the published national
# average, so that the figures shown beside it (units ranked, average,
# announcement date) are the official ones: only the rows are illustrative.
OFFICIAL_FIGURES_YEARS = {(2016, Group.PROVINCE)}
TIERS = [("A", Decimal("90")), ("B", Decimal("80")), ("C", Decimal("70"))]

# Illustrative frameworks for years whose official area maxima are not in
# the sources; names follow QĐ 876 (ministries) and its provincial variant.
DEMO_AREAS = {
    Group.MINISTRY: [
        ("Công tác chỉ đạo, điều hành cải cách hành chính", "10"),
        ("Cải cách thể chế", "12"),
        ("Cải cách thủ tục hành chính", "16"),
        ("Cải cách tổ chức bộ máy hành chính", "11"),
        ("Cải cách chế độ công vụ", "15"),
        ("Cải cách tài chính công", "11"),
        ("Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "25"),
    ],
    Group.PROVINCE: [
        ("Công tác chỉ đạo, điều hành cải cách hành chính", "9"),
        ("Cải cách thể chế", "9"),
        ("Cải cách thủ tục hành chính", "13"),
        ("Cải cách tổ chức bộ máy hành chính", "8"),
        ("Cải cách chế độ công vụ", "13"),
        ("Cải cách tài chính công", "8"),
        ("Xây dựng và phát triển chính quyền điện tử, chính quyền số", "13"),
        (
            "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển "
            "kinh tế - xã hội",
            "27",
        ),
    ],
}


def demo_framework(group: str) -> Framework:
    """The illustrative framework of a group (created once)."""
    framework, created = Framework.objects.get_or_create(
        code=DEMO_CODE,
        group=group,
        defaults={
            "decision": "Khung điểm minh họa",
            "applies_to": "Chỉ dùng cho dữ liệu minh họa",
            "n_areas": len(DEMO_AREAS[group]),
            "note": (
                "Dữ liệu minh họa, không phải số liệu chính thức: tên lĩnh vực theo "
                "QĐ 876/QĐ-BNV, điểm tối đa giả định."
            ),
            "is_demo": True,
        },
    )
    if created:
        for number, (name, maximum) in enumerate(DEMO_AREAS[group], 1):
            Area.objects.create(
                framework=framework,
                number=number,
                name=name,
                max_points=Decimal(maximum),
                note="Điểm tối đa giả định (minh họa).",
            )
    return framework


def _framework_for(year: int, group: str) -> Framework:
    if year <= 2016:
        return Framework.objects.get(code="2012", group=group)
    if group == Group.PROVINCE and year <= 2019:
        return Framework.objects.get(code="2948", group=group)
    return demo_framework(group)


def _target_average(year: int, group: str) -> Decimal:
    """The published national average when known, else a plausible one."""
    summary = AnnualSummary.objects.filter(year=year, group=group).first()
    if summary and summary.national_average:
        return summary.national_average
    return Decimal("80") + Decimal(year - 2016) * Decimal("0.8")


def _published_name(unit: Unit, year: int) -> str:
    return unit.published_name_in(year)


def demo_table(*, year: int, group: str, framework: Framework) -> Table:
    """A complete, internally consistent synthetic table for one edition.

    Its mean lands near the published national average of that year (when there
    is one), so demo tables do not contradict the real yearly figures.
    """
    units = list(
        Unit.objects.in_group(group)
        .expected_in_ranking(year)
        .prefetch_related("other_names")
    )
    areas = list(framework.areas.all())
    target = float(_target_average(year, group))
    table = _synthetic_table(units, areas, framework, year, group, level_mean=target)
    mean = sum(float(row.index) for row in table.rows) / max(1, len(table.rows))
    if abs(mean - target) > 0.05:  # clamping at the top pulls the mean down
        table = _synthetic_table(
            units, areas, framework, year, group, level_mean=2 * target - mean
        )
    return table


def _synthetic_table(units, areas, framework, year, group, *, level_mean) -> Table:
    target = level_mean
    table = Table(
        columns=dict(STANDARD_COLUMNS),
        area_columns={area.number: area.column_header for area in areas},
    )
    for line, unit in enumerate(sorted(units, key=lambda u: u.slug), 2):
        # A unit keeps its strength from year to year; the year adds noise.
        strength = random.Random(f"{SEED}-{unit.slug}").gauss(0, 1)
        rng = random.Random(f"{SEED}-{unit.slug}-{year}-{group}")
        level = min(
            0.985, max(0.6, (target + 3.2 * strength + rng.gauss(0, 1.2)) / 100)
        )
        points = {}
        for area in areas:
            share = min(1.0, max(0.35, level + rng.gauss(0, 0.035)))
            points[area.number] = (area.max_points * Decimal(share)).quantize(CENT)
        if areas:
            total = sum(points.values(), Decimal(0))
        else:  # a framework without published area maxima: totals only
            total = (framework.max_points * Decimal(level)).quantize(CENT)
        survey = (total * Decimal(0.3 + rng.random() * 0.05)).quantize(CENT)
        table.rows.append(
            TableRow(
                line=line,
                name=_published_name(unit, year),
                appraisal=total - survey,
                survey=survey,
                total=total,
                index=(total * 100 / framework.max_points).quantize(CENT),
                areas=points,
            )
        )
    _rank(table)
    return table


def _rank(table: Table) -> None:
    ranks = competition_ranks([row.total for row in table.rows])
    for row, rank in zip(table.rows, ranks, strict=True):
        row.rank = rank
    table.rows.sort(key=lambda row: (row.rank, row.name))


def _match_average(table: Table, target: Decimal, framework: Framework) -> None:
    """Nudge a totals-only table by cents until its mean index equals target.

    The framework's maximum is 100 here, so the index equals the total.
    """
    assert framework.max_points == 100 and not table.area_columns
    rows = sorted(table.rows, key=lambda row: row.line)
    missing = int((target * len(rows) - sum(r.index for r in rows)) / CENT)
    step = CENT if missing > 0 else -CENT
    for position in range(abs(missing)):
        row = rows[position % len(rows)]
        row.total += step
        row.index += step
        row.appraisal += step
    _rank(table)


@transaction.atomic
def seed_parindex_demo(*, reset: bool = False) -> dict[str, int]:
    """Load the reference data, then add the missing demo editions."""
    if reset:
        _delete_demo_editions()
    counts = load_reference_data()
    counts["demo_editions"] = 0
    existing = set(Edition.objects.values_list("year", "group"))
    for year, group in DEMO_EDITIONS:
        if (year, group) in existing:
            continue
        framework = _framework_for(year, group)
        table = demo_table(year=year, group=group, framework=framework)
        official = (year, group) in OFFICIAL_FIGURES_YEARS
        summary = AnnualSummary.objects.filter(year=year, group=group).first()
        if official:
            _match_average(table, summary.national_average, framework)
        outcome = edition_import(
            table=table, year=year, group=group, framework=framework, is_demo=True
        )
        if not outcome.ok:
            raise RuntimeError("; ".join(str(p) for p in outcome.problems))
        edition = outcome.edition
        announced = (summary and summary.announced_on) or datetime.date(year + 1, 5, 15)
        mean = sum((row.index for row in table.rows), Decimal(0)) / len(table.rows)
        edition.announced_on = announced
        edition.announcing_body = "Bộ Nội vụ"
        edition.n_ranked = len(table.rows)
        edition.national_average = mean.quantize(CENT)
        if official:
            # No survey size in the sources found; every figure shown beside
            # the table is then the published one.
            edition.survey_size_not_published = True
            edition.source_url = summary.source_list[0]
            edition.source_note = (
                "Bảng kết quả từng đơn vị là dữ liệu minh họa, không phải số liệu "
                f"chính thức. Số đơn vị xếp hạng ({summary.n_ranked}), giá trị trung "
                "bình cả nước và ngày công bố là số liệu Bộ Nội vụ công bố."
            )
        else:
            edition.survey_size = 30000 + random.Random(f"{SEED}-{year}").randrange(
                60000
            )
            edition.source_note = (
                "Dữ liệu minh họa, không phải số liệu chính thức: bảng được tạo tự "
                "động để trình diễn cổng thông tin."
            )
        edition.full_clean()
        edition.save()
        if group == Group.PROVINCE and year >= TIERS_FROM:
            for code, minimum in TIERS:
                Tier.objects.create(edition=edition, code=code, min_points=minimum)
        edition_release(
            edition=edition,
            release_at=datetime.datetime.combine(
                announced, datetime.time(9, 0), tzinfo=HANOI
            ),
        )
        counts["demo_editions"] += 1
    # The demo frameworks were created after the reference data's English names.
    counts["english_names"] += fill_english_names()
    return counts


def _delete_demo_editions() -> None:
    """Delete the demo editions, their history and unused demo frameworks.

    Released editions cannot be deleted (migration 0005): demo ones only here,
    for seed_demo --reset.
    """
    editions = Edition.objects.filter(is_demo=True)
    ids = list(editions.values_list("pk", flat=True))
    result_ids = list(
        Result.history.filter(edition_id__in=ids).values_list("id", flat=True)
    )
    with resetting_demo():
        editions.delete()
    AreaScore.history.filter(result_id__in=result_ids).delete()
    Result.history.filter(edition_id__in=ids).delete()
    Edition.history.filter(id__in=ids).delete()
    Framework.objects.filter(is_demo=True, editions__isnull=True).delete()
