"""Loading for the development pages: the organisation whose catalogues the viewer may
read (or manage), the viewer's own person, a plan and its rows and parts (a missing or
forbidden object is the same 404), and the way back to a plan with the rules' advice."""

from collections.abc import Sequence
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.development import permissions
from koers.development.models import (
    DevelopmentPlan,
    FollowUpEntry,
    HrAction,
    PlanGoal,
    PlanItem,
    PlanMeans,
)
from koers.organisation.models import Organisation, Person
from koers.web.page.viewer import viewer_of


def organisation_or_404(request: HttpRequest, pk: int, *, manage: bool = False) -> Organisation:
    organisation = permissions.catalogue_organisation_for(viewer_of(request), pk, manage=manage)
    if organisation is None:
        raise Http404
    return organisation


def me_or_404(request: HttpRequest) -> Person:
    me = viewer_of(request).person
    if me is None:
        raise Http404
    return me


def plan_or_404(request: HttpRequest, pk: int) -> DevelopmentPlan:
    plan = permissions.plan_for(viewer_of(request), pk)
    if plan is None:
        raise Http404
    return plan


def editable_plan_or_404(request: HttpRequest, pk: int) -> DevelopmentPlan:
    """The plan, if the viewer builds it (the employee, the 1st evaluator)."""
    plan = plan_or_404(request, pk)
    if not permissions.can_edit_plan(viewer_of(request), plan):
        raise Http404
    return plan


def item_or_404(request: HttpRequest, pk: int) -> PlanItem:
    item = (PlanItem.objects.select_related("plan__employee__unit", "plan__organisation",
                                            "competency__cluster").filter(pk=pk).first())
    if item is None:
        raise Http404
    viewer = viewer_of(request)
    if not (permissions.can_view_plan(viewer, item.plan)
            and permissions.can_edit_plan(viewer, item.plan)):
        raise Http404
    return item


def part_or_404[T: PlanGoal | PlanMeans | HrAction | FollowUpEntry](
        request: HttpRequest, model: type[T], pk: int) -> T:
    part = cast(T | None, model.objects.select_related("item").filter(pk=pk).first())
    if part is None:
        raise Http404
    part.item = item_or_404(request, part.item_id)
    return part


def back_to_plan(plan_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("development_plan", args=[plan_id]) + (f"#{anchor}" if anchor else ""))


def say_advice(request: HttpRequest, *, warnings: Sequence[str] = (),
            advice: Sequence[Any] = ()) -> None:
    """The rules that advise, said after a save: never a refusal."""
    for warning in warnings:
        messages.warning(request, warning)
    for item in advice:
        messages.warning(request, _("SMART advice: %(advice)s") % {"advice": item.message})
