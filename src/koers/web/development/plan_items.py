"""The rows of a POP and their parts: goals, means, HR actions and follow-ups, with the
actions the recommendation matrix proposes for a row's competency (htmx).

Thin: the plan's permissions say who builds it, the plans service makes every change and
says what the rules advise after a save.
"""

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.core.clock import today_for
from koers.core.errors import DomainError, EditConflict, ValidationFailed
from koers.development import selectors
from koers.development.models import (
    Competency,
    DevelopmentAction,
    DevelopmentPlan,
    FollowUpEntry,
    HrAction,
    PlanGoal,
    PlanItem,
    PlanMeans,
)
from koers.development.services import plans
from koers.development.services.plans import NewHrAction, NewMeans
from koers.organisation import evaluators
from koers.organisation.models import Person
from koers.web.development.lookups import (
    back_to_plan,
    editable_plan_or_404,
    item_or_404,
    part_or_404,
    say_advice,
)
from koers.web.development.plan_forms import (
    FollowUpForm,
    HrActionForm,
    PlanGoalForm,
    PlanItemForm,
    PlanMeansForm,
    with_revision,
)
from koers.web.page.conflicts import Difference, differences
from koers.web.page.forms import apply_errors
from koers.web.page.viewer import viewer_of


def _recommended(competency: Competency) -> list[DevelopmentAction]:
    return selectors.recommended_actions(competency)


@login_required
def plan_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """The development actions the matrix recommends for the chosen competency: the
    fragment the row form swaps in when the competency changes (htmx). Opened as a
    page (a link followed, no script), it is the row form with that competency chosen."""
    plan = editable_plan_or_404(request, pk)
    if not request.htmx:  # type: ignore[attr-defined]
        query = urlencode({"competency": _int(request.GET.get("competency"))})
        return redirect(f"{reverse('plan_item_new', args=[plan.pk])}?{query}")
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
    plan = editable_plan_or_404(request, pk)
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
            say_advice(request, warnings=saved.warnings, advice=advice)
            return back_to_plan(plan.pk, f"row-{saved.obj.pk}")
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
    item = item_or_404(request, pk)
    plan = item.plan
    competencies = list(selectors.competencies_for(plan.organisation))
    if item.competency not in competencies:  # archived since: keep it choosable here
        competencies.insert(0, item.competency)
    initial = {"competency": item.competency_id, "source": item.source,
               "priority": item.priority, "success_indicators": item.success_indicators,
               "revision": item.revision}

    def make(data: Any) -> PlanItemForm:
        return with_revision(PlanItemForm(data, initial=initial, competencies=competencies,
                                          adding=False))

    form = make(request.POST or None)
    conflict: list[Difference] | None = None
    if request.method == "POST" and form.is_valid():
        changes = form.item_changes()
        changes["competency"] = next(c for c in competencies if c.pk == changes["competency"])
        changes = {name: value for name, value in changes.items() if name in form.changed_data}
        try:
            saved = plans.plan_item_change(actor=viewer, item=item, changes=changes,
                                           expected_revision=form.cleaned_data["revision"])
        except EditConflict as error:
            form, conflict = _conflict(request, make, error)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The row is changed."))
            say_advice(request, warnings=saved.warnings)
            return back_to_plan(plan.pk, f"row-{item.pk}")
    return render(request, "development/plan_item_form.html", {
        "form": form, "plan": plan, "item": item, "competency": item.competency,
        "proposals": [], "conflict": conflict})


def _conflict(request: HttpRequest, make: Callable[[Any], Any],
              error: EditConflict) -> tuple[Any, list[Difference]]:
    """The user's own input again, now from the revision saved meanwhile, and where it
    differs from what is saved now; nothing of theirs was saved."""
    data = request.POST.copy()
    data["revision"] = str(error.revision)
    form = make(data)
    form.is_valid()
    messages.error(request, error.message)
    return form, differences(form, error.current, shown_as=_choices_shown(form))


def _choices_shown(form: Any) -> dict[str, Callable[[Any], str]]:
    """A chosen competency, action or supporter reads as its name beside the other."""
    def label_of(name: str) -> Callable[[Any], str]:
        def shown_value(value: Any) -> str:
            key = str(getattr(value, "pk", value) if value is not None else "")
            labels = {str(k): str(v) for k, v in _flat(form.fields[name].choices)}
            return labels.get(key, "") if key else ""
        return shown_value

    return {name: label_of(name) for name in ("competency", "action", "supporter")
            if name in form.fields}


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat


def _remove(request: HttpRequest, plan_id: int, remove: Callable[[], None],
            done: str) -> HttpResponse:
    try:
        remove()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return back_to_plan(plan_id, "rows")


@login_required
@require_POST
def plan_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_or_404(request, pk)
    return _remove(request, item.plan_id,
                   lambda: plans.plan_item_remove(actor=viewer_of(request), item=item),
                   _("The row is removed."))


def _part_form(request: HttpRequest, item: PlanItem, form: Any, *, title: str,
               save: Callable[[dict[str, Any]], Any], done: str,
               make: Callable[[Any], Any] | None = None) -> HttpResponse:
    """A form on one part of a row (goal, means, HR action, follow-up entry); ``make``
    builds the form of a change again, for a change that met a newer save."""
    conflict: list[Difference] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except EditConflict as error:
            assert make is not None  # only a change names a revision
            form, conflict = _conflict(request, make, error)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            say_advice(request, warnings=getattr(saved, "warnings", ()),
                    advice=getattr(saved, "advice", ()))
            return back_to_plan(item.plan_id, f"row-{item.pk}")
    return render(request, "development/plan_part_form.html", {
        "form": form, "plan": item.plan, "item": item, "title": title, "conflict": conflict})


@login_required
def plan_goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_or_404(request, pk)
    viewer = viewer_of(request)
    return _part_form(
        request, item, PlanGoalForm(request.POST or None),
        title=_("Add a development goal"),
        save=lambda data: plans.plan_goal_add(actor=viewer, item=item, **data),
        done=_("The development goal is added."))


@login_required
def plan_goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = part_or_404(request, PlanGoal, pk)
    viewer = viewer_of(request)
    def make(data: Any) -> PlanGoalForm:
        return with_revision(PlanGoalForm(data, initial={
            "text": goal.text, "term": goal.term, "term_note": goal.term_note,
            "revision": goal.revision}))

    form = make(request.POST or None)
    return _part_form(
        request, goal.item, form, title=_("Change the development goal"),
        save=lambda data: plans.plan_goal_change(
            actor=viewer, goal=goal, changes=_changes(form, data),
            expected_revision=data["revision"]),
        done=_("The development goal is changed."), make=make)


@login_required
@require_POST
def plan_goal_remove(request: HttpRequest, pk: int) -> HttpResponse:
    goal = part_or_404(request, PlanGoal, pk)
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


def _changes(form: Any, data: dict[str, Any]) -> dict[str, Any]:
    """What the user changed in the form (the revision is where the change starts from,
    not a change)."""
    return {name: data[name] for name in form.changed_data if name != "revision"}


def _changed_fields(item: PlanItem, form: Any, data: dict[str, Any]) -> dict[str, Any]:
    """What the user changed in a means or HR action form, the action as an object."""
    changes = _changes(form, data)
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
    item = item_or_404(request, pk)
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
    means = part_or_404(request, PlanMeans, pk)
    item = means.item
    viewer = viewer_of(request)
    supporters = _supporter_queryset(item.plan)

    def make(data: Any) -> PlanMeansForm:
        return with_revision(PlanMeansForm(
            data, supporters=supporters,
            initial={"action": means.action_id, "description": means.description,
                     "term": means.term, "term_note": means.term_note,
                     "supporter": means.supporter_id, "revision": means.revision},
            **_action_lists(item)))

    form = make(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        return plans.plan_means_change(actor=viewer, means=means,
                                       changes=_changed_fields(item, form, data),
                                       expected_revision=data["revision"])

    return _part_form(request, item, form, title=_("Change the means"), save=save,
                      done=_("The means is changed."), make=make)


@login_required
@require_POST
def plan_means_remove(request: HttpRequest, pk: int) -> HttpResponse:
    means = part_or_404(request, PlanMeans, pk)
    return _remove(request, means.item.plan_id,
                   lambda: plans.plan_means_remove(actor=viewer_of(request), means=means),
                   _("The means is removed."))


@login_required
def plan_hr_action_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_or_404(request, pk)
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
    hr_action = part_or_404(request, HrAction, pk)
    item = hr_action.item
    viewer = viewer_of(request)
    def make(data: Any) -> HrActionForm:
        return with_revision(HrActionForm(data, initial={
            "description": hr_action.description, "action": hr_action.action_id,
            "term": hr_action.term, "revision": hr_action.revision}, **_action_lists(item)))

    form = make(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        return plans.plan_hr_action_change(actor=viewer, hr_action=hr_action,
                                           changes=_changed_fields(item, form, data),
                                           expected_revision=data["revision"])

    return _part_form(request, item, form, title=_("Change the action for HR"), save=save,
                      done=_("The action for HR is changed."), make=make)


@login_required
@require_POST
def plan_hr_action_remove(request: HttpRequest, pk: int) -> HttpResponse:
    hr_action = part_or_404(request, HrAction, pk)
    return _remove(request, hr_action.item.plan_id,
                   lambda: plans.plan_hr_action_remove(actor=viewer_of(request),
                                                       hr_action=hr_action),
                   _("The action for HR is removed."))


@login_required
def plan_follow_up_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Realisation / follow-up of a row in a follow-up round, with the new actions it
    leads to (the POP guide: "Realisatie/opvolging (→ nieuwe acties)")."""
    item = item_or_404(request, pk)
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
    entry = part_or_404(request, FollowUpEntry, pk)
    item = entry.item
    viewer = viewer_of(request)
    def make(data: Any) -> FollowUpForm:
        return with_revision(FollowUpForm(
            data, initial={"text": entry.text, "revision": entry.revision},
            supporters=Person.objects.none(), editing=True, **_action_lists(item)))

    return _part_form(
        request, item, make(request.POST or None), title=_("Change the follow-up"),
        save=lambda data: plans.plan_follow_up_change(actor=viewer, entry=entry,
                                                      text=data["text"],
                                                      expected_revision=data["revision"]),
        done=_("The follow-up is changed."), make=make)


@login_required
@require_POST
def plan_follow_up_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = part_or_404(request, FollowUpEntry, pk)
    return _remove(request, entry.item.plan_id,
                   lambda: plans.plan_follow_up_remove(actor=viewer_of(request), entry=entry),
                   _("The follow-up is removed."))
