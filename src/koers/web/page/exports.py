"""Tables as CSV and XLSX downloads, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some programs skip before looking) is run as a formula by Excel and LibreOffice:
a unit named ``=HYPERLINK(…)`` would become a live link in HR's copy. Every text cell
that starts with one of them gets a leading apostrophe, the spreadsheets' own mark
for "this is text". Numbers are written as numbers and need no such care.
"""

import csv
import io
from collections.abc import Sequence

import openpyxl
from django.http import HttpResponse
from django.utils.text import slugify

Cell = str | int
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _safe_rows(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[list[Cell]]:
    return [[neutralise(cell) for cell in row] for row in [header, *rows]]


def csv_response(name: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> HttpResponse:
    """Semicolons and a byte-order mark, as our import templates: Excel in Belgium and
    the Netherlands opens it in columns and with the accents intact."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(_safe_rows(header, rows))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
    return response


def xlsx_response(
    name: str, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> HttpResponse:
    workbook = openpyxl.Workbook(write_only=True)
    # A sheet title is at most 31 characters and may not hold []:*?/\.
    sheet = workbook.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31])
    for row in _safe_rows(header, rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.xlsx"'
    return response
