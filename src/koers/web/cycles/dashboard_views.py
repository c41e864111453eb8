"""The HR cycle dashboard: a unit's subtree and its child units, down the tree, and exports.

The page and both exports are built from the same table (``cycles.dashboard_table``), so
a download holds exactly the columns and rows the page shows, with the headings in the
user's language.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from koers.core.errors import NotFoundOrForbidden
from koers.cycles import dashboard, dashboard_table
from koers.cycles.dashboard import Dashboard, Progress
from koers.cycles.dashboard_table import (
    LEAVING_COLUMNS,
    Column,
    overdue_columns,
    progress_columns,
)
from koers.cycles.models import Cycle
from koers.improvement import selectors as improvement_selectors
from koers.organisation import selectors
from koers.rulebook.terms import terms_for
from koers.web.page import exports
from koers.web.page.viewer import viewer_of


@dataclass(frozen=True)
class Cell:
    value: int
    overdue: bool
    link: str | None = None  # the people behind a late count


@dataclass(frozen=True)
class Row:
    label: str
    link: str | None  # the child's own dashboard, to drill down
    progress: Progress
    # The cycle and unit whose late people a late count lists (None: the people directly
    # in the unit, whose list is the unit's own).
    late_in: tuple[int, int] | None = None

    def cells(self, columns: tuple[Column, ...]) -> list[Cell]:
        return [self._cell(column) for column in columns]

    def _cell(self, column: Column) -> Cell:
        value = column.value(self.progress)
        link = None
        if column.step is not None and value and self.late_in is not None:
            link = reverse("cycle_dashboard_late", args=[*self.late_in, column.step])
        return Cell(value, column.overdue, link)


@dataclass(frozen=True)
class DashboardTable:
    rows: list[Row]  # the child units, then the people directly in the unit
    total: Row  # the unit's whole subtree
    overdue_columns: tuple[Column, ...]

    @classmethod
    def of(cls, board: Dashboard) -> "DashboardTable":
        body, total = dashboard_table.table_rows(board)
        return cls([_row(board, row) for row in body], _row(board, total),
                   overdue_columns(board))


def _row(board: Dashboard, row: dashboard_table.TableRow) -> Row:
    """A row of the page: a child unit links to its own dashboard; a late count links to
    the people behind it (those directly in the unit are on the unit's own list)."""
    link = (reverse("cycle_dashboard_unit", args=[board.cycle.pk, row.unit.pk])
            if row.child and row.unit is not None else None)
    late_in = (board.cycle.pk, row.unit.pk) if row.unit is not None else None
    return Row(row.label, link, row.progress, late_in)


def _cycle_or_404(cycle_id: int) -> Cycle:
    cycle = Cycle.objects.select_related("organisation").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    return cycle


def _board_or_404(request: HttpRequest, cycle_id: int, unit_id: int) -> Dashboard:
    """The same 404 for a missing cycle or unit and one the user may not see."""
    try:
        cycle, unit = dashboard.dashboard_place(viewer_of(request), cycle_id, unit_id)
    except NotFoundOrForbidden:
        raise Http404 from None
    return dashboard.cycle_dashboard(cycle=cycle, unit=unit)


@login_required
def cycle_dashboard(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Start at the top of the viewer's HR subtree; with several, let them choose."""
    cycle = _cycle_or_404(cycle_id)
    roots = dashboard.dashboard_roots(viewer_of(request), cycle)
    if not roots:
        raise Http404
    if len(roots) == 1:
        return redirect("cycle_dashboard_unit", cycle_id=cycle.pk, unit_id=roots[0].pk)
    return render(request, "cycles/dashboard_roots.html", {"cycle": cycle, "roots": roots})


@login_required
def cycle_dashboard_unit(request: HttpRequest, cycle_id: int, unit_id: int) -> HttpResponse:
    board = _board_or_404(request, cycle_id, unit_id)
    viewer = viewer_of(request)
    # Ancestors above the viewer's grant are named, not linked: their dashboard is a 404.
    breadcrumb = [
        (ancestor, dashboard.can_view_dashboard(viewer, board.cycle, ancestor))
        for ancestor in selectors.ancestors(board.unit)
    ]
    table = DashboardTable.of(board)
    overdue_columns = table.overdue_columns
    # The signers in the words of the organisation's regime (``rulebook.terms``).
    progress = progress_columns(terms_for(board.preset))
    return render(request, "cycles/dashboard.html", {
        "board": board,
        "breadcrumb": breadcrumb,
        "progress_columns": progress,
        "overdue_columns": overdue_columns,
        "progress_rows": [(row, row.cells(progress)) for row in table.rows],
        "progress_total": table.total.cells(progress),
        "overdue_rows": [(row, row.cells(overdue_columns)) for row in table.rows],
        "overdue_total": table.total.cells(overdue_columns),
        "leaving_columns": LEAVING_COLUMNS,
        "leaving_rows": [(row, row.cells(LEAVING_COLUMNS)) for row in table.rows],
        "leaving_total": table.total.cells(LEAVING_COLUMNS),
        "anyone_leaving": bool(board.total.leaves_before_evaluation
                               or board.total.evaluated_before_leaving),
        "total": table.total,
        # Counts only: how many improvement plans run per unit, never whose or why.
        "improvement": improvement_selectors.running_per_branch(
            unit=board.unit, children=[child.unit for child in board.children]),
    })


@login_required
def cycle_dashboard_export(
    request: HttpRequest, cycle_id: int, unit_id: int, file_format: str
) -> HttpResponse:
    board = _board_or_404(request, cycle_id, unit_id)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    header, rows = dashboard_table.export_table(board)
    name = dashboard_table.file_stem(board)
    if file_format == "csv":
        return exports.csv_response(name, header, rows)
    return exports.xlsx_response(name, dashboard_table.sheet_title(board), header, rows)
