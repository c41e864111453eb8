"""Who may record that someone leaves.

HR of the person's unit (who keeps the employment facts) and the person's 1st evaluator
(who agrees the evaluation with them) record the reason, the last working day and
whether the person agreed to be evaluated before leaving ([f1]); the employee and the
2nd evaluator read it on the timeline.
"""

from koers.access.policy import Viewer, can_change_person
from koers.organisation.models import Person


def can_record_leaving(viewer: Viewer, person: Person) -> bool:
    """``person`` must have ``unit`` loaded."""
    return can_change_person(viewer, person) or person.pk in viewer.team_ids
