"""Who is late on a step of the cycle: the people behind the dashboard's "overdue" counts.

Read from the same step table and the same ``milestones.overdue`` condition as the
dashboard, the timeline and the reminders, so the list holds exactly the people the
dashboard counts. One page of the list costs four queries whatever its length: the
count, the page of participations with their people and units, the evaluator lines
(``organisation.evaluators``) and the reminders HR sent today. HR's scope is the
dashboard's (``dashboard.can_view_dashboard``): names, units, steps, due dates and
evaluators, never the content of goals or evaluations.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from koers.core.clock import today_for
from koers.cycles import milestones
from koers.cycles.labels import step_label
from koers.cycles.milestones import STEP_BY_DUE, Step
from koers.cycles.models import Cycle, LateReminder, Participation
from koers.organisation.evaluators import EvaluatorLine, evaluator_lines
from koers.organisation.models import Person, Unit
from koers.rulebook.deadlines import Due

# The steps that can be late: those settled by a milestone (a moment is never late).
LATE_STEPS: tuple[Step, ...] = tuple(
    step for step in milestones.STEPS if step.done_field is not None)
# People per page of the list, and the most HR reminds at once (one page).
PAGE_SIZE = 50


def late_step(code: str) -> Step | None:
    """The step named by a ``Due`` code, if it can be late; None otherwise."""
    try:
        step = STEP_BY_DUE[Due(code)]
    except ValueError:
        return None
    return step if step.done_field is not None else None


@dataclass(frozen=True)
class LatePerson:
    participation: Participation
    step: Step
    due: dt.date
    days_late: int
    line: EvaluatorLine  # the person's 1st and 2nd evaluator today
    reminded_today: bool  # HR reminded someone about this person today (any step)

    @property
    def step_label(self) -> str:
        return step_label(self.step.due)

    @property
    def person(self) -> Person:
        return self.participation.person

    @property
    def unit(self) -> Unit:
        return self.participation.person.unit


@dataclass(frozen=True)
class LatePage:
    cycle: Cycle
    unit: Unit
    step: Step
    today: dt.date
    people: list[LatePerson]
    total: int  # late people on the step in the unit's subtree, on every page
    page: int  # from 1
    pages: int


def late_on(*, cycle: Cycle, unit: Unit, step: Step, today: dt.date
            ) -> QuerySet[Participation]:
    """The participations of ``unit``'s subtree late on ``step`` on ``today``, longest
    late first, then by name."""
    return (
        Participation.objects.filter(
            milestones.overdue(step, today), cycle=cycle,
            person__unit__path__startswith=unit.path)
        .order_by(step.due_field, "person__last_name", "person__first_name", "pk")
    )


def _people(chunk: list[Participation], step: Step, today: dt.date) -> list[LatePerson]:
    """Two queries for any number: the evaluator lines and today's reminders."""
    people = [participation.person for participation in chunk]
    lines = evaluator_lines(people, on=today)
    reminded = set(LateReminder.objects.filter(
        person__in=[person.pk for person in people], sent_on=today,
    ).values_list("person_id", flat=True))
    result = []
    for participation in chunk:
        due = step.due_on(participation)
        assert due is not None  # late: it has a due date
        result.append(LatePerson(
            participation=participation, step=step, due=due, days_late=(today - due).days,
            line=lines.get(participation.person_id, EvaluatorLine(None, None)),
            reminded_today=participation.person_id in reminded,
        ))
    return result


def late_people(*, cycle: Cycle, unit: Unit, step: Step, page: int = 1,
                per_page: int = PAGE_SIZE, today: dt.date | None = None) -> LatePage:
    """One page of the people late on ``step`` in ``unit``'s subtree: four queries.

    ``today`` defaults to today in the organisation's time zone; a page beyond the last
    gives the last.
    """
    if unit.organisation_id != cycle.organisation_id:
        raise ValueError("the unit belongs to another organisation than the cycle")
    if today is None:
        today = today_for(cycle.organisation)
    late = late_on(cycle=cycle, unit=unit, step=step, today=today)
    total = late.count()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    chunk = list(late.select_related("person__unit")
                 [(page - 1) * per_page: page * per_page]) if total else []
    return LatePage(cycle=cycle, unit=unit, step=step, today=today,
                    people=_people(chunk, step, today), total=total, page=page, pages=pages)


def all_late(*, cycle: Cycle, unit: Unit, today: dt.date, chunk_size: int = 1000
             ) -> Iterator[LatePerson]:
    """Everyone late in ``unit``'s subtree, step by step in the order of the cycle (a
    person late on two steps comes twice): three queries per step and per thousand."""
    for step in LATE_STEPS:
        late = late_on(cycle=cycle, unit=unit, step=step, today=today).select_related(
            "person__unit")
        start = 0
        while chunk := list(late[start:start + chunk_size]):
            start += chunk_size
            yield from _people(chunk, step, today)
