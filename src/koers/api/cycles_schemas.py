"""Shapes of the cycle endpoints: a cycle with the progress of its opening and its counts;
a participation's evaluated period; a person's timeline and HR's cycle dashboard."""

import datetime as dt

from ninja import Schema

from koers.api.common_schemas import Input, PersonRef, UnitRef
from koers.api.pagination import PageOut
from koers.cycles import selectors
from koers.cycles.dashboard import Dashboard, Progress
from koers.cycles.labels import step_label
from koers.cycles.late import LatePage, LatePerson
from koers.cycles.milestones import STEPS
from koers.cycles.models import Cycle, Participation
from koers.cycles.selectors import CycleCounts
from koers.cycles.services import LateReminders
from koers.cycles.timeline import CycleTimeline, Entry, EntryState


class CycleCountsOut(Schema):
    participations: int
    mandatory: int
    exempt: int
    # Exemption code (not_employed, too_few_hours, too_few_months, absent_too_long,
    # leaves_before_evaluation, top_manager, mandate_holder) → count.
    exempt_by_reason: dict[str, int]
    on_probation: int
    closed: int


class CycleOut(Schema):
    """``state`` is ``opening`` until every participation exists; ``people_done`` of
    ``people_total`` (and ``percent_done``) follow the background task."""

    id: int
    organisation_id: int
    organisation: str
    year: int  # the year the period runs in
    name: str  # the period's name, as on the pages and in the documents
    state: str
    policy_version: str
    opened_at: dt.datetime
    finished_at: dt.datetime | None
    people_total: int
    people_done: int
    percent_done: int
    counts: CycleCountsOut

    @classmethod
    def of(cls, cycle: Cycle, counts: CycleCounts) -> "CycleOut":
        return cls(
            id=cycle.pk, organisation_id=cycle.organisation_id,
            organisation=cycle.organisation.name, year=cycle.year, name=cycle.name,
            state=cycle.state,
            policy_version=cycle.policy_version, opened_at=cycle.opened_at,
            finished_at=cycle.finished_at, people_total=cycle.people_total,
            people_done=cycle.people_done, percent_done=selectors.percent_done(cycle),
            counts=CycleCountsOut(**counts.as_json()),
        )


class CycleIn(Input):
    year: int
    # May be left out by HR of a single organisation.
    organisation_id: int | None = None


class AgreedPeriodIn(Input):
    """The period employee and evaluator agreed on ([f1]); ``start`` and ``end`` null
    return to the policy's normal period. ``note``: what was agreed, between whom, when
    (needed with an agreed period)."""

    start: dt.date | None
    end: dt.date | None
    note: str = ""


class ParticipationPeriodOut(Schema):
    """One person's period in one cycle and the due dates that follow from it.

    ``agreed``: the period is one employee and evaluator agreed on, recorded by HR
    (``agreed_by``: their e-mail, ``agreed_at``) with ``note``. ``due_dates``: by step
    (planning, halfway_progress, evaluation_window_opens, self_evaluation, evaluation,
    first_signature, second_signature, evaluation_lapses, probation_assessment), only
    those the policy sets."""

    participation_id: int
    cycle_id: int
    year: int
    name: str  # the period's name, as on the pages and in the documents
    person_id: int
    period_start: dt.date
    period_end: dt.date
    agreed: bool
    note: str
    agreed_by: str | None
    agreed_at: dt.datetime | None
    evaluation_required: bool
    exemption: str
    due_dates: dict[str, dt.date]

    @classmethod
    def of(cls, participation: Participation) -> "ParticipationPeriodOut":
        agreed_by = participation.period_agreed_by
        return cls(
            participation_id=participation.pk, cycle_id=participation.cycle_id,
            year=participation.cycle.year, name=participation.cycle.name,
            person_id=participation.person_id,
            period_start=participation.period_start, period_end=participation.period_end,
            agreed=participation.period_agreed, note=participation.period_agreement_note,
            agreed_by=agreed_by.email if agreed_by is not None else None,
            agreed_at=participation.period_agreed_at,
            evaluation_required=participation.evaluation_required,
            exemption=participation.exemption,
            due_dates={
                step.due.value: due for step in STEPS
                if (due := getattr(participation, step.due_field)) is not None
            },
        )


class LeavingIn(Input):
    """That the person leaves ([f1]): ``reason`` voluntary, retirement or other, the
    ``last_working_day``, and whether they agreed to be evaluated before leaving
    (voluntary and retirement only, where the policy has it). ``reason`` empty and
    ``last_working_day`` null clear what was recorded."""

    reason: str = ""
    last_working_day: dt.date | None = None
    evaluated_before_leaving: bool = False


class ParticipationLeavingOut(Schema):
    """What was recorded of the person leaving and what follows: whether the evaluation
    is still mandatory (``exemption`` leaves_before_evaluation when not), whether the
    participation is closed (``closed_on``, the last day) and the due dates, which an
    agreement brings before the last working day."""

    participation_id: int
    cycle_id: int
    person_id: int
    reason: str
    last_working_day: dt.date | None
    evaluated_before_leaving: bool
    recorded_by: str | None
    recorded_at: dt.datetime | None
    evaluation_required: bool
    exemption: str
    closed_on: dt.date | None
    due_dates: dict[str, dt.date]

    @classmethod
    def of(cls, participation: Participation) -> "ParticipationLeavingOut":
        recorded_by = participation.leaving_recorded_by
        return cls(
            participation_id=participation.pk, cycle_id=participation.cycle_id,
            person_id=participation.person_id, reason=participation.leaving_reason,
            last_working_day=participation.last_working_day,
            evaluated_before_leaving=participation.evaluated_before_leaving,
            recorded_by=recorded_by.email if recorded_by is not None else None,
            recorded_at=participation.leaving_recorded_at,
            evaluation_required=participation.evaluation_required,
            exemption=participation.exemption, closed_on=participation.closed_on,
            due_dates={
                step.due.value: due for step in STEPS
                if (due := getattr(participation, step.due_field)) is not None
            },
        )


class TimelineLeaving(Schema):
    """``state``: evaluated_before_leaving or leaves_before_evaluation; ``label`` and
    ``reason`` in the user's language; ``last_day``: the last working day."""

    state: str
    label: str
    last_day: dt.date
    reason: str


class TimelineStep(Schema):
    """One due date of a cycle. ``state``: done, open, due_today, overdue, upcoming, passed
    (the last two for moments, such as the opening of the evaluation period), or lapsed
    (an evaluation step of a federal evaluation that lapsed: no longer a task)."""

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
    policy's (``PUT /participations/{participation_id}/agreed-period``). ``leaving``:
    the person leaves before the evaluation, or is evaluated before leaving
    (``PUT /participations/{participation_id}/leaving``); null otherwise.
    ``lapsed_on``: the day the evaluation lapsed (federal, not held 3 months after the
    period and the person not absent), null otherwise; ``lapsed`` says it in the
    regime's words ("the next cycle started without a mention")."""

    cycle_id: int
    participation_id: int
    year: int
    name: str  # the period's name, as on the pages and in the documents
    period_start: dt.date
    period_end: dt.date
    period_agreed: bool
    evaluation_required: bool
    leaving: TimelineLeaving | None
    lapsed_on: dt.date | None
    lapsed: str
    steps: list[TimelineStep]

    @classmethod
    def of(cls, timeline: CycleTimeline) -> "TimelineCycle":
        participation = timeline.participation
        return cls(
            cycle_id=timeline.cycle.pk, participation_id=participation.pk,
            year=timeline.cycle.year, name=timeline.cycle.name,
            period_start=participation.period_start, period_end=participation.period_end,
            period_agreed=participation.period_agreed,
            evaluation_required=participation.evaluation_required,
            leaving=None if timeline.leaving is None else TimelineLeaving(
                state=timeline.leaving.state, label=timeline.leaving.label,
                last_day=timeline.leaving.last_day, reason=timeline.leaving.reason),
            lapsed_on=participation.lapsed_on, lapsed=timeline.lapsed,
            steps=[TimelineStep.of(entry) for entry in timeline.entries],
        )


class ProgressOut(Schema):
    """Counts over the open participations of a subtree (people who left are not counted).

    ``overdue``: people late on at least one step; ``overdue_by_step``: per step
    (planning, halfway_progress, self_evaluation, evaluation, first_signature,
    second_signature, probation_assessment); ``tasks_by_step``: people for whom the
    step is a task at all (the policy sets a due date; evaluation steps not when exempt).
    ``evaluated_before_leaving``: people who agreed to be evaluated before they leave;
    ``leaves_before_evaluation``: people who leave before the evaluation without that
    (not mandatory, never overdue, counted even once they left), and
    ``leaves_before_evaluation_by_reason`` by why: voluntary, retirement, other,
    unrecorded. ``lapsed``: federal people whose evaluation lapsed (not held 3 months
    after the period, not absent: the next cycle started without a mention); they are
    not counted overdue."""

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
    lapsed: int
    overdue_by_step: dict[str, int]
    tasks_by_step: dict[str, int]
    done_by_step: dict[str, int]
    evaluated_before_leaving: int
    leaves_before_evaluation: int
    leaves_before_evaluation_by_reason: dict[str, int]

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
            lapsed=progress.lapsed,
            overdue_by_step={str(due): count for due, count in progress.overdue_by_step.items()},
            tasks_by_step={str(due): count for due, count in progress.tasks_by_step.items()},
            done_by_step={str(due): count for due, count in progress.done_by_step.items()},
            evaluated_before_leaving=progress.evaluated_before_leaving,
            leaves_before_evaluation=progress.leaves_before_evaluation,
            leaves_before_evaluation_by_reason={
                "voluntary": progress.leaves_voluntary,
                "retirement": progress.leaves_retirement,
                "other": progress.leaves_other, "unrecorded": progress.leaves_unrecorded},
        )


class DashboardChild(Schema):
    unit: UnitRef
    progress: ProgressOut


class DashboardOut(Schema):
    """A cycle's progress for a unit: its whole subtree (``total``), the people in the
    unit itself (``direct``) and each child unit's subtree; ``today`` is the day overdue
    was measured against, in the organisation's time zone; ``counted_at`` is when a large
    cycle was counted ahead (each round of the scheduler), null when counted for this
    answer."""

    cycle_id: int
    year: int
    name: str  # the period's name, as on the pages and in the documents
    today: dt.date
    counted_at: dt.datetime | None
    unit: UnitRef
    total: ProgressOut
    direct: ProgressOut
    children: list[DashboardChild]

    @classmethod
    def of(cls, board: Dashboard) -> "DashboardOut":
        return cls(
            cycle_id=board.cycle.pk, year=board.cycle.year, name=board.cycle.name,
            today=board.today,
            counted_at=board.counted_at,
            unit=UnitRef.of(board.unit), total=ProgressOut.of(board.total),
            direct=ProgressOut.of(board.direct),
            children=[DashboardChild(unit=UnitRef.of(child.unit),
                                     progress=ProgressOut.of(child.progress))
                      for child in board.children],
        )



class LatePersonOut(Schema):
    """A person late on the step: the due date passed and the step is not done.
    ``reminded_today``: HR reminded someone about this person today (at most once a day)."""

    person: PersonRef
    participation_id: int
    unit: UnitRef
    step: str
    step_label: str
    due: dt.date
    days_late: int
    first_evaluator: PersonRef | None
    second_evaluator: PersonRef | None
    reminded_today: bool

    @classmethod
    def of(cls, late: LatePerson, preset: str = "") -> "LatePersonOut":
        return cls(
            person=PersonRef(id=late.person.pk, name=late.person.full_name),
            participation_id=late.participation.pk, unit=UnitRef.of(late.unit),
            step=late.step.due, step_label=step_label(late.step.due, preset), due=late.due,
            days_late=late.days_late, first_evaluator=PersonRef.of(late.line.first),
            second_evaluator=PersonRef.of(late.line.second),
            reminded_today=late.reminded_today,
        )


class LatePageOut(Schema):
    """One page (``page`` of ``pages``, at most 50 people) of the people in ``unit`` and
    the units below late on ``step`` on ``today`` (in the organisation's time zone),
    longest late first; ``total`` counts every page. ``responsible_role``: who a
    reminder goes to."""

    cycle_id: int
    unit: UnitRef
    step: str
    step_label: str
    responsible_role: str
    today: dt.date
    total: int
    page: int
    pages: int
    people: list[LatePersonOut]

    @classmethod
    def of(cls, page: LatePage) -> "LatePageOut":
        # The signature steps in the words of the organisation's regime (the codes stay).
        preset = page.cycle.organisation.policy_preset
        return cls(
            cycle_id=page.cycle.pk, unit=UnitRef.of(page.unit), step=page.step.due,
            step_label=step_label(page.step.due, preset), responsible_role=page.step.responsible,
            today=page.today, total=page.total, page=page.page, pages=page.pages,
            people=[LatePersonOut.of(person, preset) for person in page.people],
        )


class LateReminderIn(Input):
    """The people late on the step to remind whoever must act about (1 to 50); without
    ``unit_id``, the top of the caller's HR subtree."""

    person_ids: list[int]
    unit_id: int | None = None


class LateReminderOut(Schema):
    """``reminded``: the people whose late step was reminded of; ``unreachable``: those
    nobody could be told about (nobody holds the role, or cannot sign in);
    ``notifications``: how many were created (each also e-mailed, through the outbox)."""

    reminded: list[PersonRef]
    unreachable: list[PersonRef]
    notifications: int

    @classmethod
    def of(cls, sent: LateReminders) -> "LateReminderOut":
        return cls(
            reminded=[PersonRef(id=p.pk, name=p.full_name) for p in sent.reminded],
            unreachable=[PersonRef(id=p.pk, name=p.full_name) for p in sent.unreachable],
            notifications=sent.notifications,
        )


class TimelineCyclePageOut(PageOut):
    items: list[TimelineCycle]


class CyclePageOut(PageOut):
    items: list[CycleOut]
