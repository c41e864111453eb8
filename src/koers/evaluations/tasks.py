"""Background tasks of the evaluations room: thin wrappers around its services."""

from django.tasks import task

from koers.core.schedule import Every, periodic
from koers.evaluations.services import evaluators_follow_line
from koers.organisation.models import Person


@periodic("evaluators follow their lines", every=Every.DAY, order=10)
@task()
def evaluators_follow_lines_task() -> int:
    """Re-point every open evaluation at its evaluator line of today (``koers scheduler``
    enqueues it daily): an override that starts or ends on a
    day of its own changes a line without any change being saved that day.

    Safe to run again: an evaluation already pointing at its line is left alone.
    """
    return evaluators_follow_line(people=Person.objects.all(), actor=None)
