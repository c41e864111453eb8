"""The training demand as tables for a CSV or XLSX download, safe to open in a spreadsheet.

Two tables: the summary (one row per development action and competency, with counts
and terms) and the detail (one row per HR action, with the employee and the status).
Texts are in the active language. A text cell that a spreadsheet would run as a formula
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe, the same rule as ``web/exports.py`` applies to every download: a plan row
typed as ``=HYPERLINK(…)`` must not become a live link in HR's copy.
"""

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from koers.development.selectors import DemandGroup
from koers.development.states import HrActionStatus

Cell = str | int
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def _action_name(group: DemandGroup) -> str:
    return group.action.name if group.action is not None else _("other")


def demand_summary_table(groups: Sequence[DemandGroup]) -> tuple[list[str], list[list[Cell]]]:
    header = [_("Development action"), _("Competency"), _("Number"), _("Requested"),
              _("Arranged"), _("First term"), _("Last term")]
    rows: list[list[Cell]] = [
        [neutralise(_action_name(group)), neutralise(group.competency.name), group.count,
         group.requested, group.arranged, _day(group.first_term), _day(group.last_term)]
        for group in groups
    ]
    return header, rows


def demand_detail_table(groups: Sequence[DemandGroup]) -> tuple[list[str], list[list[Cell]]]:
    header = [_("Development action"), _("Competency"), _("Employee"), _("Employee number"),
              _("Unit"), _("What HR should do"), _("Term"), _("Status"), _("Arranged on"),
              _("Note by HR")]
    rows: list[list[Cell]] = []
    for group in groups:
        for hr_action in group.rows:
            employee = hr_action.item.plan.employee
            rows.append([neutralise(cell) for cell in (
                _action_name(group), group.competency.name, employee.full_name,
                employee.employee_number, employee.unit.name, hr_action.description,
                _day(hr_action.term), str(HrActionStatus(hr_action.status).label),
                _day(hr_action.arranged_on), hr_action.arranged_note,
            )])
    return header, rows
