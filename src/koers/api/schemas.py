"""Shapes of the REST API. Names follow the glossary (shared/domain/glossary.md)."""

import datetime as dt
from decimal import Decimal

from ninja import Schema

from koers.cycles.dashboard import Dashboard, Progress
from koers.cycles.timeline import CycleTimeline, Entry, EntryState
from koers.organisation.evaluators import EvaluatorLine
from koers.organisation.models import Person, Unit


class PersonRef(Schema):
    id: int
    name: str

    @classmethod
    def of(cls, person: Person | None) -> "PersonRef | None":
        return None if person is None else cls(id=person.pk, name=person.full_name)


class UnitRef(Schema):
    id: int
    code: str
    name: str

    @classmethod
    def of(cls, unit: Unit) -> "UnitRef":
        return cls(id=unit.pk, code=unit.code, name=unit.name)


class Evaluators(Schema):
    first_evaluator: PersonRef | None
    second_evaluator: PersonRef | None
    first_set_by_hand: bool
    second_set_by_hand: bool

    @classmethod
    def of(cls, line: EvaluatorLine) -> "Evaluators":
        return cls(
            first_evaluator=PersonRef.of(line.first),
            second_evaluator=PersonRef.of(line.second),
            first_set_by_hand=line.first_is_override,
            second_set_by_hand=line.second_is_override,
        )


class PersonOut(Schema):
    id: int
    organisation: str
    employee_number: str
    first_name: str
    last_name: str
    email: str
    language: str
    unit: UnitRef
    job_title: str
    grade: str
    rank: str
    start_date: dt.date
    end_date: dt.date | None
    working_time_fraction: Decimal
    employment_status: str
    salary_system: str
    salary_system_set_by_hand: bool
    probation_end_date: dt.date | None
    evaluators: Evaluators

    @classmethod
    def of(cls, person: Person, line: EvaluatorLine) -> "PersonOut":
        return cls(
            id=person.pk,
            organisation=person.organisation.name,
            employee_number=person.employee_number,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            language=person.language,
            unit=UnitRef.of(person.unit),
            job_title=person.job_title,
            grade=person.grade,
            rank=person.rank,
            start_date=person.start_date,
            end_date=person.end_date,
            working_time_fraction=person.working_time_fraction,
            employment_status=person.employment_status,
            salary_system=person.salary_system,
            salary_system_set_by_hand=person.salary_system_overridden,
            probation_end_date=person.probation_end_date,
            evaluators=Evaluators.of(line),
        )


class PersonPatch(Schema):
    """Only the fields given change; ``salary_system: null`` returns to the 2024 rule."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    language: str | None = None
    unit_id: int | None = None
    job_title: str | None = None
    grade: str | None = None
    rank: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    working_time_fraction: Decimal | None = None
    employment_status: str | None = None
    salary_system: str | None = None
    probation_end_date: dt.date | None = None


class ChildUnit(Schema):
    unit: UnitRef
    manager: PersonRef | None
    head_count: int


class UnitOut(Schema):
    id: int
    organisation: str
    code: str
    name: str
    parent: UnitRef | None
    manager: PersonRef | None
    head_count: int
    children: list[ChildUnit]


class UnitIn(Schema):
    code: str
    name: str
    parent_id: int
    manager_id: int | None = None


class EvaluatorOverrideIn(Schema):
    first_evaluator_id: int | None = None
    second_evaluator_id: int | None = None
    valid_from: dt.date
    valid_until: dt.date | None = None
    reason: str


class EffectiveWorkIn(Schema):
    hours_worked: Decimal
    note: str


class EffectiveWorkOut(Schema):
    year: int
    hours_worked: Decimal
    source: str


class Problem(Schema):
    """A refused request: a message in the user's language, per field where it applies."""

    message: str
    errors: dict[str, list[str]] = {}


class TimelineStep(Schema):
    """One due date of a cycle. ``state``: done, open, due_today, overdue, upcoming, passed
    (the last two for moments, such as the opening of the evaluation period)."""

    step: str
    label: str
    due: dt.date
    responsible_role: str
    responsible: list[PersonRef]
    done_on: dt.date | None
    state: str
    overdue: bool

    @classmethod
    def of(cls, entry: Entry) -> "TimelineStep":
        return cls(
            step=entry.step.due, label=entry.label, due=entry.due,
            responsible_role=entry.step.responsible,
            responsible=[PersonRef(id=p.pk, name=p.full_name) for p in entry.responsible],
            done_on=entry.done_on, state=entry.state,
            overdue=entry.state == EntryState.OVERDUE,
        )


class TimelineCycle(Schema):
    """``period_agreed``: employee and evaluator agreed on this period instead of the
    policy's (``PUT /participations/{participation_id}/agreed-period``)."""

    cycle_id: int
    participation_id: int
    year: int
    period_start: dt.date
    period_end: dt.date
    period_agreed: bool
    evaluation_required: bool
    steps: list[TimelineStep]

    @classmethod
    def of(cls, timeline: CycleTimeline) -> "TimelineCycle":
        participation = timeline.participation
        return cls(
            cycle_id=timeline.cycle.pk, participation_id=participation.pk,
            year=timeline.cycle.year,
            period_start=participation.period_start, period_end=participation.period_end,
            period_agreed=participation.period_agreed,
            evaluation_required=participation.evaluation_required,
            steps=[TimelineStep.of(entry) for entry in timeline.entries],
        )


class ProgressOut(Schema):
    """Counts over the open participations of a subtree (people who left are not counted).

    ``overdue``: people late on at least one step; ``overdue_by_step``: per step
    (planning, halfway_progress, self_evaluation, evaluation, first_signature,
    second_signature, probation_assessment); ``tasks_by_step``: people for whom the
    step is a task at all (the policy sets a due date; evaluation steps not when exempt)."""

    participations: int
    exempt: int
    planning_done: int
    with_follow_up: int
    follow_ups_held: int
    self_evaluations_submitted: int
    signed_by_first_evaluator: int
    signed_by_second_evaluator: int
    signed_by_employee: int
    overdue: int
    overdue_by_step: dict[str, int]
    tasks_by_step: dict[str, int]

    @classmethod
    def of(cls, progress: Progress) -> "ProgressOut":
        return cls(
            participations=progress.participations, exempt=progress.exempt,
            planning_done=progress.planning_done, with_follow_up=progress.with_follow_up,
            follow_ups_held=progress.follow_ups,
            self_evaluations_submitted=progress.self_evaluations,
            signed_by_first_evaluator=progress.first_signed,
            signed_by_second_evaluator=progress.second_signed,
            signed_by_employee=progress.employee_signed, overdue=progress.overdue,
            overdue_by_step={str(due): count for due, count in progress.overdue_by_step.items()},
            tasks_by_step={str(due): count for due, count in progress.tasks_by_step.items()},
        )


class DashboardChild(Schema):
    unit: UnitRef
    progress: ProgressOut


class DashboardOut(Schema):
    """A cycle's progress for a unit: its whole subtree (``total``), the people in the
    unit itself (``direct``) and each child unit's subtree; ``today`` is the day overdue
    was measured against, in the organisation's time zone."""

    cycle_id: int
    year: int
    today: dt.date
    unit: UnitRef
    total: ProgressOut
    direct: ProgressOut
    children: list[DashboardChild]

    @classmethod
    def of(cls, board: Dashboard) -> "DashboardOut":
        return cls(
            cycle_id=board.cycle.pk, year=board.cycle.year, today=board.today,
            unit=UnitRef.of(board.unit), total=ProgressOut.of(board.total),
            direct=ProgressOut.of(board.direct),
            children=[DashboardChild(unit=UnitRef.of(child.unit),
                                     progress=ProgressOut.of(child.progress))
                      for child in board.children],
        )
