"""The organisation's training plans (opleidingsplan, GOP): everyone of the organisation
reads the list, HR of the whole organisation adds, changes and removes plans. The
preparation pages show the plans in force beside their forms (``preparations``).

Thin, like the catalogue pages beside it: the catalogues' permissions say who may see
and change (a missing or forbidden plan is the same 404), the services make each change.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.core.clock import today_for
from koers.core.errors import ValidationFailed
from koers.development import selectors
from koers.development import training_plans as reads
from koers.development.models import TrainingPlan
from koers.development.services import training_plans
from koers.organisation.models import Organisation
from koers.web.development.catalogue import catalogue_context
from koers.web.development.forms import TrainingPlanForm
from koers.web.development.lookups import organisation_or_404
from koers.web.page.forms import apply_errors
from koers.web.page.viewer import viewer_of


def plan_or_404(request: HttpRequest, pk: int) -> TrainingPlan:
    """The plan, for HR of its organisation only (the pages that change it)."""
    plan = TrainingPlan.objects.select_related("organisation").filter(pk=pk).first()
    if plan is None:
        raise Http404
    organisation_or_404(request, plan.organisation_id, manage=True)
    return plan


@login_required
def training_plans_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk)
    today = today_for(organisation)
    context = catalogue_context(request, organisation)
    context["plans"] = [(plan, reads.in_force(plan, today))
                        for plan in reads.training_plans_of(organisation)]
    return render(request, "development/training_plans.html", context)


def _form_page(request: HttpRequest, organisation: Organisation, plan: TrainingPlan | None,
               form: TrainingPlanForm) -> HttpResponse:
    title = (_("Change the training plan %(title)s") % {"title": plan.title} if plan
             else _("Add a training plan"))
    return render(request, "development/training_plan_form.html", {
        "form": form, "organisation": organisation, "plan": plan, "title": title,
        "back": reverse("training_plans", args=[organisation.pk])})


def _chosen(form: TrainingPlanForm, organisation: Organisation) -> list[Any]:
    ids = set(form.cleaned_data.get("competencies") or [])
    return [c for c in selectors.competencies_for(organisation, include_inactive=True)
            if c.pk in ids]


@login_required
def training_plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk, manage=True)
    form = TrainingPlanForm(request.POST or None,
                            initial=TrainingPlanForm.year_of(today_for(organisation)),
                            competencies=selectors.competencies_for(organisation))
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "competencies": _chosen(form, organisation)}
        try:
            training_plans.training_plan_create(actor=viewer_of(request),
                                                organisation=organisation, **data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The training plan is added."))
            return redirect("training_plans", organisation.pk)
    return _form_page(request, organisation, None, form)


@login_required
def training_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_or_404(request, pk)
    organisation = plan.organisation
    # Archived competencies the plan already targets stay on offer (and stay checked).
    targeted = {c.pk for c in plan.competencies.all()}
    offered = [c for c in selectors.competencies_for(organisation, include_inactive=True)
               if c.active or c.pk in targeted]
    form = TrainingPlanForm(request.POST or None, initial=TrainingPlanForm.initial_of(plan),
                            competencies=offered)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if "competencies" in changes:
            changes["competencies"] = _chosen(form, organisation)
        try:
            training_plans.training_plan_change(actor=viewer_of(request), plan=plan,
                                                changes=changes)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The training plan is changed."))
            return redirect("training_plans", organisation.pk)
    return _form_page(request, organisation, plan, form)


@login_required
@require_POST
def training_plan_remove(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_or_404(request, pk)
    training_plans.training_plan_remove(actor=viewer_of(request), plan=plan)
    messages.success(request, _("The training plan %(title)s is removed.")
                     % {"title": plan.title})
    return redirect("training_plans", plan.organisation_id)
