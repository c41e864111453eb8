"""Reads of goals, each in a fixed number of queries whatever the number of goals."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from koers.access import services as access_services
from koers.access.models import Scope
from koers.access.policy import Viewer
from koers.core import readable
from koers.goals.models import Goal, GoalChange, GoalComment
from koers.goals.permissions import awaits_confirmation_by, goal_for, goals_visible_to
from koers.goals.states import GoalStatus
from koers.organisation.models import Person, Unit, path_ids


def goals_of(viewer: Viewer, person: Person) -> QuerySet[Goal]:
    """The person's goals the viewer may see, with what a list row shows."""
    return (
        goals_visible_to(viewer)
        .filter(owner=person)
        .select_related("team_goal")
        .order_by("status", "deadline", "pk")
    )


def goals_read(viewer: Viewer, person: Person) -> list[Goal]:
    """``goals_of`` for a page or the API: HR reading under a granted request gets each
    goal logged (one row per goal, a fixed number of queries), and the employee sees it."""
    goals = list(goals_of(viewer, person))
    access_services.access_reads_log(viewer=viewer, subject=person, scope=Scope.GOALS,
                                     records=[(goal, goal.title) for goal in goals])
    return goals


def goal_read(viewer: Viewer, pk: int) -> Goal | None:
    """The goal ``pk`` if the viewer may see it (``None`` for missing and forbidden); a
    person's goal read by HR under a granted request is logged."""
    goal = goal_for(viewer, pk)
    if goal is not None and goal.owner is not None:
        access_services.access_read_log(viewer=viewer, subject=goal.owner, scope=Scope.GOALS,
                                        record=goal, label=goal.title)
    return goal


def history(goal: Goal) -> QuerySet[GoalChange]:
    return goal.changes.select_related("actor__person")


def history_read(goal: Goal) -> list[GoalChange]:
    """The history for a page: each change also told as sentences (``sentences``), a
    linked team goal by its title. Two queries, however long the history."""
    changes = list(history(goal))
    linked = {value for change in changes for value in change.fields.get("team_goal", [])
              if isinstance(value, int)}
    titles = dict(Goal.objects.filter(pk__in=linked).values_list("pk", "title")) if linked else {}
    for change in changes:
        change.sentences = readable.sentences(  # type: ignore[attr-defined]
            Goal, change.fields, titles)
    return changes


def comments(goal: Goal) -> QuerySet[GoalComment]:
    return goal.comments.select_related("author__person")


def team_goals_for(person: Person) -> QuerySet[Goal]:
    """Team goals a person's goal may link to: those of their unit and the units above."""
    return Goal.objects.filter(unit__in=path_ids(person.unit.path)).select_related("unit")


@dataclass(frozen=True)
class Cascade:
    """A unit's team goals, each with the members' goals that link to it (alignment)."""

    unit: Unit
    team_goals: list[Goal]


def managed_units(viewer: Viewer) -> QuerySet[Unit]:
    if viewer.person is None:
        return Unit.objects.none()
    return Unit.objects.filter(manager=viewer.person).order_by("path")


def cascades(viewer: Viewer, units: list[Unit]) -> list[Cascade]:
    """Team goals of ``units`` with the linked goals the viewer may see: two queries."""
    linked = goals_visible_to(viewer).select_related("owner").order_by(
        "owner__last_name", "owner__first_name", "pk"
    )
    team_goals = (
        Goal.objects.filter(unit__in=units)
        .prefetch_related(Prefetch("linked_goals", queryset=linked, to_attr="visible_links"))
        .order_by("deadline", "pk")
    )
    by_unit: dict[int, list[Goal]] = {unit.pk: [] for unit in units}
    for goal in team_goals:
        assert goal.unit_id is not None
        by_unit[goal.unit_id].append(goal)
    return [Cascade(unit=unit, team_goals=by_unit[unit.pk]) for unit in units]


def goals_awaiting_confirmation(viewer: Viewer) -> list[Goal]:
    """The proposed personal goals that wait for the viewer's agreement, oldest first
    (``permissions.awaits_confirmation_by``, the rule the goal's page asks): one query."""
    me = viewer.person
    if me is None:
        return []
    candidates = Goal.objects.filter(
        Q(owner=me, employee_confirmed_at__isnull=True)
        | Q(owner__in=viewer.team_ids, evaluator_confirmed_at__isnull=True),
        status=GoalStatus.PROPOSED,
    ).select_related("owner__unit").order_by("created_at", "pk")
    return [goal for goal in candidates if awaits_confirmation_by(viewer, goal)]
