"""Crafted import files that cost a parser far more than their size.

Used by tests/parindex/test_import_limits.py (which checks that each is refused
with a clear message) and by bench/hostile_imports.py (which prints what each
costs in time and memory). The workbooks are written by hand, member by
member, so that no spreadsheet library decides what they contain.
"""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>"
)
SHEET_END = "</sheetData></worksheet>"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên đơn vị</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Tổng điểm</t></is></c></row>'
)


def _workbook(write_sheet) -> bytes:
    """A minimal XLSX whose sheet XML is streamed by `write_sheet(handle)`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            write_sheet(sheet)
    return buffer.getvalue()


def _repeat(handle, piece: bytes, times: int, chunk: int = 1 << 16) -> None:
    block = piece * chunk
    for _ in range(times // chunk):
        handle.write(block)
    handle.write(piece * (times % chunk))


def xlsx_with_one_huge_cell(chars: int = 100_000_000) -> bytes:
    """A header, then one unit whose name is `chars` characters long."""

    def write(sheet):
        sheet.write((SHEET_START + HEADER_ROW).encode())
        sheet.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        _repeat(sheet, b"A", chars)
        sheet.write(b'</t></is></c><c r="B2"><v>80</v></c></row>')
        sheet.write(SHEET_END.encode())

    return _workbook(write)


def xlsx_with_empty_rows(rows: int = 20_000_000) -> bytes:
    """A header followed by `rows` empty `<row/>` elements."""

    def write(sheet):
        sheet.write((SHEET_START + HEADER_ROW).encode())
        _repeat(sheet, b"<row/>", rows)
        sheet.write(SHEET_END.encode())

    return _workbook(write)


def xlsx_with_a_distant_row(row: int = 1_048_576) -> bytes:
    """A few bytes: a header and one cell on the sheet's last row.

    Readers fill the gap with empty rows, so it is a million rows to them.
    """

    def write(sheet):
        sheet.write((SHEET_START + HEADER_ROW).encode())
        sheet.write(f'<row r="{row}"><c r="B{row}"><v>1</v></c></row>'.encode())
        sheet.write(SHEET_END.encode())

    return _workbook(write)


def csv_with_blank_lines(size: int = 5 * 1024 * 1024) -> bytes:
    """A header and then nothing but line breaks, up to the upload limit."""
    header = "Tên đơn vị,Tổng điểm\r\n".encode()
    return header + b"\r\n" * ((size - len(header)) // 2)


def csv_with_a_long_name(chars: int = 120_000) -> bytes:
    """One unit whose name is just under the CSV reader's 128 KB field limit."""
    return f"Tên đơn vị,Tổng điểm\r\n{'Ă' * chars},80\r\n".encode()
