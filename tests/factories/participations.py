"""Cycles and participations with the due dates the deadline engine gives.

Built directly (not through cycle opening) so reminder and timeline tests control
exactly which participations exist and which due dates they carry.
"""

import datetime as dt
from typing import Any

from koers.core import clock
from koers.cycles.milestones import STEP_BY_DUE, STEPS
from koers.cycles.models import Cycle, CycleState, Participation
from koers.organisation.models import Organisation, Person
from koers.rulebook.deadlines import Due, cycle_due_dates, period_for
from koers.rulebook.policy import policy_for


def cycle(org: Organisation, year: int, *, state: str = CycleState.OPEN) -> Cycle:
    return Cycle.objects.create(
        organisation=org, year=year, state=state, policy_version=policy_for(org).version,
        opened_at=clock.now(),
    )


def participation(
    cycle: Cycle,
    person: Person,
    *,
    evaluation_required: bool = True,
    only: Due | None = None,
    due: dt.date | None = None,
    **fields: Any,
) -> Participation:
    """A participation with every due date of the cycle's policy.

    ``only``: keep just that step's due date (``due`` replaces it), so a test sees
    the reminders of one step alone. Other keyword arguments set fields directly.
    """
    policy = policy_for(cycle.organisation)
    period = period_for(policy, year=cycle.year, cycle_start=person.start_date)
    dues = cycle_due_dates(
        policy, year=cycle.year, period=period, probation_end=person.probation_end_date,
        employed_from=person.start_date,
    )
    values: dict[str, Any] = {STEP_BY_DUE[d].due_field: day for d, day in dues.items()}
    if only is not None:
        values = {step.due_field: None for step in STEPS}
        values[STEP_BY_DUE[only].due_field] = due or dues.get(only)
    values.update(fields)
    return Participation.objects.create(
        cycle=cycle, person=person, period_start=period.start, period_end=period.end,
        evaluation_required=evaluation_required,
        exemption="" if evaluation_required else "too_few_hours",
        **values,
    )
