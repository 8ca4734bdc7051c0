"""Open data: an edition's stored results in the file layout, and its metadata.

The downloads, the API and the release checks read results through one
mapping (result_to_row), the inverse of what an import stores.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext

from parindex.models import Edition, Result
from parindex.tables import (
    APPRAISAL,
    DEMO_NOTICE,
    INDEX,
    NAME,
    RANK,
    RESULT_FIELDS,
    SURVEY,
    TOTAL,
    Layout,
    Table,
    TableRow,
    json_number,
    table_layout,
)


def result_to_row(result: Result, *, line: int = 0) -> TableRow:
    """A stored result (with its area scores) as the file row it was imported from."""
    return TableRow(
        line=line,
        areas={score.area.number: score.points for score in result.area_scores.all()},
        **{kind: getattr(result, field) for kind, field in RESULT_FIELDS.items()},
    )


def edition_get_table(edition: Edition, *, english: bool = False) -> Table:
    """An edition's stored results in the file layout (for checks and export).

    english: the English flavour of the downloads, with English headers and
    unit names (not an import layout; the checks and the Vietnamese files
    never ask for it).
    """

    def header(text: str) -> str:
        return gettext(text) if english else text

    table = Table(
        columns={
            "name": header(NAME),
            "rank": header(RANK),
            "total": header(TOTAL),
            "index": header(INDEX),
        }
    )
    results = list(edition.results.with_area_scores())
    if any(r.appraisal is not None for r in results):
        table.columns.update(appraisal=header(APPRAISAL), survey=header(SURVEY))
    numbers = sorted({s.area.number for r in results for s in r.area_scores.all()})
    areas = {area.number: area for area in edition.framework.areas.all()}
    for number in numbers:
        area = areas.get(number)
        if english:
            table.area_columns[number] = (
                area.column_header_en if area else f"Area {number}"
            )
        else:
            table.area_columns[number] = (
                area.column_header if area else f"Lĩnh vực {number}"
            )
    table.rows = [
        result_to_row(result, line=line) for line, result in enumerate(results, 1)
    ]
    if english:
        for row, result in zip(table.rows, results, strict=True):
            row.name = result.display_name
    return table


def edition_get_layout(edition: Edition) -> Layout:
    """An edition in the import layout (what the downloads contain); under the
    English edition, the English flavour (headers, names, notes in English)."""
    english = get_language() == "en"
    title_lines = [f"{edition} ({edition.framework.display_decision})"]
    if edition.is_demo:
        title_lines.append(gettext(DEMO_NOTICE))
    elif edition.source_url:
        title_lines.append(f"{gettext('Nguồn:')} {edition.source_url}")
    title_lines += [correction_line(c) for c in edition.corrections.all()]
    return table_layout(
        edition_get_table(edition, english=english),
        title_lines=title_lines,
        metadata={"edition": edition_get_metadata(edition)},
    )


def edition_get_metadata(edition: Edition) -> dict:
    """An edition's metadata for JSON (download and API)."""
    return {
        "year": edition.year,
        "group": edition.group,
        "group_label": edition.get_group_display(),
        "is_demo": edition.is_demo,
        "notice": gettext(DEMO_NOTICE) if edition.is_demo else None,
        "framework": {
            "code": edition.framework.code,
            "decision": edition.framework.display_decision,
            "is_demo": edition.framework.is_demo,
        },
        "announced_on": edition.announced_on.isoformat()
        if edition.announced_on
        else None,
        "n_ranked": edition.n_ranked,
        "national_average": json_number(edition.national_average),
        "source_url": edition.source_url or None,
        "source_note": edition.source_note or None,
        "announcing_body": edition.announcing_body or None,
        "announcement_document": edition.announcement_document or None,
        "corrections": [
            {
                "number": correction.number,
                "date": timezone.localtime(correction.corrected_at).date().isoformat(),
                "note": correction.note,
            }
            for correction in edition.corrections.all()
        ],
    }


def correction_line(correction) -> str:
    """How a file says it was corrected: "Đính chính ngày 02/12/2026: …"."""
    when = timezone.localtime(correction.corrected_at)
    if get_language() == "en":
        # The note is the editor's Vietnamese text.
        day = date_format(when, gettext("d/m/Y"))
        return (
            gettext("Đính chính ngày %(day)s:") % {"day": day} + f" {correction.note}"
        )
    return f"Đính chính ngày {when:%d/%m/%Y}: {correction.note}"
