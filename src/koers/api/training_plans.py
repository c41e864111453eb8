"""The API of the organisation's training plans (opleidingsplan, GOP; mounted by
``api.api``).

The same permissions and services as the pages: everyone of the organisation lists the
plans, HR of the whole organisation adds, changes and removes them; 404 for a missing
and a forbidden plan alike, the rules' refusals as 422 with the message.
"""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from koers.api.common_schemas import Problem
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.api.training_plans_schemas import (
    TrainingPlanIn,
    TrainingPlanOut,
    TrainingPlanPageOut,
    TrainingPlanPatch,
)
from koers.core.errors import ValidationFailed
from koers.development import permissions
from koers.development import training_plans as reads
from koers.development.models import Competency, TrainingPlan
from koers.development.services import training_plans as services
from koers.organisation.models import Organisation

router = Router(tags=["development"])


def _organisation(request: HttpRequest, organisation_id: int, *,
                  manage: bool = False) -> Organisation:
    """The organisation whose plans the caller reads (or, with ``manage``, keeps)."""
    organisation = permissions.catalogue_organisation_for(viewer_of(request), organisation_id,
                                                          manage=manage)
    if organisation is None:
        raise Http404
    return organisation


def _plan(request: HttpRequest, training_plan_id: int) -> TrainingPlan:
    plan = TrainingPlan.objects.select_related("organisation").filter(
        pk=training_plan_id).first()
    if plan is None:
        raise Http404
    _organisation(request, plan.organisation_id, manage=True)
    return plan


def _competencies(organisation: Organisation, ids: list[int]) -> list[Competency]:
    """The competencies of the organisation's catalogue, in the order given, in one query."""
    found = Competency.objects.filter(organisation=organisation).in_bulk(ids)
    if len(found) != len(set(ids)):
        message = _("Choose competencies of this organisation.")
        raise ValidationFailed(message, {"competency_ids": [message]})
    return [found[pk] for pk in dict.fromkeys(ids)]


def _out(plan: TrainingPlan) -> TrainingPlanOut:
    return TrainingPlanOut.of(reads.training_plan(plan.pk))


@router.get("/organisations/{organisation_id}/training-plans",
            response=TrainingPlanPageOut,
            summary="The organisation's training plans, or those in force on a day, a page "
                    "at a time")
def training_plan_list(request: HttpRequest, organisation_id: int, paging: Query[PageIn],
                       in_force_on: dt.date | None = None) -> dict[str, Any]:
    """Everyone of the organisation reads them; ``in_force_on`` keeps the plans whose
    period holds that day (both ends included)."""
    organisation = _organisation(request, organisation_id)
    plans = (reads.training_plans_of(organisation) if in_force_on is None
             else reads.training_plans_in_force(organisation, on=in_force_on))
    return paged(request, plans, paging, lambda page: [TrainingPlanOut.of(plan) for plan in page])


@router.post("/organisations/{organisation_id}/training-plans",
             response={201: TrainingPlanOut, 422: Problem},
             summary="Add a training plan of the organisation (HR)")
def training_plan_create(request: HttpRequest, organisation_id: int,
                         data: TrainingPlanIn) -> Status[TrainingPlanOut]:
    organisation = _organisation(request, organisation_id, manage=True)
    plan = services.training_plan_create(
        actor=viewer_of(request), organisation=organisation, title=data.title,
        valid_from=data.valid_from, valid_until=data.valid_until, objectives=data.objectives,
        competencies=_competencies(organisation, data.competency_ids),
        document_url=data.document_url)
    return Status(201, _out(plan))


@router.patch("/training-plans/{training_plan_id}",
              response={200: TrainingPlanOut, 422: Problem},
              summary="Change a training plan (HR); competency_ids replaces its competencies")
def training_plan_change(request: HttpRequest, training_plan_id: int,
                         patch: TrainingPlanPatch) -> TrainingPlanOut:
    plan = _plan(request, training_plan_id)
    changes: dict[str, Any] = patch.dict(exclude_unset=True, exclude_none=True)
    if "competency_ids" in changes:
        changes["competencies"] = _competencies(plan.organisation,
                                                changes.pop("competency_ids"))
    plan = services.training_plan_change(actor=viewer_of(request), plan=plan, changes=changes)
    return _out(plan)


@router.delete("/training-plans/{training_plan_id}", response={204: None, 422: Problem},
               summary="Remove a training plan (HR)")
def training_plan_remove(request: HttpRequest, training_plan_id: int) -> Status[None]:
    services.training_plan_remove(actor=viewer_of(request), plan=_plan(request, training_plan_id))
    return Status(204, None)
