"""Tables as CSV and XLSX downloads (``core/tables.py`` writes them, formula-safe)."""

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils.text import slugify

from koers.core.tables import CSV_TYPE, XLSX_TYPE, Cell, csv_bytes, neutralise, xlsx_bytes

__all__ = ["Cell", "csv_response", "neutralise", "xlsx_response"]


def csv_response(name: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> HttpResponse:
    response = HttpResponse(csv_bytes(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
    return response


def xlsx_response(
    name: str, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(title, header, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.xlsx"'
    return response
