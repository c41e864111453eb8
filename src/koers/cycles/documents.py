"""The cycle dashboard as a CSV or XLSX table made by a task worker (``access/renderings.py``):
the download the dashboard page offers, asked for through the API (``POST /renderings``,
kind ``cycles.dashboard``).

Its subject is the unit whose subtree it counts; the cycle and the format are its
parameters. Who may have it is who sees that unit's dashboard (HR whose grant covers the
unit), asked again when its status is read and at the download. The table is the page's
own (``dashboard_table.export_table``), counted by the worker when it makes the file.
"""

from collections.abc import Mapping

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access import policy
from koers.access.policy import Viewer
from koers.access.renderings import Document, Kind, Table, register, table_format
from koers.core import languages
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.tables import csv_bytes, xlsx_bytes
from koers.cycles import dashboard, dashboard_table
from koers.cycles.dashboard import Dashboard
from koers.cycles.models import Cycle
from koers.organisation.models import Unit

KIND = "cycles.dashboard"


def _unit(viewer: Viewer, unit_id: int) -> Unit | None:
    unit = Unit.objects.filter(pk=unit_id).first()
    return unit if unit is not None and policy.can_view_unit(viewer, unit) else None


def _allowed(viewer: Viewer, unit_id: int) -> bool:
    return _unit(viewer, unit_id) is not None


def _board(viewer: Viewer, unit_id: int, parameters: Mapping[str, str]) -> Dashboard | None:
    """The dashboard of the unit in the cycle of ``parameters``, if the viewer sees it;
    a cycle that is not a number is refused."""
    raw = parameters.get("cycle", "")
    if not (raw.isascii() and raw.isdigit()):
        message = _("Name the cycle by its id.")
        raise ValidationFailed(message, {"cycle": [message]})
    unit = _unit(viewer, unit_id)
    cycle = Cycle.objects.select_related("organisation").filter(pk=int(raw)).first()
    if unit is None or cycle is None or not dashboard.can_view_dashboard(viewer, cycle, unit):
        return None
    return dashboard.cycle_dashboard(cycle=cycle, unit=unit)



def _prepare(viewer: Viewer, unit_id: int, parameters: Mapping[str, str],
             language: str | None) -> Document | None:
    board = _board(viewer, unit_id, parameters)
    if board is None:
        return None
    file_format = table_format(parameters)
    return Document(html="", stylesheet="", language=language or languages.active(),
                    file_name=f"{slugify(dashboard_table.file_stem(board))}.{file_format}",
                    parameters={"format": file_format, "cycle": str(board.cycle.pk)})


def _make(viewer: Viewer, unit_id: int, parameters: Mapping[str, str]) -> bytes:
    board = _board(viewer, unit_id, parameters)
    if board is None:  # the grant ended between the request and the worker
        raise NotFoundOrForbidden(_("This document does not exist or is not yours to read."))
    header, rows = dashboard_table.export_table(board)
    if parameters.get("format") == "csv":
        return csv_bytes(header, rows)
    return xlsx_bytes(dashboard_table.sheet_title(board), header, rows)


DASHBOARD_TABLE = register(Kind(
    name=KIND, title=gettext_lazy("Cycle dashboard"), prepare=None, allowed=_allowed,
    read=_allowed, table=Table(prepare=_prepare, make=_make)))
