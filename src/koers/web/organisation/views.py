"""People, units, evaluator overrides and hours worked: HR keeps the organisation here."""

import datetime as dt
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access import policy
from koers.access import selectors as access_selectors
from koers.audit import selectors as audit_selectors
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.cycles import other_evaluation
from koers.organisation import evaluators, selectors, services
from koers.organisation.models import (
    EffectiveWork,
    EvaluatorOverride,
    Person,
    Unit,
    WorkSource,
)
from koers.rulebook import ranks
from koers.rulebook.policy import policy_for
from koers.web.organisation.forms import (
    EffectiveWorkForm,
    EvaluatorOverrideForm,
    OtherEvaluationForm,
    PersonForm,
    UnitForm,
)
from koers.web.page.confirm import confirm_page, confirmed
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404, unit_or_404, whole_number
from koers.web.page.paging import PAGE_SIZE
from koers.web.page.viewer import viewer_of


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_or_404(request, pk)
    viewer = viewer_of(request)
    today = clock.today()
    year = today.year
    hours, source = services.effective_hours(person, year)
    previous_hours, previous_source = services.effective_hours(person, year - 1)
    can_change = policy.can_change_person(viewer, person)
    context = {
        "person": person,
        "line": evaluators.evaluator_line(person, on=today),
        "ancestors": selectors.ancestors(person.unit),
        "can_change": can_change,
        # The history is HR's (and a superuser's), not the employee's or the evaluator's.
        "history": access_selectors.person_history(viewer, person),
        "work": [(year, hours, source), (year - 1, previous_hours, previous_source)],
        "overrides": EvaluatorOverride.objects.filter(person=person)
        .select_related("first_evaluator", "second_evaluator")
        .order_by("-valid_from"),
        "absences": person.absences.filter(end_date__gte=dt.date(year - 1, 1, 1)),
        "today": today,
        "work_plans_offered": policy_for(person.organisation).individual_work_plan,
        "second_outranked": access_selectors.second_evaluator_outranked(viewer, person,
                                                                        on=today),
        "rank_source": ranks.SOURCE,
        "other_evaluation_offered": other_evaluation.offered(person),
    }
    return render(request, "organisation/person_detail.html", context)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_or_404(request, pk)
    if not policy.can_change_person(viewer_of(request), person):
        raise Http404
    return _person_form(request, person.unit, person)


@login_required
def person_create(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = unit_or_404(request, unit_pk)
    if not policy.can_manage_unit(viewer_of(request), unit):
        raise Http404
    return _person_form(request, unit, None)


def _person_form(request: HttpRequest, unit: Unit, person: Person | None) -> HttpResponse:
    organisation = unit.organisation
    form = PersonForm(
        request.POST or None,
        instance=person,
        organisation=organisation,
        initial={"unit": unit} if person is None else None,
    )
    if request.method == "POST" and form.is_valid():
        target_unit = form.cleaned_data["unit"]
        if not policy.can_manage_unit(viewer_of(request), target_unit):
            form.add_error("unit", _("You may only place people in units you manage as HR."))
        else:
            salary_system, follow_salary_rule = form.salary_system()
            try:
                saved = services.person_save(
                    organisation=organisation,
                    person=person,
                    salary_system=salary_system,
                    follow_salary_rule=follow_salary_rule,
                    actor=cast(User, request.user),
                    **form.person_fields(),
                )
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The person was saved."))
                return redirect("person_detail", pk=saved.pk)
    return render(
        request, "organisation/person_form.html", {"form": form, "person": person, "unit": unit}
    )


@login_required
def override_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_or_404(request, pk)
    if not policy.can_change_person(viewer_of(request), person):
        raise Http404
    form = EvaluatorOverrideForm(
        request.POST or None,
        organisation=person.organisation,
        initial={"valid_from": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluator_override_create(
                person=person, actor=cast(User, request.user), **form.cleaned_data
            )
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The %(evaluators)s were changed.")
                             % {"evaluators": viewer_of(request).terms.evaluators})
            return redirect("person_detail", pk=person.pk)
    return render(request, "organisation/override_form.html", {"form": form, "person": person})


@login_required
@require_POST
def override_end(request: HttpRequest, pk: int, override_pk: int) -> HttpResponse:
    person = person_or_404(request, pk)
    if not policy.can_change_person(viewer_of(request), person):
        raise Http404
    override = EvaluatorOverride.objects.filter(pk=override_pk, person=person).first()
    if override is None:
        raise Http404
    try:
        services.evaluator_override_end(
            override=override, on=clock.today(), actor=cast(User, request.user)
        )
    except ValidationFailed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The override ends today."))
    return redirect("person_detail", pk=person.pk)


@login_required
def person_other_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """HR records that the person is a top manager or mandate holder, evaluated in
    another form than the annual evaluation, or puts them back in it."""
    person = person_or_404(request, pk)
    viewer = viewer_of(request)
    if not policy.can_change_person(viewer, person):
        raise Http404
    form = OtherEvaluationForm(request.POST or None, initial={
        "function": person.other_evaluation, "reason": person.other_evaluation_reason,
        "valid_from": person.other_evaluation_from})
    if request.method == "POST" and form.is_valid():
        try:
            saved = other_evaluation.person_other_evaluation_record(
                person=person, function=form.cleaned_data["function"],
                reason=form.cleaned_data["reason"], valid_from=form.cleaned_data["valid_from"],
                viewer=viewer)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _(
                "Recorded: %(name)s is evaluated in another form; the running cycles follow.")
                % {"name": saved.full_name} if saved.other_evaluation else _(
                "Recorded: %(name)s is back in the annual evaluation; the running cycles "
                "follow.") % {"name": saved.full_name})
            return redirect("person_detail", pk=person.pk)
    return render(request, "organisation/other_evaluation_form.html", {
        "form": form, "person": person, "offered": other_evaluation.offered(person)})


@login_required
def effective_work_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_or_404(request, pk)
    if not policy.can_change_person(viewer_of(request), person):
        raise Http404
    if request.method == "POST":
        form, status = EffectiveWorkForm(request.POST), 200
    else:
        form, status = _effective_work_initial(request, person)
    if request.method == "POST" and form.is_valid():
        try:
            services.effective_work_record(
                person=person,
                year=form.cleaned_data["year"],
                hours_worked=form.cleaned_data["hours_worked"],
                source=WorkSource.CORRECTED,
                note=form.cleaned_data["note"],
                updated_by=cast(User, request.user),  # login_required
            )
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The hours worked were corrected."))
            return redirect("person_detail", pk=person.pk)
    history = EffectiveWork.objects.filter(person=person).select_related("updated_by")
    return render(
        request,
        "organisation/effective_work_form.html",
        {"form": form, "person": person, "history": history},
        status=status,
    )


def _effective_work_initial(request: HttpRequest,
                            person: Person) -> tuple[EffectiveWorkForm, int]:
    """The form filled in with the figure of ``?year=`` (default: this year). A year the
    rules refuse (or no whole number: year 0) is said above this year's figure, with 422."""
    text, status = request.GET.get("year"), 200
    year = clock.today().year if text is None else (
        whole_number(text, digits=4) or 0)
    try:
        hours, _source = services.effective_hours(person, year)
    except ValidationFailed as error:
        messages.error(request, error.message)
        year, status = clock.today().year, 422
        hours, _source = services.effective_hours(person, year)
    return EffectiveWorkForm(initial={"year": year, "hours_worked": hours}), status


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    roots = policy.unit_tree_roots(viewer_of(request))
    if len(roots) == 1:
        return redirect("unit_detail", pk=roots[0].pk)
    if not roots:
        raise Http404
    return render(request, "organisation/unit_roots.html", {"roots": roots})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    today = clock.today()
    members = selectors.unit_members(unit, on=today)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = policy.can_manage_unit(viewer_of(request), unit)
    context = {
        "unit": unit,
        "ancestors": selectors.ancestors(unit),
        "children": selectors.children_with_head_counts(unit, on=today),
        "head_count": selectors.head_count(unit, on=today),
        "page": page,
        "can_manage": can_manage,
        "history": audit_selectors.history(unit) if can_manage else None,
        "checks_rank": access_selectors.checks_second_evaluator_rank(viewer_of(request), unit),
    }
    return render(request, "organisation/unit_detail.html", context)


@login_required
def unit_rank_check(request: HttpRequest, pk: int) -> HttpResponse:
    """HR's list of the people in the unit and below whose 2nd evaluator does not hold a
    higher rank ([f8]), each with the way to set another by hand."""
    unit = unit_or_404(request, pk)
    try:
        lines = access_selectors.second_evaluators_to_check(viewer_of(request), unit,
                                                            on=clock.today())
    except NotFoundOrForbidden:
        raise Http404 from None
    context = {
        "unit": unit,
        "ancestors": [*selectors.ancestors(unit), unit],
        "page": Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page")),
        "rank_source": ranks.SOURCE,
    }
    return render(request, "organisation/rank_check.html", context)


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    if not policy.can_manage_unit(viewer_of(request), unit):
        raise Http404
    return _unit_form(request, unit=unit, parent=unit.parent)


@login_required
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = unit_or_404(request, pk)
    if not policy.can_manage_unit(viewer_of(request), parent):
        raise Http404
    return _unit_form(request, unit=None, parent=parent)


def _unit_form(request: HttpRequest, *, unit: Unit | None, parent: Unit | None) -> HttpResponse:
    """Edit ``unit``, or add a unit below ``parent`` when ``unit`` is None."""
    organisation = unit.organisation if unit else cast(Unit, parent).organisation
    initial: dict[str, object] = {"parent": parent}
    if unit is not None:
        initial.update(code=unit.code, name=unit.name, manager=unit.manager)
    form = UnitForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["parent"] if unit else form.cleaned_data["parent"] or parent
        if target is not None and not policy.can_manage_unit(viewer_of(request), target):
            form.add_error("parent", _("You may only place a unit below units you manage as HR."))
        else:
            actor = cast(User, request.user)
            fields = {**form.cleaned_data, "parent": target}
            try:
                if unit is None:
                    saved = services.unit_create(organisation=organisation, actor=actor, **fields)
                else:
                    saved = services.unit_update(unit=unit, actor=actor, **fields)
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("The unit was saved.") if unit else _("The unit was added.")
                )
                return redirect("unit_detail", pk=saved.pk)
    return render(
        request, "organisation/unit_form.html", {"form": form, "unit": unit, "parent": parent}
    )


@login_required
@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    if not policy.can_manage_unit(viewer_of(request), unit) or unit.parent is None:
        raise Http404
    parent_pk = unit.parent_id
    if not confirmed(request):
        return confirm_page(
            request, heading=_("Remove the unit %(name)s?") % {"name": unit.name},
            consequence=_("The unit %(name)s is removed. Nobody works in it and no unit is "
                          "below it; its history is kept.") % {"name": unit.name},
            button=_("Yes, remove the unit"), back=reverse("unit_detail", args=[unit.pk]))
    try:
        services.unit_delete(unit=unit, actor=cast(User, request.user))
    except ValidationFailed as error:
        messages.error(request, error.message)
        return redirect("unit_detail", pk=unit.pk)
    messages.success(request, _("The unit was removed."))
    return redirect("unit_detail", pk=parent_pk)
