"""Tables as CSV and XLSX files, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some programs skip before looking) is run as a formula by Excel and LibreOffice:
a unit named ``=HYPERLINK(…)`` would become a live link in HR's copy. Every text cell
that starts with one of them gets a leading apostrophe, the spreadsheets' own mark
for "this is text". Numbers are written as numbers and need no such care.
"""

import csv
import io
from collections.abc import Iterable, Sequence

import openpyxl

Cell = str | int
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _safe_rows(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterable[list[Cell]]:
    yield [neutralise(cell) for cell in header]
    for row in rows:
        yield [neutralise(cell) for cell in row]


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Semicolons and a byte-order mark, as our import templates: Excel in Belgium and
    the Netherlands opens it in columns and with the accents intact."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(_safe_rows(header, rows))
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    # A sheet title is at most 31 characters and may not hold []:*?/\.
    sheet = workbook.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31])
    for row in _safe_rows(header, rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
