"""Which milestone of a participation settles which due date, and what is overdue.

One table for the timeline, the reminders and the dashboard, so they never disagree.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from koers.cycles.models import Participation
from koers.notify.services import notifications_resolve
from koers.rulebook.deadlines import RESPONSIBLE, Due


@dataclass(frozen=True)
class Step:
    due: Due
    due_field: str  # Participation field with the due date
    done_field: str | None  # Participation field set when it is done (None: a moment)
    responsible: str  # employee, first_evaluator, second_evaluator or hr

    def due_on(self, participation: Participation) -> dt.date | None:
        """The participation's due date for this step (the deadline engine's, stored when
        the cycle opened or HR moved it): the reminders and the evaluation's next steps
        (``evaluations.steps``) both read it here."""
        due: dt.date | None = getattr(participation, self.due_field)
        return due


STEPS: tuple[Step, ...] = (
    Step(Due.PLANNING, "planning_due", "planning_done_on", RESPONSIBLE[Due.PLANNING]),
    Step(Due.HALFWAY_PROGRESS, "halfway_progress_due", "halfway_progress_done_on",
         RESPONSIBLE[Due.HALFWAY_PROGRESS]),
    Step(Due.EVALUATION_WINDOW_OPENS, "evaluation_window_opens", None,
         RESPONSIBLE[Due.EVALUATION_WINDOW_OPENS]),
    Step(Due.SELF_EVALUATION, "self_evaluation_due", "self_evaluation_submitted_on",
         RESPONSIBLE[Due.SELF_EVALUATION]),
    Step(Due.EVALUATION, "evaluation_due", "evaluation_held_on", RESPONSIBLE[Due.EVALUATION]),
    Step(Due.FIRST_SIGNATURE, "first_signature_due", "first_signed_on",
         RESPONSIBLE[Due.FIRST_SIGNATURE]),
    Step(Due.SECOND_SIGNATURE, "second_signature_due", "second_signed_on",
         RESPONSIBLE[Due.SECOND_SIGNATURE]),
    Step(Due.EVALUATION_LAPSES, "evaluation_lapses", None, RESPONSIBLE[Due.EVALUATION_LAPSES]),
    Step(Due.PROBATION_ASSESSMENT, "probation_assessment_due", "probation_assessed_on",
         RESPONSIBLE[Due.PROBATION_ASSESSMENT]),
)
STEP_BY_DUE = {step.due: step for step in STEPS}


def step_task(participation_id: int, due: Due | str) -> str:
    """The task a reminder of a step names (``notify``): resolved when the step is done."""
    return f"participation:{participation_id}:{due}"


def steps_done(participation: Participation, fields: Iterable[str]) -> None:
    """The services that set a done field call this in their transaction: the reminders,
    escalations and HR's reminders of the step are resolved with it."""
    names = set(fields)
    for step in STEPS:
        if step.done_field is None or step.done_field not in names:
            continue
        if getattr(participation, step.done_field) is not None:
            notifications_resolve(task=step_task(participation.pk, step.due))


# Steps that only apply when the evaluation is mandatory.
EVALUATION_STEPS = frozenset({
    Due.EVALUATION_WINDOW_OPENS, Due.SELF_EVALUATION, Due.EVALUATION, Due.FIRST_SIGNATURE,
    Due.SECOND_SIGNATURE, Due.EVALUATION_LAPSES,
})


def applies(step: Step) -> Q:
    """Participations for which ``step`` is a task: open, with a due date for it. The
    evaluation steps of a lapsed evaluation (``cycles.lapse``) are no task any more:
    never overdue, reminded or escalated; the dashboard counts the person as lapsed."""
    condition = Q(closed_on__isnull=True) & Q(**{f"{step.due_field}__isnull": False})
    if step.due in EVALUATION_STEPS:
        condition &= Q(evaluation_required=True, lapsed_on__isnull=True)
    return condition


def overdue(step: Step, today: dt.date) -> Q:
    """Participations where ``step`` is past its due date and not done."""
    if step.done_field is None:
        return Q(pk__in=[])
    return applies(step) & Q(**{f"{step.due_field}__lt": today}) & Q(
        **{f"{step.done_field}__isnull": True}
    )


def done(step: Step) -> Q:
    """Participations for which ``step`` is a task and done."""
    if step.done_field is None:
        return Q(pk__in=[])
    return applies(step) & Q(**{f"{step.done_field}__isnull": False})


def any_overdue(today: dt.date) -> Q:
    condition = Q(pk__in=[])
    for step in STEPS:
        condition |= overdue(step, today)
    return condition
