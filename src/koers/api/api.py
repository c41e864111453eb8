"""The REST API (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

It asks the same access policy and calls the same services as the web pages; no rule
lives here. Authentication is the signed-in session; writes need the CSRF token, as in the browser.
"""

from collections.abc import Callable, Iterable
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.security import django_auth

from koers.access import policy
from koers.access import selectors as access_selectors
from koers.access import services as access_services
from koers.access.models import Scope
from koers.access.policy import Viewer
from koers.api import schemas_development as pop
from koers.api.consequences import router as consequences_router
from koers.api.schemas import (
    ChildUnit,
    DashboardOut,
    EffectiveWorkIn,
    EffectiveWorkOut,
    EvaluatorOverrideIn,
    PersonOut,
    PersonPatch,
    PersonRef,
    Problem,
    TimelineCycle,
    UnitIn,
    UnitOut,
    UnitRef,
)
from koers.api.schemas_access import (
    AccessReadOut,
    AccessRequestIn,
    AccessRequestOut,
    AccessRequestsOut,
    DecisionIn,
    PersonalDataOut,
)
from koers.api.schemas_audit import HistoryEvent
from koers.api.schemas_conversations import (
    AmendmentIn,
    AmendmentOut,
    ConversationIn,
    ConversationOut,
    HoldIn,
    RescheduleIn,
    TeamMemberOut,
    TeamOverviewOut,
    WorkPlanCommentIn,
    WorkPlanDetailOut,
    WorkPlanIn,
    WorkPlanOut,
    WorkPlanPatch,
)
from koers.api.schemas_cycles import AgreedPeriodIn, CycleIn, CycleOut, ParticipationPeriodOut
from koers.api.schemas_evaluations import (
    ConflictOut,
    EvaluationOpenIn,
    EvaluationOut,
    EvaluationSummaryOut,
    ObjectionIn,
    ObjectionOut,
    ReasonIn,
    RemarksIn,
    ReportIn,
    ReportOut,
    SelfEvaluationIn,
    SignIn,
    WrittenProcedureIn,
)
from koers.api.schemas_goals import (
    ChangeOut,
    CommentIn,
    CommentOut,
    GoalDetailOut,
    GoalIn,
    GoalOut,
    GoalPatch,
    StatusIn,
    TeamGoalIn,
    TeamGoalOut,
)
from koers.api.schemas_policy import PolicyOut, PolicySettingIn, PolicySettingOut, PolicySettingsIn
from koers.api.viewer import viewer_of as _viewer
from koers.audit import selectors as audit_selectors
from koers.conversations import permissions as conversation_permissions
from koers.conversations import selectors as conversation_selectors
from koers.conversations import services as conversation_services
from koers.conversations.models import Conversation, WorkPlan
from koers.conversations.team import TeamFilters, team_overview
from koers.core import clock
from koers.core import languages as spoken
from koers.core.clock import today_for
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.cycles import dashboard
from koers.cycles import selectors as cycle_selectors
from koers.cycles import services as cycle_services
from koers.cycles.models import Cycle, Participation
from koers.cycles.services import participation_sync
from koers.cycles.tasks import recompute_participations_later
from koers.cycles.timeline import person_timeline as timeline_of
from koers.development import permissions as development_permissions
from koers.development import selectors as development_selectors
from koers.development.models import (
    Competency,
    DepartmentPreparation,
    DevelopmentAction,
    DevelopmentPlan,
    EmployeePreparation,
    HrAction,
    ManagerPreparation,
    PlanGoal,
    PlanItem,
    PlanMeans,
    SelfScan,
)
from koers.development.services import catalogue as catalogue_services
from koers.development.services import demand as demand_services
from koers.development.services import plans as plan_services
from koers.development.services import preparations as preparation_services
from koers.development.services.plans import NewHrAction, NewMeans
from koers.development.summary import summary as plan_summary
from koers.evaluations import permissions as evaluation_permissions
from koers.evaluations import selectors as evaluation_selectors
from koers.evaluations import services as evaluation_services
from koers.evaluations.models import Evaluation
from koers.evaluations.pdf import report_pdf
from koers.evaluations.services import EditConflict
from koers.evaluations.states import Role
from koers.goals import permissions as goal_permissions
from koers.goals import selectors as goal_selectors
from koers.goals import services as goal_services
from koers.goals import smart
from koers.goals.models import Goal
from koers.organisation import evaluators, selectors, services
from koers.organisation.models import Organisation, Person, Unit, WorkSource
from koers.rulebook import services as rulebook
from koers.rulebook.policy import preset_of
from koers.rulebook.registry import SETTINGS

api = NinjaAPI(
    title="Koers API",
    version="1",
    description="Organisations, people, evaluators and the conversation cycle.",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(ValidationFailed)
def _refused(request: HttpRequest, error: ValidationFailed) -> HttpResponse:
    return api.create_response(
        request, Problem(message=error.message, errors=error.errors).dict(), status=422
    )


@api.exception_handler(NotFoundOrForbidden)
def _not_found(request: HttpRequest, error: NotFoundOrForbidden) -> HttpResponse:
    """A service found the object missing or not the caller's: the same 404 as a lookup."""
    return api.create_response(request, Problem(message=error.message, errors={}).dict(),
                               status=404)


def _person(request: HttpRequest, person_id: int) -> Person:
    person = policy.person_for(_viewer(request), person_id)
    if person is None:
        raise Http404
    return person


def _person_or_me(request: HttpRequest, person_id: int | None) -> Person:
    """The person named by ``person_id`` (if visible), or the signed-in user's own record."""
    if person_id is not None:
        return _person(request, person_id)
    me = _viewer(request).person
    if me is None:
        raise Http404
    return me


def _unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = policy.unit_for(_viewer(request), unit_id)
    if unit is None:
        raise Http404
    return unit


def _person_out(person: Person) -> PersonOut:
    return PersonOut.of(person, evaluators.evaluator_line(person, on=clock.today()))


@api.get("/me", response=PersonOut, tags=["people"], summary="My own record")
def me(request: HttpRequest) -> PersonOut:
    person = _viewer(request).person
    if person is None:
        raise Http404
    return _person_out(person)


@api.get("/me/team", response=list[PersonOut], tags=["people"],
         summary="The people I evaluate as 1st evaluator")
def my_team(request: HttpRequest) -> list[PersonOut]:
    viewer = _viewer(request)
    if viewer.person is None:
        return []
    team = list(evaluators.team(viewer.person, on=viewer.on, team_ids=viewer.team_ids)
                .select_related("organisation"))
    lines = evaluators.evaluator_lines(team, on=viewer.on)
    return [PersonOut.of(member, lines[member.pk]) for member in team]


@api.get("/me/team/overview", response=TeamOverviewOut, tags=["people"],
         summary="My team: each member's goals by status, last and next conversation, "
                 "what is due and what is overdue")
def my_team_overview(request: HttpRequest, status: str = "", overdue: bool = False,
                     unit_id: int | None = None) -> TeamOverviewOut:
    overview = team_overview(
        _viewer(request), today=clock.today(), now=clock.now(),
        filters=TeamFilters(status=status, overdue_only=overdue, unit_id=unit_id))
    return TeamOverviewOut(total=overview.total,
                           members=[TeamMemberOut.of(row) for row in overview.rows])


@api.get("/people/{person_id}", response=PersonOut, tags=["people"])
def person_detail(request: HttpRequest, person_id: int) -> PersonOut:
    return _person_out(_person(request, person_id))


@api.patch("/people/{person_id}", response={200: PersonOut, 422: Problem}, tags=["people"],
           summary="Change employment facts (HR)")
def person_update(request: HttpRequest, person_id: int, patch: PersonPatch) -> PersonOut:
    person = _person(request, person_id)
    viewer = _viewer(request)
    if not policy.can_change_person(viewer, person):
        raise Http404
    given = patch.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    if "unit_id" in given:
        unit = Unit.objects.filter(pk=given.pop("unit_id")).first()
        if unit is None or not policy.can_manage_unit(viewer, unit):
            raise ValidationFailed(
                _("You may only place people in units you manage as HR."),
                {"unit_id": [_("Unknown unit.")]},
            )
        fields["unit"] = unit
    follow_rule = "salary_system" in given and given["salary_system"] is None
    salary_system = given.pop("salary_system", None)
    fields.update(given)
    saved = services.person_save(
        organisation=person.organisation, person=person, salary_system=salary_system,
        follow_salary_rule=follow_rule, actor=cast(User, request.user), **fields,
    )
    # Joined, left or changed: the cycles follow.
    participation_sync(person=saved, actor=cast(User, request.user))
    return _person_out(saved)


@api.post("/people/{person_id}/evaluator-overrides", response={201: PersonOut, 422: Problem},
          tags=["people"], summary="Set a 1st and/or 2nd evaluator by hand for a period (HR)")
def override_create(
    request: HttpRequest, person_id: int, data: EvaluatorOverrideIn
) -> Status[PersonOut]:
    person = _person(request, person_id)
    if not policy.can_change_person(_viewer(request), person):
        raise Http404
    colleagues = Person.objects.filter(organisation=person.organisation)
    first = colleagues.filter(pk=data.first_evaluator_id).first() \
        if data.first_evaluator_id else None
    second = colleagues.filter(pk=data.second_evaluator_id).first() \
        if data.second_evaluator_id else None
    services.evaluator_override_create(
        person=person, first_evaluator=first, second_evaluator=second,
        valid_from=data.valid_from, valid_until=data.valid_until, reason=data.reason,
        actor=cast(User, request.user),
    )
    return Status(201, _person_out(person))


@api.get("/people/{person_id}/effective-work/{year}", response=EffectiveWorkOut,
         tags=["people"], summary="Hours effectively worked in a year")
def effective_work(request: HttpRequest, person_id: int, year: int) -> EffectiveWorkOut:
    person = _person(request, person_id)
    hours, source = services.effective_hours(person, year)
    return EffectiveWorkOut(year=year, hours_worked=hours, source=source)


@api.put("/people/{person_id}/effective-work/{year}",
         response={200: EffectiveWorkOut, 422: Problem}, tags=["people"],
         summary="Correct the hours effectively worked in a year (HR)")
def effective_work_correct(
    request: HttpRequest, person_id: int, year: int, data: EffectiveWorkIn
) -> EffectiveWorkOut:
    person = _person(request, person_id)
    if not policy.can_change_person(_viewer(request), person):
        raise Http404
    work = services.effective_work_record(
        person=person, year=year, hours_worked=data.hours_worked, source=WorkSource.CORRECTED,
        note=data.note, updated_by=cast(User, request.user),
    )
    # The hours decide the Flemish rule.
    participation_sync(person=person, actor=cast(User, request.user))
    return EffectiveWorkOut(year=work.year, hours_worked=work.hours_worked, source=work.source)


@api.get("/people/{person_id}/timeline", response=list[TimelineCycle], tags=["cycles"],
         summary="What is due in the person's open cycles, by whom and when")
def person_timeline(request: HttpRequest, person_id: int) -> list[TimelineCycle]:
    person = _person(request, person_id)
    today = today_for(person.organisation)
    return [TimelineCycle.of(timeline) for timeline in timeline_of(person, today=today)]


def _unit_out(unit: Unit) -> UnitOut:
    today = clock.today()
    parent = unit.parent
    return UnitOut(
        id=unit.pk, organisation=unit.organisation.name, code=unit.code, name=unit.name,
        parent=UnitRef.of(parent) if parent else None, manager=PersonRef.of(unit.manager),
        head_count=selectors.head_count(unit, on=today),
        children=[
            ChildUnit(unit=UnitRef.of(c.unit), manager=PersonRef.of(c.unit.manager),
                      head_count=c.head_count)
            for c in selectors.children_with_head_counts(unit, on=today)
        ],
    )


@api.get("/units/{unit_id}", response=UnitOut, tags=["structure"],
         summary="A unit with its child units and head counts (HR)")
def unit_detail(request: HttpRequest, unit_id: int) -> UnitOut:
    return _unit_out(_unit(request, unit_id))


@api.get("/units/{unit_id}/people", response=list[PersonRef], tags=["structure"],
         summary="People working directly in a unit (HR)")
def unit_people(request: HttpRequest, unit_id: int) -> list[PersonRef]:
    unit = _unit(request, unit_id)
    return [PersonRef(id=p.pk, name=p.full_name)
            for p in selectors.unit_members(unit, on=clock.today())]


@api.post("/units", response={201: UnitOut, 422: Problem}, tags=["structure"],
          summary="Add a unit below another (HR)")
def unit_create(request: HttpRequest, data: UnitIn) -> Status[UnitOut]:
    parent = _unit(request, data.parent_id)
    if not policy.can_manage_unit(_viewer(request), parent):
        raise Http404
    manager = Person.objects.filter(pk=data.manager_id).first() if data.manager_id else None
    unit = services.unit_create(organisation=parent.organisation, code=data.code,
                                name=data.name, parent=parent, manager=manager,
                                actor=cast(User, request.user))
    return Status(201, _unit_out(unit))


@api.put("/units/{unit_id}", response={200: UnitOut, 422: Problem}, tags=["structure"],
         summary="Rename a unit, change its manager or move it with its subtree (HR)")
def unit_update(request: HttpRequest, unit_id: int, data: UnitIn) -> UnitOut:
    viewer = _viewer(request)
    unit = _unit(request, unit_id)
    parent = _unit(request, data.parent_id)
    if not policy.can_manage_unit(viewer, unit) or not policy.can_manage_unit(viewer, parent):
        raise Http404
    manager = Person.objects.filter(pk=data.manager_id).first() if data.manager_id else None
    services.unit_update(unit=unit, code=data.code, name=data.name, parent=parent,
                         manager=manager, actor=cast(User, request.user))
    return _unit_out(unit)


@api.get("/cycles/{cycle_id}/dashboard", response={200: DashboardOut, 422: Problem},
         tags=["cycles"],
         summary="Progress of a cycle for a unit's subtree and each child unit (HR)")
def cycle_dashboard(request: HttpRequest, cycle_id: int, unit_id: int | None = None
                    ) -> DashboardOut:
    """Without ``unit_id``: the top of the caller's HR subtree in the cycle's organisation."""
    viewer = _viewer(request)
    cycle = Cycle.objects.select_related("organisation").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    if unit_id is None:
        roots = dashboard.dashboard_roots(viewer, cycle)
        if not roots:
            raise Http404
        if len(roots) > 1:
            message = _("You follow up several parts of the organisation: choose one.")
            raise ValidationFailed(message, {"unit_id": [message]})
        unit: Unit | None = roots[0]
    else:
        unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not dashboard.can_view_dashboard(viewer, cycle, unit):
        raise Http404
    return DashboardOut.of(dashboard.cycle_dashboard(cycle=cycle, unit=unit))


# The organisation's policy ---------------------------------------------------------------
# Every person of the organisation reads it; HR of the top unit changes it (404 otherwise,
# as on the web page). Values are text, as typed on the web page: see schemas_policy.


def _policy_organisation(request: HttpRequest, organisation_id: int, *,
                         manage: bool = False) -> Organisation:
    viewer = _viewer(request)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not policy.can_read_policy(viewer, organisation) or (
            manage and not policy.can_manage_organisation(viewer, organisation)):
        raise Http404
    return organisation


@api.get("/organisations/{organisation_id}/policy", response=PolicyOut, tags=["policy"],
         summary="The organisation's policy: every setting with its preset and current value")
def organisation_policy(request: HttpRequest, organisation_id: int) -> PolicyOut:
    return PolicyOut.of(_policy_organisation(request, organisation_id))


@api.put("/organisations/{organisation_id}/policy/{setting}",
         response={200: PolicySettingOut, 422: Problem}, tags=["policy"],
         summary="Change one setting (HR); a null value resets it to the preset")
def organisation_policy_setting(
    request: HttpRequest, organisation_id: int, setting: str, data: PolicySettingIn
) -> PolicySettingOut:
    organisation = _policy_organisation(request, organisation_id, manage=True)
    if setting not in SETTINGS:
        raise Http404
    values = rulebook.parse_settings(organisation=organisation, texts={setting: data.value})
    changed = rulebook.policy_settings_change(organisation=organisation, values=values,
                                              actor=cast(User, request.user))
    recompute_participations_later(organisation)
    return PolicySettingOut.of(setting, preset=preset_of(organisation), policy=changed)


@api.patch("/organisations/{organisation_id}/policy", response={200: PolicyOut, 422: Problem},
           tags=["policy"], summary="Change several settings at once, all or nothing (HR)")
def organisation_policy_update(
    request: HttpRequest, organisation_id: int, data: PolicySettingsIn
) -> PolicyOut:
    organisation = _policy_organisation(request, organisation_id, manage=True)
    values = rulebook.parse_settings(organisation=organisation, texts=data.settings)
    rulebook.policy_settings_change(organisation=organisation, values=values,
                                    actor=cast(User, request.user))
    recompute_participations_later(organisation)
    return PolicyOut.of(organisation)


# Cycles ---------------------------------------------------------------------------


def _cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    """The same 404 for a missing cycle and one of an organisation the user does not manage."""
    cycle = Cycle.objects.select_related("organisation").filter(pk=cycle_id).first()
    if cycle is None or not policy.can_manage_organisation(_viewer(request), cycle.organisation):
        raise Http404
    return cycle


@api.get("/cycles", response=list[CycleOut], tags=["cycles"],
         summary="The cycles of the organisations I manage as HR, with their counts")
def cycle_list(request: HttpRequest) -> list[CycleOut]:
    cycles = list(cycle_selectors.cycles_of(policy.organisations_managed_by(_viewer(request))))
    counts = cycle_selectors.counts_by_cycle(cycle.pk for cycle in cycles)
    return [CycleOut.of(cycle, counts[cycle.pk]) for cycle in cycles]


@api.post("/cycles", response={202: CycleOut, 422: Problem}, tags=["cycles"],
          summary="Open the cycle of a year (HR); the participations follow in the background")
def cycle_open(request: HttpRequest, data: CycleIn) -> Status[CycleOut]:
    managed = policy.organisations_managed_by(_viewer(request))
    if data.organisation_id is not None:
        managed = managed.filter(pk=data.organisation_id)
    organisations = list(managed[:2])
    if len(organisations) != 1:
        message = _("Choose one of the organisations you manage as HR.")
        raise ValidationFailed(message, {"organisation_id": [message]})
    cycle = cycle_services.cycle_open(organisation=organisations[0], year=data.year,
                                      actor=cast(User, request.user))
    cycle.refresh_from_db()  # the task may have run already (immediate backend)
    return Status(202, CycleOut.of(cycle, cycle_selectors.cycle_counts(cycle)))


@api.get("/cycles/{cycle_id}", response=CycleOut, tags=["cycles"],
         summary="A cycle: the progress of its opening and its counts (HR)")
def cycle_detail(request: HttpRequest, cycle_id: int) -> CycleOut:
    cycle = _cycle(request, cycle_id)
    return CycleOut.of(cycle, cycle_selectors.cycle_counts(cycle))


@api.get("/people/{person_id}/history", response=list[HistoryEvent], tags=["people"],
         summary="Who changed the person's record, when, and what changed (HR)")
def person_history(request: HttpRequest, person_id: int) -> list[HistoryEvent]:
    person = _person(request, person_id)
    if not policy.can_change_person(_viewer(request), person):
        raise Http404
    return [HistoryEvent.of(event) for event in audit_selectors.history(person)]


# A participation's evaluated period -------------------------------------------------------
# HR of the person's unit records the period employee and evaluator agreed on ([f1]);
# others get the same 404 as for a participation that does not exist.


def _participation_to_change(request: HttpRequest, participation_id: int) -> Participation:
    participation = (
        Participation.objects.select_related("cycle", "person__unit")
        .filter(pk=participation_id).first()
    )
    if participation is None or not policy.can_change_person(
            _viewer(request), participation.person):
        raise Http404
    return participation


@api.put("/participations/{participation_id}/agreed-period",
         response={200: ParticipationPeriodOut, 422: Problem}, tags=["cycles"],
         summary="Record the period employee and evaluator agreed on (HR); nulls go back "
                 "to the normal period")
def participation_agreed_period(
    request: HttpRequest, participation_id: int, data: AgreedPeriodIn
) -> ParticipationPeriodOut:
    participation = cycle_services.participation_period_agree(
        participation=_participation_to_change(request, participation_id),
        start=data.start, end=data.end, note=data.note, actor=cast(User, request.user),
    )
    return ParticipationPeriodOut.of(participation)


# Goals ----------------------------------------------------------------------------------
# The goals room's permissions decide who sees a goal (HR: not by default); a goal the
# caller may not see answers 404, a refused change 422.


def _goal(request: HttpRequest, goal_id: int) -> Goal:
    goal = goal_permissions.goal_for(_viewer(request), goal_id)
    if goal is None:
        raise Http404
    return goal


def _goal_out(goal: Goal) -> GoalOut:
    return GoalOut.of(goal, smart.check_goal(goal, today=clock.today()))


def _goals_of(request: HttpRequest, person: Person) -> list[GoalOut]:
    return [_goal_out(goal) for goal in goal_selectors.goals_of(_viewer(request), person)]


def _team_goal(request: HttpRequest, team_goal_id: int | None) -> Goal | None:
    if team_goal_id is None:
        return None
    team_goal = goal_permissions.goal_for(_viewer(request), team_goal_id)
    if team_goal is None or team_goal.unit_id is None:
        message = _("Choose a team goal of your unit.")
        raise ValidationFailed(message, {"team_goal_id": [message]})
    return team_goal


@api.get("/me/goals", response=list[GoalOut], tags=["goals"], summary="My goals")
def my_goals(request: HttpRequest) -> list[GoalOut]:
    person = _viewer(request).person
    if person is None:
        return []
    return _goals_of(request, person)


@api.get("/people/{person_id}/goals", response=list[GoalOut], tags=["goals"],
         summary="A person's goals I may see (as the person, an evaluator or a colleague)")
def person_goals(request: HttpRequest, person_id: int) -> list[GoalOut]:
    return _goals_of(request, _person(request, person_id))


@api.get("/goals/{goal_id}", response=GoalDetailOut, tags=["goals"],
         summary="A goal with its history, follow-up notes and SMART advice")
def goal_detail(request: HttpRequest, goal_id: int) -> GoalDetailOut:
    goal = _goal(request, goal_id)
    if goal.owner is not None:  # HR reading under a granted request: the employee sees it
        access_services.access_read_log(viewer=_viewer(request), subject=goal.owner,
                                        scope=Scope.GOALS, record=goal, label=goal.title)
    return GoalDetailOut(
        **_goal_out(goal).dict(),
        history=[ChangeOut.of(change) for change in goal_selectors.history(goal)],
        comments=[CommentOut.of(comment) for comment in goal_selectors.comments(goal)],
    )


@api.post("/goals", response={201: GoalOut, 422: Problem}, tags=["goals"],
          summary="Propose a goal (the employee, or their 1st evaluator for them)")
def goal_propose(request: HttpRequest, data: GoalIn) -> Status[GoalOut]:
    viewer = _viewer(request)
    owner = _person_or_me(request, data.owner_id)
    goal = goal_services.goal_propose(
        actor=viewer, owner=owner, kind=data.kind, title=data.title,
        description=data.description, measure=data.measure, means=data.means,
        start_date=data.start_date, deadline=data.deadline,
        milestones=[step.dict() for step in data.milestones], visibility=data.visibility,
        team_goal=_team_goal(request, data.team_goal_id),
    )
    return Status(201, _goal_out(goal))


@api.post("/goals/{goal_id}/confirm", response={200: GoalOut, 422: Problem}, tags=["goals"],
          summary="Confirm a proposed goal; agreed once both sides confirmed")
def goal_confirm(request: HttpRequest, goal_id: int) -> GoalOut:
    goal = goal_services.goal_confirm(actor=_viewer(request), goal=_goal(request, goal_id))
    return _goal_out(goal)


@api.patch("/goals/{goal_id}", response={200: GoalOut, 422: Problem}, tags=["goals"],
           summary="Adjust a goal or its progress; an agreed goal needs a reason")
def goal_adjust(request: HttpRequest, goal_id: int, patch: GoalPatch) -> GoalOut:
    goal = _goal(request, goal_id)
    changes = patch.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    if "team_goal_id" in changes:
        changes["team_goal"] = _team_goal(request, changes.pop("team_goal_id"))
    goal = goal_services.goal_adjust(actor=_viewer(request), goal=goal, changes=changes,
                                     reason=reason)
    return _goal_out(goal)


@api.post("/goals/{goal_id}/status", response={200: GoalOut, 422: Problem}, tags=["goals"],
          summary="Move a goal to another status (in progress, achieved, ...)")
def goal_status(request: HttpRequest, goal_id: int, data: StatusIn) -> GoalOut:
    goal = goal_services.goal_set_status(actor=_viewer(request), goal=_goal(request, goal_id),
                                         status=data.status, reason=data.reason)
    return _goal_out(goal)


@api.post("/goals/{goal_id}/comments", response={201: CommentOut, 422: Problem},
          tags=["goals"], summary="Add a follow-up note to a goal")
def goal_comment(request: HttpRequest, goal_id: int, data: CommentIn) -> Status[CommentOut]:
    comment = goal_services.goal_comment(actor=_viewer(request), goal=_goal(request, goal_id),
                                         text=data.text)
    return Status(201, CommentOut.of(comment))


@api.get("/team-goals", response=list[TeamGoalOut], tags=["goals"],
         summary="The team goals of the units I manage (else of my own unit), each with the "
                 "linked goals I may see")
def team_goals(request: HttpRequest) -> list[TeamGoalOut]:
    viewer = _viewer(request)
    if viewer.person is None:
        return []
    units = list(goal_selectors.managed_units(viewer)) or [viewer.person.unit]
    return [
        TeamGoalOut(**_goal_out(goal).dict(),
                    linked_goal_ids=[linked.pk for linked in getattr(goal, "visible_links", [])])
        for cascade in goal_selectors.cascades(viewer, units) for goal in cascade.team_goals
    ]


@api.post("/team-goals", response={201: GoalOut, 422: Problem}, tags=["goals"],
          summary="Set a team goal for a unit I manage (change it with PATCH /goals/{id})")
def team_goal_create(request: HttpRequest, data: TeamGoalIn) -> Status[GoalOut]:
    viewer = _viewer(request)
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


# Conversations ----------------------------------------------------------------------
# The conversations room's permissions decide who sees a conversation (HR: not by
# default); one that is missing or not the caller's to see is 404 alike.


def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    conversation = conversation_permissions.conversation_for(_viewer(request), conversation_id)
    if conversation is None:
        raise Http404
    return conversation


def _conversation_out(conversation: Conversation) -> ConversationOut:
    fresh = (
        Conversation.objects.select_related("employee").prefetch_related("agenda", "goals")
        .get(pk=conversation.pk)
    )
    return ConversationOut.of(fresh)


@api.get("/people/{person_id}/conversations", response=list[ConversationOut],
         tags=["conversations"], summary="A person's conversations I may see")
def person_conversations(request: HttpRequest, person_id: int) -> list[ConversationOut]:
    conversations = conversation_selectors.conversations_of(
        _viewer(request), _person(request, person_id)).prefetch_related("agenda", "goals")
    return [ConversationOut.of(c) for c in conversations]


@api.post("/conversations", response={201: ConversationOut, 422: Problem},
          tags=["conversations"],
          summary="Schedule a conversation; the other side is invited by e-mail (iCalendar)")
def conversation_schedule(request: HttpRequest, data: ConversationIn) -> Status[ConversationOut]:
    viewer = _viewer(request)
    employee = _person_or_me(request, data.employee_id)
    conversation = conversation_services.conversation_schedule(
        actor=viewer, employee=employee, kind=data.kind, starts_at=data.starts_at,
        ends_at=data.ends_at, location=data.location, online_link=data.online_link,
        in_writing=data.in_writing, agenda=data.agenda,
    )
    return Status(201, _conversation_out(conversation))


@api.post("/conversations/{conversation_id}/reschedule",
          response={200: ConversationOut, 422: Problem}, tags=["conversations"],
          summary="Move a conversation; an update with the same UID goes out")
def conversation_reschedule(request: HttpRequest, conversation_id: int,
                            data: RescheduleIn) -> ConversationOut:
    conversation = conversation_services.conversation_reschedule(
        actor=_viewer(request), conversation=_conversation(request, conversation_id),
        starts_at=data.starts_at, ends_at=data.ends_at, location=data.location,
        online_link=data.online_link,
    )
    return _conversation_out(conversation)


@api.post("/conversations/{conversation_id}/cancel",
          response={200: ConversationOut, 422: Problem}, tags=["conversations"],
          summary="Cancel a conversation; a cancellation with the same UID goes out")
def conversation_cancel(request: HttpRequest, conversation_id: int) -> ConversationOut:
    conversation = conversation_services.conversation_cancel(
        actor=_viewer(request), conversation=_conversation(request, conversation_id))
    return _conversation_out(conversation)


@api.post("/conversations/{conversation_id}/hold",
          response={200: ConversationOut, 422: Problem}, tags=["conversations"],
          summary="Record a conversation as held, with notes, goals discussed and a report")
def conversation_hold(request: HttpRequest, conversation_id: int,
                      data: HoldIn) -> ConversationOut:
    conversation = _conversation(request, conversation_id)
    goals = list(Goal.objects.filter(pk__in=data.goal_ids, owner_id=conversation.employee_id))
    if len(goals) != len(set(data.goal_ids)):
        message = _("Choose goals of the employee.")
        raise ValidationFailed(message, {"goal_ids": [message]})
    conversation = conversation_services.conversation_hold(
        actor=_viewer(request), conversation=conversation, notes=data.notes, goals=goals,
        report=data.report, held_on=data.held_on, improvement_points=data.improvement_points,
    )
    return _conversation_out(conversation)


@api.post("/conversations/{conversation_id}/confirm",
          response={200: ConversationOut, 422: Problem}, tags=["conversations"],
          summary="Confirm the report; read-only once both sides confirmed")
def conversation_confirm(request: HttpRequest, conversation_id: int) -> ConversationOut:
    conversation = conversation_services.conversation_report_confirm(
        actor=_viewer(request), conversation=_conversation(request, conversation_id))
    return _conversation_out(conversation)


@api.post("/conversations/{conversation_id}/amendments",
          response={201: AmendmentOut, 422: Problem}, tags=["work plans"],
          summary="Record a changed agreement of the fixed work plan in a held progress "
                  "conversation")
def conversation_amend(request: HttpRequest, conversation_id: int,
                       data: AmendmentIn) -> Status[AmendmentOut]:
    amendment = conversation_services.work_plan_amend(
        actor=_viewer(request), conversation=_conversation(request, conversation_id),
        change=data.change, reason=data.reason)
    return Status(201, AmendmentOut.of(amendment))


# The individual work plan (Dutch policy) ---------------------------------------------
# Read like conversations (HR: only under a granted request or standing access); the
# employee writes, the 1st evaluator comments, both confirm. Missing and forbidden: 404.


def _work_plan(request: HttpRequest, work_plan_id: int) -> WorkPlan:
    plan = conversation_permissions.work_plan_for(_viewer(request), work_plan_id)
    if plan is None:
        raise Http404
    return plan


@api.get("/people/{person_id}/work-plans", response=list[WorkPlanOut], tags=["work plans"],
         summary="A person's individual work plans I may see")
def person_work_plans(request: HttpRequest, person_id: int) -> list[WorkPlanOut]:
    plans = conversation_selectors.work_plans_of(_viewer(request), _person(request, person_id))
    return [WorkPlanOut.of(plan) for plan in plans]


@api.post("/work-plans", response={201: WorkPlanOut, 422: Problem}, tags=["work plans"],
          summary="Draft my work plan for the plan year that holds today (Dutch policy)")
def work_plan_draft(request: HttpRequest, data: WorkPlanIn) -> Status[WorkPlanOut]:
    plan = conversation_services.work_plan_draft(actor=_viewer(request), **data.dict())
    return Status(201, WorkPlanOut.of(plan))


@api.get("/work-plans/{work_plan_id}", response=WorkPlanDetailOut, tags=["work plans"],
         summary="A work plan with its changed agreements")
def work_plan_detail(request: HttpRequest, work_plan_id: int) -> WorkPlanDetailOut:
    plan = _work_plan(request, work_plan_id)
    access_services.access_read_log(viewer=_viewer(request), subject=plan.employee,
                                    scope=Scope.CONVERSATIONS, record=plan,
                                    label=_("Individual work plan"))
    return WorkPlanDetailOut(
        **WorkPlanOut.of(plan).dict(),
        amendments=[AmendmentOut.of(a) for a in conversation_selectors.amendments(plan)])


@api.patch("/work-plans/{work_plan_id}", response={200: WorkPlanOut, 422: Problem},
           tags=["work plans"], summary="Change my work plan before it is fixed")
def work_plan_write(request: HttpRequest, work_plan_id: int,
                    patch: WorkPlanPatch) -> WorkPlanOut:
    plan = conversation_services.work_plan_write(
        actor=_viewer(request), work_plan=_work_plan(request, work_plan_id),
        **patch.dict(exclude_unset=True, exclude_none=True))
    return WorkPlanOut.of(plan)


@api.post("/work-plans/{work_plan_id}/comments", response={200: WorkPlanOut, 422: Problem},
          tags=["work plans"], summary="Comment on a work plan as the 1st evaluator")
def work_plan_comment(request: HttpRequest, work_plan_id: int,
                      data: WorkPlanCommentIn) -> WorkPlanOut:
    plan = conversation_services.work_plan_comment(
        actor=_viewer(request), work_plan=_work_plan(request, work_plan_id),
        comments=data.comments)
    return WorkPlanOut.of(plan)


@api.post("/work-plans/{work_plan_id}/confirm", response={200: WorkPlanOut, 422: Problem},
          tags=["work plans"], summary="Confirm a commented work plan; fixed once both did")
def work_plan_confirm(request: HttpRequest, work_plan_id: int) -> WorkPlanOut:
    plan = conversation_services.work_plan_confirm(
        actor=_viewer(request), work_plan=_work_plan(request, work_plan_id))
    return WorkPlanOut.of(plan)



# HR access to content ---------------------------------------------------------------------
# HR asks (for people under its grant), the 2nd evaluator decides, the employee sees every
# read; see docs/access.md. Others get the same 404 as for a missing person or request.


@api.post("/people/{person_id}/access-requests", response={201: AccessRequestOut, 422: Problem},
          tags=["access"], summary="Ask to read a person's content for a reason and period (HR)")
def access_request_create(request: HttpRequest, person_id: int,
                          data: AccessRequestIn) -> Status[AccessRequestOut]:
    viewer = _viewer(request)
    person = _person(request, person_id)
    if not policy.can_change_person(viewer, person):
        raise Http404
    created = access_services.access_request_create(
        actor=viewer, subject=person, scope=data.scope, reason=data.reason,
        valid_from=data.valid_from, valid_until=data.valid_until)
    return Status(201, AccessRequestOut.of(created, on=viewer.on))


@api.get("/access-requests", response=AccessRequestsOut, tags=["access"],
         summary="The requests I made and those waiting for my decision")
def access_requests(request: HttpRequest) -> AccessRequestsOut:
    viewer = _viewer(request)
    return AccessRequestsOut(
        mine=[AccessRequestOut.of(r, on=viewer.on) for r in access_selectors.requests_by(viewer)],
        to_decide=[AccessRequestOut.of(r, on=viewer.on)
                   for r in access_selectors.requests_to_decide(viewer)],
    )


@api.post("/access-requests/{request_id}/decision",
          response={200: AccessRequestOut, 422: Problem}, tags=["access"],
          summary="Grant or refuse a pending request (the subject's 2nd evaluator)")
def access_request_decide(request: HttpRequest, request_id: int,
                          data: DecisionIn) -> AccessRequestOut:
    viewer = _viewer(request)
    pending = access_selectors.request_to_decide(viewer, request_id)
    if pending is None:
        raise Http404
    decided = access_services.access_request_decide(actor=viewer, request=pending,
                                                    grant=data.grant)
    return AccessRequestOut.of(decided, on=viewer.on)


@api.get("/me/access-reads", response=list[AccessReadOut], tags=["access"],
         summary="Who read my content under an access request, what, why and when")
def my_access_reads(request: HttpRequest) -> list[AccessReadOut]:
    person = _viewer(request).person
    if person is None:
        return []
    return [AccessReadOut.of(read) for read in access_selectors.reads_of(person)]


@api.get("/me/personal-data", response=PersonalDataOut, tags=["access"],
         summary="Everything Koers holds about me (recorded in my history)")
def my_personal_data(request: HttpRequest) -> dict[str, Any]:
    viewer = _viewer(request)
    if viewer.person is None:
        raise Http404
    export = access_services.personal_data_export(
        viewer=viewer, file_format=access_services.ExportFormat.JSON)
    return export.as_json()


# Evaluations ------------------------------------------------------------------------------
# The evaluations room's permissions decide who sees an evaluation (404 for missing and
# forbidden alike) and which parts: the self-evaluation is the employee's own until
# submitted, the report reaches the employee from the draft sent or the delivery on, and
# HR reads content only under a granted request (logged). A refused step answers 422 with
# the rule in words; a save that started from an older revision answers 409 with the
# texts as saved now.


def _evaluation(request: HttpRequest, evaluation_id: int) -> Evaluation:
    evaluation = evaluation_permissions.evaluation_for(_viewer(request), evaluation_id)
    if evaluation is None:
        raise Http404
    return evaluation


def _log_content_read(viewer: Viewer, evaluation: Evaluation) -> None:
    """HR reading the content under a granted request: the employee sees the read."""
    if evaluation_permissions.reads_under_grant(viewer, evaluation):
        access_services.access_read_log(
            viewer=viewer, subject=evaluation.person, scope=Scope.EVALUATIONS,
            record=evaluation, label=str(evaluation.get_kind_display()))


def _evaluation_out(request: HttpRequest, evaluation: Evaluation) -> EvaluationOut:
    viewer = _viewer(request)
    page = evaluation_selectors.evaluation_page(evaluation)
    loaded = page.evaluation
    show_report = evaluation_permissions.can_view_report(viewer, loaded)
    show_self = evaluation_permissions.can_view_self_evaluation(viewer, loaded)
    if show_report or show_self:
        _log_content_read(viewer, loaded)
    return EvaluationOut.of_page(
        page, show_self_evaluation=show_self, show_report=show_report,
        offers=evaluation_selectors.available_actions(viewer, loaded, page))


def _evaluations(evaluations: Iterable[Evaluation]) -> list[EvaluationSummaryOut]:
    return [EvaluationSummaryOut.of(evaluation) for evaluation in evaluations]


@api.get("/me/evaluations", response=list[EvaluationSummaryOut], tags=["evaluations"],
         summary="My evaluations, the latest period first")
def my_evaluations(request: HttpRequest) -> list[EvaluationSummaryOut]:
    viewer = _viewer(request)
    if viewer.person is None:
        return []
    return _evaluations(evaluation_selectors.evaluations_for_person(viewer, viewer.person)
                        .select_related("person"))


@api.get("/people/{person_id}/evaluations", response=list[EvaluationSummaryOut],
         tags=["evaluations"], summary="A person's evaluations I may see")
def person_evaluations(request: HttpRequest, person_id: int) -> list[EvaluationSummaryOut]:
    person = _person(request, person_id)
    return _evaluations(evaluation_selectors.evaluations_for_person(_viewer(request), person)
                        .select_related("person"))


@api.post("/people/{person_id}/evaluations", response={201: EvaluationOut, 422: Problem},
          tags=["evaluations"],
          summary="Open an evaluation: annual (for a participation), a formal assessment "
                  "(Dutch policy) or an advanced evaluation after onvoldoende")
def evaluation_open(request: HttpRequest, person_id: int,
                    data: EvaluationOpenIn) -> Status[EvaluationOut]:
    person = _person(request, person_id)
    participation = None
    if data.participation_id is not None:
        participation = Participation.objects.filter(pk=data.participation_id,
                                                     person=person).first()
        if participation is None:
            message = _("Choose a participation of this person.")
            raise ValidationFailed(message, {"participation_id": [message]})
    conversation = None
    if data.improvement_conversation_id is not None:
        conversation = conversation_permissions.conversation_for(
            _viewer(request), data.improvement_conversation_id)
        if conversation is None or conversation.employee_id != person.pk:
            message = _("Choose a conversation of this person.")
            raise ValidationFailed(message, {"improvement_conversation_id": [message]})
    follows = None
    if data.follows_id is not None:
        follows = evaluation_permissions.evaluation_for(_viewer(request), data.follows_id)
        if follows is None or follows.person_id != person.pk:
            message = _("Choose an evaluation of this person.")
            raise ValidationFailed(message, {"follows_id": [message]})
    evaluation = evaluation_services.evaluation_open(
        actor=_viewer(request), person=person, participation=participation, kind=data.kind,
        written_procedure=data.written_procedure, formal_reason=data.formal_reason,
        improvement_conversation=conversation, follows=follows, due_on=data.due_on,
    )
    return Status(201, _evaluation_out(request, evaluation))


@api.post("/participations/{participation_id}/evaluation",
          response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
          summary="The annual evaluation of a participation, opened on first use")
def participation_evaluation(request: HttpRequest, participation_id: int) -> EvaluationOut:
    participation = (
        Participation.objects.select_related("cycle", "person__organisation", "person__unit")
        .filter(pk=participation_id).first()
    )
    if participation is None:
        raise Http404
    evaluation = evaluation_services.evaluation_for_participation(
        actor=_viewer(request), participation=participation)
    return _evaluation_out(request, evaluation)


@api.get("/evaluations/{evaluation_id}", response=EvaluationOut, tags=["evaluations"],
         summary="An evaluation with the parts I may see and what I may do now")
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    return _evaluation_out(request, _evaluation(request, evaluation_id))


@api.put("/evaluations/{evaluation_id}/self-evaluation",
         response={200: EvaluationOut, 409: ConflictOut, 422: Problem}, tags=["evaluations"],
         summary="Save my self-evaluation (private until submitted); 409 when it was "
                 "saved elsewhere since the revision I started from")
def self_evaluation_save(request: HttpRequest, evaluation_id: int,
                         data: SelfEvaluationIn) -> EvaluationOut | Status[ConflictOut]:
    evaluation = _evaluation(request, evaluation_id)
    try:
        evaluation = evaluation_services.self_evaluation_save(
            actor=_viewer(request), evaluation=evaluation, overall=data.overall,
            items=data.items, expected_revision=data.expected_revision)
    except EditConflict as conflict:
        return Status(409, ConflictOut.of(conflict))
    return _evaluation_out(request, evaluation)


@api.post("/evaluations/{evaluation_id}/self-evaluation/submit",
          response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
          summary="Submit my self-evaluation: read-only from now on, and visible to the "
                  "evaluators")
def self_evaluation_submit(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    evaluation = evaluation_services.self_evaluation_submit(
        actor=_viewer(request), evaluation=_evaluation(request, evaluation_id))
    return _evaluation_out(request, evaluation)


@api.put("/evaluations/{evaluation_id}/report",
         response={200: EvaluationOut, 409: ConflictOut, 422: Problem}, tags=["evaluations"],
         summary="Save the report's current, unsigned version (texts, verdict, advanced "
                 "evaluation day); 409 when it was saved elsewhere since my revision")
def report_save(request: HttpRequest, evaluation_id: int,
                data: ReportIn) -> EvaluationOut | Status[ConflictOut]:
    evaluation = _evaluation(request, evaluation_id)
    try:
        evaluation_services.report_save(
            actor=_viewer(request), evaluation=evaluation, overall=data.overall,
            items=data.items, verdict=data.verdict,
            advanced_evaluation_on=data.advanced_evaluation_on,
            expected_revision=data.expected_revision)
    except EditConflict as conflict:
        return Status(409, ConflictOut.of(conflict))
    return _evaluation_out(request, evaluation)


@api.put("/evaluations/{evaluation_id}/written-procedure",
         response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
         summary="Hold the evaluation in writing when an oral conversation is impossible")
def evaluation_written_procedure(request: HttpRequest, evaluation_id: int,
                                 data: WrittenProcedureIn) -> EvaluationOut:
    evaluation = evaluation_services.evaluation_set_written_procedure(
        actor=_viewer(request), evaluation=_evaluation(request, evaluation_id),
        written=data.written)
    return _evaluation_out(request, evaluation)


@api.post("/evaluations/{evaluation_id}/send-draft",
          response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
          summary="Written procedure: send the draft report to the employee for remarks")
def evaluation_send_draft(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    evaluation = evaluation_services.evaluation_send_draft(
        actor=_viewer(request), evaluation=_evaluation(request, evaluation_id))
    return _evaluation_out(request, evaluation)


@api.post("/evaluations/{evaluation_id}/draft-remarks",
          response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
          summary="Written procedure: my remarks on the draft report, once, within the term")
def draft_remarks_add(request: HttpRequest, evaluation_id: int,
                      data: RemarksIn) -> EvaluationOut:
    evaluation = evaluation_services.draft_remarks_add(
        actor=_viewer(request), evaluation=_evaluation(request, evaluation_id),
        remarks=data.remarks)
    return _evaluation_out(request, evaluation)


@api.post("/evaluations/{evaluation_id}/sign",
          response={200: EvaluationOut, 409: ConflictOut, 422: Problem}, tags=["evaluations"],
          summary="Sign the current version (1st evaluator, 2nd evaluator or the employee "
                  "with optional remarks); the signature stores the seal of what was signed; "
                  "409 when the report changed since the version and revision I read")
def evaluation_sign(request: HttpRequest, evaluation_id: int,
                    data: SignIn) -> EvaluationOut | Status[ConflictOut]:
    evaluation = _evaluation(request, evaluation_id)
    role = None
    if data.role:
        if data.role not in (Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR, Role.EMPLOYEE):
            message = _("Sign as the 1st evaluator, the 2nd evaluator or the employee.")
            raise ValidationFailed(message, {"role": [message]})
        role = Role(data.role)
    try:
        evaluation_services.evaluation_sign(
            actor=_viewer(request), evaluation=evaluation, remarks=data.remarks, role=role,
            expected_version=data.expected_version,
            expected_revision=data.expected_revision)
    except EditConflict as conflict:
        return Status(409, ConflictOut.of(conflict))
    return _evaluation_out(request, evaluation)


@api.post("/evaluations/{evaluation_id}/correct", response={200: EvaluationOut, 422: Problem},
          tags=["evaluations"],
          summary="Correct a signed report: a new version opens, to be signed again")
def evaluation_correct(request: HttpRequest, evaluation_id: int,
                       data: ReasonIn) -> EvaluationOut:
    evaluation = _evaluation(request, evaluation_id)
    evaluation_services.evaluation_correct(actor=_viewer(request), evaluation=evaluation,
                                           reason=data.reason)
    return _evaluation_out(request, evaluation)


@api.post("/evaluations/{evaluation_id}/close-unsigned",
          response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
          summary="Close a delivered evaluation the employee did not sign within the term")
def evaluation_close_unsigned(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    evaluation = evaluation_services.evaluation_close_unsigned(
        actor=_viewer(request), evaluation=_evaluation(request, evaluation_id))
    return _evaluation_out(request, evaluation)


@api.post("/evaluations/{evaluation_id}/cancel", response={200: EvaluationOut, 422: Problem},
          tags=["evaluations"], summary="Cancel an evaluation that is not signed yet (HR)")
def evaluation_cancel(request: HttpRequest, evaluation_id: int, data: ReasonIn) -> EvaluationOut:
    evaluation = evaluation_services.evaluation_cancel(
        actor=_viewer(request), evaluation=_evaluation(request, evaluation_id),
        reason=data.reason)
    return _evaluation_out(request, evaluation)


@api.post("/evaluations/{evaluation_id}/objections",
          response={201: ObjectionOut, 422: Problem}, tags=["evaluations"],
          summary="Record the employee's objection to a delivered formal assessment")
def objection_record(request: HttpRequest, evaluation_id: int,
                     data: ObjectionIn) -> Status[ObjectionOut]:
    objection = evaluation_services.objection_record(
        actor=_viewer(request), evaluation=_evaluation(request, evaluation_id),
        filed_on=data.filed_on, text=data.text)
    return Status(201, ObjectionOut.of(objection))


def _report_reader(request: HttpRequest, evaluation_id: int) -> Evaluation:
    """The evaluation, if the caller may read its report (the same 404 otherwise)."""
    viewer = _viewer(request)
    evaluation = _evaluation(request, evaluation_id)
    if not evaluation_permissions.can_view_report(viewer, evaluation):
        raise Http404
    _log_content_read(viewer, evaluation)
    return evaluation


@api.get("/evaluations/{evaluation_id}/versions", response=list[ReportOut],
         tags=["evaluations"],
         summary="Every version of the report, oldest first, with its signatures and seals")
def evaluation_versions(request: HttpRequest, evaluation_id: int) -> list[ReportOut]:
    page = evaluation_selectors.evaluation_page(_report_reader(request, evaluation_id))
    return [ReportOut.of(version.report) for version in page.versions]


@api.get("/evaluations/{evaluation_id}/pdf", tags=["evaluations"],
         summary="The report as a PDF, in the employee's language unless one is asked for",
         openapi_extra={"responses": {200: {
             "description": "The report (tagged PDF/UA-1)",
             "content": {"application/pdf": {"schema": {"type": "string",
                                                         "format": "binary"}}}}}})
def evaluation_pdf(request: HttpRequest, evaluation_id: int,
                   language: str | None = None) -> HttpResponse:
    evaluation = _report_reader(request, evaluation_id)
    languages = list(spoken.CODES)
    if language is None:
        language = evaluation.person.reading_language
    if language not in languages:
        message = _("Choose one of the languages %(languages)s.") % {
            "languages": ", ".join(languages)}
        raise ValidationFailed(message, {"language": [message]})
    response = HttpResponse(report_pdf(evaluation, language=language),
                            content_type="application/pdf")
    name = f"evaluation-{evaluation.pk}-{evaluation.period_end:%Y}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Personal development plans (POP) -----------------------------------------------------
# The same policy as the pages (development/permissions.py): everyone of the organisation
# reads the catalogues and HR of the whole organisation edits them; the employee and the
# 1st evaluator build and sign a plan, the 2nd evaluator reads along, HR reads a plan only
# under a granted request (logged); HR of the employee's unit sees the actions asked of it.
# Missing and forbidden are the same 404.


def _catalogue_of(request: HttpRequest, organisation_id: int, *,
                  manage: bool = False) -> Organisation:
    viewer = _viewer(request)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not development_permissions.can_read_catalogue(
            viewer, organisation):
        raise Http404
    if manage and not development_permissions.can_manage_catalogue(viewer, organisation):
        raise Http404
    return organisation


def _competency(request: HttpRequest, competency_id: int, *,
                manage: bool = False) -> Competency:
    competency = (Competency.objects.select_related("organisation", "cluster")
                  .filter(pk=competency_id).first())
    if competency is None:
        raise Http404
    _catalogue_of(request, competency.organisation_id, manage=manage)
    return competency


def _development_action(request: HttpRequest, action_id: int, *,
                        manage: bool = False) -> DevelopmentAction:
    action = DevelopmentAction.objects.select_related("organisation").filter(
        pk=action_id).first()
    if action is None:
        raise Http404
    _catalogue_of(request, action.organisation_id, manage=manage)
    return action


def _action_in(organisation_id: int, action_id: int | None,
               field: str = "action_id") -> DevelopmentAction | None:
    if action_id is None:
        return None
    action = DevelopmentAction.objects.filter(pk=action_id,
                                              organisation_id=organisation_id).first()
    if action is None:
        message = _("Choose a development action of this organisation.")
        raise ValidationFailed(message, {field: [message]})
    return action


def _competency_in(organisation_id: int, competency_id: int) -> Competency:
    competency = Competency.objects.filter(pk=competency_id,
                                           organisation_id=organisation_id).first()
    if competency is None:
        message = _("Choose a competency of this organisation's catalogue.")
        raise ValidationFailed(message, {"competency_id": [message]})
    return competency


def _person_in(organisation_id: int, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id, organisation_id=organisation_id).first()
    if person is None:
        message = _("Choose someone of this organisation.")
        raise ValidationFailed(message, {"supporter_id": [message]})
    return person


@api.get("/organisations/{organisation_id}/competencies", response=list[pop.ClusterOut],
         tags=["development"], summary="The competency catalogue, in clusters")
def competency_catalogue(request: HttpRequest, organisation_id: int) -> list[pop.ClusterOut]:
    viewer = _viewer(request)
    organisation = _catalogue_of(request, organisation_id)
    clusters = development_selectors.clusters_with_competencies(
        organisation,
        include_inactive=development_permissions.can_manage_catalogue(viewer, organisation))
    return [pop.ClusterOut.of(cluster) for cluster in clusters]


@api.post("/organisations/{organisation_id}/competencies",
          response={201: pop.CompetencyOut, 422: Problem}, tags=["development"],
          summary="Add a competency of the organisation's own (HR)")
def competency_create(request: HttpRequest, organisation_id: int,
                      data: pop.CompetencyIn) -> Status[pop.CompetencyOut]:
    organisation = _catalogue_of(request, organisation_id, manage=True)
    cluster = organisation.competency_clusters.filter(pk=data.cluster_id).first()
    if cluster is None:
        message = _("Choose a cluster of this organisation.")
        raise ValidationFailed(message, {"cluster_id": [message]})
    competency = catalogue_services.competency_create(
        actor=_viewer(request), organisation=organisation, cluster=cluster,
        name_nl=data.name_nl, name_en=data.name_en, description_nl=data.description_nl,
        description_en=data.description_en)
    return Status(201, pop.CompetencyOut.of(competency))


@api.patch("/competencies/{competency_id}", response={200: pop.CompetencyOut, 422: Problem},
           tags=["development"],
           summary="Rename, describe, move or archive a competency (HR)")
def competency_change(request: HttpRequest, competency_id: int,
                      patch: pop.CompetencyPatch) -> pop.CompetencyOut:
    competency = _competency(request, competency_id, manage=True)
    changes: dict[str, Any] = patch.dict(exclude_unset=True, exclude_none=True)
    if "cluster_id" in changes:
        cluster = competency.organisation.competency_clusters.filter(
            pk=changes.pop("cluster_id")).first()
        if cluster is None:
            message = _("Choose a cluster of this organisation.")
            raise ValidationFailed(message, {"cluster_id": [message]})
        changes["cluster"] = cluster
    competency = catalogue_services.competency_change(actor=_viewer(request),
                                                      competency=competency, changes=changes)
    return pop.CompetencyOut.of(competency)


@api.get("/competencies/{competency_id}/advice", response=list[pop.ActionAdviceOut],
         tags=["development"],
         summary="Every development action with the matrix's word on it for the competency")
def competency_advice(request: HttpRequest, competency_id: int) -> list[pop.ActionAdviceOut]:
    competency = _competency(request, competency_id)
    return [pop.ActionAdviceOut.of(a) for a in development_selectors.advice_for(competency)]


@api.put("/competencies/{competency_id}/recommendations/{action_id}",
         response={200: pop.RecommendationOut, 422: Problem}, tags=["development"],
         summary="Fill in one cell of the recommendation matrix (HR)")
def recommendation_set(request: HttpRequest, competency_id: int, action_id: int,
                       data: pop.RecommendationIn) -> pop.RecommendationOut:
    competency = _competency(request, competency_id, manage=True)
    action = _development_action(request, action_id, manage=True)
    cell = catalogue_services.recommendation_set(actor=_viewer(request), competency=competency,
                                                 action=action, value=data.value)
    return pop.RecommendationOut.of(cell)


@api.get("/organisations/{organisation_id}/development-actions",
         response=list[pop.DevelopmentActionOut], tags=["development"],
         summary="The development actions (learning forms) of the catalogue")
def development_actions(request: HttpRequest,
                        organisation_id: int) -> list[pop.DevelopmentActionOut]:
    viewer = _viewer(request)
    organisation = _catalogue_of(request, organisation_id)
    actions = development_selectors.development_actions(
        organisation,
        include_inactive=development_permissions.can_manage_catalogue(viewer, organisation))
    return [pop.DevelopmentActionOut.of(action) for action in actions]


@api.post("/organisations/{organisation_id}/development-actions",
          response={201: pop.DevelopmentActionOut, 422: Problem}, tags=["development"],
          summary="Add a development action of the organisation's own (HR)")
def development_action_create(request: HttpRequest, organisation_id: int,
                              data: pop.DevelopmentActionIn) -> Status[pop.DevelopmentActionOut]:
    organisation = _catalogue_of(request, organisation_id, manage=True)
    action = catalogue_services.development_action_create(
        actor=_viewer(request), organisation=organisation, **data.dict())
    return Status(201, pop.DevelopmentActionOut.of(action))


@api.patch("/development-actions/{action_id}",
           response={200: pop.DevelopmentActionOut, 422: Problem}, tags=["development"],
           summary="Change or archive a development action (HR)")
def development_action_change(request: HttpRequest, action_id: int,
                              patch: pop.DevelopmentActionPatch) -> pop.DevelopmentActionOut:
    action = _development_action(request, action_id, manage=True)
    action = catalogue_services.development_action_change(
        actor=_viewer(request), action=action,
        changes=patch.dict(exclude_unset=True, exclude_none=True))
    return pop.DevelopmentActionOut.of(action)


@api.get("/organisations/{organisation_id}/recommendations", response=pop.MatrixOut,
         tags=["development"],
         summary="The competency × development action matrix; unknown: no recommendation yet")
def recommendation_matrix(request: HttpRequest, organisation_id: int) -> pop.MatrixOut:
    organisation = _catalogue_of(request, organisation_id)
    return pop.MatrixOut.of(development_selectors.matrix(organisation))


@api.get("/organisations/{organisation_id}/competency-profiles",
         response=list[pop.ProfileOut], tags=["development"],
         summary="The competency profiles per job title")
def competency_profiles(request: HttpRequest, organisation_id: int) -> list[pop.ProfileOut]:
    organisation = _catalogue_of(request, organisation_id)
    return [pop.ProfileOut.of(profile)
            for profile in development_selectors.profiles_of(organisation).order_by("job_title")]


@api.put("/organisations/{organisation_id}/competency-profiles",
         response={200: pop.ProfileOut, 422: Problem}, tags=["development"],
         summary="Save the competency profile of a job title, in the order given (HR)")
def competency_profile_save(request: HttpRequest, organisation_id: int,
                            data: pop.ProfileIn) -> pop.ProfileOut:
    organisation = _catalogue_of(request, organisation_id, manage=True)
    competencies = [_competency_in(organisation.pk, pk) for pk in data.competency_ids]
    profile = catalogue_services.competency_profile_save(
        actor=_viewer(request), organisation=organisation, job_title=data.job_title,
        competencies=competencies)
    return pop.ProfileOut.of(development_selectors.profiles_of(organisation).get(pk=profile.pk))


# Preparing the POP conversation: the self-scan is the caller's alone; each preparation
# is private to its author until shared, then read-only (services/preparations.py). One
# the caller may not read is the same 404 as a missing one; the service refuses changes
# by anyone but the author (404) and to a shared preparation (422).


def _competencies_in(organisation_id: int, competency_ids: list[int]) -> list[Competency]:
    """The competencies of the organisation's catalogue, in the order given, in one query."""
    found = Competency.objects.filter(organisation_id=organisation_id).in_bulk(competency_ids)
    if len(found) != len(set(competency_ids)):
        message = _("Choose a competency of this organisation's catalogue.")
        raise ValidationFailed(message, {"competency_ids": [message]})
    return [found[pk] for pk in dict.fromkeys(competency_ids)]


def _employee_preparation(request: HttpRequest,
                          preparation_id: int) -> EmployeePreparation:
    preparation = (EmployeePreparation.objects.select_related("employee")
                   .prefetch_related("competencies").filter(pk=preparation_id).first())
    if preparation is None or not development_permissions.can_view_employee_preparation(
            _viewer(request), preparation):
        raise Http404
    return preparation


def _department_preparation(request: HttpRequest,
                            preparation_id: int) -> DepartmentPreparation:
    preparation = DepartmentPreparation.objects.filter(pk=preparation_id).first()
    if preparation is None or not development_permissions.can_view_department_preparation(
            _viewer(request), preparation):
        raise Http404
    return preparation


def _manager_preparation(request: HttpRequest, preparation_id: int) -> ManagerPreparation:
    preparation = (ManagerPreparation.objects.select_related("employee")
                   .prefetch_related("competencies").filter(pk=preparation_id).first())
    if preparation is None or not development_permissions.can_view_manager_preparation(
            _viewer(request), preparation):
        raise Http404
    return preparation


@api.get("/me/self-scan", response=pop.SelfScanOut, tags=["development"],
         summary="My self-scan (mine alone); empty until I first save it")
def self_scan(request: HttpRequest) -> pop.SelfScanOut:
    me = _person_or_me(request, None)
    return pop.SelfScanOut.of(SelfScan.objects.filter(employee=me).first())


@api.put("/me/self-scan", response={200: pop.SelfScanOut, 422: Problem}, tags=["development"],
         summary="Save my self-scan; a preparation I start afterwards is pre-filled from it")
def self_scan_save(request: HttpRequest, data: pop.SelfScanIn) -> pop.SelfScanOut:
    scan = preparation_services.self_scan_save(actor=_viewer(request), changes=data.dict())
    return pop.SelfScanOut.of(scan)


@api.get("/employee-preparations", response=list[pop.EmployeePreparationOut],
         tags=["development"],
         summary="My own preparations and those the people I evaluate shared with me, "
                 "newest first")
def employee_preparations(request: HttpRequest) -> list[pop.EmployeePreparationOut]:
    preparations = development_permissions.employee_preparations_visible_to(_viewer(request))
    return [pop.EmployeePreparationOut.of(p)
            for p in preparations.order_by("-created_at", "-pk")]


@api.post("/employee-preparations",
          response={201: pop.EmployeePreparationDetailOut, 422: Problem}, tags=["development"],
          summary="Start a preparation of my own, pre-filled from my self-scan; private until "
                  "I share it")
def employee_preparation_start(
        request: HttpRequest,
        data: pop.EmployeePreparationIn) -> Status[pop.EmployeePreparationDetailOut]:
    me = _person_or_me(request, None)
    preparation = preparation_services.employee_preparation_start(
        actor=_viewer(request), from_self_scan=data.from_self_scan,
        competencies=_competencies_in(me.organisation_id, data.competency_ids))
    return Status(201, pop.EmployeePreparationDetailOut.of_detail(
        _employee_preparation(request, preparation.pk)))


@api.get("/employee-preparations/{employee_preparation_id}",
         response=pop.EmployeePreparationDetailOut, tags=["development"],
         summary="An employee's preparation: the employee's, and their evaluators' once shared")
def employee_preparation(request: HttpRequest,
                         employee_preparation_id: int) -> pop.EmployeePreparationDetailOut:
    return pop.EmployeePreparationDetailOut.of_detail(
        _employee_preparation(request, employee_preparation_id))


def _save_answers(request: HttpRequest, save: Callable[..., Any], preparation: Any,
                  organisation_id: int, patch: Schema) -> None:
    """Save the answers a patch sets and, if it names them, the chosen competencies."""
    changes: dict[str, Any] = patch.dict(exclude_unset=True, exclude_none=True)
    competency_ids = changes.pop("competency_ids", None)
    save(actor=_viewer(request), preparation=preparation, changes=changes,
         competencies=None if competency_ids is None
         else _competencies_in(organisation_id, competency_ids))


@api.patch("/employee-preparations/{employee_preparation_id}",
           response={200: pop.EmployeePreparationDetailOut, 422: Problem},
           tags=["development"],
           summary="Save my draft preparation: its answers and the competencies chosen")
def employee_preparation_save(
        request: HttpRequest, employee_preparation_id: int,
        patch: pop.EmployeePreparationPatch) -> pop.EmployeePreparationDetailOut:
    preparation = _employee_preparation(request, employee_preparation_id)
    _save_answers(request, preparation_services.employee_preparation_save, preparation,
                  preparation.employee.organisation_id, patch)
    return pop.EmployeePreparationDetailOut.of_detail(
        _employee_preparation(request, preparation.pk))


@api.post("/employee-preparations/{employee_preparation_id}/share",
          response={200: pop.EmployeePreparationDetailOut, 422: Problem},
          tags=["development"],
          summary="Share my preparation with my evaluators; it is read-only from then on")
def employee_preparation_share(request: HttpRequest,
                               employee_preparation_id: int) -> pop.EmployeePreparationDetailOut:
    preparation = _employee_preparation(request, employee_preparation_id)
    preparation_services.employee_preparation_share(actor=_viewer(request),
                                                    preparation=preparation)
    return pop.EmployeePreparationDetailOut.of_detail(
        _employee_preparation(request, preparation.pk))


@api.get("/department-preparations", response=list[pop.DepartmentPreparationOut],
         tags=["development"],
         summary="My general preparations of the units I manage and those the managers I "
                 "evaluate shared with me, newest first")
def department_preparations(request: HttpRequest) -> list[pop.DepartmentPreparationOut]:
    preparations = development_permissions.department_preparations_visible_to(
        _viewer(request))
    return [pop.DepartmentPreparationOut.of(p)
            for p in preparations.order_by("-created_at", "-pk")]


@api.post("/department-preparations",
          response={201: pop.DepartmentPreparationDetailOut, 422: Problem},
          tags=["development"],
          summary="Start the general preparation of a unit I manage; private until I share it")
def department_preparation_start(
        request: HttpRequest,
        data: pop.DepartmentPreparationIn) -> Status[pop.DepartmentPreparationDetailOut]:
    me = _person_or_me(request, None)
    unit = Unit.objects.filter(pk=data.unit_id, organisation_id=me.organisation_id).first()
    if unit is None:
        message = _("Choose a unit you manage.")
        raise ValidationFailed(message, {"unit_id": [message]})
    preparation = preparation_services.department_preparation_start(actor=_viewer(request),
                                                                     unit=unit)
    return Status(201, pop.DepartmentPreparationDetailOut.of_detail(preparation))


@api.get("/department-preparations/{department_preparation_id}",
         response=pop.DepartmentPreparationDetailOut, tags=["development"],
         summary="A manager's general preparation of a unit: the manager's, and their own "
                 "evaluators' once shared")
def department_preparation(request: HttpRequest,
                           department_preparation_id: int) -> pop.DepartmentPreparationDetailOut:
    return pop.DepartmentPreparationDetailOut.of_detail(
        _department_preparation(request, department_preparation_id))


@api.patch("/department-preparations/{department_preparation_id}",
           response={200: pop.DepartmentPreparationDetailOut, 422: Problem},
           tags=["development"], summary="Save my draft general preparation")
def department_preparation_save(
        request: HttpRequest, department_preparation_id: int,
        patch: pop.DepartmentPreparationPatch) -> pop.DepartmentPreparationDetailOut:
    preparation = preparation_services.department_preparation_save(
        actor=_viewer(request),
        preparation=_department_preparation(request, department_preparation_id),
        changes=patch.dict(exclude_unset=True, exclude_none=True))
    return pop.DepartmentPreparationDetailOut.of_detail(preparation)


@api.post("/department-preparations/{department_preparation_id}/share",
          response={200: pop.DepartmentPreparationDetailOut, 422: Problem},
          tags=["development"],
          summary="Share my general preparation with my own evaluators; read-only from then "
                  "on")
def department_preparation_share(
        request: HttpRequest,
        department_preparation_id: int) -> pop.DepartmentPreparationDetailOut:
    preparation = preparation_services.department_preparation_share(
        actor=_viewer(request),
        preparation=_department_preparation(request, department_preparation_id))
    return pop.DepartmentPreparationDetailOut.of_detail(preparation)


@api.get("/manager-preparations", response=list[pop.ManagerPreparationOut],
         tags=["development"],
         summary="The preparations I wrote about the people I evaluate first, and those "
                 "shared with me about me or the people I evaluate, newest first")
def manager_preparations(request: HttpRequest) -> list[pop.ManagerPreparationOut]:
    preparations = development_permissions.manager_preparations_visible_to(_viewer(request))
    return [pop.ManagerPreparationOut.of(p)
            for p in preparations.order_by("-created_at", "-pk")]


@api.post("/people/{person_id}/manager-preparations",
          response={201: pop.ManagerPreparationDetailOut, 422: Problem},
          tags=["development"],
          summary="Start my preparation about an employee I evaluate first, optionally on my "
                  "general preparation; private until I share it")
def manager_preparation_start(
        request: HttpRequest, person_id: int,
        data: pop.ManagerPreparationIn) -> Status[pop.ManagerPreparationDetailOut]:
    viewer = _viewer(request)
    employee = _person(request, person_id)
    view = None
    if data.department_view_id is not None:
        view = development_permissions.department_preparations_visible_to(viewer).filter(
            pk=data.department_view_id).first()
        if view is None:
            message = _("Choose a general preparation of your own.")
            raise ValidationFailed(message, {"department_view_id": [message]})
    preparation = preparation_services.manager_preparation_start(
        actor=viewer, employee=employee, department_view=view,
        competencies=_competencies_in(employee.organisation_id, data.competency_ids))
    return Status(201, pop.ManagerPreparationDetailOut.of_detail(
        _manager_preparation(request, preparation.pk)))


@api.get("/manager-preparations/{manager_preparation_id}",
         response=pop.ManagerPreparationDetailOut, tags=["development"],
         summary="The 1st evaluator's preparation about an employee: the author's, and the "
                 "employee's and their evaluators' once shared")
def manager_preparation(request: HttpRequest,
                        manager_preparation_id: int) -> pop.ManagerPreparationDetailOut:
    return pop.ManagerPreparationDetailOut.of_detail(
        _manager_preparation(request, manager_preparation_id))


@api.patch("/manager-preparations/{manager_preparation_id}",
           response={200: pop.ManagerPreparationDetailOut, 422: Problem},
           tags=["development"],
           summary="Save my draft preparation about an employee: its answers and the "
                   "competencies chosen")
def manager_preparation_save(
        request: HttpRequest, manager_preparation_id: int,
        patch: pop.ManagerPreparationPatch) -> pop.ManagerPreparationDetailOut:
    preparation = _manager_preparation(request, manager_preparation_id)
    _save_answers(request, preparation_services.manager_preparation_save, preparation,
                  preparation.employee.organisation_id, patch)
    return pop.ManagerPreparationDetailOut.of_detail(
        _manager_preparation(request, preparation.pk))


@api.post("/manager-preparations/{manager_preparation_id}/share",
          response={200: pop.ManagerPreparationDetailOut, 422: Problem},
          tags=["development"],
          summary="Share my preparation with the employee (and their other evaluator); "
                  "read-only from then on")
def manager_preparation_share(request: HttpRequest,
                              manager_preparation_id: int) -> pop.ManagerPreparationDetailOut:
    preparation = _manager_preparation(request, manager_preparation_id)
    preparation_services.manager_preparation_share(actor=_viewer(request),
                                                   preparation=preparation)
    return pop.ManagerPreparationDetailOut.of_detail(
        _manager_preparation(request, preparation.pk))


def _plan(request: HttpRequest, plan_id: int) -> DevelopmentPlan:
    plan = development_permissions.plan_for(_viewer(request), plan_id)
    if plan is None:
        raise Http404
    return plan


def _plan_detail(plan_id: int) -> pop.PlanDetailOut:
    plan = development_selectors.plan_with_rows(plan_id)
    review = development_selectors.plan_review(plan, today=today_for(plan.organisation))
    return pop.PlanDetailOut.of_summary(plan_summary(plan), review)


def _row(request: HttpRequest, row_id: int) -> PlanItem:
    """A row of a plan the caller builds (the employee, the 1st evaluator)."""
    viewer = _viewer(request)
    item = (PlanItem.objects.select_related("plan__employee__unit", "plan__organisation",
                                            "competency").filter(pk=row_id).first())
    if item is None or not (development_permissions.can_view_plan(viewer, item.plan)
                            and development_permissions.can_edit_plan(viewer, item.plan)):
        raise Http404
    return item


def _row_part[T: PlanGoal | PlanMeans | HrAction](request: HttpRequest, model: type[T],
                                                  pk: int) -> T:
    part = cast(T | None, model.objects.filter(pk=pk).first())
    if part is None:
        raise Http404
    part.item = _row(request, part.item_id)
    return part


@api.get("/people/{person_id}/development-plans", response=list[pop.PlanOut],
         tags=["development"], summary="A person's development plans I may see")
def person_development_plans(request: HttpRequest, person_id: int) -> list[pop.PlanOut]:
    plans = development_selectors.plans_of(_viewer(request), _person(request, person_id))
    return [pop.PlanOut.of(plan) for plan in plans]


@api.post("/development-plans", response={201: pop.PlanDetailOut, 422: Problem},
          tags=["development"],
          summary="Start a development plan in the planning conversation (employee or 1st "
                  "evaluator)")
def development_plan_create(request: HttpRequest, data: pop.PlanIn) -> Status[pop.PlanDetailOut]:
    viewer = _viewer(request)
    employee = _person_or_me(request, data.employee_id)
    conversation = None
    if data.planning_conversation_id is not None:
        conversation = conversation_permissions.conversation_for(
            viewer, data.planning_conversation_id)
        if conversation is None:
            message = _("Choose a conversation with this employee.")
            raise ValidationFailed(message, {"planning_conversation_id": [message]})
    plan = plan_services.plan_create(
        actor=viewer, employee=employee, planning_conversation=conversation,
        held_on=data.held_on, period_start=data.period_start, period_end=data.period_end)
    return Status(201, _plan_detail(plan.pk))


@api.get("/development-plans/{plan_id}", response=pop.PlanDetailOut, tags=["development"],
         summary="A development plan: its summary table, rule messages, rounds and signatures")
def development_plan(request: HttpRequest, plan_id: int) -> pop.PlanDetailOut:
    viewer = _viewer(request)
    plan = _plan(request, plan_id)
    if development_permissions.read_under_grant(viewer, plan):
        access_services.access_read_log(viewer=viewer, subject=plan.employee,
                                        scope=development_permissions.PLAN_SCOPE, record=plan,
                                        label=_("Development plan"))
    return _plan_detail(plan.pk)


@api.patch("/development-plans/{plan_id}", response={200: pop.PlanDetailOut, 422: Problem},
           tags=["development"], summary="Write my remarks on my plan (the employee)")
def development_plan_remarks(request: HttpRequest, plan_id: int,
                             patch: pop.PlanPatch) -> pop.PlanDetailOut:
    plan = plan_services.plan_remarks_set(actor=_viewer(request), plan=_plan(request, plan_id),
                                          remarks=patch.employee_remarks)
    return _plan_detail(plan.pk)


@api.post("/development-plans/{plan_id}/rows", response={201: pop.SavedRowOut, 422: Problem},
          tags=["development"],
          summary="Add a competency to develop: at most the policy's number (refused), a "
                  "warning above its number at priority 1")
def plan_row_add(request: HttpRequest, plan_id: int, data: pop.RowIn) -> Status[pop.SavedRowOut]:
    plan = _plan(request, plan_id)
    saved = plan_services.plan_item_add(
        actor=_viewer(request), plan=plan,
        competency=_competency_in(plan.organisation_id, data.competency_id),
        source=data.source, priority=data.priority, success_indicators=data.success_indicators)
    return Status(201, pop.SavedRowOut(id=saved.obj.pk, warnings=list(saved.warnings)))


@api.patch("/plan-rows/{row_id}", response={200: pop.SavedRowOut, 422: Problem},
           tags=["development"], summary="Change a row's competency, source, priority or "
                                         "success indicators")
def plan_row_change(request: HttpRequest, row_id: int, patch: pop.RowPatch) -> pop.SavedRowOut:
    item = _row(request, row_id)
    changes: dict[str, Any] = patch.dict(exclude_unset=True, exclude_none=True)
    if "competency_id" in changes:
        changes["competency"] = _competency_in(item.plan.organisation_id,
                                               changes.pop("competency_id"))
    saved = plan_services.plan_item_change(actor=_viewer(request), item=item, changes=changes)
    return pop.SavedRowOut(id=saved.obj.pk, warnings=list(saved.warnings))


@api.delete("/plan-rows/{row_id}", response={204: None, 422: Problem}, tags=["development"],
            summary="Remove a row with its goals, means and actions")
def plan_row_remove(request: HttpRequest, row_id: int) -> Status[None]:
    plan_services.plan_item_remove(actor=_viewer(request), item=_row(request, row_id))
    return Status(204, None)


@api.post("/plan-rows/{row_id}/goals", response={201: pop.GoalOut, 422: Problem},
          tags=["development"], summary="Add a development goal; the SMART check advises")
def plan_goal_add(request: HttpRequest, row_id: int, data: pop.GoalIn) -> Status[pop.GoalOut]:
    saved = plan_services.plan_goal_add(actor=_viewer(request), item=_row(request, row_id),
                                        text=data.text, term=data.term, term_note=data.term_note)
    return Status(201, pop.GoalOut.of(saved.obj, saved.advice))


@api.patch("/plan-goals/{plan_goal_id}", response={200: pop.GoalOut, 422: Problem},
           tags=["development"], summary="Change a development goal or its term")
def plan_goal_change(request: HttpRequest, plan_goal_id: int,
                     patch: pop.GoalPatch) -> pop.GoalOut:
    goal = _row_part(request, PlanGoal, plan_goal_id)
    saved = plan_services.plan_goal_change(actor=_viewer(request), goal=goal,
                                           changes=patch.dict(exclude_unset=True))
    return pop.GoalOut.of(saved.obj, saved.advice)


@api.delete("/plan-goals/{plan_goal_id}", response={204: None, 422: Problem},
            tags=["development"], summary="Remove a development goal")
def plan_goal_remove(request: HttpRequest, plan_goal_id: int) -> Status[None]:
    goal = _row_part(request, PlanGoal, plan_goal_id)
    plan_services.plan_goal_remove(actor=_viewer(request), goal=goal)
    return Status(204, None)


@api.post("/plan-rows/{row_id}/means", response={201: pop.MeansOut, 422: Problem},
          tags=["development"],
          summary="Add a means with its own term: a development action (those of "
                  "GET /competencies/{id}/advice first) or a support action in words")
def plan_means_add(request: HttpRequest, row_id: int, data: pop.MeansIn) -> Status[pop.MeansOut]:
    item = _row(request, row_id)
    organisation_id = item.plan.organisation_id
    saved = plan_services.plan_means_add(
        actor=_viewer(request), item=item, action=_action_in(organisation_id, data.action_id),
        description=data.description, term=data.term, term_note=data.term_note,
        supporter=_person_in(organisation_id, data.supporter_id))
    return Status(201, pop.MeansOut.of(saved.obj))


@api.patch("/plan-means/{means_id}", response={200: pop.MeansOut, 422: Problem},
           tags=["development"], summary="Change a means")
def plan_means_change(request: HttpRequest, means_id: int,
                      patch: pop.MeansPatch) -> pop.MeansOut:
    means = _row_part(request, PlanMeans, means_id)
    organisation_id = means.item.plan.organisation_id
    changes: dict[str, Any] = patch.dict(exclude_unset=True)
    if "action_id" in changes:
        changes["action"] = _action_in(organisation_id, changes.pop("action_id"))
    if "supporter_id" in changes:
        changes["supporter"] = _person_in(organisation_id, changes.pop("supporter_id"))
    saved = plan_services.plan_means_change(actor=_viewer(request), means=means,
                                            changes=changes)
    return pop.MeansOut.of(saved.obj)


@api.delete("/plan-means/{means_id}", response={204: None, 422: Problem},
            tags=["development"], summary="Remove a means")
def plan_means_remove(request: HttpRequest, means_id: int) -> Status[None]:
    means = _row_part(request, PlanMeans, means_id)
    plan_services.plan_means_remove(actor=_viewer(request), means=means)
    return Status(204, None)


@api.post("/plan-rows/{row_id}/hr-actions", response={201: pop.HrActionOut, 422: Problem},
          tags=["development"],
          summary="Ask HR to arrange something (a registration, …); HR sees it once signed")
def plan_hr_action_add(request: HttpRequest, row_id: int,
                       data: pop.HrActionIn) -> Status[pop.HrActionOut]:
    item = _row(request, row_id)
    saved = plan_services.plan_hr_action_add(
        actor=_viewer(request), item=item, description=data.description,
        action=_action_in(item.plan.organisation_id, data.action_id), term=data.term)
    return Status(201, pop.HrActionOut.of(saved.obj))


@api.patch("/hr-actions/{hr_action_id}", response={200: pop.HrActionOut, 422: Problem},
           tags=["development"], summary="Change an action asked of HR")
def plan_hr_action_change(request: HttpRequest, hr_action_id: int,
                          patch: pop.HrActionPatch) -> pop.HrActionOut:
    hr_action = _row_part(request, HrAction, hr_action_id)
    changes: dict[str, Any] = patch.dict(exclude_unset=True)
    if "action_id" in changes:
        changes["action"] = _action_in(hr_action.item.plan.organisation_id,
                                       changes.pop("action_id"))
    saved = plan_services.plan_hr_action_change(actor=_viewer(request), hr_action=hr_action,
                                                changes=changes)
    return pop.HrActionOut.of(saved.obj)


@api.delete("/hr-actions/{hr_action_id}", response={204: None, 422: Problem},
            tags=["development"], summary="Remove an action asked of HR")
def plan_hr_action_remove(request: HttpRequest, hr_action_id: int) -> Status[None]:
    hr_action = _row_part(request, HrAction, hr_action_id)
    plan_services.plan_hr_action_remove(actor=_viewer(request), hr_action=hr_action)
    return Status(204, None)


@api.post("/plan-rows/{row_id}/follow-ups", response={201: pop.FollowUpSavedOut, 422: Problem},
          tags=["development"],
          summary="Write the realisation / follow-up of a row in a follow-up round, with the "
                  "new means and HR actions it leads to")
def plan_follow_up_add(request: HttpRequest, row_id: int,
                       data: pop.FollowUpIn) -> Status[pop.FollowUpSavedOut]:
    item = _row(request, row_id)
    organisation_id = item.plan.organisation_id
    entry = plan_services.plan_follow_up_add(
        actor=_viewer(request), item=item, text=data.text,
        new_means=[NewMeans(action=_action_in(organisation_id, m.action_id),
                            description=m.description, term=m.term, term_note=m.term_note,
                            supporter=_person_in(organisation_id, m.supporter_id))
                   for m in data.new_means],
        new_hr_actions=[NewHrAction(description=h.description,
                                    action=_action_in(organisation_id, h.action_id),
                                    term=h.term) for h in data.new_hr_actions],
    ).obj
    return Status(201, pop.FollowUpSavedOut(id=entry.pk, text=entry.text,
                                            written_on=entry.written_on))


@api.post("/development-plans/{plan_id}/sign", response={200: pop.PlanDetailOut, 422: Problem},
          tags=["development"],
          summary="Sign the open round as the employee or the 1st evaluator; sealed once both "
                  "signed")
def development_plan_sign(request: HttpRequest, plan_id: int) -> pop.PlanDetailOut:
    plan = _plan(request, plan_id)
    plan_services.plan_sign(actor=_viewer(request), plan=plan)
    return _plan_detail(plan.pk)


@api.post("/development-plans/{plan_id}/rounds", response={201: pop.SavedRoundOut, 422: Problem},
          tags=["development"],
          summary="Open the follow-up (or an amendment) of a signed plan; both sign again")
def development_plan_round(request: HttpRequest, plan_id: int,
                           data: pop.RoundIn) -> Status[pop.SavedRoundOut]:
    viewer = _viewer(request)
    plan = _plan(request, plan_id)
    conversation = None
    if data.conversation_id is not None:
        conversation = conversation_permissions.conversation_for(viewer, data.conversation_id)
        if conversation is None:
            message = _("Choose a conversation with this employee.")
            raise ValidationFailed(message, {"conversation_id": [message]})
    saved = plan_services.plan_round_start(actor=viewer, plan=plan, kind=data.kind,
                                           held_on=data.held_on, conversation=conversation)
    round = saved.obj
    return Status(201, pop.SavedRoundOut(number=round.number, kind=round.kind,
                                         held_on=round.held_on, warnings=list(saved.warnings)))


@api.post("/development-plans/{plan_id}/close", response={200: pop.PlanDetailOut, 422: Problem},
          tags=["development"],
          summary="Close a signed plan without an open round at the end of its period (the "
                  "1st evaluator); a new period gets a new plan")
def development_plan_close(request: HttpRequest, plan_id: int) -> pop.PlanDetailOut:
    plan = plan_services.plan_close(actor=_viewer(request), plan=_plan(request, plan_id))
    return _plan_detail(plan.pk)


@api.post("/development-plans/{plan_id}/cancel",
          response={200: pop.PlanDetailOut, 422: Problem}, tags=["development"],
          summary="Cancel a plan that was never signed (the employee or the 1st evaluator)")
def development_plan_cancel(request: HttpRequest, plan_id: int) -> pop.PlanDetailOut:
    plan = plan_services.plan_cancel(actor=_viewer(request), plan=_plan(request, plan_id))
    return _plan_detail(plan.pk)


@api.get("/organisations/{organisation_id}/training-demand",
         response=list[pop.DemandGroupOut], tags=["development"],
         summary="HR's training demand: the actions asked in signed plans, per development "
                 "action and competency (HR, its own subtrees)")
def training_demand(request: HttpRequest, organisation_id: int,
                    status: str | None = None) -> list[pop.DemandGroupOut]:
    viewer = _viewer(request)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not development_permissions.can_view_training_demand(
            viewer, organisation):
        raise Http404
    groups = development_selectors.training_demand(viewer, organisation, status=status or None)
    return [pop.DemandGroupOut.of(group) for group in groups]


@api.post("/hr-actions/{hr_action_id}/status", response={200: pop.HrActionOut, 422: Problem},
          tags=["development"],
          summary="Mark an action asked of HR arranged (with a note), or requested again (HR)")
def hr_action_status(request: HttpRequest, hr_action_id: int,
                     data: pop.HrActionStatusIn) -> pop.HrActionOut:
    hr_action = HrAction.objects.filter(pk=hr_action_id).first()
    if hr_action is None:
        raise Http404
    hr_action = demand_services.hr_action_set_status(
        actor=_viewer(request), hr_action=hr_action, status=data.status, note=data.note)
    return pop.HrActionOut.of(hr_action)


# Appeals, salary decisions and objections: their own module (api/consequences.py).
api.add_router("", consequences_router)
api.add_router("", "koers.api.training_plans.router")  # the training plans (GOP)
