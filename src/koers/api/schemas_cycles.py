"""Shapes of the cycle endpoints: a cycle with the progress of its opening and its counts;
a participation's evaluated period."""

import datetime as dt

from ninja import Schema

from koers.cycles import selectors
from koers.cycles.milestones import STEPS
from koers.cycles.models import Cycle, Participation
from koers.cycles.selectors import CycleCounts


class CycleCountsOut(Schema):
    participations: int
    mandatory: int
    exempt: int
    # Exemption code (not_employed, too_few_hours, too_few_months, absent_too_long) → count.
    exempt_by_reason: dict[str, int]
    on_probation: int
    closed: int


class CycleOut(Schema):
    """``state`` is ``opening`` until every participation exists; ``people_done`` of
    ``people_total`` (and ``percent_done``) follow the background task."""

    id: int
    organisation_id: int
    organisation: str
    year: int
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
            organisation=cycle.organisation.name, year=cycle.year, state=cycle.state,
            policy_version=cycle.policy_version, opened_at=cycle.opened_at,
            finished_at=cycle.finished_at, people_total=cycle.people_total,
            people_done=cycle.people_done, percent_done=selectors.percent_done(cycle),
            counts=CycleCountsOut(**counts.as_json()),
        )


class CycleIn(Schema):
    year: int
    # May be left out by HR of a single organisation.
    organisation_id: int | None = None


class AgreedPeriodIn(Schema):
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
            year=participation.cycle.year, person_id=participation.person_id,
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
