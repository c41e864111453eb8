"""Who may record that someone leaves: the object half and the list half of one policy.

HR of the person's unit (who keeps the employment facts) and the person's 1st evaluator
(who agrees the evaluation with them) record the reason, the last working day and
whether the person agreed to be evaluated before leaving ([f1]); the employee and the
2nd evaluator read it on the timeline.
"""

from django.db.models import Q, QuerySet

from koers.access.policy import Viewer, can_change_person
from koers.cycles.models import Participation
from koers.organisation.models import Person, Role


def can_record_leaving(viewer: Viewer, person: Person) -> bool:
    """``person`` must have ``unit`` loaded."""
    return can_change_person(viewer, person) or person.pk in viewer.team_ids


def participations_leaving_recordable_by(viewer: Viewer) -> QuerySet[Participation]:
    if viewer.is_superuser:
        return Participation.objects.all()
    condition = Q(person__in=viewer.team_ids)
    for unit in viewer.units_with_role(Role.HR):
        condition |= Q(person__unit__path__startswith=unit.path)
    return Participation.objects.filter(condition)
