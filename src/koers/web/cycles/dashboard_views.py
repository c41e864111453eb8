"""The HR cycle dashboard: a unit's subtree and its child units, down the tree, and exports.

The page and both exports are built from one ``DashboardTable``, so a download holds
exactly the columns and rows the page shows, with the headings in the user's language.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.cycles import dashboard, late
from koers.cycles.dashboard import Dashboard, Progress
from koers.cycles.labels import STEP_LABELS
from koers.cycles.late import LatePerson
from koers.cycles.models import Cycle
from koers.improvement import selectors as improvement_selectors
from koers.organisation import selectors
from koers.organisation.models import Person, Unit
from koers.rulebook.deadlines import Due
from koers.web.page import exports
from koers.web.page.viewer import viewer_of


@dataclass(frozen=True)
class Column:
    label: Promise
    value: Callable[[Progress], int]
    overdue: bool = False  # counts late work: the page says so in words, not colour alone
    step: Due | None = None  # late on this step: the count links to the people


def _overdue_on(due: Due, progress: Progress) -> int:
    return progress.overdue_by_step[due]


# gettext_lazy by its own name: makemessages does not see through an alias.
PROGRESS_COLUMNS: tuple[Column, ...] = (
    Column(gettext_lazy("Participants"), lambda p: p.participations),
    Column(gettext_lazy("Exempt"), lambda p: p.exempt),
    Column(gettext_lazy("Planning done"), lambda p: p.planning_done),
    Column(gettext_lazy("With a follow-up conversation"), lambda p: p.with_follow_up),
    Column(gettext_lazy("Follow-up conversations held"), lambda p: p.follow_ups),
    Column(gettext_lazy("Self-evaluations submitted"), lambda p: p.self_evaluations),
    Column(gettext_lazy("Signed by the 1st evaluator"), lambda p: p.first_signed),
    Column(gettext_lazy("Signed by the 2nd evaluator"), lambda p: p.second_signed),
    Column(gettext_lazy("Signed by the employee"), lambda p: p.employee_signed),
    Column(gettext_lazy("Overdue on any step"), lambda p: p.overdue, overdue=True),
)


# People who leave ([f1]): evaluated before leaving by agreement, or leaving before the
# evaluation (not mandatory, never overdue), with why.
LEAVING_COLUMNS: tuple[Column, ...] = (
    Column(gettext_lazy("Evaluated before leaving"), lambda p: p.evaluated_before_leaving),
    Column(gettext_lazy("Leave before the evaluation"), lambda p: p.leaves_before_evaluation),
    Column(gettext_lazy("… leave voluntarily"), lambda p: p.leaves_voluntary),
    Column(gettext_lazy("… retire"), lambda p: p.leaves_retirement),
    Column(gettext_lazy("… leave for another reason"), lambda p: p.leaves_other),
    Column(gettext_lazy("… without a recorded reason"), lambda p: p.leaves_unrecorded),
)


def _overdue_columns(board: Dashboard) -> tuple[Column, ...]:
    """One column per step that is a task for someone in the subtree."""
    return tuple(
        Column(STEP_LABELS[step.due], partial(_overdue_on, step.due), overdue=True,
               step=step.due)
        for step in board.steps
    )


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
        rows = [
            Row(child.unit.name,
                reverse("cycle_dashboard_unit", args=[board.cycle.pk, child.unit.pk]),
                child.progress, (board.cycle.pk, child.unit.pk))
            for child in board.children
        ]
        if board.direct.participations or not board.children:
            rows.append(Row(_("Directly in %(unit)s") % {"unit": board.unit.name}, None,
                            board.direct))
        total = Row(_("%(unit)s, with the units below") % {"unit": board.unit.name}, None,
                    board.total, (board.cycle.pk, board.unit.pk))
        return cls(rows, total, _overdue_columns(board))

    def export(self, late: Iterable[LatePerson] = ()
               ) -> tuple[list[str], list[list[exports.Cell]]]:
        """Headings and rows for a download: both column groups side by side, then,
        after an empty row, the people late on a step with their own headings (one row
        per person and step)."""
        header = [
            _("Unit"),
            *(str(column.label) for column in PROGRESS_COLUMNS),
            *(_("Overdue: %(step)s") % {"step": column.label}
              for column in self.overdue_columns),
            *(str(column.label) for column in LEAVING_COLUMNS),
        ]
        columns = PROGRESS_COLUMNS + self.overdue_columns + LEAVING_COLUMNS
        rows: list[list[exports.Cell]] = [
            [row.label, *(cell.value for cell in row.cells(columns))]
            for row in [*self.rows, self.total]
        ]
        people: list[list[exports.Cell]] = [
            [person.person.full_name, person.unit.name, person.step_label, person.due.isoformat(),
             person.days_late, _full_name(person.line.first), _full_name(person.line.second)]
            for person in late
        ]
        if people:
            rows += [[], [_("Name"), _("Unit"), _("Late on"), _("Due"), _("Days late"),
                          _("1st evaluator"), _("2nd evaluator")], *people]
        return header, rows


def _full_name(person: Person | None) -> str:
    return "" if person is None else person.full_name


def _cycle_or_404(cycle_id: int) -> Cycle:
    cycle = Cycle.objects.select_related("organisation").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    return cycle


def _board_or_404(request: HttpRequest, cycle_id: int, unit_id: int) -> Dashboard:
    """The same 404 for a missing cycle or unit and one the user may not see."""
    cycle = _cycle_or_404(cycle_id)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not dashboard.can_view_dashboard(viewer_of(request), cycle, unit):
        raise Http404
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
    return render(request, "cycles/dashboard.html", {
        "board": board,
        "breadcrumb": breadcrumb,
        "progress_columns": PROGRESS_COLUMNS,
        "overdue_columns": overdue_columns,
        "progress_rows": [(row, row.cells(PROGRESS_COLUMNS)) for row in table.rows],
        "progress_total": table.total.cells(PROGRESS_COLUMNS),
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
    header, rows = DashboardTable.of(board).export(
        late.all_late(cycle=board.cycle, unit=board.unit, today=board.today))
    name = f"koers-{board.cycle.year}-{board.unit.code}"
    if file_format == "csv":
        return exports.csv_response(name, header, rows)
    if file_format == "xlsx":
        title = _("Cycle %(year)s") % {"year": board.cycle.year}
        return exports.xlsx_response(name, title, header, rows)
    raise Http404
