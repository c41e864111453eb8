"""Who may see and change goals: the object half and the list half of one policy.

- a person's goal: the employee and their 1st and 2nd evaluator; colleagues of the
  employee's unit too when the goal is shared;
- a team goal: the manager of the unit and its members;
- HR: only when the access policy says so (standing access, or a granted request);
- changing: the employee and the 1st evaluator (the two who agree the goal); a team
  goal: the unit's manager. The 2nd evaluator reads along.
"""

from django.db.models import Q, QuerySet

from koers.access import security
from koers.access.models import RefusalKind, Scope
from koers.access.policy import Viewer, hr_may_read_content, people_with_hr_content_access
from koers.goals.models import Goal, Visibility
from koers.goals.states import ALLOWED, GoalStatus, evaluator_decides
from koers.organisation.models import Person, Unit


def goals_visible_to(viewer: Viewer) -> QuerySet[Goal]:
    if viewer.is_superuser:
        return Goal.objects.all()
    me = viewer.person
    if me is None:
        return Goal.objects.none()
    condition = (
        Q(owner=me)
        | Q(owner__in=viewer.team_ids | viewer.second_line_ids)
        | Q(visibility=Visibility.SHARED, owner__unit=me.unit_id)
        | Q(unit=me.unit_id)
        | Q(unit__manager=me)
        | Q(owner__in=people_with_hr_content_access(viewer, Scope.GOALS))
    )
    return Goal.objects.filter(condition)


def can_view_goal(viewer: Viewer, goal: Goal) -> bool:
    if viewer.is_superuser:
        return True
    me = viewer.person
    if me is None:
        return False
    if goal.unit_id is not None:
        return goal.unit_id == me.unit_id or _manages(viewer, goal.unit)
    owner = goal.owner
    assert owner is not None
    return (
        owner.pk == me.pk
        or owner.pk in viewer.team_ids
        or owner.pk in viewer.second_line_ids
        or (goal.visibility == Visibility.SHARED and owner.unit_id == me.unit_id)
        or hr_may_read_content(viewer, owner, Scope.GOALS)
    )


def is_employee(viewer: Viewer, goal: Goal) -> bool:
    return viewer.person is not None and goal.owner_id == viewer.person.pk


def is_first_evaluator(viewer: Viewer, goal: Goal) -> bool:
    return goal.owner_id is not None and goal.owner_id in viewer.team_ids


def can_edit_goal(viewer: Viewer, goal: Goal) -> bool:
    if goal.unit_id is not None:
        return _manages(viewer, goal.unit)
    return is_employee(viewer, goal) or is_first_evaluator(viewer, goal)


def awaits_confirmation_by(viewer: Viewer, goal: Goal) -> bool:
    """The goal waits for the viewer's agreement: a personal goal still proposed, which
    the viewer may edit, and whose side (employee or evaluator) has not confirmed yet."""
    if goal.owner_id is None or goal.status != GoalStatus.PROPOSED:
        return False
    if not can_edit_goal(viewer, goal):
        return False
    mine = goal.employee_confirmed_at if is_employee(viewer, goal) else goal.evaluator_confirmed_at
    return mine is None


def statuses_for(viewer: Viewer, goal: Goal) -> list[GoalStatus]:
    """The statuses the viewer may move the goal to, in enum order."""
    if not can_edit_goal(viewer, goal):
        return []
    source = GoalStatus(goal.status)
    employee = is_employee(viewer, goal)
    return [
        target for target in GoalStatus
        if target in ALLOWED[source] and not (employee and evaluator_decides(source, target))
    ]


def can_propose_for(viewer: Viewer, person: Person) -> bool:
    """The employee proposes their own goals; the 1st evaluator proposes them too."""
    me = viewer.person
    return me is not None and (person.pk == me.pk or person.pk in viewer.team_ids)


def can_set_team_goals(viewer: Viewer, unit: Unit) -> bool:
    return _manages(viewer, unit)


def _manages(viewer: Viewer, unit: Unit | None) -> bool:
    return unit is not None and viewer.person is not None and unit.manager_id == viewer.person.pk


def goal_for(viewer: Viewer, pk: int) -> Goal | None:
    """The goal with id ``pk`` if the viewer may see it; ``None`` for missing and forbidden."""
    goal = (
        Goal.objects.select_related("owner__unit", "unit", "team_goal", "proposed_by")
        .filter(pk=pk)
        .first()
    )
    if goal is None:
        return None
    if not can_view_goal(viewer, goal):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=goal)
        return None
    return goal
