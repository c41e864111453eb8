"""The REST API (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

It asks the same access policy and calls the same services as the web pages; no rule
lives here. Authentication is the signed-in session; writes need the CSRF token, as in the browser.
"""

from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Status
from ninja.security import django_auth

from koers.access import policy
from koers.access import selectors as access_selectors
from koers.access import services as access_services
from koers.access.models import Scope
from koers.access.policy import Viewer
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
)
from koers.api.schemas_audit import HistoryEvent
from koers.api.schemas_conversations import (
    ConversationIn,
    ConversationOut,
    HoldIn,
    RescheduleIn,
)
from koers.api.schemas_cycles import AgreedPeriodIn, CycleIn, CycleOut, ParticipationPeriodOut
from koers.api.schemas_goals import (
    ChangeOut,
    CommentIn,
    CommentOut,
    GoalDetailOut,
    GoalIn,
    GoalOut,
    GoalPatch,
    StatusIn,
)
from koers.api.schemas_policy import PolicyOut, PolicySettingIn, PolicySettingOut, PolicySettingsIn
from koers.audit import selectors as audit_selectors
from koers.conversations import permissions as conversation_permissions
from koers.conversations import selectors as conversation_selectors
from koers.conversations import services as conversation_services
from koers.conversations.models import Conversation
from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.cycles import dashboard
from koers.cycles import selectors as cycle_selectors
from koers.cycles import services as cycle_services
from koers.cycles.models import Cycle, Participation
from koers.cycles.services import participation_sync
from koers.cycles.tasks import recompute_participations_later
from koers.cycles.timeline import person_timeline as timeline_of
from koers.goals import permissions as goal_permissions
from koers.goals import selectors as goal_selectors
from koers.goals import services as goal_services
from koers.goals import smart
from koers.goals.models import Goal
from koers.organisation import evaluators, selectors, services
from koers.organisation.models import Organisation, Person, Unit, WorkSource
from koers.rulebook import policy as rulebook
from koers.rulebook.policy import today_for

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


def _viewer(request: HttpRequest) -> Viewer:
    cached: Viewer | None = getattr(request, "_koers_viewer", None)
    if cached is None:
        cached = Viewer.of(cast(User, request.user))
        request._koers_viewer = cached  # type: ignore[attr-defined]
    return cached


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
    participation_sync(person=saved)  # joined, left or changed: the cycles follow
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
    participation_sync(person=person)  # the hours decide the Flemish rule
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
    if setting not in rulebook.SETTINGS:
        raise Http404
    values = rulebook.parse_settings(organisation=organisation, texts={setting: data.value})
    changed = rulebook.policy_settings_change(organisation=organisation, values=values,
                                              actor=cast(User, request.user))
    recompute_participations_later(organisation)
    return PolicySettingOut.of(setting, preset=rulebook.preset_of(organisation), policy=changed)


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
        report=data.report, held_on=data.held_on,
    )
    return _conversation_out(conversation)


@api.post("/conversations/{conversation_id}/confirm",
          response={200: ConversationOut, 422: Problem}, tags=["conversations"],
          summary="Confirm the report; read-only once both sides confirmed")
def conversation_confirm(request: HttpRequest, conversation_id: int) -> ConversationOut:
    conversation = conversation_services.conversation_report_confirm(
        actor=_viewer(request), conversation=_conversation(request, conversation_id))
    return _conversation_out(conversation)



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
