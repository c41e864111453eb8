"""Preparing the POP conversation: the self-scan, the employee's, the department's and
the manager's preparations, each private until shared.

Thin, like the catalogue pages: the development room's permissions say who may see what,
its services save and share.
"""

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Field, Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from koers.core.clock import today_for
from koers.core.errors import DomainError, EditConflict, NotFoundOrForbidden, ValidationFailed
from koers.development import permissions, selectors
from koers.development.models import (
    Competency,
    DepartmentPreparation,
    EmployeePreparation,
    ManagerPreparation,
    SelfScan,
)
from koers.development.services import preparations
from koers.development.services.preparations import (
    DEPARTMENT_FIELDS,
    EMPLOYEE_FIELDS,
    MANAGER_FIELDS,
    SELF_SCAN_FIELDS,
)
from koers.development.training_plans import training_plans_in_force
from koers.evaluations.selectors import evaluations_for_person
from koers.organisation import evaluators
from koers.organisation.models import Organisation, Person, Unit
from koers.web.development.forms import (
    DepartmentPreparationForm,
    EmployeePreparationForm,
    ManagerPreparationForm,
    ManagerPreparationStartForm,
    SelfScanForm,
)
from koers.web.development.lookups import me_or_404
from koers.web.page.conflicts import Difference, differences, rebound
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404, whole_number
from koers.web.page.viewer import viewer_of

# How many earlier conversations, evaluations and plans the preparation shows.
INPUTS_SHOWN = 5


# Preparation --------------------------------------------------------------------------


def inputs_at_hand(request: HttpRequest, person: Person) -> dict[str, Any]:
    """What to have at hand beside a preparation form (the POP guide, Stap 1): the job's
    competency profile, earlier conversation reports, evaluations and plans the viewer
    may see, and the organisation's training plans in force."""
    viewer = viewer_of(request)
    return {
        "inputs": selectors.preparation_inputs(viewer, person, limit=INPUTS_SHOWN),
        "evaluations": list(evaluations_for_person(viewer, person)[:INPUTS_SHOWN]),
        **_training_plans(person.organisation),
    }


def _training_plans(organisation: Organisation) -> dict[str, Any]:
    """The organisation's training plans in force today (GOP, the POP guide Stap 1): beside
    every preparation form, the unit's general one included."""
    return {"training_plans": training_plans_in_force(organisation,
                                                      on=today_for(organisation))}


@login_required
def self_scan(request: HttpRequest) -> HttpResponse:
    me = me_or_404(request)
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
    me = me_or_404(request)
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
    me_or_404(request)
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


def _conflict(request: HttpRequest, form: Any, error: EditConflict) -> list[Difference]:
    """The saved texts beside the user's own (kept in ``form``); the chosen competencies
    are in the form as the user left them."""
    messages.error(request, error.message)
    return differences(form, {name: value for name, value in error.current.items()
                              if name != "competencies"})


def _then(request: HttpRequest, preparation: Model, call: Callable[..., Any], url_name: str,
          done: object, **values: Any) -> HttpResponse:
    """Save or share a preparation with ``call``; say what happened; back to its page.
    A save that met a newer one raises ``EditConflict`` to the page, which shows it."""
    try:
        call(actor=viewer_of(request), preparation=preparation, **values)
    except NotFoundOrForbidden:
        raise Http404 from None
    except EditConflict:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(done))
    return redirect(url_name, preparation.pk)


@login_required
def employee_preparation(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee's preparation (POP opmaken, Bijlage 1): a form while it is the author's
    draft, read-only once shared; the inputs beside it."""
    viewer = viewer_of(request)
    preparation = _employee_preparation_or_404(request, pk)
    person = preparation.employee
    mine = viewer.person is not None and viewer.person.pk == person.pk
    editable = mine and preparation.shared_at is None
    form = None
    conflict: list[Difference] | None = None
    if editable:
        competencies = list(selectors.competencies_for(person.organisation))
        initial: dict[str, Any] = {name: getattr(preparation, name) for name in EMPLOYEE_FIELDS}
        initial["competencies"] = [c.pk for c in preparation.competencies.all()]
        initial["revision"] = preparation.revision
        form = EmployeePreparationForm(request.POST or None, initial=initial,
                                       competencies=competencies)
        if request.method == "POST" and form.is_valid():
            texts = {name: form.cleaned_data[name] for name in EMPLOYEE_FIELDS}
            try:
                return _then(request, preparation, preparations.employee_preparation_save,
                             "employee_preparation", SAVED, changes=texts,
                             competencies=_competency_ids(form, competencies),
                             expected_revision=form.cleaned_data["revision"])
            except EditConflict as error:
                form = rebound(EmployeePreparationForm, request, error.revision,
                               competencies=competencies)
                conflict = _conflict(request, form, error)
    elif request.method == "POST":
        raise Http404
    context = {"preparation": preparation, "person": person, "form": form, "mine": mine,
               "conflict": conflict,
               "answers": _answers(preparation, EMPLOYEE_FIELDS),
               **inputs_at_hand(request, person)}
    return render(request, "development/employee_preparation.html", context)


@login_required
@require_POST
def employee_preparation_share(request: HttpRequest, pk: int) -> HttpResponse:
    preparation = _employee_preparation_or_404(request, pk)
    return _then(request, preparation, preparations.employee_preparation_share,
                 "employee_preparation",
                 _("Your preparation is shared with your %(evaluators)s.")
                 % {"evaluators": viewer_of(request).terms.evaluators})


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
    asked = request.POST.get("unit", "")
    unit = permissions.department_unit_for(
        viewer, whole_number(asked) or 0)
    if unit is None:
        raise Http404
    preparation = preparations.department_preparation_start(actor=viewer, unit=unit)
    return redirect("department_preparation", preparation.pk)


@login_required
def department_preparation(request: HttpRequest, pk: int) -> HttpResponse:
    """The manager's general preparation of the unit (POP opmaken, Bijlage 2)."""
    viewer = viewer_of(request)
    preparation = _department_preparation_or_404(request, pk)
    mine = viewer.person is not None and preparation.author_id == viewer.person.pk
    form = None
    conflict: list[Difference] | None = None
    if mine and preparation.shared_at is None:
        initial: dict[str, Any] = {name: getattr(preparation, name)
                                   for name in DEPARTMENT_FIELDS}
        initial["revision"] = preparation.revision
        form = DepartmentPreparationForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            texts = {name: form.cleaned_data[name] for name in DEPARTMENT_FIELDS}
            try:
                return _then(request, preparation, preparations.department_preparation_save,
                             "department_preparation",
                             _("The general preparation is saved. It stays private until "
                               "you share it."), changes=texts,
                             expected_revision=form.cleaned_data["revision"])
            except EditConflict as error:
                form = rebound(DepartmentPreparationForm, request, error.revision)
                conflict = _conflict(request, form, error)
    elif request.method == "POST":
        raise Http404
    return render(request, "development/department_preparation.html", {
        "preparation": preparation, "form": form, "mine": mine, "conflict": conflict,
        "answers": _answers(preparation, DEPARTMENT_FIELDS),
        **_training_plans(preparation.unit.organisation)})


@login_required
@require_POST
def department_preparation_share(request: HttpRequest, pk: int) -> HttpResponse:
    preparation = _department_preparation_or_404(request, pk)
    return _then(request, preparation, preparations.department_preparation_share,
                 "department_preparation",
                 _("The general preparation is shared with your own %(evaluators)s.")
                 % {"evaluators": viewer_of(request).terms.evaluators})


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
    """The 1st evaluator's preparation about one employee (POP opmaken, Bijlage 2, 7
    questions), with the general view it builds on and the inputs beside it."""
    viewer = viewer_of(request)
    preparation = _manager_preparation_or_404(request, pk)
    person = preparation.employee
    mine = viewer.person is not None and preparation.author_id == viewer.person.pk
    form = None
    conflict: list[Difference] | None = None
    if mine and preparation.shared_at is None:
        competencies = list(selectors.competencies_for(person.organisation))
        initial: dict[str, Any] = {name: getattr(preparation, name) for name in MANAGER_FIELDS}
        initial["competencies"] = [c.pk for c in preparation.competencies.all()]
        initial["revision"] = preparation.revision
        form = ManagerPreparationForm(request.POST or None, initial=initial,
                                      competencies=competencies)
        if request.method == "POST" and form.is_valid():
            texts = {name: form.cleaned_data[name] for name in MANAGER_FIELDS}
            try:
                return _then(request, preparation, preparations.manager_preparation_save,
                             "manager_preparation", SAVED, changes=texts,
                             competencies=_competency_ids(form, competencies),
                             expected_revision=form.cleaned_data["revision"])
            except EditConflict as error:
                form = rebound(ManagerPreparationForm, request, error.revision,
                               competencies=competencies)
                conflict = _conflict(request, form, error)
    elif request.method == "POST":
        raise Http404
    view = preparation.department_view
    context = {
        "preparation": preparation, "person": person, "form": form, "mine": mine,
        "conflict": conflict,
        "answers": _answers(preparation, MANAGER_FIELDS),
        "department_view": view if view is not None and permissions
        .can_view_department_preparation(viewer, view) else None,
        **inputs_at_hand(request, person),
    }
    return render(request, "development/manager_preparation.html", context)


@login_required
@require_POST
def manager_preparation_share(request: HttpRequest, pk: int) -> HttpResponse:
    preparation = _manager_preparation_or_404(request, pk)
    return _then(request, preparation, preparations.manager_preparation_share,
                 "manager_preparation", _("Your preparation is shared with the employee."))
