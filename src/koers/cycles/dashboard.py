"""The HR cycle dashboard: how far a cycle has come, for a unit's subtree and each child unit.

Two queries whatever the size of the organisation: the child units, and one aggregate
over the cycle's open participations in the subtree. Each participation is labelled
with the child unit whose subtree holds the person's unit (a ``CASE`` of one prefix
test per child on the materialised path; ``NULL`` for people in the unit itself), the
rows are grouped by that label, and every metric is a conditional ``Count(filter=…)``
in the same statement; overdue comes from ``milestones.overdue``, so the dashboard,
the timeline and the reminders cannot disagree about what is late. At most one row
per child plus one comes back; neither the number of queries nor the rows grow with
the people.

Measured at 100,000 people on PostgreSQL (bench/README.md) against the alternatives:
one ``FILTER`` per metric *and* child (``children_with_head_counts``' pattern)
multiplies the per-row work by the number of children; grouping by the person's own
unit returns a row per unit (11,765 at the top) and spends more time folding them in
Python than in the database; grouping by unit in a subquery and labelling the unit
rows outside needs hand-written SQL and was no faster.

That statement still reads every open participation of the subtree, about 200 ms for
the top unit of 100,000 people. So a large cycle (more than ``LIVE_LIMIT`` open
participations) is counted ahead: each round of the scheduler ``count_cycles`` stores
the counts of every unit (its own people and its subtree) as ``UnitProgress`` rows,
and the dashboard of any unit reads its own row and its children's: one indexed query,
whatever the size, with the time of the count shown on the page and in the API. A
smaller cycle, and a unit nobody takes part in, is counted on every view.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils.translation import gettext as _

from koers.access import policy
from koers.access.policy import Viewer
from koers.core import clock
from koers.core.clock import today_for
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles import milestones
from koers.cycles.labels import step_label
from koers.cycles.milestones import Step
from koers.cycles.models import Cycle, CycleState, Participation, UnitProgress
from koers.organisation.models import Unit, path_ids
from koers.rulebook.deadlines import Due
from koers.rulebook.eligibility import Exemption

# The steps that can be overdue, in the order of the cycle (a step without a "done"
# milestone, such as the window opening, is a moment and never late).
OVERDUE_STEPS: tuple[Step, ...] = tuple(
    step for step in milestones.STEPS if step.done_field is not None
)


@dataclass
class Progress:
    """Counts over a set of open participations (people who left are not counted, but
    those who leave before the evaluation are, apart, with why)."""

    participations: int = 0
    exempt: int = 0  # vrijgesteld: no evaluation this cycle
    planning_done: int = 0
    with_follow_up: int = 0  # participations with at least one follow-up conversation
    follow_ups: int = 0  # follow-up conversations held, in total
    self_evaluations: int = 0  # submitted
    first_signed: int = 0  # report signed by the 1st evaluator
    second_signed: int = 0  # … by the 2nd evaluator
    employee_signed: int = 0  # … by the employee (for receipt)
    overdue: int = 0  # participations late on at least one step
    # Federal late evaluation ([b2], ``cycles.lapse``): not evaluated 3 months after the
    # period, the next cycle started without a mention; counted here, never overdue.
    lapsed: int = 0
    # People who leave: evaluated before leaving by agreement ([f1]), or leaving before
    # the evaluation (not mandatory, never overdue), with why: voluntary, retirement,
    # other, or nothing recorded.
    evaluated_before_leaving: int = 0
    leaves_before_evaluation: int = 0
    leaves_voluntary: int = 0
    leaves_retirement: int = 0
    leaves_other: int = 0
    leaves_unrecorded: int = 0
    overdue_by_step: dict[Due, int] = field(default_factory=lambda: _zero_by_step())
    # Participations for which the step is a task at all (the policy gives it a due
    # date, and it is not an evaluation step of someone exempt).
    tasks_by_step: dict[Due, int] = field(default_factory=lambda: _zero_by_step())
    # Participations for which the step is a task and done.
    done_by_step: dict[Due, int] = field(default_factory=lambda: _zero_by_step())

    def add(self, other: "Progress") -> None:
        for name in _SCALARS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for due in self.overdue_by_step:
            self.overdue_by_step[due] += other.overdue_by_step[due]
            self.tasks_by_step[due] += other.tasks_by_step[due]
            self.done_by_step[due] += other.done_by_step[due]

    def as_json(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in _SCALARS},
            "overdue_by_step": {str(due): n for due, n in self.overdue_by_step.items()},
            "tasks_by_step": {str(due): n for due, n in self.tasks_by_step.items()},
            "done_by_step": {str(due): n for due, n in self.done_by_step.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Progress":
        """Counts stored by ``as_json``; a step added since counts zero until the next
        count."""
        progress = cls(**{name: data.get(name, 0) for name in _SCALARS})
        for due in progress.overdue_by_step:
            progress.overdue_by_step[due] = data["overdue_by_step"].get(str(due), 0)
            progress.tasks_by_step[due] = data["tasks_by_step"].get(str(due), 0)
            progress.done_by_step[due] = data.get("done_by_step", {}).get(str(due), 0)
        return progress


def _zero_by_step() -> dict[Due, int]:
    return {step.due: 0 for step in OVERDUE_STEPS}


_SCALARS = (
    "participations", "exempt", "planning_done", "with_follow_up", "follow_ups",
    "self_evaluations", "first_signed", "second_signed", "employee_signed", "overdue",
    "lapsed", "evaluated_before_leaving", "leaves_before_evaluation", "leaves_voluntary",
    "leaves_retirement", "leaves_other", "leaves_unrecorded",
)
# Why someone leaves before the evaluation ("": nothing recorded), for the counts above.
LEAVING_REASONS = ("voluntary", "retirement", "other", "")


@dataclass(frozen=True)
class StepShare:
    """How far one step has come over the people for whom it is a task: done, late
    (past the due date, not done) and still open (not yet due), with percentages that
    add up to 100 (largest remainder, so the bar never over- or undershoots)."""

    step: Step
    tasks: int
    done: int
    late: int
    preset: str = ""  # the regime whose words name the step (``rulebook.terms``)

    @property
    def label(self) -> str:
        return step_label(self.step.due, self.preset)

    @property
    def open(self) -> int:
        return self.tasks - self.done - self.late

    @property
    def percentages(self) -> tuple[int, int, int]:
        """Done, late and open, in whole percent of ``tasks``."""
        if not self.tasks:
            return 0, 0, 0
        parts = (self.done, self.late, self.open)
        exact = [100 * n / self.tasks for n in parts]
        whole = [int(x) for x in exact]
        by_remainder = sorted(range(3), key=lambda i: exact[i] - whole[i], reverse=True)
        for i in by_remainder[: 100 - sum(whole)]:
            whole[i] += 1
        return whole[0], whole[1], whole[2]

    @property
    def done_percent(self) -> int:
        return self.percentages[0]

    @property
    def late_percent(self) -> int:
        return self.percentages[1]

    @property
    def open_percent(self) -> int:
        return self.percentages[2]


@dataclass(frozen=True)
class ChildRow:
    unit: Unit
    progress: Progress


@dataclass(frozen=True)
class Dashboard:
    cycle: Cycle
    unit: Unit
    today: dt.date  # in the organisation's time zone: what "overdue" was measured against
    total: Progress  # the unit's whole subtree
    direct: Progress  # people working in the unit itself, not in a unit below it
    children: list[ChildRow]
    # When the counts were made, if they come from the rollup of a large cycle;
    # None: counted for this answer.
    counted_at: dt.datetime | None = None

    @property
    def steps(self) -> list[Step]:
        """The steps that are a task for someone here: a Flemish cycle has no halfway
        conversation, a federal one no signature deadlines."""
        return [step for step in OVERDUE_STEPS if self.total.tasks_by_step[step.due]]

    @property
    def shares(self) -> list[StepShare]:
        """Per step that is a task here: done, late and open, over the whole subtree."""
        return [StepShare(step, self.total.tasks_by_step[step.due],
                          self.total.done_by_step[step.due],
                          self.total.overdue_by_step[step.due], self.preset)
                for step in self.steps]

    @property
    def preset(self) -> str:
        """The organisation's regime, whose words name the signers (``rulebook.terms``)."""
        return self.cycle.organisation.policy_preset


# The participations a dashboard reads: the open ones, and those of people who leave
# before the evaluation (closed on their last day), counted apart with their reason.
LEAVES = Q(exemption=Exemption.LEAVES_BEFORE_EVALUATION)
OPEN = Q(closed_on__isnull=True)
COUNTED = OPEN | LEAVES


def _aggregates(today: dt.date) -> dict[str, Any]:
    counts: dict[str, Any] = {
        "participations": Count("pk", filter=OPEN),
        "exempt": Count("pk", filter=OPEN & Q(evaluation_required=False)),
        "planning_done": Count("pk", filter=OPEN & Q(planning_done_on__isnull=False)),
        "with_follow_up": Count("pk", filter=OPEN & Q(follow_ups_held__gt=0)),
        "follow_ups": Sum("follow_ups_held", filter=OPEN),
        "self_evaluations": Count(
            "pk", filter=OPEN & Q(self_evaluation_submitted_on__isnull=False)),
        "first_signed": Count("pk", filter=OPEN & Q(first_signed_on__isnull=False)),
        "second_signed": Count("pk", filter=OPEN & Q(second_signed_on__isnull=False)),
        "employee_signed": Count("pk", filter=OPEN & Q(employee_signed_on__isnull=False)),
        "overdue": Count("pk", filter=milestones.any_overdue(today)),
        "lapsed": Count("pk", filter=OPEN & Q(lapsed_on__isnull=False)),
        "evaluated_before_leaving": Count(
            "pk", filter=OPEN & Q(evaluated_before_leaving=True, evaluation_required=True)),
        "leaves_before_evaluation": Count("pk", filter=LEAVES),
        **{f"leaves_{reason or 'unrecorded'}": Count("pk", filter=LEAVES & Q(
            leaving_reason=reason)) for reason in LEAVING_REASONS},
    }
    for step in OVERDUE_STEPS:
        counts[f"overdue_{step.due}"] = Count("pk", filter=milestones.overdue(step, today))
        counts[f"tasks_{step.due}"] = Count("pk", filter=milestones.applies(step))
        counts[f"done_{step.due}"] = Count("pk", filter=milestones.done(step))
    # Annotation names must not shadow the model's fields; a prefix rules that out.
    return {f"n_{name}": aggregate for name, aggregate in counts.items()}


def _per_branch(
    *, cycle: Cycle, unit: Unit, children: list[Unit], today: dt.date
) -> list[tuple[int | None, Progress]]:
    """The counts for each child's subtree, and ``None`` for the unit itself: one query."""
    # Each participation is labelled with the child whose subtree holds the person's
    # unit, by one prefix test per child on the path, and the rows are grouped by it.
    branch = Case(
        *(When(person__unit__path__startswith=child.path, then=Value(child.pk))
          for child in children),
        default=None,
        output_field=IntegerField(),
    )
    rows = (
        Participation.objects.filter(
            COUNTED, cycle=cycle, person__unit__path__startswith=unit.path
        )
        .annotate(branch=branch)
        .values("branch")
        .annotate(**_aggregates(today))
        .order_by()
    )
    return [(row["branch"], _progress(row)) for row in rows]


def _progress(row: Mapping[str, Any]) -> Progress:
    progress = Progress()
    for name in _SCALARS:
        # Without children the label is a constant, the statement a plain aggregate that
        # answers one row even over no participations, with a NULL sum.
        setattr(progress, name, row[f"n_{name}"] or 0)
    for step in OVERDUE_STEPS:
        progress.overdue_by_step[step.due] = row[f"n_overdue_{step.due}"]
        progress.tasks_by_step[step.due] = row[f"n_tasks_{step.due}"]
        progress.done_by_step[step.due] = row[f"n_done_{step.due}"]
    return progress


def cycle_dashboard(*, cycle: Cycle, unit: Unit, today: dt.date | None = None) -> Dashboard:
    """The dashboard of ``cycle`` for ``unit`` (of the cycle's organisation): three queries.

    A large cycle (``LIVE_LIMIT``) answers from its rollup, counted each round of the
    scheduler (``count_cycles``), whatever the size of the unit; any other is counted
    now. ``today`` defaults to today in the organisation's time zone; a day given
    explicitly is always counted now.
    """
    if unit.organisation_id != cycle.organisation_id:
        raise ValueError("the unit belongs to another organisation than the cycle")
    children = list(Unit.objects.filter(parent=unit).order_by("name", "pk"))
    if today is None:
        rollup = _from_rollup(cycle, unit, children)
        if rollup is not None:
            return rollup
        today = today_for(cycle.organisation)
    by_child = {child.pk: Progress() for child in children}
    total, direct = Progress(), Progress()
    for branch_id, progress in _per_branch(cycle=cycle, unit=unit, children=children,
                                           today=today):
        total.add(progress)
        # None: the unit itself (or a unit added below it since the children were read,
        # which gets its own row on the next load).
        (direct if branch_id is None else by_child[branch_id]).add(progress)
    return Dashboard(
        cycle=cycle,
        unit=unit,
        today=today,
        total=total,
        direct=direct,
        children=[ChildRow(child, by_child[child.pk]) for child in children],
    )


# The rollup of a large cycle ----------------------------------------------------------

# Up to this many open participations a cycle is counted on every view (tens of
# milliseconds on PostgreSQL); a larger one is counted by the worker each round of the
# scheduler, and the dashboard says when (bench/README.md, dashboard).
LIVE_LIMIT = 10_000


def _from_rollup(cycle: Cycle, unit: Unit, children: list[Unit]) -> Dashboard | None:
    """The dashboard from the counted rows of the unit and its children (one query), or
    None when the cycle has no rollup or nobody in the unit takes part."""
    rows = {row.unit_id: row for row in UnitProgress.objects.filter(
        cycle=cycle, unit__in=[unit.pk, *(child.pk for child in children)])}
    own = rows.get(unit.pk)
    if own is None:
        return None
    return Dashboard(
        cycle=cycle, unit=unit, today=own.today,
        total=Progress.from_json(own.subtree), direct=Progress.from_json(own.direct),
        children=[ChildRow(child, Progress.from_json(rows[child.pk].subtree)
                           if child.pk in rows else Progress()) for child in children],
        counted_at=own.counted_at,
    )


def count_cycle(cycle: Cycle, *, today: dt.date | None = None) -> int:
    """Count ``cycle`` for every unit and store it as its rollup; the number of rows.

    One aggregate over the open participations grouped by the person's unit, then each
    unit's counts added to every unit above it (read off the path) in memory; the rows
    replace the previous count in one transaction. About a second at 100,000 people.
    """
    if today is None:
        today = today_for(cycle.organisation)
    direct: dict[int, Progress] = {
        row["person__unit"]: _progress(row)
        for row in Participation.objects.filter(COUNTED, cycle=cycle)
        .values("person__unit").annotate(**_aggregates(today)).order_by()
    }
    paths = dict(Unit.objects.filter(organisation_id=cycle.organisation_id)
                 .values_list("pk", "path"))
    subtree: dict[int, Progress] = defaultdict(Progress)
    for unit_id, progress in direct.items():
        for ancestor in path_ids(paths[unit_id]):
            subtree[ancestor].add(progress)
    now = clock.now()
    rows = [
        UnitProgress(cycle=cycle, unit_id=unit_id, counted_at=now, today=today,
                     direct=direct.get(unit_id, Progress()).as_json(),
                     subtree=progress.as_json())
        for unit_id, progress in subtree.items()
    ]
    with transaction.atomic():
        UnitProgress.objects.filter(cycle=cycle).delete()
        UnitProgress.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def count_cycles(*, limit: int = LIVE_LIMIT) -> dict[int, int]:
    """Count every open cycle larger than ``limit``, and drop the rollups of the others
    (closed, or small enough to count on every view). Cycle id → rows written."""
    sizes = dict(
        Participation.objects.filter(cycle__state=CycleState.OPEN, closed_on__isnull=True)
        .values("cycle").annotate(n=Count("*")).order_by().values_list("cycle", "n")
    )
    large = [pk for pk, n in sizes.items() if n > limit]
    UnitProgress.objects.exclude(cycle__in=large).delete()
    return {cycle.pk: count_cycle(cycle) for cycle in
            Cycle.objects.filter(pk__in=large).select_related("organisation").order_by("pk")}


# Who may see it --------------------------------------------------------------------


def can_view_dashboard(viewer: Viewer, cycle: Cycle, unit: Unit) -> bool:
    """HR whose grant covers ``unit`` (counts only: no goal or evaluation content)."""
    return unit.organisation_id == cycle.organisation_id and policy.can_view_unit(viewer, unit)


def dashboard_place(viewer: Viewer, cycle_id: int, unit_id: int | None) -> tuple[Cycle, Unit]:
    """The cycle and the unit of a dashboard (or of its lists of late people) that the
    viewer may see; without ``unit_id``, the top of the viewer's HR subtree in the cycle's
    organisation. ``NotFoundOrForbidden`` alike for what is missing and what is not
    theirs; ``ValidationFailed`` when the viewer follows several subtrees and named none."""
    missing = NotFoundOrForbidden(_("This dashboard does not exist or is not yours to see."))
    cycle = Cycle.objects.select_related("organisation").filter(pk=cycle_id).first()
    if cycle is None:
        raise missing
    unit: Unit | None
    if unit_id is None:
        roots = dashboard_roots(viewer, cycle)
        if not roots:
            raise missing
        if len(roots) > 1:
            message = _("You follow up several parts of the organisation: choose one.")
            raise ValidationFailed(message, {"unit_id": [message]})
        unit = roots[0]
    else:
        unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can_view_dashboard(viewer, cycle, unit):
        raise missing
    return cycle, unit


def dashboard_roots(viewer: Viewer, cycle: Cycle) -> list[Unit]:
    """Where the viewer's dashboard of ``cycle`` starts: the top of each of their subtrees."""
    if viewer.is_superuser:
        return list(Unit.objects.filter(organisation_id=cycle.organisation_id, parent=None))
    return [
        unit for unit in policy.hr_root_units(viewer)
        if unit.organisation_id == cycle.organisation_id
    ]


def open_cycle_dashboards(viewer: Viewer) -> list[tuple[Cycle, Unit]]:
    """Each open cycle with each of the viewer's HR subtrees in its organisation (one query)."""
    roots = policy.hr_root_units(viewer)
    if not roots:
        return []
    cycles = Cycle.objects.filter(
        organisation_id__in={unit.organisation_id for unit in roots}, state=CycleState.OPEN
    ).order_by("-year", "pk")
    return [
        (cycle, unit) for cycle in cycles for unit in roots
        if unit.organisation_id == cycle.organisation_id
    ]
