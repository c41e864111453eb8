"""Many participations in one insert, for counts and query budgets over many people.

The due dates are the deadline engine's for the cycle's policy, as cycle opening would
write them; milestones are whatever the test passes.
"""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from koers.cycles.milestones import STEP_BY_DUE
from koers.cycles.models import Cycle, Participation
from koers.organisation.models import Person
from koers.rulebook.deadlines import cycle_due_dates, period_for
from koers.rulebook.policy import policy_for
from tests.factories.participations import cycle as cycle_of

if TYPE_CHECKING:
    from tests.personas import Personas


def participations(cycle: Cycle, people: Iterable[Person], **fields: Any) -> list[Participation]:
    """One participation per person; ``evaluation_required=False`` makes them exempt."""
    policy = policy_for(cycle.organisation)
    rows = []
    for person in people:
        period = period_for(policy, year=cycle.year, cycle_start=person.start_date)
        dues = cycle_due_dates(
            policy, year=cycle.year, period=period, probation_end=person.probation_end_date
        )
        values: dict[str, Any] = {STEP_BY_DUE[due].due_field: day for due, day in dues.items()}
        values.update(fields)
        required = values.pop("evaluation_required", True)
        rows.append(Participation(
            cycle=cycle, person=person, period_start=period.start, period_end=period.end,
            evaluation_required=required, exemption="" if required else "too_few_hours",
            **values,
        ))
    return Participation.objects.bulk_create(rows)


# The day the late lists' tests look from: planning was due by the end of February.
AFTER_PLANNING = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)


def late_on_planning(p: "Personas") -> Cycle:
    """The 2026 cycle of the personas' organisation with everybody in it; the employee and
    the colleague have not planned yet, the others planned on 1 February."""
    cycle = cycle_of(p.top.organisation, 2026)
    late = {p.employee.pk, p.colleague.pk}
    people = list(p.top.organisation.people.all())
    participations(cycle, [x for x in people if x.pk in late])
    participations(cycle, [x for x in people if x.pk not in late],
                   planning_done_on=dt.date(2026, 2, 1))
    return cycle
