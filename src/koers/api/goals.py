"""The API of goals and team goals.
"""


from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from koers.api import filters, lookups, preconditions
from koers.api.common_schemas import ConflictOut, Problem
from koers.api.goals_schemas import (
    ChangeOut,
    CommentIn,
    CommentOut,
    GoalDetailOut,
    GoalIn,
    GoalOut,
    GoalPageOut,
    GoalPatch,
    PlanningOut,
    StatusIn,
    TeamGoalIn,
    TeamGoalOut,
    TeamGoalPageOut,
)
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.goals import permissions as goal_permissions
from koers.goals import planning as goal_planning
from koers.goals import selectors as goal_selectors
from koers.goals import services as goal_services
from koers.goals import smart
from koers.goals.models import Goal
from koers.organisation.models import Person

router = Router()


# Goals ----------------------------------------------------------------------------------
# The goals room's permissions decide who sees a goal (HR: not by default); a goal the
# caller may not see answers 404, a refused change 422.


def _goal(request: HttpRequest, goal_id: int) -> Goal:
    goal = goal_permissions.goal_for(viewer_of(request), goal_id)
    if goal is None:
        raise Http404
    return goal


def _goal_out(goal: Goal) -> GoalOut:
    return GoalOut.of(goal, smart.check_goal(goal, today=clock.today()))


GOAL_FIELDS = filters.Fields(Goal, state="status", updated="updated_at")


def _goals_of(request: HttpRequest, person: Person, paging: PageIn, state: filters.StateIn,
              since: filters.UpdatedSinceIn) -> dict[str, Any]:
    goals = filters.narrowed(request, goal_selectors.goals_read(viewer_of(request), person),
                             GOAL_FIELDS, state=state, since=since)
    return paged(request, goals, paging, lambda page: [_goal_out(goal) for goal in page])


def _team_goal(request: HttpRequest, team_goal_id: int | None) -> Goal | None:
    if team_goal_id is None:
        return None
    team_goal = goal_permissions.goal_for(viewer_of(request), team_goal_id)
    if team_goal is None or team_goal.unit_id is None:
        message = _("Choose a team goal of your unit.")
        raise ValidationFailed(message, {"team_goal_id": [message]})
    return team_goal


@router.get("/me/goals", response=GoalPageOut, tags=["goals"],
            summary="My goals, a page at a time; by status and last change")
def my_goals(request: HttpRequest, paging: Query[PageIn], state: Query[filters.StateIn],
             since: Query[filters.UpdatedSinceIn]) -> dict[str, Any]:
    person = viewer_of(request).person
    if person is None:
        return paged(request, [], paging, list)
    return _goals_of(request, person, paging, state, since)


@router.get("/people/{person_id}/goals", response=GoalPageOut, tags=["goals"],
            summary="A person's goals I may see (as the person, an evaluator or a "
                    "colleague), a page at a time; by status and last change")
def person_goals(request: HttpRequest, person_id: int, paging: Query[PageIn],
                 state: Query[filters.StateIn],
                 since: Query[filters.UpdatedSinceIn]) -> dict[str, Any]:
    return _goals_of(request, lookups.person(request, person_id), paging, state, since)


@router.get("/goals/{goal_id}", response=GoalDetailOut, tags=["goals"],
            summary="A goal with its history, follow-up notes and SMART advice; ETag: its "
                    "revision")
def goal_detail(request: HttpRequest, goal_id: int, response: HttpResponse) -> GoalDetailOut:
    goal = goal_selectors.goal_read(viewer_of(request), goal_id)  # HR's read: logged
    if goal is None:
        raise Http404
    preconditions.tag(response, goal.revision)
    return GoalDetailOut(
        **_goal_out(goal).dict(),
        history=[ChangeOut.of(change) for change in goal_selectors.history(goal)],
        comments=[CommentOut.of(comment) for comment in goal_selectors.comments(goal)],
    )


@router.post("/goals", response={201: GoalOut, 422: Problem}, tags=["goals"],
             summary="Propose a goal (the employee, or their 1st evaluator for them)")
def goal_propose(request: HttpRequest, data: GoalIn) -> Status[GoalOut]:
    viewer = viewer_of(request)
    owner = lookups.person_or_me(request, data.owner_id)
    goal = goal_services.goal_propose(
        actor=viewer, owner=owner, kind=data.kind, title=data.title,
        description=data.description, measure=data.measure, means=data.means,
        start_date=data.start_date, deadline=data.deadline,
        milestones=[step.dict() for step in data.milestones], visibility=data.visibility,
        team_goal=_team_goal(request, data.team_goal_id),
    )
    return Status(201, _goal_out(goal))


@router.post("/goals/{goal_id}/confirm", response={200: GoalOut, 422: Problem}, tags=["goals"],
             summary="Confirm a proposed goal; agreed once both sides confirmed",
             openapi_extra=preconditions.honours_if_match())
def goal_confirm(request: HttpRequest, goal_id: int, response: HttpResponse) -> GoalOut:
    goal = goal_services.goal_confirm(actor=viewer_of(request), goal=_goal(request, goal_id),
                                      if_revision_in=preconditions.if_match(request))
    preconditions.tag(response, goal.revision)
    return _goal_out(goal)


@router.patch("/goals/{goal_id}", response={200: GoalOut, 409: ConflictOut, 422: Problem},
              tags=["goals"],
              summary="Adjust a goal or its progress; an agreed goal needs a reason; 409 "
                      "when it changed since the revision the change starts from",
              openapi_extra=preconditions.honours_if_match())
def goal_adjust(request: HttpRequest, goal_id: int, patch: GoalPatch,
                response: HttpResponse) -> GoalOut:
    goal = _goal(request, goal_id)
    changes = patch.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    expected = changes.pop("expected_revision")
    if "team_goal_id" in changes:
        changes["team_goal"] = _team_goal(request, changes.pop("team_goal_id"))
    goal = goal_services.goal_adjust(actor=viewer_of(request), goal=goal, changes=changes,
                                     reason=reason, expected_revision=expected,
                                     if_revision_in=preconditions.if_match(request))
    preconditions.tag(response, goal.revision)
    return _goal_out(goal)


@router.post("/goals/{goal_id}/status", response={200: GoalOut, 422: Problem}, tags=["goals"],
             summary="Move a goal to another status (in progress, achieved, ...)",
             openapi_extra=preconditions.honours_if_match())
def goal_status(request: HttpRequest, goal_id: int, data: StatusIn,
                response: HttpResponse) -> GoalOut:
    goal = goal_services.goal_set_status(actor=viewer_of(request), goal=_goal(request, goal_id),
                                         status=data.status, reason=data.reason,
                                         if_revision_in=preconditions.if_match(request))
    preconditions.tag(response, goal.revision)
    return _goal_out(goal)


@router.post("/goals/{goal_id}/comments", response={201: CommentOut, 422: Problem},
             tags=["goals"], summary="Add a follow-up note to a goal")
def goal_comment(request: HttpRequest, goal_id: int, data: CommentIn) -> Status[CommentOut]:
    comment = goal_services.goal_comment(actor=viewer_of(request), goal=_goal(request, goal_id),
                                         text=data.text)
    return Status(201, CommentOut.of(comment))


@router.get("/team-goals", response=TeamGoalPageOut, tags=["goals"],
            summary="The team goals of the units I manage (else of my own unit), each with the "
                    "linked goals I may see, a page at a time")
def team_goals(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    viewer = viewer_of(request)
    if viewer.person is None:
        return paged(request, [], paging, list)
    units = list(goal_selectors.managed_units(viewer)) or [viewer.person.unit]
    goals = [goal for cascade in goal_selectors.cascades(viewer, units)
             for goal in cascade.team_goals]
    return paged(request, goals, paging, lambda page: [
        TeamGoalOut(**_goal_out(goal).dict(),
                    linked_goal_ids=[linked.pk for linked in getattr(goal, "visible_links", [])])
        for goal in page])


@router.post("/team-goals", response={201: GoalOut, 422: Problem}, tags=["goals"],
             summary="Set a team goal for a unit I manage (change it with PATCH /goals/{id})")
def team_goal_create(request: HttpRequest, data: TeamGoalIn) -> Status[GoalOut]:
    viewer = viewer_of(request)
    unit = goal_selectors.managed_units(viewer).filter(pk=data.unit_id).first()
    if unit is None:
        message = _("Choose a unit you manage.")
        raise ValidationFailed(message, {"unit_id": [message]})
    goal = goal_services.team_goal_create(
        actor=viewer, unit=unit, kind=data.kind, title=data.title,
        description=data.description, measure=data.measure, means=data.means,
        start_date=data.start_date, deadline=data.deadline,
        milestones=[step.dict() for step in data.milestones],
    )
    return Status(201, _goal_out(goal))



# The planning signed "voor akkoord" -----------------------------------------------------
# Flemish regime: the employee, the 1st and the 2nd evaluator sign the period's agreed
# goals (``goals.planning``); anyone else gets the same 404 as for a participation that
# does not exist, another regime a 422.


@router.get("/participations/{participation_id}/planning", response=PlanningOut,
            tags=["goals"],
            summary="A person's planning of a period: its agreed goals, seal and signatures "
                    "(the employee and their evaluators)")
def planning_detail(request: HttpRequest, participation_id: int) -> PlanningOut:
    planning = goal_planning.planning_read(viewer_of(request), participation_id)
    if planning is None:
        raise Http404
    return PlanningOut.of(planning)


@router.post("/participations/{participation_id}/planning/signatures",
             response={201: PlanningOut, 422: Problem}, tags=["goals"],
             summary="Sign the planning for agreement as its next signer; the 2nd "
                     "evaluator's signature completes it")
def planning_sign(request: HttpRequest, participation_id: int) -> Status[PlanningOut]:
    viewer = viewer_of(request)
    participation = goal_planning.participation_for(viewer, participation_id)
    if participation is None:
        raise Http404
    planning = goal_planning.planning_sign(actor=viewer, participation=participation)
    return Status(201, PlanningOut.of(planning))
