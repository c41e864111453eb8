"""The API of personal development (POP), part two: the plans with their rows,
rounds and signatures, and what they ask of HR (the training demand).
"""

from typing import Any, cast

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from koers.api import development_plans_schemas as pop
from koers.api import lookups
from koers.api.common_schemas import ConflictOut, Problem
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.conversations import permissions as conversation_permissions
from koers.core.clock import today_for
from koers.core.errors import ValidationFailed
from koers.development import permissions as development_permissions
from koers.development import selectors as development_selectors
from koers.development.models import (
    DevelopmentAction,
    DevelopmentPlan,
    FollowUpEntry,
    HrAction,
    PlanGoal,
    PlanItem,
    PlanMeans,
)
from koers.development.services import demand as demand_services
from koers.development.services import plans as plan_services
from koers.development.services.plans import NewHrAction, NewMeans
from koers.development.summary import summary as plan_summary
from koers.organisation.models import Organisation, Person

router = Router()


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


def _person_in(organisation_id: int, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id, organisation_id=organisation_id).first()
    if person is None:
        message = _("Choose someone of this organisation.")
        raise ValidationFailed(message, {"supporter_id": [message]})
    return person


def _plan(request: HttpRequest, plan_id: int) -> DevelopmentPlan:
    plan = development_permissions.plan_for(viewer_of(request), plan_id)
    if plan is None:
        raise Http404
    return plan


def _plan_detail(plan_id: int) -> pop.PlanDetailOut:
    plan = development_selectors.plan_with_rows(plan_id)
    review = development_selectors.plan_review(plan, today=today_for(plan.organisation))
    return pop.PlanDetailOut.of_summary(plan_summary(plan), review)


def _row(request: HttpRequest, row_id: int) -> PlanItem:
    """A row of a plan the caller builds (the employee, the 1st evaluator)."""
    viewer = viewer_of(request)
    item = (PlanItem.objects.select_related("plan__employee__unit", "plan__organisation",
                                            "competency").filter(pk=row_id).first())
    if item is None or not (development_permissions.can_view_plan(viewer, item.plan)
                            and development_permissions.can_edit_plan(viewer, item.plan)):
        raise Http404
    return item


def _row_part[T: PlanGoal | PlanMeans | HrAction | FollowUpEntry](
        request: HttpRequest, model: type[T], pk: int) -> T:
    part = cast(T | None, model.objects.filter(pk=pk).first())
    if part is None:
        raise Http404
    part.item = _row(request, part.item_id)
    return part


@router.get("/people/{person_id}/development-plans", response=pop.PlanPageOut,
            tags=["development"],
            summary="A person's development plans I may see, a page at a time")
def person_development_plans(request: HttpRequest, person_id: int,
                             paging: Query[PageIn]) -> dict[str, Any]:
    plans = development_selectors.plans_read(viewer_of(request),
                                             lookups.person(request, person_id))
    return paged(request, plans, paging, lambda page: [pop.PlanOut.of(plan) for plan in page])


@router.post("/development-plans", response={201: pop.PlanDetailOut, 422: Problem},
             tags=["development"],
             summary="Start a development plan in the planning conversation (employee or 1st "
                     "evaluator)")
def development_plan_create(request: HttpRequest, data: pop.PlanIn) -> Status[pop.PlanDetailOut]:
    viewer = viewer_of(request)
    employee = lookups.person_or_me(request, data.employee_id)
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


@router.get("/development-plans/{plan_id}", response=pop.PlanDetailOut, tags=["development"],
            summary="A development plan: its summary table, rule messages, rounds and signatures")
def development_plan(request: HttpRequest, plan_id: int) -> pop.PlanDetailOut:
    plan = development_selectors.plan_read(viewer_of(request), plan_id)  # HR's: logged
    if plan is None:
        raise Http404
    return _plan_detail(plan.pk)


@router.patch("/development-plans/{plan_id}", response={200: pop.PlanDetailOut,
              409: ConflictOut, 422: Problem},
              tags=["development"], summary="Write my remarks on my plan (the employee)")
def development_plan_remarks(request: HttpRequest, plan_id: int,
                             patch: pop.PlanPatch) -> pop.PlanDetailOut:
    plan = plan_services.plan_remarks_set(actor=viewer_of(request), plan=_plan(request, plan_id),
                                          remarks=patch.employee_remarks,
                                          expected_revision=patch.expected_revision)
    return _plan_detail(plan.pk)


@router.post("/development-plans/{plan_id}/rows", response={201: pop.SavedRowOut, 422: Problem},
             tags=["development"],
             summary="Add a competency to develop: at most the policy's number (refused), a "
                     "warning above its number at priority 1")
def plan_row_add(request: HttpRequest, plan_id: int, data: pop.RowIn) -> Status[pop.SavedRowOut]:
    plan = _plan(request, plan_id)
    saved = plan_services.plan_item_add(
        actor=viewer_of(request), plan=plan,
        competency=lookups.competency_in(plan.organisation_id, data.competency_id),
        source=data.source, priority=data.priority, success_indicators=data.success_indicators)
    return Status(201, pop.SavedRowOut(id=saved.obj.pk, revision=saved.obj.revision,
                                       warnings=list(saved.warnings)))


@router.patch("/plan-rows/{row_id}", response={200: pop.SavedRowOut,
              409: ConflictOut, 422: Problem},
              tags=["development"], summary="Change a row's competency, source, priority or "
                                            "success indicators")
def plan_row_change(request: HttpRequest, row_id: int, patch: pop.RowPatch) -> pop.SavedRowOut:
    item = _row(request, row_id)
    changes: dict[str, Any] = patch.dict(exclude_unset=True, exclude_none=True)
    expected = changes.pop("expected_revision")
    if "competency_id" in changes:
        changes["competency"] = lookups.competency_in(item.plan.organisation_id,
                                                      changes.pop("competency_id"))
    saved = plan_services.plan_item_change(actor=viewer_of(request), item=item, changes=changes,
                                           expected_revision=expected)
    return pop.SavedRowOut(id=saved.obj.pk, revision=saved.obj.revision,
                           warnings=list(saved.warnings))


@router.delete("/plan-rows/{row_id}", response={204: None, 422: Problem}, tags=["development"],
               summary="Remove a row with its goals, means and actions")
def plan_row_remove(request: HttpRequest, row_id: int) -> Status[None]:
    plan_services.plan_item_remove(actor=viewer_of(request), item=_row(request, row_id))
    return Status(204, None)


@router.post("/plan-rows/{row_id}/goals", response={201: pop.PlanGoalOut, 422: Problem},
             tags=["development"], summary="Add a development goal; the SMART check advises")
def plan_goal_add(request: HttpRequest, row_id: int,
                  data: pop.PlanGoalIn) -> Status[pop.PlanGoalOut]:
    saved = plan_services.plan_goal_add(actor=viewer_of(request), item=_row(request, row_id),
                                        text=data.text, term=data.term, term_note=data.term_note)
    return Status(201, pop.PlanGoalOut.of(saved.obj, saved.advice))


@router.patch("/plan-goals/{plan_goal_id}", response={200: pop.PlanGoalOut,
              409: ConflictOut, 422: Problem},
              tags=["development"], summary="Change a development goal or its term")
def plan_goal_change(request: HttpRequest, plan_goal_id: int,
                     patch: pop.PlanGoalPatch) -> pop.PlanGoalOut:
    goal = _row_part(request, PlanGoal, plan_goal_id)
    changes: dict[str, Any] = patch.dict(exclude_unset=True)
    expected = changes.pop("expected_revision")
    saved = plan_services.plan_goal_change(actor=viewer_of(request), goal=goal,
                                           changes=changes, expected_revision=expected)
    return pop.PlanGoalOut.of(saved.obj, saved.advice)


@router.delete("/plan-goals/{plan_goal_id}", response={204: None, 422: Problem},
               tags=["development"], summary="Remove a development goal")
def plan_goal_remove(request: HttpRequest, plan_goal_id: int) -> Status[None]:
    goal = _row_part(request, PlanGoal, plan_goal_id)
    plan_services.plan_goal_remove(actor=viewer_of(request), goal=goal)
    return Status(204, None)


@router.post("/plan-rows/{row_id}/means", response={201: pop.MeansOut, 422: Problem},
             tags=["development"],
             summary="Add a means with its own term: a development action (those of "
                     "GET /competencies/{id}/advice first) or a support action in words")
def plan_means_add(request: HttpRequest, row_id: int, data: pop.MeansIn) -> Status[pop.MeansOut]:
    item = _row(request, row_id)
    organisation_id = item.plan.organisation_id
    saved = plan_services.plan_means_add(
        actor=viewer_of(request), item=item, action=_action_in(organisation_id, data.action_id),
        description=data.description, term=data.term, term_note=data.term_note,
        supporter=_person_in(organisation_id, data.supporter_id))
    return Status(201, pop.MeansOut.of(saved.obj))


@router.patch("/plan-means/{means_id}", response={200: pop.MeansOut,
              409: ConflictOut, 422: Problem},
              tags=["development"], summary="Change a means")
def plan_means_change(request: HttpRequest, means_id: int,
                      patch: pop.MeansPatch) -> pop.MeansOut:
    means = _row_part(request, PlanMeans, means_id)
    organisation_id = means.item.plan.organisation_id
    changes: dict[str, Any] = patch.dict(exclude_unset=True)
    expected = changes.pop("expected_revision")
    if "action_id" in changes:
        changes["action"] = _action_in(organisation_id, changes.pop("action_id"))
    if "supporter_id" in changes:
        changes["supporter"] = _person_in(organisation_id, changes.pop("supporter_id"))
    saved = plan_services.plan_means_change(actor=viewer_of(request), means=means,
                                            changes=changes, expected_revision=expected)
    return pop.MeansOut.of(saved.obj)


@router.delete("/plan-means/{means_id}", response={204: None, 422: Problem},
               tags=["development"], summary="Remove a means")
def plan_means_remove(request: HttpRequest, means_id: int) -> Status[None]:
    means = _row_part(request, PlanMeans, means_id)
    plan_services.plan_means_remove(actor=viewer_of(request), means=means)
    return Status(204, None)


@router.post("/plan-rows/{row_id}/hr-actions", response={201: pop.HrActionOut, 422: Problem},
             tags=["development"],
             summary="Ask HR to arrange something (a registration, …); HR sees it once signed")
def plan_hr_action_add(request: HttpRequest, row_id: int,
                       data: pop.HrActionIn) -> Status[pop.HrActionOut]:
    item = _row(request, row_id)
    saved = plan_services.plan_hr_action_add(
        actor=viewer_of(request), item=item, description=data.description,
        action=_action_in(item.plan.organisation_id, data.action_id), term=data.term)
    return Status(201, pop.HrActionOut.of(saved.obj))


@router.patch("/hr-actions/{hr_action_id}", response={200: pop.HrActionOut,
              409: ConflictOut, 422: Problem},
              tags=["development"], summary="Change an action asked of HR")
def plan_hr_action_change(request: HttpRequest, hr_action_id: int,
                          patch: pop.HrActionPatch) -> pop.HrActionOut:
    hr_action = _row_part(request, HrAction, hr_action_id)
    changes: dict[str, Any] = patch.dict(exclude_unset=True)
    expected = changes.pop("expected_revision")
    if "action_id" in changes:
        changes["action"] = _action_in(hr_action.item.plan.organisation_id,
                                       changes.pop("action_id"))
    saved = plan_services.plan_hr_action_change(actor=viewer_of(request), hr_action=hr_action,
                                                changes=changes, expected_revision=expected)
    return pop.HrActionOut.of(saved.obj)


@router.delete("/hr-actions/{hr_action_id}", response={204: None, 422: Problem},
               tags=["development"], summary="Remove an action asked of HR")
def plan_hr_action_remove(request: HttpRequest, hr_action_id: int) -> Status[None]:
    hr_action = _row_part(request, HrAction, hr_action_id)
    plan_services.plan_hr_action_remove(actor=viewer_of(request), hr_action=hr_action)
    return Status(204, None)


@router.post("/plan-rows/{row_id}/follow-ups", response={201: pop.FollowUpSavedOut, 422: Problem},
             tags=["development"],
             summary="Write the realisation / follow-up of a row in a follow-up round, with the "
                     "new means and HR actions it leads to")
def plan_follow_up_add(request: HttpRequest, row_id: int,
                       data: pop.FollowUpIn) -> Status[pop.FollowUpSavedOut]:
    item = _row(request, row_id)
    organisation_id = item.plan.organisation_id
    entry = plan_services.plan_follow_up_add(
        actor=viewer_of(request), item=item, text=data.text,
        new_means=[NewMeans(action=_action_in(organisation_id, m.action_id),
                            description=m.description, term=m.term, term_note=m.term_note,
                            supporter=_person_in(organisation_id, m.supporter_id))
                   for m in data.new_means],
        new_hr_actions=[NewHrAction(description=h.description,
                                    action=_action_in(organisation_id, h.action_id),
                                    term=h.term) for h in data.new_hr_actions],
    ).obj
    return Status(201, pop.FollowUpSavedOut(id=entry.pk, text=entry.text,
                                            written_on=entry.written_on,
                                            revision=entry.revision))


@router.patch("/plan-follow-ups/{follow_up_id}", response={200: pop.FollowUpSavedOut,
              409: ConflictOut, 422: Problem},
              tags=["development"],
              summary="Change the text of a follow-up entry of the open round (those of "
                      "signed rounds no longer change)")
def plan_follow_up_change(request: HttpRequest, follow_up_id: int,
                          patch: pop.FollowUpPatch) -> pop.FollowUpSavedOut:
    entry = plan_services.plan_follow_up_change(
        actor=viewer_of(request), entry=_row_part(request, FollowUpEntry, follow_up_id),
        text=patch.text, expected_revision=patch.expected_revision).obj
    return pop.FollowUpSavedOut(id=entry.pk, text=entry.text, written_on=entry.written_on,
                                revision=entry.revision)


@router.delete("/plan-follow-ups/{follow_up_id}", response={204: None, 422: Problem},
               tags=["development"],
               summary="Remove a follow-up entry of the open round; the means and HR actions "
                       "it added stay")
def plan_follow_up_remove(request: HttpRequest, follow_up_id: int) -> Status[None]:
    entry = _row_part(request, FollowUpEntry, follow_up_id)
    plan_services.plan_follow_up_remove(actor=viewer_of(request), entry=entry)
    return Status(204, None)


@router.post("/development-plans/{plan_id}/sign", response={200: pop.PlanDetailOut, 422: Problem},
             tags=["development"],
             summary="Sign the open round as the employee or the 1st evaluator; sealed once both "
                     "signed")
def development_plan_sign(request: HttpRequest, plan_id: int) -> pop.PlanDetailOut:
    plan = _plan(request, plan_id)
    plan_services.plan_sign(actor=viewer_of(request), plan=plan)
    return _plan_detail(plan.pk)


@router.post("/development-plans/{plan_id}/rounds", response={201: pop.SavedRoundOut, 422: Problem},
             tags=["development"],
             summary="Open the follow-up (or an amendment) of a signed plan; both sign again")
def development_plan_round(request: HttpRequest, plan_id: int,
                           data: pop.RoundIn) -> Status[pop.SavedRoundOut]:
    viewer = viewer_of(request)
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


@router.post("/development-plans/{plan_id}/close", response={200: pop.PlanDetailOut, 422: Problem},
             tags=["development"],
             summary="Close a signed plan without an open round at the end of its period (the "
                     "1st evaluator); a new period gets a new plan")
def development_plan_close(request: HttpRequest, plan_id: int) -> pop.PlanDetailOut:
    plan = plan_services.plan_close(actor=viewer_of(request), plan=_plan(request, plan_id))
    return _plan_detail(plan.pk)


@router.post("/development-plans/{plan_id}/cancel",
             response={200: pop.PlanDetailOut, 422: Problem}, tags=["development"],
             summary="Cancel a plan that was never signed (the employee or the 1st evaluator)")
def development_plan_cancel(request: HttpRequest, plan_id: int) -> pop.PlanDetailOut:
    plan = plan_services.plan_cancel(actor=viewer_of(request), plan=_plan(request, plan_id))
    return _plan_detail(plan.pk)


@router.get("/organisations/{organisation_id}/training-demand",
            response=pop.DemandGroupPageOut, tags=["development"],
            summary="HR's training demand: the actions asked in signed plans, per development "
                    "action and competency (HR, its own subtrees), a page of groups at a time")
def training_demand(request: HttpRequest, organisation_id: int, paging: Query[PageIn],
                    status: str | None = None) -> dict[str, Any]:
    viewer = viewer_of(request)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not development_permissions.can_view_training_demand(
            viewer, organisation):
        raise Http404
    groups = development_selectors.training_demand(viewer, organisation, status=status or None)
    return paged(request, groups, paging,
                 lambda page: [pop.DemandGroupOut.of(group) for group in page])


@router.post("/hr-actions/{hr_action_id}/status", response={200: pop.HrActionOut, 422: Problem},
             tags=["development"],
             summary="Mark an action asked of HR arranged (with a note), or requested again (HR)")
def hr_action_status(request: HttpRequest, hr_action_id: int,
                     data: pop.HrActionStatusIn) -> pop.HrActionOut:
    hr_action = development_permissions.hr_action_for(viewer_of(request), hr_action_id)
    if hr_action is None:
        raise Http404
    hr_action = demand_services.hr_action_set_status(
        actor=viewer_of(request), hr_action=hr_action, status=data.status, note=data.note)
    return pop.HrActionOut.of(hr_action)

