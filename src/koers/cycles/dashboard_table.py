"""The HR cycle dashboard as a table: its columns and rows, for the page and for the
download (CSV or XLSX), so a download holds exactly the columns and rows the page
shows, with the headings in the reader's language.

The download is made twice over the same function: on the dashboard page, and by a task
worker for the API (``cycles/documents.py``, the rendering kind ``cycles.dashboard``).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.core.tables import Cell
from koers.cycles import late
from koers.cycles.dashboard import Dashboard, Progress
from koers.cycles.labels import role_label, step_label
from koers.cycles.late import LatePerson
from koers.organisation.models import Person, Unit
from koers.rulebook.deadlines import Due
from koers.rulebook.terms import Terms, terms_for


@dataclass(frozen=True)
class Column:
    label: Promise | str
    value: Callable[[Progress], int]
    overdue: bool = False  # counts late work: the page says so in words, not colour alone
    step: Due | None = None  # late on this step: the count links to the people


def _overdue_on(due: Due, progress: Progress) -> int:
    return progress.overdue_by_step[due]


def progress_columns(terms: Terms) -> tuple[Column, ...]:
    """How far the cycle has come; the signers named in the words of the regime. Where
    an evaluation can lapse (federal, [b2]), the people whose evaluation lapsed: the
    next cycle started without a mention, and they are not counted overdue."""
    # gettext_lazy by its own name: makemessages does not see through an alias.
    lapsed = (Column(gettext_lazy("Lapsed, no mention"), lambda p: p.lapsed),) \
        if terms.evaluation_lapsed is not None else ()
    return (
        Column(gettext_lazy("Participants"), lambda p: p.participations),
        Column(gettext_lazy("Exempt"), lambda p: p.exempt),
        Column(gettext_lazy("Planning done"), lambda p: p.planning_done),
        Column(gettext_lazy("With a follow-up conversation"), lambda p: p.with_follow_up),
        Column(gettext_lazy("Follow-up conversations held"), lambda p: p.follow_ups),
        Column(gettext_lazy("Self-evaluations submitted"), lambda p: p.self_evaluations),
        Column(capfirst(str(terms.signed_by_first)), lambda p: p.first_signed),
        Column(capfirst(str(terms.signed_by_second)), lambda p: p.second_signed),
        Column(gettext_lazy("Signed by the employee"), lambda p: p.employee_signed),
        Column(gettext_lazy("Overdue on any step"), lambda p: p.overdue, overdue=True),
        *lapsed,
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


def overdue_columns(board: Dashboard) -> tuple[Column, ...]:
    """One column per step that is a task for someone in the subtree, named in the words
    of the organisation's regime."""
    return tuple(
        Column(step_label(step.due, board.preset), partial(_overdue_on, step.due),
               overdue=True, step=step.due)
        for step in board.steps
    )


@dataclass(frozen=True)
class TableRow:
    label: str
    progress: Progress
    # The child unit of the row, or the dashboard's own unit for the total; None for the
    # people directly in the unit.
    unit: Unit | None
    child: bool  # a child unit, whose own dashboard the page links to


def table_rows(board: Dashboard) -> tuple[list[TableRow], TableRow]:
    """The child units, then the people directly in the unit; and the whole subtree."""
    rows = [TableRow(child.unit.name, child.progress, child.unit, True)
            for child in board.children]
    if board.direct.participations or not board.children:
        rows.append(TableRow(_("Directly in %(unit)s") % {"unit": board.unit.name},
                             board.direct, None, False))
    total = TableRow(_("%(unit)s, with the units below") % {"unit": board.unit.name},
                     board.total, board.unit, False)
    return rows, total


def export_table(board: Dashboard, *, today: dt.date | None = None
                 ) -> tuple[list[str], list[list[Cell]]]:
    """Headings and rows for a download: both column groups side by side, then, after an
    empty row, the people late on a step with their own headings (one row per person and
    step)."""
    steps = overdue_columns(board)
    progress = progress_columns(terms_for(board.preset))
    header = [
        _("Unit"),
        *(str(column.label) for column in progress),
        *(_("Overdue: %(step)s") % {"step": column.label} for column in steps),
        *(str(column.label) for column in LEAVING_COLUMNS),
    ]
    columns = progress + steps + LEAVING_COLUMNS
    body, total = table_rows(board)
    rows: list[list[Cell]] = [[row.label, *(column.value(row.progress) for column in columns)]
                              for row in [*body, total]]
    people = _late_rows(late.all_late(cycle=board.cycle, unit=board.unit,
                                      today=today or board.today), board.preset)
    if people:
        rows += [[], [_("Name"), _("Unit"), _("Late on"), _("Due"), _("Days late"),
                      capfirst(role_label("first_evaluator", board.preset)),
                      capfirst(role_label("second_evaluator", board.preset))],
                 *people]
    return header, rows


def _late_rows(people: Iterable[LatePerson], preset: str) -> list[list[Cell]]:
    return [[person.person.full_name, person.unit.name, step_label(person.step.due, preset),
             person.due.isoformat(), person.days_late, _full_name(person.line.first),
             _full_name(person.line.second)] for person in people]


def _full_name(person: Person | None) -> str:
    return "" if person is None else person.full_name


def file_stem(board: Dashboard) -> str:
    """The download's name without its extension, the same on the page and from the API."""
    return f"koers-{board.cycle.year}-{board.unit.code}"


def sheet_title(board: Dashboard) -> str:
    return capfirst(board.cycle.name)
