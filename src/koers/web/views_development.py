"""Development pages: the competency and development-action catalogues with the
recommendation matrix and competency profiles, the preparation of the POP conversation
(self-scan, the employee's and the manager's preparations), the POP itself with its
rounds and signatures, and HR's training demand.

Thin, like the other views: the development room's permissions say who may see and do
what (a missing or forbidden object is the same 404), its services make every change
and its rules say what is refused or warned about.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Field, Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from koers.access import services as access_services
from koers.access.policy import Viewer
from koers.conversations.permissions import conversations_visible_to
from koers.core import languages
from koers.core.clock import today_for
from koers.core.errors import DomainError, NotFoundOrForbidden, ValidationFailed
from koers.development import exports, permissions, selectors
from koers.development.models import (
    Competency,
    CompetencyProfile,
    DepartmentPreparation,
    DevelopmentAction,
    DevelopmentPlan,
    EmployeePreparation,
    FollowUpEntry,
    HrAction,
    ManagerPreparation,
    PlanGoal,
    PlanItem,
    PlanMeans,
    Recommendation,
    SelfScan,
)
from koers.development.pdf import pop_pdf
from koers.development.rules import Priority, Source
from koers.development.services import catalogue, demand, plans, preparations
from koers.development.services.plans import NewHrAction, NewMeans
from koers.development.services.preparations import (
    DEPARTMENT_FIELDS,
    EMPLOYEE_FIELDS,
    MANAGER_FIELDS,
    SELF_SCAN_FIELDS,
)
from koers.development.states import (
    EDITABLE_GROUP,
    HrActionStatus,
    PlanStatus,
    RecommendationValue,
    RoundKind,
    RoundStatus,
)
from koers.development.summary import summary
from koers.development.training_plans import training_plans_in_force
from koers.evaluations.selectors import evaluations_for_person
from koers.organisation import evaluators
from koers.organisation.models import Organisation, Person, Unit
from koers.rulebook.policy import policy_for
from koers.web.forms_development import (
    ArrangeForm,
    ClusterForm,
    CompetencyForm,
    CompetencyProfileForm,
    DemandFilterForm,
    DepartmentPreparationForm,
    DevelopmentActionForm,
    EmployeePreparationForm,
    FollowUpForm,
    HrActionForm,
    ManagerPreparationForm,
    ManagerPreparationStartForm,
    PlanGoalForm,
    PlanItemForm,
    PlanMeansForm,
    PlanStartForm,
    RecommendationRowForm,
    RemarksForm,
    RoundStartForm,
    SelfScanForm,
)
from koers.web.page.exports import csv_response, xlsx_response
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of

# How many earlier conversations, evaluations and plans the preparation shows.
INPUTS_SHOWN = 5
# Conversations offered for a plan or a round: those of the last two years.
CONVERSATION_DAYS = 730


# Catalogues ---------------------------------------------------------------------------


def _organisation_or_404(request: HttpRequest, pk: int, *, manage: bool = False) -> Organisation:
    viewer = viewer_of(request)
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not permissions.can_read_catalogue(viewer, organisation):
        raise Http404
    if manage and not permissions.can_manage_catalogue(viewer, organisation):
        raise Http404
    return organisation


def _competency_or_404(request: HttpRequest, pk: int, *, manage: bool = False) -> Competency:
    competency = (Competency.objects.select_related("organisation", "cluster")
                  .filter(pk=pk).first())
    if competency is None:
        raise Http404
    _organisation_or_404(request, competency.organisation_id, manage=manage)
    return competency


def _action_or_404(request: HttpRequest, pk: int, *, manage: bool = False) -> DevelopmentAction:
    action = DevelopmentAction.objects.select_related("organisation").filter(pk=pk).first()
    if action is None:
        raise Http404
    _organisation_or_404(request, action.organisation_id, manage=manage)
    return action


def _catalogue_context(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    return {"organisation": organisation,
            "can_manage": permissions.can_manage_catalogue(viewer_of(request), organisation)}


@login_required
def development_catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue of the viewer's own organisation (HR of several: the first)."""
    viewer = viewer_of(request)
    if viewer.person is not None:
        return redirect("competency_catalogue", viewer.person.organisation_id)
    organisation = Organisation.objects.order_by("name").first() if viewer.is_superuser \
        else None
    if organisation is None:
        raise Http404
    return redirect("competency_catalogue", organisation.pk)


@login_required
def competency_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    context = _catalogue_context(request, organisation)
    context["clusters"] = selectors.clusters_with_competencies(
        organisation, include_inactive=context["can_manage"])
    return render(request, "development/competency_catalogue.html", context)


@login_required
def competency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competency = _competency_or_404(request, pk)
    advice = selectors.advice_for(competency)
    context = _catalogue_context(request, competency.organisation)
    context.update(
        competency=competency,
        recommended=[a.action for a in advice if a.value == RecommendationValue.RECOMMENDED],
        unknown=[a.action for a in advice if a.value == RecommendationValue.UNKNOWN],
        not_recommended=[a.action for a in advice
                         if a.value == RecommendationValue.NOT_RECOMMENDED],
    )
    return render(request, "development/competency_detail.html", context)


@login_required
def cluster_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk, manage=True)
    form = ClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.cluster_create(actor=viewer_of(request), organisation=organisation,
                                     **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The cluster is added."))
            return redirect("competency_catalogue", organisation.pk)
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": organisation, "title": _("Add a cluster"),
        "back": reverse("competency_catalogue", args=[organisation.pk])})


@login_required
def competency_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk, manage=True)
    clusters = selectors.clusters_with_competencies(organisation)
    form = CompetencyForm(request.POST or None, clusters=clusters, editing=False)
    if request.method == "POST" and form.is_valid():
        try:
            competency = catalogue.competency_create(actor=viewer_of(request),
                                                     organisation=organisation,
                                                     **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The competency is added. Fill in which development "
                                        "actions are recommended for it."))
            return redirect("recommendation_edit", competency.pk)
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": organisation, "title": _("Add a competency"),
        "back": reverse("competency_catalogue", args=[organisation.pk])})


@login_required
def competency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competency = _competency_or_404(request, pk, manage=True)
    organisation = competency.organisation
    form = CompetencyForm(request.POST or None, initial=CompetencyForm.initial_of(competency),
                          clusters=selectors.clusters_with_competencies(organisation),
                          editing=True)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            catalogue.competency_change(actor=viewer_of(request), competency=competency,
                                        changes=changes)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The competency is changed."))
            return redirect("competency_detail", competency.pk)
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": organisation,
        "title": _("Change the competency %(name)s") % {"name": competency.name},
        "back": reverse("competency_detail", args=[competency.pk])})


@login_required
def action_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    context = _catalogue_context(request, organisation)
    context["actions"] = list(selectors.development_actions(
        organisation, include_inactive=context["can_manage"]))
    return render(request, "development/action_catalogue.html", context)


@login_required
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk, manage=True)
    form = DevelopmentActionForm(request.POST or None, editing=False)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.development_action_create(actor=viewer_of(request),
                                                organisation=organisation, **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The development action is added. Fill in for which "
                                        "competencies it is recommended in the matrix."))
            return redirect("action_catalogue", organisation.pk)
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": organisation, "title": _("Add a development action"),
        "back": reverse("action_catalogue", args=[organisation.pk])})


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk, manage=True)
    form = DevelopmentActionForm(request.POST or None,
                                 initial=DevelopmentActionForm.initial_of(action), editing=True)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            catalogue.development_action_change(actor=viewer_of(request), action=action,
                                                changes=changes)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The development action is changed."))
            return redirect(reverse("action_catalogue", args=[action.organisation_id])
                            + f"#action-{action.pk}")
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": action.organisation,
        "title": _("Change the development action %(name)s") % {"name": action.name},
        "back": reverse("action_catalogue", args=[action.organisation_id])})


@login_required
def recommendation_matrix(request: HttpRequest, pk: int) -> HttpResponse:
    """The competency × action matrix; empty cells say "no recommendation yet"."""
    organisation = _organisation_or_404(request, pk)
    context = _catalogue_context(request, organisation)
    matrix = selectors.matrix(organisation, include_inactive=context["can_manage"])
    context.update(
        matrix=matrix,
        rows=[(cluster, [(competency, [matrix.value(competency, action)
                                       for action in matrix.actions])
                         for competency in cluster.competencies.all()])
              for cluster in matrix.clusters],
        values=RecommendationValue,
    )
    return render(request, "development/recommendation_matrix.html", context)


@login_required
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """HR fills in (or changes) one competency's row of the matrix."""
    competency = _competency_or_404(request, pk, manage=True)
    actions = list(selectors.development_actions(competency.organisation))
    values = dict(Recommendation.objects.filter(competency=competency)
                  .values_list("action_id", "value"))
    form = RecommendationRowForm(request.POST or None, actions=actions, values=values)
    if request.method == "POST" and form.is_valid():
        viewer = viewer_of(request)
        try:
            with transaction.atomic():
                for action, value in form.changed_cells():
                    catalogue.recommendation_set(actor=viewer, competency=competency,
                                                 action=action, value=value)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The recommendations for %(name)s are saved.")
                             % {"name": competency.name})
            return redirect(reverse("recommendation_matrix", args=[competency.organisation_id])
                            + f"#competency-{competency.pk}")
    return render(request, "development/recommendation_form.html", {
        "form": form, "competency": competency, "organisation": competency.organisation})


def _profile_or_404(request: HttpRequest, pk: int) -> CompetencyProfile:
    profile = CompetencyProfile.objects.select_related("organisation").filter(pk=pk).first()
    if profile is None:
        raise Http404
    _organisation_or_404(request, profile.organisation_id, manage=True)
    return profile


@login_required
def competency_profiles(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    context = _catalogue_context(request, organisation)
    context["profiles"] = list(selectors.profiles_of(organisation).order_by("job_title"))
    return render(request, "development/competency_profiles.html", context)


def _profile_form(request: HttpRequest, organisation: Organisation,
                  profile: CompetencyProfile | None) -> HttpResponse:
    competencies = list(selectors.competencies_for(organisation))
    initial = ({"job_title": profile.job_title,
                "competencies": [entry.competency_id for entry in profile.entries.all()]}
               if profile is not None else {})
    form = CompetencyProfileForm(request.POST or None, initial=initial,
                                 competencies=competencies)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["competencies"])
        try:
            catalogue.competency_profile_save(
                actor=viewer_of(request), organisation=organisation,
                job_title=form.cleaned_data["job_title"],
                competencies=[c for c in competencies if c.pk in chosen])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The competency profile is saved."))
            return redirect("competency_profiles", organisation.pk)
    return render(request, "development/profile_form.html", {
        "form": form, "organisation": organisation, "profile": profile})


@login_required
def competency_profile_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _profile_form(request, _organisation_or_404(request, pk, manage=True), None)


@login_required
def competency_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_or_404(request, pk)
    return _profile_form(request, profile.organisation, profile)


@login_required
@require_POST
def competency_profile_delete(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_or_404(request, pk)
    catalogue.competency_profile_delete(actor=viewer_of(request), profile=profile)
    messages.success(request, _("The competency profile is deleted."))
    return redirect("competency_profiles", profile.organisation_id)


# Preparation --------------------------------------------------------------------------


def _me_or_404(request: HttpRequest) -> Person:
    me = viewer_of(request).person
    if me is None:
        raise Http404
    return me


def _inputs(request: HttpRequest, person: Person) -> dict[str, Any]:
    """What to have at hand beside a preparation form (seed 002, Stap 1): the job's
    competency profile, earlier conversation reports, evaluations and plans the viewer
    may see, and the organisation's training plans in force."""
    viewer = viewer_of(request)
    return {
        "inputs": selectors.preparation_inputs(viewer, person, limit=INPUTS_SHOWN),
        "evaluations": list(evaluations_for_person(viewer, person)[:INPUTS_SHOWN]),
        **_training_plans(person.organisation),
    }


def _training_plans(organisation: Organisation) -> dict[str, Any]:
    """The organisation's training plans in force today (GOP, seed 002 Stap 1): beside
    every preparation form, the unit's general one included."""
    return {"training_plans": training_plans_in_force(organisation,
                                                      on=today_for(organisation))}


@login_required
def self_scan(request: HttpRequest) -> HttpResponse:
    me = _me_or_404(request)
    scan = SelfScan.objects.filter(employee=me).first()
    initial = {name: getattr(scan, name) for name in SELF_SCAN_FIELDS} if scan else {}
    form = SelfScanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        preparations.self_scan_save(actor=viewer_of(request), changes=form.cleaned_data)
        messages.success(request, _("Your self-scan is saved. Only you can read it."))
        return redirect("self_scan")
    return render(request, "development/self_scan.html", {"form": form, "scan": scan})


@login_required
def development_preparations(request: HttpRequest) -> HttpResponse:
    """Everything about preparing the POP conversation: my own preparations, and for a
    manager the general view of the unit and the preparations about team members; then
    what others shared with me."""
    viewer = viewer_of(request)
    me = _me_or_404(request)
    employee_preps = list(permissions.employee_preparations_visible_to(viewer)
                          .select_related("employee").order_by("-created_at", "-pk")[:50])
    manager_preps = list(permissions.manager_preparations_visible_to(viewer)
                         .select_related("employee", "author").order_by("-created_at", "-pk")[:50])
    department_preps = list(permissions.department_preparations_visible_to(viewer)
                            .select_related("unit", "author").order_by("-created_at", "-pk")[:50])
    team = list(evaluators.team(me, on=viewer.on, team_ids=viewer.team_ids))
    context = {
        "me": me,
        "has_scan": SelfScan.objects.filter(employee=me).exists(),
        "mine": [p for p in employee_preps if p.employee_id == me.pk],
        "shared_with_me": [p for p in employee_preps if p.employee_id != me.pk],
        "about_team": [p for p in manager_preps if p.author_id == me.pk],
        "about_me": [p for p in manager_preps if p.author_id != me.pk],
        "my_views": [p for p in department_preps if p.author_id == me.pk],
        "shared_views": [p for p in department_preps if p.author_id != me.pk],
        "managed_units": list(Unit.objects.filter(manager=me).order_by("name")),
        "team": team,
    }
    return render(request, "development/preparations.html", context)


def _employee_preparation_or_404(request: HttpRequest, pk: int) -> EmployeePreparation:
    preparation = (EmployeePreparation.objects
                   .select_related("employee__unit", "employee__organisation")
                   .prefetch_related("competencies").filter(pk=pk).first())
    if preparation is None or not permissions.can_view_employee_preparation(
            viewer_of(request), preparation):
        raise Http404
    return preparation


@login_required
@require_POST
def employee_preparation_new(request: HttpRequest) -> HttpResponse:
    _me_or_404(request)
    preparation = preparations.employee_preparation_start(actor=viewer_of(request))
    messages.success(request, _("Your preparation is started from your self-scan. It stays "
                                "private until you share it."))
    return redirect("employee_preparation", preparation.pk)


def _answers(preparation: Model, names: Sequence[str]) -> list[tuple[str, str]]:
    """Each question (the model field's label, the source's wording) with its answer."""
    return [(str(cast(Field[Any, Any], preparation._meta.get_field(name)).verbose_name),
             getattr(preparation, name)) for name in names]


def _competency_ids(form: Any, competencies: Sequence[Competency]) -> list[Competency]:
    chosen = set(form.cleaned_data.get("competencies") or [])
    return [c for c in competencies if c.pk in chosen]


SAVED = gettext_lazy("Your preparation is saved. It stays private until you share it.")


def _then(request: HttpRequest, preparation: Model, call: Callable[..., Any], url_name: str,
          done: object, **values: Any) -> HttpResponse:
    """Save or share a preparation with ``call``; say what happened; back to its page."""
    try:
        call(actor=viewer_of(request), preparation=preparation, **values)
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(done))
    return redirect(url_name, preparation.pk)


@login_required
def employee_preparation(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee's preparation (seed 003, Bijlage 1): a form while it is the author's
    draft, read-only once shared; the inputs beside it."""
    viewer = viewer_of(request)
    preparation = _employee_preparation_or_404(request, pk)
    person = preparation.employee
    mine = viewer.person is not None and viewer.person.pk == person.pk
    editable = mine and preparation.shared_at is None
    form = None
    if editable:
        competencies = list(selectors.competencies_for(person.organisation))
        initial: dict[str, Any] = {name: getattr(preparation, name) for name in EMPLOYEE_FIELDS}
        initial["competencies"] = [c.pk for c in preparation.competencies.all()]
        form = EmployeePreparationForm(request.POST or None, initial=initial,
                                       competencies=competencies)
        if request.method == "POST" and form.is_valid():
            texts = {name: form.cleaned_data[name] for name in EMPLOYEE_FIELDS}
            return _then(request, preparation, preparations.employee_preparation_save,
                         "employee_preparation", SAVED, changes=texts,
                         competencies=_competency_ids(form, competencies))
    elif request.method == "POST":
        raise Http404
    context = {"preparation": preparation, "person": person, "form": form, "mine": mine,
               "answers": _answers(preparation, EMPLOYEE_FIELDS),
               **_inputs(request, person)}
    return render(request, "development/employee_preparation.html", context)


@login_required
@require_POST
def employee_preparation_share(request: HttpRequest, pk: int) -> HttpResponse:
    preparation = _employee_preparation_or_404(request, pk)
    return _then(request, preparation, preparations.employee_preparation_share,
                 "employee_preparation", _("Your preparation is shared with your evaluators."))


def _department_preparation_or_404(request: HttpRequest, pk: int) -> DepartmentPreparation:
    preparation = (DepartmentPreparation.objects.select_related("unit", "author")
                   .filter(pk=pk).first())
    if preparation is None or not permissions.can_view_department_preparation(
            viewer_of(request), preparation):
        raise Http404
    return preparation


@login_required
@require_POST
def department_preparation_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    me = _me_or_404(request)
    unit = Unit.objects.filter(pk=request.POST.get("unit") or 0, manager=me).first()
    if unit is None:
        raise Http404
    preparation = preparations.department_preparation_start(actor=viewer, unit=unit)
    return redirect("department_preparation", preparation.pk)


@login_required
def department_preparation(request: HttpRequest, pk: int) -> HttpResponse:
    """The manager's general preparation of the unit (seed 003, Bijlage 2)."""
    viewer = viewer_of(request)
    preparation = _department_preparation_or_404(request, pk)
    mine = viewer.person is not None and preparation.author_id == viewer.person.pk
    form = None
    if mine and preparation.shared_at is None:
        initial = {name: getattr(preparation, name) for name in DEPARTMENT_FIELDS}
        form = DepartmentPreparationForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            return _then(request, preparation, preparations.department_preparation_save,
                         "department_preparation",
                         _("The general preparation is saved. It stays private until you "
                           "share it."), changes=form.cleaned_data)
    elif request.method == "POST":
        raise Http404
    return render(request, "development/department_preparation.html", {
        "preparation": preparation, "form": form, "mine": mine,
        "answers": _answers(preparation, DEPARTMENT_FIELDS),
        **_training_plans(preparation.unit.organisation)})


@login_required
@require_POST
def department_preparation_share(request: HttpRequest, pk: int) -> HttpResponse:
    preparation = _department_preparation_or_404(request, pk)
    return _then(request, preparation, preparations.department_preparation_share,
                 "department_preparation",
                 _("The general preparation is shared with your own evaluators."))


@login_required
def manager_preparation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The 1st evaluator starts a preparation about a team member."""
    viewer = viewer_of(request)
    employee = person_or_404(request, pk)
    if not permissions.can_prepare_for(viewer, employee):
        raise Http404
    views = (DepartmentPreparation.objects.filter(author=viewer.person)
             .select_related("unit").order_by("-created_at"))
    form = ManagerPreparationStartForm(request.POST or None, views=views)
    if request.method == "POST" and form.is_valid():
        try:
            preparation = preparations.manager_preparation_start(
                actor=viewer, employee=employee,
                department_view=form.cleaned_data["department_view"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            return redirect("manager_preparation", preparation.pk)
    return render(request, "development/manager_preparation_new.html",
                  {"form": form, "person": employee})


def _manager_preparation_or_404(request: HttpRequest, pk: int) -> ManagerPreparation:
    preparation = (ManagerPreparation.objects
                   .select_related("employee__unit", "employee__organisation", "author",
                                   "department_view__unit")
                   .prefetch_related("competencies").filter(pk=pk).first())
    if preparation is None or not permissions.can_view_manager_preparation(
            viewer_of(request), preparation):
        raise Http404
    return preparation


@login_required
def manager_preparation(request: HttpRequest, pk: int) -> HttpResponse:
    """The 1st evaluator's preparation about one employee (seed 003, Bijlage 2, 7
    questions), with the general view it builds on and the inputs beside it."""
    viewer = viewer_of(request)
    preparation = _manager_preparation_or_404(request, pk)
    person = preparation.employee
    mine = viewer.person is not None and preparation.author_id == viewer.person.pk
    form = None
    if mine and preparation.shared_at is None:
        competencies = list(selectors.competencies_for(person.organisation))
        initial: dict[str, Any] = {name: getattr(preparation, name) for name in MANAGER_FIELDS}
        initial["competencies"] = [c.pk for c in preparation.competencies.all()]
        form = ManagerPreparationForm(request.POST or None, initial=initial,
                                      competencies=competencies)
        if request.method == "POST" and form.is_valid():
            texts = {name: form.cleaned_data[name] for name in MANAGER_FIELDS}
            return _then(request, preparation, preparations.manager_preparation_save,
                         "manager_preparation", SAVED, changes=texts,
                         competencies=_competency_ids(form, competencies))
    elif request.method == "POST":
        raise Http404
    view = preparation.department_view
    context = {
        "preparation": preparation, "person": person, "form": form, "mine": mine,
        "answers": _answers(preparation, MANAGER_FIELDS),
        "department_view": view if view is not None and permissions
        .can_view_department_preparation(viewer, view) else None,
        **_inputs(request, person),
    }
    return render(request, "development/manager_preparation.html", context)


@login_required
@require_POST
def manager_preparation_share(request: HttpRequest, pk: int) -> HttpResponse:
    preparation = _manager_preparation_or_404(request, pk)
    return _then(request, preparation, preparations.manager_preparation_share,
                 "manager_preparation", _("Your preparation is shared with the employee."))


# Plans --------------------------------------------------------------------------------


def _plan_or_404(request: HttpRequest, pk: int) -> DevelopmentPlan:
    plan = permissions.plan_for(viewer_of(request), pk)
    if plan is None:
        raise Http404
    return plan


def _editable_plan_or_404(request: HttpRequest, pk: int) -> DevelopmentPlan:
    """The plan, if the viewer builds it (the employee, the 1st evaluator)."""
    plan = _plan_or_404(request, pk)
    if not permissions.can_edit_plan(viewer_of(request), plan):
        raise Http404
    return plan


def _item_or_404(request: HttpRequest, pk: int) -> PlanItem:
    item = (PlanItem.objects.select_related("plan__employee__unit", "plan__organisation",
                                            "competency__cluster").filter(pk=pk).first())
    if item is None:
        raise Http404
    viewer = viewer_of(request)
    if not (permissions.can_view_plan(viewer, item.plan)
            and permissions.can_edit_plan(viewer, item.plan)):
        raise Http404
    return item


def _part_or_404[T: PlanGoal | PlanMeans | HrAction | FollowUpEntry](
        request: HttpRequest, model: type[T], pk: int) -> T:
    part = cast(T | None, model.objects.select_related("item").filter(pk=pk).first())
    if part is None:
        raise Http404
    part.item = _item_or_404(request, part.item_id)
    return part


def _plans_list(request: HttpRequest, person: Person) -> list[DevelopmentPlan]:
    return list(selectors.plans_of(viewer_of(request), person)[:20])


@login_required
def my_development_plans(request: HttpRequest) -> HttpResponse:
    """My plans; for a 1st evaluator the team members' open plans and who has none."""
    viewer = viewer_of(request)
    me = _me_or_404(request)
    team = list(evaluators.team(me, on=viewer.on, team_ids=viewer.team_ids))
    team_plans = {
        plan.employee_id: plan for plan in permissions.plans_visible_to(viewer)
        .filter(employee__in=[member.pk for member in team],
                status__in=[PlanStatus.DRAFT, PlanStatus.SIGNED, PlanStatus.REVISING])
    }
    context = {
        "me": me,
        "plans": _plans_list(request, me),
        "can_start": permissions.can_create_plan_for(viewer, me)
        and selectors.open_plan_of(me) is None,
        "team": [(member, team_plans.get(member.pk)) for member in team],
        "today": today_for(me.organisation),
    }
    return render(request, "development/my_plans.html", context)


@login_required
def person_development(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's plans as the viewer may see them (HR sees none by default)."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    context = {
        "person": person,
        "plans": _plans_list(request, person),
        "can_start": permissions.can_create_plan_for(viewer, person)
        and selectors.open_plan_of(person) is None,
        "can_prepare": permissions.can_prepare_for(viewer, person),
        "today": today_for(person.organisation),
    }
    return render(request, "development/person_plans.html", context)


def _conversations(request: HttpRequest, person: Person) -> Any:
    today = today_for(person.organisation)
    return (conversations_visible_to(viewer_of(request))
            .filter(employee=person,
                    starts_at__date__gte=today - dt.timedelta(days=CONVERSATION_DAYS))
            .order_by("-starts_at"))


@login_required
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a person's POP in (or after) the planning conversation."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    if not permissions.can_create_plan_for(viewer, person):
        raise Http404
    form = PlanStartForm(request.POST or None, conversations=_conversations(request, person))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.plan_create(actor=viewer, employee=person, **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The development plan is started. Add the "
                                        "competencies to develop, then both of you sign."))
            return redirect("development_plan", plan.pk)
    return render(request, "development/plan_new.html", {
        "form": form, "person": person, **_inputs(request, person)})


def _signable(viewer: Viewer, plan: DevelopmentPlan, open_round: Any) -> str | None:
    """The role the viewer signs the open round in, if they have not signed it yet."""
    role = permissions.signer_role(viewer, plan)
    if role is None or open_round is None:
        return None
    if any(s.role == role for s in open_round.signatures.all()):
        return None
    return role


@login_required
def development_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The POP: the summary table of seed 002 (Bijlage 3), the rule messages, the rows to
    work on while a round is open, the signatures of each conversation, the next
    follow-up; HR reading under a granted request is logged for the employee to see."""
    viewer = viewer_of(request)
    checked = _plan_or_404(request, pk)
    if permissions.read_under_grant(viewer, checked):
        access_services.access_read_log(viewer=viewer, subject=checked.employee,
                                        scope=permissions.PLAN_SCOPE, record=checked,
                                        label=_("Development plan"))
    plan = selectors.plan_with_rows(checked.pk)
    organisation = plan.organisation
    today = today_for(organisation)
    review = selectors.plan_review(plan, today=today)
    table = summary(plan)
    rounds = list(plan.rounds.all())
    open_round = next((r for r in rounds if r.status == RoundStatus.OPEN), None)
    can_edit = permissions.can_edit_plan(viewer, plan) and plan.status in EDITABLE_GROUP
    policy = policy_for(organisation)
    context = {
        "plan": plan,
        "table": table,
        "review": review,
        "work_rows": [(row, [(goal, review.goal_advice.get(goal.pk, [])) for goal in row.goals])
                      for row in table.rows],
        "rounds": rounds,
        "open_round": open_round,
        "can_edit": can_edit,
        "is_employee": permissions.is_employee(viewer, plan),
        "sign_as": _signable(viewer, plan, open_round) if plan.status in EDITABLE_GROUP
        else None,
        "can_start_round": permissions.can_edit_plan(viewer, plan)
        and plan.status == PlanStatus.SIGNED,
        "can_close": permissions.is_first_evaluator(viewer, plan)
        and plan.status == PlanStatus.SIGNED,
        "can_cancel": permissions.can_edit_plan(viewer, plan) and plan.status == PlanStatus.DRAFT,
        "in_follow_up": open_round is not None and open_round.kind != RoundKind.PLANNING,
        "max_competencies": policy.pop_max_competencies,
        "room_for_more": len(table.rows) < policy.pop_max_competencies,
        "priority_one_above": policy.pop_priority_one_warning_above,
        "sources": Source.choices,
        "priorities": Priority.choices,
        "today": today,
    }
    return render(request, "development/plan_detail.html", context)


@login_required
def development_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary table as a PDF laid out like seed 002's Bijlage 3, in the reader's
    language."""
    viewer = viewer_of(request)
    plan = _plan_or_404(request, pk)
    if permissions.read_under_grant(viewer, plan):
        access_services.access_read_log(viewer=viewer, subject=plan.employee,
                                        scope=permissions.PLAN_SCOPE, record=plan,
                                        label=_("Development plan (PDF)"))
    pdf = pop_pdf(plan, language=languages.active())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"pop-{plan.employee.full_name}-{plan.period_start:%Y}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _back(plan_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("development_plan", args=[plan_id]) + (f"#{anchor}" if anchor else ""))


def _report(request: HttpRequest, *, warnings: Sequence[str] = (),
            advice: Sequence[Any] = ()) -> None:
    """The rules that advise, said after a save: never a refusal."""
    for warning in warnings:
        messages.warning(request, warning)
    for item in advice:
        messages.warning(request, _("SMART advice: %(advice)s") % {"advice": item.message})


def _recommended(competency: Competency) -> list[DevelopmentAction]:
    return selectors.recommended_actions(competency)


@login_required
def plan_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """The development actions the matrix recommends for the chosen competency: the
    fragment the row form swaps in when the competency changes (htmx)."""
    plan = _editable_plan_or_404(request, pk)
    competency = Competency.objects.filter(organisation=plan.organisation, active=True,
                                           pk=_int(request.GET.get("competency"))).first()
    proposals = _recommended(competency) if competency is not None else []
    form = PlanItemForm(competencies=[], adding=True, proposals=proposals)
    return render(request, "development/plan_item_form.html#proposals", {
        "form": form, "plan": plan, "competency": competency, "proposals": proposals})


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@login_required
def plan_item_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A row: competency, source and priority; with its first development goal and the
    matrix's proposed actions as means, if chosen."""
    viewer = viewer_of(request)
    plan = _editable_plan_or_404(request, pk)
    competencies = list(selectors.competencies_for(plan.organisation))
    chosen = next((c for c in competencies
                   if c.pk == _int(request.POST.get("competency") or request.GET.get(
                       "competency"))), None)
    proposals = _recommended(chosen) if chosen is not None else []
    form = PlanItemForm(request.POST or None, competencies=competencies, adding=True,
                        proposals=proposals)
    _htmx_competency(form, plan)
    if request.method == "POST" and "propose" not in request.POST and form.is_valid():
        data = form.cleaned_data
        competency = next(c for c in competencies if c.pk == data["competency"])
        try:
            with transaction.atomic():
                saved = plans.plan_item_add(actor=viewer, plan=plan, competency=competency,
                                            source=data["source"], priority=data["priority"],
                                            success_indicators=data["success_indicators"])
                advice: Sequence[Any] = ()
                if data["goal"].strip():
                    advice = plans.plan_goal_add(actor=viewer, item=saved.obj,
                                                 text=data["goal"], term=data["term"],
                                                 term_note=data["term_note"]).advice
                for action in proposals:
                    if action.pk in data["proposals"]:
                        plans.plan_means_add(actor=viewer, item=saved.obj, action=action,
                                             term=data["term"], term_note=data["term_note"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(competency)s is added to the plan.")
                             % {"competency": competency.name})
            _report(request, warnings=saved.warnings, advice=advice)
            return _back(plan.pk, f"row-{saved.obj.pk}")
    return render(request, "development/plan_item_form.html", {
        "form": form, "plan": plan, "item": None, "competency": chosen,
        "proposals": proposals,
        "chosen_proposals": [_int(value) for value in request.POST.getlist("proposals")]})


def _htmx_competency(form: PlanItemForm, plan: DevelopmentPlan) -> None:
    form.fields["competency"].widget.attrs.update({
        "hx-get": reverse("plan_proposals", args=[plan.pk]), "hx-trigger": "change",
        "hx-target": "#proposals", "hx-swap": "outerHTML",
        "aria-controls": "proposals",
    })


@login_required
def plan_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    item = _item_or_404(request, pk)
    plan = item.plan
    competencies = list(selectors.competencies_for(plan.organisation))
    if item.competency not in competencies:  # archived since: keep it choosable here
        competencies.insert(0, item.competency)
    initial = {"competency": item.competency_id, "source": item.source,
               "priority": item.priority, "success_indicators": item.success_indicators}
    form = PlanItemForm(request.POST or None, initial=initial, competencies=competencies,
                        adding=False)
    if request.method == "POST" and form.is_valid():
        changes = form.item_changes()
        changes["competency"] = next(c for c in competencies if c.pk == changes["competency"])
        changes = {name: value for name, value in changes.items() if name in form.changed_data}
        try:
            saved = plans.plan_item_change(actor=viewer, item=item, changes=changes)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The row is changed."))
            _report(request, warnings=saved.warnings)
            return _back(plan.pk, f"row-{item.pk}")
    return render(request, "development/plan_item_form.html", {
        "form": form, "plan": plan, "item": item, "competency": item.competency,
        "proposals": []})


def _remove(request: HttpRequest, plan_id: int, remove: Callable[[], None],
            done: str) -> HttpResponse:
    try:
        remove()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(plan_id, "rows")


@login_required
@require_POST
def plan_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    return _remove(request, item.plan_id,
                   lambda: plans.plan_item_remove(actor=viewer_of(request), item=item),
                   _("The row is removed."))


def _part_form(request: HttpRequest, item: PlanItem, form: Any, *, title: str,
               save: Callable[[dict[str, Any]], Any], done: str) -> HttpResponse:
    """A form on one part of a row (goal, means, HR action, follow-up entry)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            _report(request, warnings=getattr(saved, "warnings", ()),
                    advice=getattr(saved, "advice", ()))
            return _back(item.plan_id, f"row-{item.pk}")
    return render(request, "development/plan_part_form.html", {
        "form": form, "plan": item.plan, "item": item, "title": title})


@login_required
def plan_goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    viewer = viewer_of(request)
    return _part_form(
        request, item, PlanGoalForm(request.POST or None),
        title=_("Add a development goal"),
        save=lambda data: plans.plan_goal_add(actor=viewer, item=item, **data),
        done=_("The development goal is added."))


@login_required
def plan_goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _part_or_404(request, PlanGoal, pk)
    viewer = viewer_of(request)
    form = PlanGoalForm(request.POST or None, initial={
        "text": goal.text, "term": goal.term, "term_note": goal.term_note})
    return _part_form(
        request, goal.item, form, title=_("Change the development goal"),
        save=lambda data: plans.plan_goal_change(
            actor=viewer, goal=goal, changes={n: data[n] for n in form.changed_data}),
        done=_("The development goal is changed."))


@login_required
@require_POST
def plan_goal_remove(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _part_or_404(request, PlanGoal, pk)
    return _remove(request, goal.item.plan_id,
                   lambda: plans.plan_goal_remove(actor=viewer_of(request), goal=goal),
                   _("The development goal is removed."))


def _supporter_queryset(plan: DevelopmentPlan) -> Any:
    """Who may support (coach, mentor, colleague): the employee's unit and their
    evaluators, a short list whatever the organisation's size."""
    line = evaluators.evaluator_line(plan.employee, on=today_for(plan.organisation))
    extra = [p.pk for p in (line.first, line.second) if p is not None]
    return (Person.objects.filter(organisation=plan.organisation)
            .filter(Q(unit_id=plan.employee.unit_id) | Q(pk__in=extra))
            .exclude(pk=plan.employee_id).order_by("last_name", "first_name"))


def _action_lists(item: PlanItem) -> dict[str, Any]:
    return {"actions": list(selectors.development_actions(item.plan.organisation)),
            "recommended": _recommended(item.competency), "competency": item.competency}


def _changed_fields(item: PlanItem, form: Any, data: dict[str, Any]) -> dict[str, Any]:
    """What the user changed in a means or HR action form, the action as an object."""
    changes = {name: data[name] for name in form.changed_data}
    if "action" in changes:
        changes["action"] = _action_of(item, changes["action"])
    return changes


def _action_of(item: PlanItem, pk: int | None) -> DevelopmentAction | None:
    if pk is None:
        return None
    action = DevelopmentAction.objects.filter(pk=pk, organisation=item.plan.organisation).first()
    if action is None:
        raise ValidationFailed(_("Choose a development action of this organisation."),
                               {"action": [_("Choose a development action of this "
                                             "organisation.")]})
    return action


@login_required
def plan_means_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    viewer = viewer_of(request)
    form = PlanMeansForm(request.POST or None, supporters=_supporter_queryset(item.plan),
                         **_action_lists(item))

    def save(data: dict[str, Any]) -> Any:
        return plans.plan_means_add(actor=viewer, item=item,
                                    action=_action_of(item, data["action"]),
                                    description=data["description"], term=data["term"],
                                    term_note=data["term_note"], supporter=data["supporter"])

    return _part_form(request, item, form, title=_("Add a means"), save=save,
                      done=_("The means is added."))


@login_required
def plan_means_edit(request: HttpRequest, pk: int) -> HttpResponse:
    means = _part_or_404(request, PlanMeans, pk)
    item = means.item
    viewer = viewer_of(request)
    form = PlanMeansForm(request.POST or None, supporters=_supporter_queryset(item.plan),
                         initial={"action": means.action_id, "description": means.description,
                                  "term": means.term, "term_note": means.term_note,
                                  "supporter": means.supporter_id},
                         **_action_lists(item))

    def save(data: dict[str, Any]) -> Any:
        return plans.plan_means_change(actor=viewer, means=means,
                                    changes=_changed_fields(item, form, data))

    return _part_form(request, item, form, title=_("Change the means"), save=save,
                      done=_("The means is changed."))


@login_required
@require_POST
def plan_means_remove(request: HttpRequest, pk: int) -> HttpResponse:
    means = _part_or_404(request, PlanMeans, pk)
    return _remove(request, means.item.plan_id,
                   lambda: plans.plan_means_remove(actor=viewer_of(request), means=means),
                   _("The means is removed."))


@login_required
def plan_hr_action_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    viewer = viewer_of(request)
    form = HrActionForm(request.POST or None, **_action_lists(item))

    def save(data: dict[str, Any]) -> Any:
        return plans.plan_hr_action_add(actor=viewer, item=item,
                                        description=data["description"],
                                        action=_action_of(item, data["action"]),
                                        term=data["term"])

    return _part_form(request, item, form, title=_("Add an action for HR"), save=save,
                      done=_("The action for HR is added; HR sees it once the plan is "
                             "signed."))


@login_required
def plan_hr_action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hr_action = _part_or_404(request, HrAction, pk)
    item = hr_action.item
    viewer = viewer_of(request)
    form = HrActionForm(request.POST or None, initial={
        "description": hr_action.description, "action": hr_action.action_id,
        "term": hr_action.term}, **_action_lists(item))

    def save(data: dict[str, Any]) -> Any:
        return plans.plan_hr_action_change(actor=viewer, hr_action=hr_action,
                                    changes=_changed_fields(item, form, data))

    return _part_form(request, item, form, title=_("Change the action for HR"), save=save,
                      done=_("The action for HR is changed."))


@login_required
@require_POST
def plan_hr_action_remove(request: HttpRequest, pk: int) -> HttpResponse:
    hr_action = _part_or_404(request, HrAction, pk)
    return _remove(request, hr_action.item.plan_id,
                   lambda: plans.plan_hr_action_remove(actor=viewer_of(request),
                                                       hr_action=hr_action),
                   _("The action for HR is removed."))


@login_required
def plan_follow_up_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Realisation / follow-up of a row in a follow-up round, with the new actions it
    leads to (seed 002: "Realisatie/opvolging (→ nieuwe acties)")."""
    item = _item_or_404(request, pk)
    viewer = viewer_of(request)
    form = FollowUpForm(request.POST or None, supporters=_supporter_queryset(item.plan),
                        **_action_lists(item))

    def save(data: dict[str, Any]) -> Any:
        new_means = [NewMeans(action=_action_of(item, data["action"]),
                              description=data["description"], term=data["term"],
                              term_note=data["term_note"], supporter=data["supporter"])
                     ] if form.has_new_means() else []
        new_hr = [NewHrAction(description=data["hr_description"],
                              action=_action_of(item, data["hr_action"]),
                              term=data["hr_term"])] if form.has_new_hr_action() else []
        return plans.plan_follow_up_add(actor=viewer, item=item, text=data["text"],
                                        new_means=new_means, new_hr_actions=new_hr)

    return _part_form(request, item, form, title=_("Write the realisation and follow-up"),
                      save=save, done=_("The follow-up is written."))


@login_required
def plan_follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _part_or_404(request, FollowUpEntry, pk)
    item = entry.item
    viewer = viewer_of(request)
    form = FollowUpForm(request.POST or None, initial={"text": entry.text},
                        supporters=Person.objects.none(), editing=True, **_action_lists(item))
    return _part_form(
        request, item, form, title=_("Change the follow-up"),
        save=lambda data: plans.plan_follow_up_change(actor=viewer, entry=entry,
                                                      text=data["text"]),
        done=_("The follow-up is changed."))


@login_required
@require_POST
def plan_follow_up_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _part_or_404(request, FollowUpEntry, pk)
    return _remove(request, entry.item.plan_id,
                   lambda: plans.plan_follow_up_remove(actor=viewer_of(request), entry=entry),
                   _("The follow-up is removed."))


@login_required
def plan_remarks(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee's remarks on the plan (seed 002's planning form)."""
    viewer = viewer_of(request)
    plan = _plan_or_404(request, pk)
    if not permissions.is_employee(viewer, plan):
        raise Http404
    form = RemarksForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            plans.plan_remarks_set(actor=viewer, plan=plan, remarks=form.cleaned_data["remarks"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your remarks are saved."))
            return _back(plan.pk, "remarks")
    return render(request, "development/plan_part_form.html", {
        "form": form, "plan": plan, "item": None, "title": _("Your remarks on the plan")})


@login_required
@require_POST
def plan_sign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    try:
        plans.plan_sign(actor=viewer_of(request), plan=plan)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        plan.refresh_from_db()
        if plan.status == PlanStatus.SIGNED:
            messages.success(request, _("You signed; both signatures are in and the plan is "
                                        "sealed."))
        else:
            messages.success(request, _("You signed. The plan holds once the other side "
                                        "signed too; they are asked to."))
    return _back(plan.pk, "signatures")


@login_required
def plan_round_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the next round of a signed plan: a follow-up conversation or an amendment."""
    viewer = viewer_of(request)
    plan = _editable_plan_or_404(request, pk)
    form = RoundStartForm(request.POST or None,
                          conversations=_conversations(request, plan.employee))
    if request.method == "POST" and form.is_valid():
        try:
            saved = plans.plan_round_start(actor=viewer, plan=plan, **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The follow-up is open: write the realisation of each "
                                        "row and the new actions, then both of you sign."))
            _report(request, warnings=saved.warnings)
            return _back(plan.pk, "rows")
    return render(request, "development/plan_part_form.html", {
        "form": form, "plan": plan, "item": None, "title": _("Start a follow-up")})


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    try:
        plans.plan_close(actor=viewer_of(request), plan=plan)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The plan is closed."))
    return _back(plan.pk)


@login_required
@require_POST
def plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    try:
        plans.plan_cancel(actor=viewer_of(request), plan=plan)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The plan is cancelled."))
    return _back(plan.pk)


# HR: the training demand --------------------------------------------------------------


def _demand_organisation_or_404(request: HttpRequest, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not permissions.can_view_training_demand(
            viewer_of(request), organisation):
        raise Http404
    return organisation


@login_required
def training_demand(request: HttpRequest, pk: int) -> HttpResponse:
    """The HR actions asked across all signed plans, per development action and
    competency, with counts, terms and status; HR marks them arranged."""
    organisation = _demand_organisation_or_404(request, pk)
    filters = DemandFilterForm(request.GET or None)
    status = filters.status_value()
    groups = selectors.training_demand(viewer_of(request), organisation, status=status)
    return render(request, "development/training_demand.html", {
        "organisation": organisation, "groups": groups, "filters": filters,
        "status": status or "", "arrange_form": ArrangeForm(),
        "requested": HrActionStatus.REQUESTED, "arranged": HrActionStatus.ARRANGED,
    })


@login_required
def training_demand_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The training demand as CSV or XLSX: the summary, or with ``?table=detail`` one line
    per HR action."""
    organisation = _demand_organisation_or_404(request, pk)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    status = DemandFilterForm(request.GET or None).status_value()
    groups = selectors.training_demand(viewer_of(request), organisation, status=status)
    detail = request.GET.get("table") == "detail"
    header, rows = (exports.demand_detail_table(groups) if detail
                    else exports.demand_summary_table(groups))
    title = _("Training demand") if not detail else _("Training demand (detail)")
    name = f"{title} {organisation.name}"
    if file_format == "csv":
        return csv_response(name, header, rows)
    return xlsx_response(name, title, header, rows)


@login_required
@require_POST
def hr_action_arrange(request: HttpRequest, pk: int) -> HttpResponse:
    """HR marks an action arranged (``status=arranged``, with a note) or undoes it."""
    viewer = viewer_of(request)
    hr_action = HrAction.objects.select_related("item__plan").filter(pk=pk).first()
    if hr_action is None:
        raise Http404
    form = ArrangeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    target = request.POST.get("status") or HrActionStatus.ARRANGED
    try:
        demand.hr_action_set_status(actor=viewer, hr_action=hr_action, status=target, note=note)
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The action is marked arranged.")
                         if target == HrActionStatus.ARRANGED
                         else _("The action is requested again."))
    organisation_id = hr_action.item.plan.organisation_id
    # Back to the list as HR filtered it.
    back = request.POST.get("back_status", "")
    url = reverse("training_demand", args=[organisation_id])
    query = f"?status={back}" if back in HrActionStatus.values else ""
    return redirect(f"{url}{query}#hr-action-{hr_action.pk}")

