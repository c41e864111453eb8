"""The API of conversations, the manager's team overview, the individual work plan and
mediation in a disagreement.
"""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from koers.api import filters, lookups, preconditions
from koers.api.common_schemas import ConflictOut, Problem
from koers.api.conversations_schemas import (
    AgendaItemIn,
    AgendaItemOut,
    AmendmentIn,
    AmendmentOut,
    CalendarFeedOut,
    ConversationIn,
    ConversationOut,
    ConversationPageOut,
    ConversationReportConfirmIn,
    ConversationReportIn,
    DepartmentReportOut,
    DepartmentReportPageOut,
    HolderIn,
    HoldIn,
    MediationIn,
    MediationOut,
    MediationOutcomeIn,
    MediationPageOut,
    RescheduleIn,
    TeamMemberOut,
    TeamOverviewOut,
    WorkPlanCommentIn,
    WorkPlanDetailOut,
    WorkPlanIn,
    WorkPlanOut,
    WorkPlanPageOut,
    WorkPlanPatch,
)
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.conversations import permissions as conversation_permissions
from koers.conversations import selectors as conversation_selectors
from koers.conversations import services as conversation_services
from koers.conversations.models import Conversation, Mediation, WorkPlan
from koers.conversations.team import TeamFilters, team_overview
from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.goals.models import Goal

router = Router()


@router.get("/me/team/overview", response=TeamOverviewOut, tags=["people"],
            summary="My team: each member's goals by status, last and next conversation, "
                    "what is due and what is overdue")
def my_team_overview(request: HttpRequest, status: str = "", overdue: bool = False,
                     unit_id: int | None = None) -> TeamOverviewOut:
    overview = team_overview(
        viewer_of(request), today=clock.today(), now=clock.now(),
        filters=TeamFilters(status=status, overdue_only=overdue, unit_id=unit_id))
    return TeamOverviewOut(total=overview.total,
                           members=[TeamMemberOut.of(row) for row in overview.rows])


@router.get("/department/conversation-reports", response=DepartmentReportPageOut,
            tags=["conversations"],
            summary="The director's department: the reports of held planning, progress and "
                    "evaluation conversations (Dutch policy), a page at a time; each read "
                    "is logged")
def department_reports(request: HttpRequest, paging: Query[PageIn], kind: str = "",
                       unit_id: int | None = None, name: str = "",
                       held_from: dt.date | None = None, held_until: dt.date | None = None,
                       confirmed: bool | None = None) -> dict[str, Any]:
    reports = conversation_selectors.department_reports(
        viewer_of(request), filters=conversation_selectors.ReportFilters(
            kind=kind or None, unit=unit_id, name=name, held_from=held_from,
            held_until=held_until, confirmed=confirmed))
    return paged(request, reports.conversations, paging,
                 lambda page: [DepartmentReportOut.of(c) for c in page])


# My calendar feed: the conversations in a calendar application, through a secret link.


@router.get("/me/calendar", response={200: CalendarFeedOut, 404: Problem},
            tags=["conversations"],
            summary="The link of my calendar feed; 404 until I made one with POST /me/calendar")
def calendar_link(request: HttpRequest) -> CalendarFeedOut:
    feed = conversation_selectors.calendar_feed(viewer_of(request).user)
    if feed is None:
        raise lookups.NotMadeYet(_("You have no calendar link yet: make one with "
                                   "POST /api/v1/me/calendar."))
    return CalendarFeedOut.of(feed, request)


@router.post("/me/calendar", response={200: CalendarFeedOut, 201: CalendarFeedOut},
             tags=["conversations"],
             summary="Make the link of my calendar feed (201); the one I have already stays "
                     "(200: renew it with POST /me/calendar/renew)")
def calendar_link_create(request: HttpRequest) -> Status[CalendarFeedOut]:
    feed, made = conversation_services.calendar_feed_make(user=viewer_of(request).user)
    return Status(201 if made else 200, CalendarFeedOut.of(feed, request))


@router.post("/me/calendar/renew", response=CalendarFeedOut,
             tags=["conversations"],
             summary="A new secret link for my calendar feed; the old one stops at once")
def calendar_link_renew(request: HttpRequest) -> CalendarFeedOut:
    feed = conversation_services.calendar_feed_renew(user=viewer_of(request).user)
    return CalendarFeedOut.of(feed, request)


# Conversations ----------------------------------------------------------------------
# The conversations room's permissions decide who sees a conversation (HR: not by
# default); one that is missing or not the caller's to see is 404 alike.


def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    conversation = conversation_permissions.conversation_for(viewer_of(request), conversation_id)
    if conversation is None:
        raise Http404
    return conversation


def _conversation_out(conversation: Conversation) -> ConversationOut:
    fresh = (
        Conversation.objects.select_related("employee__organisation", "holder")
        .prefetch_related("agenda", "goals")
        .get(pk=conversation.pk)
    )
    return ConversationOut.of(fresh)


@router.get("/people/{person_id}/conversations", response=ConversationPageOut,
            tags=["conversations"],
            summary="A person's conversations I may see, a page at a time; by status and "
                    "last change")
def person_conversations(request: HttpRequest, person_id: int, paging: Query[PageIn],
                         state: Query[filters.StateIn],
                         since: Query[filters.UpdatedSinceIn]) -> dict[str, Any]:
    conversations = filters.narrowed(request, conversation_selectors.conversations_read(
        viewer_of(request), lookups.person(request, person_id)),
        filters.Fields(Conversation, state="status", updated="updated_at"),
        state=state, since=since)
    return paged(request, conversations, paging,
                 lambda page: [ConversationOut.of(c) for c in page])


@router.get("/conversations/{conversation_id}", response=ConversationOut,
            tags=["conversations"],
            summary="A conversation I may see, with its agenda, the goals discussed and its "
                    "report")
def conversation_detail(request: HttpRequest, conversation_id: int) -> ConversationOut:
    """HR's read under a granted request, and a reading director's, are logged as on the
    page."""
    conversation = conversation_selectors.conversation_read(viewer_of(request), conversation_id)
    if conversation is None:
        raise Http404
    return _conversation_out(conversation)


@router.post("/conversations", response={201: ConversationOut, 422: Problem},
             tags=["conversations"],
             summary="Schedule a conversation; the other side is invited by e-mail (iCalendar)")
def conversation_schedule(request: HttpRequest, data: ConversationIn) -> Status[ConversationOut]:
    viewer = viewer_of(request)
    employee = lookups.person_or_me(request, data.employee_id)
    conversation = conversation_services.conversation_schedule(
        actor=viewer, employee=employee, kind=data.kind, starts_at=data.starts_at,
        ends_at=data.ends_at, location=data.location, online_link=data.online_link,
        in_writing=data.in_writing, agenda=data.agenda, despite_spacing=data.despite_spacing,
        combined_with_planning=data.combined_with_planning,
    )
    return Status(201, _conversation_out(conversation))


@router.post("/conversations/{conversation_id}/agenda",
             response={201: AgendaItemOut, 422: Problem}, tags=["conversations"],
             summary="Add an item to the agenda of a scheduled conversation")
def conversation_agenda(request: HttpRequest, conversation_id: int,
                        data: AgendaItemIn) -> Status[AgendaItemOut]:
    item = conversation_services.conversation_agenda_add(
        actor=viewer_of(request), conversation=_conversation(request, conversation_id),
        text=data.text, manager_functioning=data.manager_functioning)
    return Status(201, AgendaItemOut(position=item.position, text=item.shown))


@router.post("/conversations/{conversation_id}/reschedule",
             response={200: ConversationOut, 422: Problem}, tags=["conversations"],
             summary="Move a conversation; an update with the same UID goes out")
def conversation_reschedule(request: HttpRequest, conversation_id: int,
                            data: RescheduleIn) -> ConversationOut:
    conversation = conversation_services.conversation_reschedule(
        actor=viewer_of(request), conversation=_conversation(request, conversation_id),
        starts_at=data.starts_at, ends_at=data.ends_at, location=data.location,
        online_link=data.online_link, despite_spacing=data.despite_spacing,
    )
    return _conversation_out(conversation)


@router.post("/conversations/{conversation_id}/cancel",
             response={200: ConversationOut, 422: Problem}, tags=["conversations"],
             summary="Cancel a conversation; a cancellation with the same UID goes out")
def conversation_cancel(request: HttpRequest, conversation_id: int) -> ConversationOut:
    conversation = conversation_services.conversation_cancel(
        actor=viewer_of(request), conversation=_conversation(request, conversation_id))
    return _conversation_out(conversation)


@router.post("/conversations/{conversation_id}/hold",
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
        actor=viewer_of(request), conversation=conversation, notes=data.notes, goals=goals,
        report=data.report, held_on=data.held_on, improvement_points=data.improvement_points,
        combined_with_planning=data.combined_with_planning, agreements=data.agreements,
    )
    return _conversation_out(conversation)


@router.put("/conversations/{conversation_id}/report",
            response={200: ConversationOut, 409: ConflictOut, 422: Problem},
            tags=["conversations"],
            summary="Change the report of a held conversation; both sides confirm it again; "
                    "409 when it was saved since the revision the change starts from")
def conversation_report(request: HttpRequest, conversation_id: int,
                        data: ConversationReportIn) -> ConversationOut:
    conversation = conversation_services.conversation_report_write(
        actor=viewer_of(request), conversation=_conversation(request, conversation_id),
        report=data.report, expected_revision=data.expected_revision,
        agreements=data.agreements)
    return _conversation_out(conversation)


@router.post("/conversations/{conversation_id}/confirm",
             response={200: ConversationOut, 409: ConflictOut, 422: Problem},
             tags=["conversations"],
             summary="Confirm the report as read at its revision; read-only once both sides "
                     "confirmed")
def conversation_confirm(request: HttpRequest, conversation_id: int,
                         data: ConversationReportConfirmIn) -> ConversationOut:
    conversation = conversation_services.conversation_report_confirm(
        actor=viewer_of(request), conversation=_conversation(request, conversation_id),
        expected_revision=data.expected_revision)
    return _conversation_out(conversation)


@router.put("/conversations/{conversation_id}/holder",
            response={200: ConversationOut, 422: Problem}, tags=["conversations"],
            summary="Designate the colleague who holds a scheduled planning, progress or "
                    "evaluation conversation, or withdraw it (Dutch policy; the 1st "
                    "evaluator)")
def conversation_holder(request: HttpRequest, conversation_id: int,
                        data: HolderIn) -> ConversationOut:
    conversation = conversation_services.conversation_designate_holder(
        actor=viewer_of(request), conversation=_conversation(request, conversation_id),
        holder_id=data.holder_id)
    return _conversation_out(conversation)


@router.post("/conversations/{conversation_id}/amendments",
             response={201: AmendmentOut, 422: Problem}, tags=["work plans"],
             summary="Record a changed agreement of the fixed work plan in a held progress "
                     "conversation")
def conversation_amend(request: HttpRequest, conversation_id: int,
                       data: AmendmentIn) -> Status[AmendmentOut]:
    amendment = conversation_services.work_plan_amend(
        actor=viewer_of(request), conversation=_conversation(request, conversation_id),
        change=data.change, reason=data.reason)
    return Status(201, AmendmentOut.of(amendment))


# The individual work plan (Dutch policy) ---------------------------------------------
# Read like conversations (HR: only under a granted request or standing access); the
# employee writes, the 1st evaluator comments, both confirm. Missing and forbidden: 404.


def _work_plan(request: HttpRequest, work_plan_id: int) -> WorkPlan:
    """The work plan to change; its service compares ``If-Match`` under its row lock."""
    plan = conversation_permissions.work_plan_for(viewer_of(request), work_plan_id)
    if plan is None:
        raise Http404
    return plan


def _work_plan_out(plan: WorkPlan, response: HttpResponse) -> WorkPlanOut:
    preconditions.tag(response, plan.revision)
    return WorkPlanOut.of(plan)


@router.get("/people/{person_id}/work-plans", response=WorkPlanPageOut, tags=["work plans"],
            summary="A person's individual work plans I may see, a page at a time; by "
                    "status and last change")
def person_work_plans(request: HttpRequest, person_id: int, paging: Query[PageIn],
                      state: Query[filters.StateIn],
                      since: Query[filters.UpdatedSinceIn]) -> dict[str, Any]:
    plans = filters.narrowed(request, conversation_selectors.work_plans_read(
        viewer_of(request), lookups.person(request, person_id)),
        filters.Fields(WorkPlan, state="status", updated="updated_at"),
        state=state, since=since)
    return paged(request, plans, paging, lambda page: [WorkPlanOut.of(plan) for plan in page])


@router.post("/work-plans", response={201: WorkPlanOut, 422: Problem}, tags=["work plans"],
             summary="Draft my work plan for the plan year that holds today (Dutch policy)")
def work_plan_draft(request: HttpRequest, data: WorkPlanIn) -> Status[WorkPlanOut]:
    plan = conversation_services.work_plan_draft(actor=viewer_of(request), **data.dict())
    return Status(201, WorkPlanOut.of(plan))


@router.get("/work-plans/{work_plan_id}", response=WorkPlanDetailOut, tags=["work plans"],
            summary="A work plan with its changed agreements; ETag: its revision")
def work_plan_detail(request: HttpRequest, work_plan_id: int,
                     response: HttpResponse) -> WorkPlanDetailOut:
    plan = conversation_selectors.work_plan_read(viewer_of(request), work_plan_id)  # logged
    if plan is None:
        raise Http404
    preconditions.tag(response, plan.revision)
    return WorkPlanDetailOut(
        **WorkPlanOut.of(plan).dict(),
        amendments=[AmendmentOut.of(a) for a in conversation_selectors.amendments(plan)])


@router.patch("/work-plans/{work_plan_id}",
              response={200: WorkPlanOut, 409: ConflictOut, 422: Problem},
              tags=["work plans"], summary="Change my work plan before it is fixed; 409 when "
                                           "it changed since the revision the change starts from",
              openapi_extra=preconditions.honours_if_match())
def work_plan_write(request: HttpRequest, work_plan_id: int, patch: WorkPlanPatch,
                    response: HttpResponse) -> WorkPlanOut:
    texts = patch.dict(exclude_unset=True, exclude_none=True)
    expected = texts.pop("expected_revision")
    plan = conversation_services.work_plan_write(
        actor=viewer_of(request), work_plan=_work_plan(request, work_plan_id),
        expected_revision=expected, if_revision_in=preconditions.if_match(request), **texts)
    return _work_plan_out(plan, response)


@router.post("/work-plans/{work_plan_id}/comments",
             response={200: WorkPlanOut, 409: ConflictOut, 422: Problem},
             tags=["work plans"], summary="Comment on a work plan as the 1st evaluator; 409 "
                                          "when it changed since the revision they start from",
             openapi_extra=preconditions.honours_if_match())
def work_plan_comment(request: HttpRequest, work_plan_id: int, data: WorkPlanCommentIn,
                      response: HttpResponse) -> WorkPlanOut:
    plan = conversation_services.work_plan_comment(
        actor=viewer_of(request), work_plan=_work_plan(request, work_plan_id),
        comments=data.comments, expected_revision=data.expected_revision,
        if_revision_in=preconditions.if_match(request))
    return _work_plan_out(plan, response)


@router.post("/work-plans/{work_plan_id}/confirm", response={200: WorkPlanOut, 422: Problem},
             tags=["work plans"], summary="Confirm a commented work plan; fixed once both did",
             openapi_extra=preconditions.honours_if_match())
def work_plan_confirm(request: HttpRequest, work_plan_id: int,
                      response: HttpResponse) -> WorkPlanOut:
    plan = conversation_services.work_plan_confirm(
        actor=viewer_of(request), work_plan=_work_plan(request, work_plan_id),
        if_revision_in=preconditions.if_match(request))
    return _work_plan_out(plan, response)



# Mediation in a disagreement (Dutch policy) ------------------------------------------
# Seen by the employee, their 1st evaluator, the mediator and HR of the unit; missing
# and forbidden: 404. Other policies: the request is refused (422) with why.


def _mediation(request: HttpRequest, mediation_id: int) -> Mediation:
    mediation = conversation_selectors.mediation_read(viewer_of(request), mediation_id)
    if mediation is None:
        raise Http404
    return mediation


@router.get("/mediations", response=MediationPageOut, tags=["mediations"],
            summary="The mediations I may see, newest first, a page at a time")
def mediation_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    mediations = conversation_selectors.mediations_read(viewer_of(request))
    return paged(request, mediations, paging,
                 lambda page: [MediationOut.of(m) for m in page])


@router.post("/mediations", response={201: MediationOut, 404: Problem, 422: Problem},
             tags=["mediations"],
             summary="Ask the next-higher manager or an HR adviser to mediate about a held "
                     "conversation or my work plan (Dutch policy)")
def mediation_request(request: HttpRequest, data: MediationIn) -> Status[MediationOut]:
    viewer = viewer_of(request)
    conversation = (_conversation(request, data.conversation_id)
                    if data.conversation_id is not None else None)
    work_plan = (_work_plan(request, data.work_plan_id)
                 if data.work_plan_id is not None else None)
    mediation = conversation_services.mediation_request(
        actor=viewer, conversation=conversation, work_plan=work_plan,
        mediator_kind=data.mediator_kind, mediator_id=data.mediator_id, account=data.account)
    return Status(201, MediationOut.of(mediation))


@router.get("/mediations/{mediation_id}", response=MediationOut, tags=["mediations"],
            summary="A mediation I may see, with its outcome")
def mediation_detail(request: HttpRequest, mediation_id: int) -> MediationOut:
    return MediationOut.of(_mediation(request, mediation_id))


@router.post("/mediations/{mediation_id}/outcome", response={200: MediationOut, 422: Problem},
             tags=["mediations"],
             summary="Record the outcome of a mediation I mediate: agreed or not, in writing")
def mediation_outcome(request: HttpRequest, mediation_id: int,
                      data: MediationOutcomeIn) -> MediationOut:
    mediation = conversation_services.mediation_record_outcome(
        actor=viewer_of(request), mediation=_mediation(request, mediation_id),
        outcome=data.outcome, text=data.text)
    return MediationOut.of(mediation)
