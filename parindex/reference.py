"""Load the real reference data shipped in parindex/data/ (see its README).

Idempotent and additive: rows that exist (by natural key) are left exactly as
they are, so running it again, on a demo machine or in production, never
rewrites published history or an editor's corrections; it only adds what is
missing. Called by `manage.py load_parindex_reference` and by seed_demo.
"""

import csv
import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.formats import number_format

from cchc_portal.vietnamese import fold, slugify
from parindex.models import (
    HUNDRED,
    AnnualSummary,
    Area,
    Edition,
    Framework,
    Group,
    NameKind,
    ParStatus,
    Region,
    RegionalAverage,
    Unit,
    UnitKind,
    UnitName,
    UnitSlug,
    UnitSuccession,
)
from parindex.services import edition_import, edition_release
from parindex.tables import STANDARD_COLUMNS, Table, TableRow

DATA_DIR = Path(__file__).resolve().parent / "data"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

PROVINCES_MERGED_ON = datetime.date(2025, 7, 1)
PROVINCES_BASIS = "NQ 202/2025/QH15 (hiệu lực 12/06/2025)"
PROVINCE_SOURCES = (
    "daohoangson/dvhcvn (v20250301); dvhcvn/20250701 (phụ lục 60-NQ/TW, "
    "mã 915/CTK-CSCL); NQ 202/2025/QH15"
)
MINISTRIES_MERGED_ON = datetime.date(2025, 3, 1)
MINISTRIES_BASIS = "NQ 176/2025/QH15"
HUE_RENAMED_ON = datetime.date(2025, 1, 1)
REGIONS_BASIS = "NQ 81/2023/QH15 (Quy hoạch tổng thể quốc gia thời kỳ 2021–2030)"
# No published text assigns the 34 units of 01/07/2025 to regions (none found
# in the sources of parindex/data/README.md): say so, derive only what follows.
NO_REGIONS_2025 = (
    "Chưa tìm thấy văn bản công bố phân vùng kinh tế - xã hội cho 34 đơn vị "
    "từ 01/07/2025."
)

GROUPS = {"bộ": Group.MINISTRY, "tỉnh": Group.PROVINCE}
PAR_STATUS = {
    "ranked": ParStatus.RANKED,
    "not assessed": ParStatus.NOT_ASSESSED,
}


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def parse_int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Add whatever reference rows are missing; return how many were created."""
    counts: dict[str, int] = defaultdict(int)
    regions = _load_regions(counts)
    _load_provinces(regions, counts)
    _load_ministries(counts)
    _load_abbreviations(counts)
    _load_frameworks(counts)
    _load_summaries(regions, counts)
    _load_ministry_ranking_2023(counts)
    counts["english_names"] += fill_english_names()
    return dict(counts)


def fill_english_names() -> int:
    """English names of units, regions, frameworks and areas (unit_names_en.csv,
    labels_en.csv, each row with its source) where none is recorded yet: an
    editor's English name is never rewritten. Areas not listed by key (a demo
    framework's) take the English name of an area with the same Vietnamese name.
    Returns how many rows were given names."""
    filled = 0
    for row in read_csv("unit_names_en.csv"):
        filled += Unit.objects.filter(slug=row["slug"], name_en="").update(
            name_en=row["name_en"], short_name_en=row["short_name_en"]
        )
    labels = read_csv("labels_en.csv")
    by_key = {(row["kind"], row["key"]): row["name_en"] for row in labels}
    area_by_name = {
        row["name"]: row["name_en"] for row in labels if row["kind"] == "area"
    }
    for region in Region.objects.filter(name_en=""):
        if name_en := by_key.get(("region", region.slug)):
            filled += Region.objects.filter(pk=region.pk).update(name_en=name_en)
    for framework in Framework.objects.filter(decision_en=""):
        key = ("framework", f"{framework.code} {framework.group}")
        if name_en := by_key.get(key):
            filled += Framework.objects.filter(pk=framework.pk).update(
                decision_en=name_en
            )
    for area in Area.objects.filter(name_en="").select_related("framework"):
        key = ("area", f"{area.framework.code} {area.framework.group} {area.number}")
        if name_en := by_key.get(key) or area_by_name.get(area.name):
            filled += Area.objects.filter(pk=area.pk).update(name_en=name_en)
    return filled


def _load_regions(counts) -> dict[str, Region]:
    names: list[str] = []
    for row in read_csv("provinces_63.csv"):
        if row["region_nq81_2023"] not in names:
            names.append(row["region_nq81_2023"])
    regions = {}
    for position, name in enumerate(names, 1):
        region, created = Region.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
        counts["regions"] += created
        regions[name] = region
    return regions


def _unit(counts, *, slug: str, **fields) -> Unit:
    unit = Unit.objects.by_slug([slug]).get(slug)
    if unit is None:
        unit = Unit(slug=slug, **fields)
        unit.full_clean()
        unit.save()
        counts["units"] += 1
    return unit


def _name(counts, unit: Unit, name: str, kind: str, **fields) -> None:
    if fold(name) in {unit.name_folded, unit.short_name_folded}:
        return
    _, created = UnitName.objects.get_or_create(
        unit=unit, folded=fold(name), defaults={"name": name, "kind": kind, **fields}
    )
    counts["names"] += created


def _succession(counts, predecessor: Unit, successor: Unit, **fields) -> None:
    _, created = UnitSuccession.objects.get_or_create(
        predecessor=predecessor, successor=successor, defaults=fields
    )
    counts["successions"] += created


def _city_aliases(counts, unit: Unit) -> None:
    if unit.kind == UnitKind.CITY:
        for prefix in ("TP.", "TP"):
            _name(counts, unit, f"{prefix} {unit.short_name}", NameKind.ALIAS)


def _load_abbreviations(counts) -> None:
    """Abbreviations official tables and the press use (unit_abbreviations.csv),
    each with its note and source; on every unit of that official name (a city
    before and after the merger alike)."""
    for row in read_csv("unit_abbreviations.csv"):
        units = list(Unit.objects.filter(name=row["official_name"]))
        if not units:
            raise ValueError(f"unit_abbreviations.csv: no unit {row['official_name']}")
        note = f"{row['note']}; nguồn: {row['source']}"[:300]
        for unit in units:
            _name(counts, unit, row["abbreviation"], NameKind.ALIAS, note=note)


def _derived_region(regions, parts: list[dict]) -> tuple[Region | None, str]:
    """The region of a unit formed on 01/07/2025, said how it was found.

    Only when every former province it joins lay in one region (NQ 81/2023)
    is that region taken, and the unit says it was derived; units formed
    across regions get none, with the regions of their parts named.
    """
    by_region: dict[str, list[str]] = defaultdict(list)
    for part in parts:
        by_region[part["region_nq81_2023"]].append(part["short_name"])
    if len(by_region) == 1:
        ((name, members),) = by_region.items()
        return regions[name], (
            f"Suy ra: {', '.join(members)} (cũ) đều thuộc vùng {name} theo "
            f"NQ 81/2023/QH15. {NO_REGIONS_2025}"
        )
    described = "; ".join(
        f"{', '.join(members)} thuộc {name}" for name, members in by_region.items()
    )
    return None, (
        f"Chưa xác định vùng: các tỉnh hợp thành thuộc các vùng khác nhau "
        f"({described}, theo NQ 81/2023/QH15). {NO_REGIONS_2025}"
    )


def _fill_region(counts, unit: Unit, region: Region | None, source: str) -> None:
    """Add a region and its basis where none is recorded yet (never rewrite)."""
    if unit.region_source:
        return
    unit.region_source = source
    fields = ["region_source"]
    if unit.region_id is None and region is not None:
        unit.region = region
        fields.append("region")
    unit.save(update_fields=fields)
    counts["region_sources"] += 1


def _load_provinces(regions, counts) -> None:
    old_by_code: dict[str, Unit] = {}
    for row in read_csv("provinces_63.csv"):
        merged = row["merge_status_2025"] == "merged"
        kind = (
            UnitKind.CITY if row["type"].startswith("Thành phố") else UnitKind.PROVINCE
        )
        par_name = row["name_in_par_reports_2012_2024"]
        # Huế kept its code but was renamed; its old slug keeps working.
        slug = slugify(row["short_name"])
        unit = _unit(
            counts,
            slug=slug,
            kind=kind,
            name=row["name"],
            short_name=row["short_name"],
            gso_code=row["code"],
            region=regions[row["region_nq81_2023"]],
            region_source=REGIONS_BASIS,
            valid_to=PROVINCES_MERGED_ON - datetime.timedelta(days=1)
            if merged
            else None,
            sources=PROVINCE_SOURCES,
        )
        if par_name != row["short_name"]:
            used_until = HUE_RENAMED_ON - datetime.timedelta(days=1)
            note = (
                "Tên trong các báo cáo PAR INDEX 2012–2024; từ "
                f"{HUE_RENAMED_ON:%d/%m/%Y} là {row['name']}."
            )
            for former in (par_name, f"Tỉnh {par_name}"):
                _name(
                    counts,
                    unit,
                    former,
                    NameKind.FORMER,
                    used_until=used_until,
                    note=note,
                )
            _, created = UnitSlug.objects.get_or_create(
                slug=slugify(par_name), defaults={"unit": unit}
            )
            counts["old_slugs"] += created
        _city_aliases(counts, unit)
        old_by_code[row["code"]] = unit
        _fill_region(counts, unit, unit.region, REGIONS_BASIS)

    sources: dict[str, list[dict]] = defaultdict(list)
    for row in read_csv("provinces_63.csv"):
        sources[row["new_unit_code_2025"]].append(row)
    new_by_code: dict[str, Unit] = {}
    for row in read_csv("provinces_34_2025.csv"):
        if not row["status_2025"].startswith("hình thành"):
            new_by_code[row["code"]] = old_by_code[row["code"]]
            continue
        city = row["type"].startswith("Thành phố")
        short_name = row["name"].removeprefix("Thành phố ").strip()
        name = row["name"] if city else f"Tỉnh {row['name']}"
        valid_from = parse_date(row["valid_from"]) or PROVINCES_MERGED_ON
        slug = slugify(short_name)
        if slug in {u.slug for u in old_by_code.values()}:
            slug = f"{slug}-{valid_from.year}"
        centre = row["political_admin_centre_located_in_former"]
        note = (
            f"Hình thành từ {valid_from:%d/%m/%Y} trên cơ sở {row['merged_from']}; "
            f"trung tâm hành chính - chính trị tại {centre} (cũ)."
        )
        if row["area_km2_nq202"]:
            # 13.795,50 km², 1.865.270 people: the Vietnamese grouping.
            area = number_format(Decimal(row["area_km2_nq202"]), 2, force_grouping=True)
            people = number_format(
                Decimal(row["population_nq202"]), 0, force_grouping=True
            )
            note += f" Diện tích {area} km², dân số {people} người (NQ 202/2025/QH15)."
        region, region_source = _derived_region(regions, sources[row["code"]])
        new_by_code[row["code"]] = _unit(
            counts,
            slug=slug,
            kind=UnitKind.CITY if city else UnitKind.PROVINCE,
            name=name,
            short_name=short_name,
            gso_code=row["code"],
            valid_from=valid_from,
            note=note,
            sources=PROVINCE_SOURCES,
            region=region,
            region_source=region_source,
        )
        _fill_region(counts, new_by_code[row["code"]], region, region_source)
        _city_aliases(counts, new_by_code[row["code"]])

    for row in read_csv("merger_2025.csv"):
        if row["status"] != "merged":
            continue
        _succession(
            counts,
            old_by_code[row["old_code"]],
            new_by_code[row["new_code"]],
            effective_on=parse_date(row["operational_from"]) or PROVINCES_MERGED_ON,
            legal_basis=PROVINCES_BASIS,
        )


def _ministry_status(text: str) -> str:
    if text.startswith("assessed, not ranked"):
        return ParStatus.ASSESSED
    return PAR_STATUS.get(text, ParStatus.RANKED)


def _load_ministries(counts) -> None:
    rows = read_csv("ministries.csv")
    old_rows = [r for r in rows if r["valid_to"]]
    new_rows = [r for r in rows if not r["valid_to"]]
    predecessors: dict[str, list[dict]] = defaultdict(list)
    for row in old_rows:
        predecessors[row["successor_from_2025_03_01"]].append(row)

    def kind(row):
        return UnitKind.MINISTRY if row["type"] == "bộ" else UnitKind.MINISTERIAL_AGENCY

    # A ministry that only continues itself is one unit across both structures;
    # one that absorbed or was absorbed ends on 28/02/2025 and is linked.
    continuing = {
        row["name"]
        for row in new_rows
        if [p["name"] for p in predecessors[row["name"]]] == [row["name"]]
    }
    old_units: dict[str, Unit] = {}
    for row in old_rows:
        unit = _unit(
            counts,
            slug=slugify(row["name"]),
            kind=kind(row),
            name=row["name"],
            short_name=row["name"],
            valid_to=None
            if row["name"] in continuing
            else MINISTRIES_MERGED_ON - datetime.timedelta(days=1),
            par_status=_ministry_status(row["par_index_status_2020_2023"]),
            note=f"Cơ cấu Chính phủ theo {row['structure']}.",
            sources=row["source"].replace(" ; ", "; "),
        )
        old_units[row["name"]] = unit
        _city_aliases(counts, unit)
    for row in new_rows:
        if row["name"] in continuing:
            continue
        befores = predecessors[row["name"]]
        statuses = [_ministry_status(p["par_index_status_2020_2023"]) for p in befores]
        slug = slugify(row["name"])
        if slug in {u.slug for u in old_units.values()}:
            slug = f"{slug}-2025"
        unit = _unit(
            counts,
            slug=slug,
            kind=kind(row),
            name=row["name"],
            short_name=row["name"],
            valid_from=MINISTRIES_MERGED_ON,
            par_status=ParStatus.RANKED
            if ParStatus.RANKED in statuses
            else statuses[0],
            note=(
                f"Cơ cấu Chính phủ theo {row['structure']}. Chưa có kết quả PAR INDEX "
                "theo cơ cấu mới; tình trạng xếp hạng suy ra từ đơn vị trước."
            ),
            sources=row["source"].replace(" ; ", "; "),
        )
        _city_aliases(counts, unit)
        for before in befores:
            _succession(
                counts,
                old_units[before["name"]],
                unit,
                effective_on=MINISTRIES_MERGED_ON,
                legal_basis=MINISTRIES_BASIS,
            )


def _load_frameworks(counts) -> None:
    frameworks: dict[tuple[str, str], Framework] = {}
    for row in read_csv("methodology_versions.csv"):
        group = GROUPS[row["group"]]
        framework, created = Framework.objects.get_or_create(
            code=row["version_id"],
            group=group,
            defaults={
                "decision": row["decision"].split(" (")[0]
                if row["decision"].startswith("QĐ")
                else "Đề án Chỉ số CCHC (văn bản gốc chưa xác minh)",
                "signed_on": parse_date(row["signed"]),
                "applies_to": row["applies_to"],
                "n_areas": parse_int(row["n_areas"]),
                "n_criteria": parse_int(row["n_criteria"]),
                "n_subcriteria": parse_int(row["n_subcriteria"]),
                "max_points": parse_decimal(row["max_total_points"]) or HUNDRED,
                "survey_points": parse_decimal(row["survey_points"]),
                "note": row["note"],
                "sources": row["sources"].replace(" ; ", "; "),
            },
        )
        counts["frameworks"] += created
        frameworks[(row["version_id"], group)] = framework
    for row in read_csv("components.csv"):
        framework = frameworks[(row["version_id"], GROUPS[row["group"]])]
        if not row["area_no"]:
            if row["area_name"] not in framework.note:
                framework.note = (
                    f"{framework.note} Lĩnh vực: {row['area_name']}".strip()
                )
                framework.save(update_fields=["note"])
            continue
        _, created = Area.objects.get_or_create(
            framework=framework,
            number=int(row["area_no"]),
            defaults={
                "name": row["area_name"],
                "n_criteria": parse_int(row["n_criteria"]),
                "n_subcriteria": parse_int(row["n_subcriteria"]),
                "max_points": parse_decimal(row["max_points"]),
                "note": row["basis"],
            },
        )
        counts["areas"] += created


def _load_summaries(regions, counts) -> None:
    for row in read_csv("annual_summary.csv"):
        _, created = AnnualSummary.objects.get_or_create(
            year=int(row["year"]),
            group=GROUPS[row["group"]],
            defaults={
                "n_ranked": parse_int(row["n_ranked"]),
                "national_average": parse_decimal(row["average_pct"]),
                "distribution": row["distribution"],
                "announced_on": parse_date(row["announced"]),
                "note": row["note"],
                "sources": row["sources"],
            },
        )
        counts["annual_summaries"] += created
    for row in read_csv("results_regions.csv"):
        _, created = RegionalAverage.objects.get_or_create(
            year=int(row["year"]),
            region=regions[row["region"]],
            defaults={
                "average": Decimal(row["average_par_index_pct"]),
                "note": row["note"],
                "source": row["source"],
            },
        )
        counts["regional_averages"] += created


def _load_ministry_ranking_2023(counts) -> None:
    """The official PAR INDEX 2023 ministry table, released as published."""
    if Edition.objects.filter(year=2023, group=Group.MINISTRY).exists():
        return
    rows = read_csv("results_2023_ministries.csv")
    table = Table(columns=dict(STANDARD_COLUMNS))
    for line, row in enumerate(rows, 2):
        table.rows.append(
            TableRow(
                line=line,
                name=row["unit"],
                rank=int(row["rank"]),
                appraisal=Decimal(row["appraisal_score"]),
                survey=Decimal(row["survey_score"]),
                total=Decimal(row["total_score"]),
                index=Decimal(row["par_index_pct"]),
            )
        )
    framework = Framework.objects.get(code="876", group=Group.MINISTRY)
    outcome = edition_import(
        table=table, year=2023, group=Group.MINISTRY, framework=framework
    )
    if not outcome.ok:
        raise RuntimeError("; ".join(str(p) for p in outcome.problems))
    summary = AnnualSummary.objects.get(year=2023, group=Group.MINISTRY)
    edition = outcome.edition
    edition.announced_on = summary.announced_on
    edition.n_ranked = summary.n_ranked
    edition.national_average = summary.national_average
    edition.source_url = rows[0]["source"]
    edition.announcing_body = "Bộ Nội vụ"
    edition.announcement_document = (
        "Bảng xếp hạng PAR INDEX 2023 các bộ, cơ quan ngang bộ công bố ngày "
        "17/04/2024 (Cổng Thông tin điện tử Chính phủ)"
    )
    # The sources found give no survey size for the ministries' ranking.
    edition.survey_size_not_published = True
    edition.source_note = (
        "Bảng xếp hạng chính thức do Bộ Nội vụ công bố ngày 17/04/2024, đăng trên "
        "Cổng Thông tin điện tử Chính phủ. Ở một số dòng, tổng điểm lệch 0,01 so "
        "với điểm thẩm định + điểm điều tra do làm tròn trong bảng gốc. Nguồn "
        "không nêu số phiếu điều tra xã hội học của khối bộ."
    )
    edition.full_clean()
    edition.save()
    edition_release(
        edition=edition,
        release_at=datetime.datetime.combine(
            summary.announced_on, datetime.time(0, 0), tzinfo=HANOI
        ),
    )
    counts["editions"] += 1
