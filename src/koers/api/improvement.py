"""The API of personal improvement plans: the same services and permissions as the
pages (``koers.improvement``)."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from koers.api import lookups
from koers.api.common_schemas import Problem
from koers.api.improvement_schemas import (
    ImprovementDecisionIn,
    ImprovementExtensionIn,
    ImprovementFollowUpOut,
    ImprovementFollowUpReportIn,
    ImprovementGoalIn,
    ImprovementPlanChangeIn,
    ImprovementPlanDetailOut,
    ImprovementPlanIn,
    ImprovementPlanOut,
    ImprovementPlanPageOut,
    ImprovementProposalOut,
    ImprovementProposalPageOut,
    ImprovementRemarksIn,
    ImprovementScheduleIn,
)
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.conversations import permissions as conversation_permissions
from koers.conversations.models import Conversation
from koers.core.errors import ValidationFailed
from koers.improvement import selectors, services
from koers.improvement.models import FollowUp, ImprovementPlan

router = Router()
TAGS = ["improvement"]


def _plan(request: HttpRequest, plan_id: int) -> ImprovementPlan:
    plan = selectors.plan_read(viewer_of(request), plan_id)
    if plan is None:
        raise Http404
    return plan


def _detail(request: HttpRequest, plan_id: int) -> ImprovementPlanDetailOut:
    page = selectors.plan_page(viewer_of(request), plan_id)
    if page is None:
        raise Http404
    return ImprovementPlanDetailOut.of_page(page)


def _follow_up(follow_up_id: int) -> FollowUp:
    """The services check who sees and acts on its plan (404 for missing and forbidden)."""
    follow_up = FollowUp.objects.filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404
    return follow_up


def _goals(goals: list[ImprovementGoalIn]) -> list[services.NewGoal]:
    return [services.NewGoal(g.expected, g.indicators) for g in goals]


def _conversations(request: HttpRequest, ids: list[int]) -> list[Conversation]:
    found = []
    for pk in ids:
        conversation = conversation_permissions.conversation_for(viewer_of(request), pk)
        if conversation is None:
            message = _("Choose conversations with this employee.")
            raise ValidationFailed(message, {"conversation_ids": [message]})
        found.append(conversation)
    return found


@router.get("/people/{person_id}/improvement-plans", response=ImprovementPlanPageOut,
            tags=TAGS, summary="A person's improvement plans I may see, a page at a time")
def person_improvement_plans(request: HttpRequest, person_id: int,
                             paging: Query[PageIn]) -> dict[str, Any]:
    plans = selectors.plans_of(viewer_of(request), lookups.person(request, person_id))
    return paged(request, plans, paging,
                 lambda page: [ImprovementPlanOut.of(plan) for plan in page])


@router.get("/people/{person_id}/improvement-plan-proposals",
            response=ImprovementProposalPageOut, tags=TAGS,
            summary="The held conversations a new plan for the person may start from (the "
                    "policy's improvement_plan_source), with the grounds they propose; empty "
                    "unless I may start one; a page at a time")
def person_improvement_plan_proposals(request: HttpRequest, person_id: int,
                                      paging: Query[PageIn]) -> dict[str, Any]:
    person = lookups.person(request, person_id)
    return paged(request, selectors.proposals_for(viewer_of(request), person), paging,
                 lambda page: [ImprovementProposalOut.of(proposal) for proposal in page])


@router.post("/improvement-plans", response={201: ImprovementPlanDetailOut, 422: Problem},
             tags=TAGS, summary="Start an improvement plan (the 1st or 2nd evaluator)")
def improvement_plan_start(request: HttpRequest,
                           data: ImprovementPlanIn) -> Status[ImprovementPlanDetailOut]:
    plan = services.plan_start(
        actor=viewer_of(request), employee=lookups.person(request, data.employee_id),
        grounds=data.grounds, goals=_goals(data.goals), support=data.support,
        period_start=data.period_start, period_end=data.period_end,
        evaluation_id=data.evaluation_id,
        grounding_conversations=_conversations(request, data.conversation_ids))
    return Status(201, _detail(request, plan.pk))


@router.get("/improvement-plans/{improvement_plan_id}", response=ImprovementPlanDetailOut,
            tags=TAGS, summary="An improvement plan with its goals, signatures, follow-ups "
                               "and decision")
def improvement_plan(request: HttpRequest, improvement_plan_id: int) -> ImprovementPlanDetailOut:
    return _detail(request, improvement_plan_id)  # HR's read under a grant: logged


@router.put("/improvement-plans/{improvement_plan_id}",
            response={200: ImprovementPlanDetailOut, 422: Problem}, tags=TAGS,
            summary="Change the plan while it is being agreed (an evaluator); signatures "
                    "given are withdrawn")
def improvement_plan_change(request: HttpRequest, improvement_plan_id: int,
                            data: ImprovementPlanChangeIn) -> ImprovementPlanDetailOut:
    plan = services.plan_change(
        actor=viewer_of(request), plan=_plan(request, improvement_plan_id),
        grounds=data.grounds, goals=_goals(data.goals), support=data.support,
        period_start=data.period_start, period_end=data.period_end)
    return _detail(request, plan.pk)


@router.post("/improvement-plans/{improvement_plan_id}/remarks",
             response={200: ImprovementPlanDetailOut, 422: Problem}, tags=TAGS,
             summary="Write my remarks on my plan before signing (the employee)")
def improvement_plan_remarks(request: HttpRequest, improvement_plan_id: int,
                             data: ImprovementRemarksIn) -> ImprovementPlanDetailOut:
    plan = services.plan_remarks_set(actor=viewer_of(request),
                                     plan=_plan(request, improvement_plan_id),
                                     remarks=data.employee_remarks)
    return _detail(request, plan.pk)


@router.post("/improvement-plans/{improvement_plan_id}/signatures",
             response={201: ImprovementPlanDetailOut, 422: Problem}, tags=TAGS,
             summary="Sign the plan (the employee, an evaluator); sealed once both signed")
def improvement_plan_sign(request: HttpRequest,
                          improvement_plan_id: int) -> Status[ImprovementPlanDetailOut]:
    signature = services.plan_sign(actor=viewer_of(request),
                                   plan=_plan(request, improvement_plan_id))
    return Status(201, _detail(request, signature.plan_id))


@router.post("/improvement-plans/{improvement_plan_id}/cancel",
             response={200: ImprovementPlanDetailOut, 422: Problem}, tags=TAGS,
             summary="Cancel a plan that was never signed (an evaluator)")
def improvement_plan_cancel(request: HttpRequest,
                            improvement_plan_id: int) -> ImprovementPlanDetailOut:
    plan = services.plan_cancel(actor=viewer_of(request),
                                plan=_plan(request, improvement_plan_id))
    return _detail(request, plan.pk)


@router.post("/improvement-follow-ups/{improvement_follow_up_id}/schedule",
             response={200: ImprovementFollowUpOut, 422: Problem}, tags=TAGS,
             summary="Schedule a follow-up conversation; the employee is invited")
def improvement_follow_up_schedule(request: HttpRequest, improvement_follow_up_id: int,
                                   data: ImprovementScheduleIn) -> ImprovementFollowUpOut:
    follow_up = services.follow_up_schedule(
        actor=viewer_of(request), follow_up=_follow_up(improvement_follow_up_id),
        starts_at=data.starts_at, ends_at=data.ends_at, location=data.location,
        online_link=data.online_link)
    return ImprovementFollowUpOut.of(follow_up)


@router.post("/improvement-follow-ups/{improvement_follow_up_id}/report",
             response={200: ImprovementFollowUpOut, 422: Problem}, tags=TAGS,
             summary="Record a follow-up conversation: progress per goal, actions agreed")
def improvement_follow_up_record(request: HttpRequest, improvement_follow_up_id: int,
                                 data: ImprovementFollowUpReportIn) -> ImprovementFollowUpOut:
    follow_up = services.follow_up_record(
        actor=viewer_of(request), follow_up=_follow_up(improvement_follow_up_id),
        held_on=data.held_on, progress={p.goal_id: p.text for p in data.progress},
        actions=data.actions)
    return ImprovementFollowUpOut.of(follow_up)


@router.post("/improvement-plans/{improvement_plan_id}/extension",
             response={200: ImprovementPlanDetailOut, 422: Problem}, tags=TAGS,
             summary="Propose to extend the plan, once (an evaluator)")
def improvement_plan_extension_propose(request: HttpRequest, improvement_plan_id: int,
                                       data: ImprovementExtensionIn) -> ImprovementPlanDetailOut:
    plan = services.plan_extension_propose(
        actor=viewer_of(request), plan=_plan(request, improvement_plan_id),
        until=data.until, reason=data.reason)
    return _detail(request, plan.pk)


@router.post("/improvement-plans/{improvement_plan_id}/extension/agree",
             response={200: ImprovementPlanDetailOut, 422: Problem}, tags=TAGS,
             summary="Agree the proposed extension (the employee)")
def improvement_plan_extension_agree(request: HttpRequest,
                                     improvement_plan_id: int) -> ImprovementPlanDetailOut:
    plan = services.plan_extension_agree(actor=viewer_of(request),
                                         plan=_plan(request, improvement_plan_id))
    return _detail(request, plan.pk)


@router.post("/improvement-plans/{improvement_plan_id}/decision",
             response={200: ImprovementPlanDetailOut, 422: Problem}, tags=TAGS,
             summary="Decide at the end whether the plan was met, with the motivation")
def improvement_plan_decide(request: HttpRequest, improvement_plan_id: int,
                            data: ImprovementDecisionIn) -> ImprovementPlanDetailOut:
    plan = services.plan_decide(actor=viewer_of(request),
                                plan=_plan(request, improvement_plan_id), met=data.met,
                                motivation=data.motivation)
    return _detail(request, plan.pk)
