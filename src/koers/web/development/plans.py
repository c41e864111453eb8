"""The POP itself: my plans and a person's, starting a plan, its page, the PDF, the
employee's remarks, signatures, rounds, closing and cancelling. Its rows and their parts:
``plan_items``.

Thin: the development room's permissions say who may see and do what (a missing or
forbidden object is the same 404), its services make every change and its rules say what
is refused or warned about.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access import renderings
from koers.access.policy import Viewer
from koers.conversations.permissions import conversations_visible_to
from koers.core import languages
from koers.core.clock import today_for
from koers.core.errors import DomainError, EditConflict, NotFoundOrForbidden, ValidationFailed
from koers.development import documents, permissions, selectors
from koers.development.models import DevelopmentPlan
from koers.development.rules import Priority, Source
from koers.development.services import plans
from koers.development.states import EDITABLE_GROUP, PlanStatus, RoundKind, RoundStatus
from koers.development.summary import summary
from koers.organisation import evaluators
from koers.organisation.models import Person
from koers.rulebook.policy import policy_for
from koers.web.development.lookups import (
    back_to_plan,
    editable_plan_or_404,
    me_or_404,
    plan_or_404,
    say_advice,
)
from koers.web.development.plan_forms import (
    PlanStartForm,
    RemarksForm,
    RoundStartForm,
    with_revision,
)
from koers.web.development.preparations import inputs_at_hand
from koers.web.page.confirm import confirm_page, confirmed
from koers.web.page.conflicts import Difference, differences
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of

# Conversations offered for a plan or a round: those of the last two years.
CONVERSATION_DAYS = 730


# Plans --------------------------------------------------------------------------------


def _plans_list(request: HttpRequest, person: Person) -> list[DevelopmentPlan]:
    return selectors.plans_read(viewer_of(request), person, limit=20)


@login_required
def my_development_plans(request: HttpRequest) -> HttpResponse:
    """My plans; for a 1st evaluator the team members' open plans and who has none."""
    viewer = viewer_of(request)
    me = me_or_404(request)
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
        "form": form, "person": person, **inputs_at_hand(request, person)})


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
    """The POP: the summary table of the POP guide (Bijlage 3), the rule messages, the rows to
    work on while a round is open, the signatures of each conversation, the next
    follow-up; HR reading under a granted request is logged for the employee to see."""
    viewer = viewer_of(request)
    checked = selectors.plan_read(viewer, pk)  # HR's read under a grant: logged
    if checked is None:
        raise Http404
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
@require_POST
def development_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the summary table as a PDF laid out like the POP guide's Bijlage 3, in the
    reader's language (a POST: a GET never writes); a task worker prepares it and its
    page offers the download."""
    try:
        rendering = renderings.rendering_request(viewer=viewer_of(request),
                                                 kind=documents.KIND, subject_id=pk,
                                                 language=languages.active())
    except NotFoundOrForbidden:
        raise Http404 from None
    return redirect("rendering_detail", rendering.pk)


@login_required
def plan_remarks(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee's remarks on the plan (the POP guide's planning form)."""
    viewer = viewer_of(request)
    plan = plan_or_404(request, pk)
    if not permissions.is_employee(viewer, plan):
        raise Http404
    def make(data: Any) -> RemarksForm:
        return with_revision(RemarksForm(data, plan=plan, initial={"revision": plan.revision}))

    form = make(request.POST or None)
    conflict: list[Difference] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            plans.plan_remarks_set(actor=viewer, plan=plan, remarks=form.cleaned_data["remarks"],
                                   expected_revision=form.cleaned_data["revision"])
        except EditConflict as error:
            data = request.POST.copy()
            data["revision"] = str(error.revision)
            form = make(data)
            form.is_valid()
            conflict = differences(form, {"remarks": error.current["employee_remarks"]})
            messages.error(request, error.message)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your remarks are saved."))
            return back_to_plan(plan.pk, "remarks")
    return render(request, "development/plan_part_form.html", {
        "form": form, "plan": plan, "item": None, "title": _("Your remarks on the plan"),
        "conflict": conflict})


@login_required
@require_POST
def plan_sign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_or_404(request, pk)
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
    return back_to_plan(plan.pk, "signatures")


@login_required
def plan_round_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the next round of a signed plan: a follow-up conversation or an amendment."""
    viewer = viewer_of(request)
    plan = editable_plan_or_404(request, pk)
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
            say_advice(request, warnings=saved.warnings)
            return back_to_plan(plan.pk, "rows")
    return render(request, "development/plan_part_form.html", {
        "form": form, "plan": plan, "item": None, "title": _("Start a follow-up")})


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first: a closed plan takes no more rows, conversations or signatures."""
    plan = plan_or_404(request, pk)
    if not confirmed(request) and permissions.is_first_evaluator(viewer_of(request), plan):
        return confirm_page(
            request, heading=_("Close the plan?"),
            consequence=_("The development plan of %(name)s is closed: it stays readable "
                          "with its signatures, but takes no more rows, follow-up "
                          "conversations or signatures. A new period gets a new plan.")
            % {"name": plan.employee.full_name},
            button=_("Yes, close the plan"), back=reverse("development_plan", args=[plan.pk]))
    try:
        plans.plan_close(actor=viewer_of(request), plan=plan)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The plan is closed."))
    return back_to_plan(plan.pk)


@login_required
@require_POST
def plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_or_404(request, pk)
    if not confirmed(request):
        return confirm_page(
            request, heading=_("Cancel the plan?"),
            consequence=_("The development plan of %(name)s is cancelled.")
            % {"name": plan.employee.full_name},
            button=_("Yes, cancel the plan"), back=reverse("development_plan", args=[plan.pk]))
    try:
        plans.plan_cancel(actor=viewer_of(request), plan=plan)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The plan is cancelled."))
    return back_to_plan(plan.pk)
