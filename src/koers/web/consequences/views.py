"""Appeals, salary decisions and objections: the overview, the management body's worklist,
each case, the appeal board's read-only evaluation file, and the forms.

Thin: ``consequences.permissions`` says who sees what (404 for missing and forbidden
alike), ``consequences.services`` makes every change and checks every rule, and logs
each read of a file by a member of a body.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.consequences import permissions, rules, selectors, services
from koers.consequences.models import Appeal, SalaryDecision, SalaryObjection
from koers.consequences.permissions import CaseRole
from koers.consequences.states import (
    OBJECTION_ALLOWED,
    AppealMove,
    AppealOutcome,
    ObjectionMove,
)
from koers.core.clock import today_for
from koers.core.errors import DomainError, ValidationFailed
from koers.evaluations import permissions as evaluation_permissions
from koers.organisation.models import Organisation
from koers.rulebook.policy import policy_for
from koers.web.consequences.forms import (
    AdviceForm,
    AppealAdviceForm,
    AppealForm,
    FinalDecisionForm,
    HearingForm,
    ObjectionForm,
    OutcomeForm,
    UnfitnessReviewForm,
    WorklistForm,
    step_field,
)
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import whole_number
from koers.web.page.viewer import viewer_of

# Loading -------------------------------------------------------------------------------


def _appeal_or_404(request: HttpRequest, pk: int) -> Appeal:
    appeal = permissions.appeal_for(viewer_of(request), pk)
    if appeal is None:
        raise Http404
    return appeal


def _decision_or_404(request: HttpRequest, pk: int) -> SalaryDecision:
    decision = permissions.decision_for(viewer_of(request), pk)
    if decision is None:
        raise Http404
    return decision


def _objection_or_404(request: HttpRequest, pk: int) -> SalaryObjection:
    objection = permissions.objection_for(viewer_of(request), pk)
    if objection is None:
        raise Http404
    return objection


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"consequences/{template}", context)


# The overview --------------------------------------------------------------------------


@login_required
def consequences(request: HttpRequest) -> HttpResponse:
    """My appeals, salary decisions and objections; the cases before my bodies; the
    appeals and objections of my HR units. Five queries. Not found where the viewer's
    regime has no appeal and no salary steps (``permissions.can_view_overview``)."""
    viewer = viewer_of(request)
    if not permissions.can_view_overview(viewer):
        raise Http404
    me = viewer.person
    appeals = list(selectors.appeals_for(viewer))
    objections = list(selectors.objections_for(viewer))
    context: dict[str, Any] = {
        "my_appeals": [a for a in appeals if me is not None and a.person_id == me.pk],
        "other_appeals": [a for a in appeals if me is None or a.person_id != me.pk],
        "my_objections": [o for o in objections if me is not None and o.person_id == me.pk],
        "other_objections": [o for o in objections if me is None or o.person_id != me.pk],
        "my_decisions": list(selectors.decisions_of(me)) if me is not None else [],
        "appealable": selectors.appealable_for(me) if me is not None else [],
        "management": selectors.management_organisations(viewer),
    }
    return _form_page(request, "overview.html", context)


# The management body's worklist ------------------------------------------------------


def _organisation_or_404(organisations: list[Organisation], pk: int | None) -> Organisation:
    chosen = next((o for o in organisations if pk is None or o.pk == pk), None)
    if chosen is None:
        raise Http404
    return chosen


@login_required
def salary_worklist(request: HttpRequest) -> HttpResponse:
    """The verdicts the management body must decide a step on (verdict, person, unit —
    never the report), many at once. A bounded number of queries whatever the count."""
    viewer = viewer_of(request)
    raw = request.GET.get("organisation") or request.POST.get("organisation")
    organisations = selectors.management_organisations(viewer)
    organisation = _organisation_or_404(organisations, whole_number(raw))
    work = selectors.worklist(viewer, organisation)
    open_rows = [(c.evaluation.pk, c.person.full_name, c.steps) for c in work.candidates
                 if c.refusal is None]
    form = WorklistForm(request.POST or None, rows=open_rows)
    if request.method == "POST" and form.is_valid():
        try:
            taken = services.salary_decisions_take(actor=viewer, organisation=organisation,
                                                   steps=form.steps())
        except ValidationFailed as error:
            for key, errors in error.errors.items():
                number = whole_number(key)
                field = step_field(number) if number is not None else None
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            if not error.errors:
                form.add_error(None, error.message)
        else:
            messages.success(request, ngettext("%(count)s salary decision taken.",
                                               "%(count)s salary decisions taken.",
                                               len(taken)) % {"count": len(taken)})
            return redirect(f"{reverse('salary_worklist')}?organisation={organisation.pk}")
    rows = [(c, form[step_field(c.evaluation.pk)] if c.refusal is None else None)
            for c in work.candidates]
    context = {"work": work, "form": form, "rows": rows,
               "organisations": organisations}
    return _form_page(request, "worklist.html", context)


# Salary decisions and objections ------------------------------------------------------


@login_required
def salary_decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    decision = _decision_or_404(request, pk)
    objection = selectors.objection_of(decision)
    roles = permissions.decision_roles(viewer, decision)
    offer = None
    if CaseRole.EMPLOYEE in roles and objection is None:
        organisation = decision.person.organisation
        offer = rules.objection_refusal(
            policy=policy_for(organisation), person=decision.person, step=decision.step,
            decided_on=decision.decided_on, appeal=selectors.appeal_of(decision.evaluation),
            already=False, today=today_for(organisation)) or ""
    context = {
        "decision": decision, "objection": objection,
        "objection_visible": objection is not None and permissions.can_view_objection(
            viewer, objection),
        "may_object": offer == "", "objection_refusal": offer or "",
        "objection_due": rules.objection_due(policy_for(decision.person.organisation),
                                             decision.decided_on),
    }
    return _form_page(request, "decision_detail.html", context)


@login_required
def objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    decision = _decision_or_404(request, pk)
    if not permissions.can_file_objection(viewer, decision):
        raise Http404
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = services.salary_objection_file(
                actor=viewer, decision=decision, grounds=form.cleaned_data["grounds"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your objection is filed with the advisory body."))
            return redirect("objection_detail", pk=objection.pk)
    return _form_page(request, "objection_form.html", {"decision": decision, "form": form})


@login_required
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    read = selectors.objection_read(viewer, _objection_or_404(request, pk))  # a body's: logged
    objection, roles, show_file = read.objection, read.roles, read.show_file
    steps = rules.allowed_steps(policy_for(objection.person.organisation),
                                objection.decision.verdict)
    context = {
        "objection": objection, "decision": objection.decision, "show_file": show_file,
        "advise_form": AdviceForm(steps=steps) if permissions.can_advise(viewer, objection)
        else None,
        "decide_form": FinalDecisionForm(steps=steps)
        if permissions.can_decide_objection(viewer, objection) else None,
        "reads": list(objection.reads.select_related("reader").order_by("-read_at"))
        if CaseRole.EMPLOYEE in roles else None,
    }
    return _form_page(request, "objection_detail.html", context)


def _objection_move(request: HttpRequest, pk: int, move: ObjectionMove) -> HttpResponse:
    viewer = viewer_of(request)
    objection = _objection_or_404(request, pk)
    allowed = permissions.can_advise if move == ObjectionMove.ADVISE \
        else permissions.can_decide_objection
    if not allowed(viewer, objection):
        raise Http404
    steps = rules.allowed_steps(policy_for(objection.person.organisation),
                                objection.decision.verdict)
    form: AdviceForm | FinalDecisionForm = (
        AdviceForm(request.POST or None, steps=steps) if move == ObjectionMove.ADVISE
        else FinalDecisionForm(request.POST or None, steps=steps))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if move == ObjectionMove.ADVISE:
                services.salary_objection_advise(actor=viewer, objection=objection,
                                                 advice=data["advice"],
                                                 advised_step=data["advised_step"])
            else:
                services.salary_objection_decide(actor=viewer, objection=objection,
                                                 final_step=data["final_step"],
                                                 remarks=data["remarks"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            if move == ObjectionMove.ADVISE:
                # The objection now lies before the management body, not the advisory body.
                messages.success(request, _("The advice is recorded."))
                return redirect("consequences")
            messages.success(request, _("The final decision is recorded."))
            return redirect("objection_detail", pk=objection.pk)
    context = {"objection": objection, "form": form, "move": move,
               "possible": objection.state in OBJECTION_ALLOWED[move]}
    return _form_page(request, "objection_move.html", context)


@login_required
def objection_advice(request: HttpRequest, pk: int) -> HttpResponse:
    return _objection_move(request, pk, ObjectionMove.ADVISE)


@login_required
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _objection_move(request, pk, ObjectionMove.DECIDE)


# Appeals --------------------------------------------------------------------------------


@login_required
def appeal_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee appeals the verdict of their delivered evaluation."""
    viewer = viewer_of(request)
    evaluation = evaluation_permissions.evaluation_for(viewer, pk)
    if evaluation is None or not permissions.can_file_appeal(viewer, evaluation):
        raise Http404
    organisation = evaluation.person.organisation
    policy = policy_for(organisation)
    verdict = selectors.report_verdict(evaluation)
    delivered_on = selectors.delivered_on(evaluation)
    refusal = rules.appeal_refusal(policy=policy, evaluation=evaluation, verdict=verdict,
                                   delivered_on=delivered_on, today=today_for(organisation),
                                   existing=selectors.appeal_of(evaluation))
    form = AppealForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            appeal = services.appeal_file(actor=viewer, evaluation=evaluation,
                                          grounds=form.cleaned_data["grounds"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your appeal is filed; its receipt is acknowledged.")
                             if policy.appeal_commission_advises
                             else _("Your appeal is filed with the appeal board."))
            return redirect("appeal_detail", pk=appeal.pk)
    elif request.method == "POST" and refusal is not None:
        messages.error(request, refusal)
    context = {"evaluation": evaluation, "form": form, "refusal": refusal, "verdict": verdict,
               "due": rules.appeal_due(policy, delivered_on) if delivered_on else None,
               "commission": policy.appeal_commission_advises}
    return _form_page(request, "appeal_form.html", context)


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    read = selectors.appeal_read(viewer, _appeal_or_404(request, pk))  # a body's: logged
    appeal, roles, show_grounds = read.appeal, read.roles, read.show_grounds
    context = {
        "appeal": appeal, "evaluation": appeal.evaluation, "show_grounds": show_grounds,
        "show_file": permissions.can_read_appeal_file(viewer, appeal),
        "show_evaluation": evaluation_permissions.can_view(viewer, appeal.evaluation),
        "may_hear": AppealMove.RECORD_HEARING in read.moves,
        "may_advise": AppealMove.ADVISE in read.moves,
        "may_decide": AppealMove.DECIDE in read.moves,
        "advice_label": read.advice, "outcome_label": read.outcome,
        "commission": read.commission, "procedure": read.procedure,
        "reads": list(appeal.reads.select_related("reader").order_by("-read_at"))
        if CaseRole.EMPLOYEE in roles else None,
    }
    return _form_page(request, "appeal_detail.html", context)


@login_required
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation file of an appeal before the board, read-only: the report version
    appealed, the submitted self-evaluation and the signatures. Each read is logged."""
    viewer = viewer_of(request)
    file = selectors.appeal_file_read(viewer, _appeal_or_404(request, pk))  # logged
    if file is None:
        raise Http404
    page = file.page
    context = {"appeal": file.appeal, "page": page, "evaluation": page.evaluation,
               "version": file.version, "self_items": page.self_items if file.submitted
               else None, "submitted": file.submitted}
    return _form_page(request, "appeal_file.html", context)


def _appeal_move(request: HttpRequest, pk: int, move: AppealMove) -> HttpResponse:
    viewer = viewer_of(request)
    appeal = _appeal_or_404(request, pk)
    if not permissions.can_record_appeal(viewer, appeal):
        raise Http404
    organisation = appeal.person.organisation
    today = today_for(organisation)
    policy = policy_for(organisation)
    outcomes = [(value, rules.outcome_label(policy, value)) for value in AppealOutcome.values]
    form: HearingForm | AppealAdviceForm | OutcomeForm
    if move == AppealMove.RECORD_HEARING:
        form = HearingForm(request.POST or None,
                           initial={"hearing_on": appeal.hearing_on or today,
                                    "notes": appeal.hearing_notes})
    elif move == AppealMove.ADVISE:
        form = AppealAdviceForm(request.POST or None, outcomes=outcomes,
                                initial={"advised_on": today})
    else:
        form = OutcomeForm(request.POST or None, outcomes=outcomes,
                           initial={"decided_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if move == AppealMove.RECORD_HEARING:
                services.appeal_record_hearing(actor=viewer, appeal=appeal,
                                               hearing_on=data["hearing_on"],
                                               notes=data["notes"])
            elif move == AppealMove.ADVISE:
                services.appeal_advise(actor=viewer, appeal=appeal, advice=data["advice"],
                                       advised_on=data["advised_on"], remarks=data["remarks"])
            else:
                services.appeal_decide(actor=viewer, appeal=appeal, outcome=data["outcome"],
                                       decided_on=data["decided_on"], remarks=data["remarks"])
        except ValidationFailed as error:
            apply_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, {
                AppealMove.RECORD_HEARING: _("The hearing is recorded."),
                AppealMove.ADVISE: _("The commission's advice is recorded."),
                AppealMove.DECIDE: _("The outcome of the appeal is recorded.")}[move])
            return redirect("appeal_detail", pk=appeal.pk)
    context = {"appeal": appeal, "form": form, "move": move,
               "possible": move in selectors.appeal_moves(viewer, appeal, policy)}
    return _form_page(request, "appeal_move.html", context)


@login_required
def appeal_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    return _appeal_move(request, pk, AppealMove.RECORD_HEARING)


@login_required
def appeal_advice(request: HttpRequest, pk: int) -> HttpResponse:
    return _appeal_move(request, pk, AppealMove.ADVISE)


@login_required
def appeal_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    return _appeal_move(request, pk, AppealMove.DECIDE)


# Possible professional unfitness (federal) -----------------------------------------------


@login_required
def unfitness_review(request: HttpRequest, pk: int) -> HttpResponse:
    """HR reads the flag of two “onvoldoende” ending in this evaluation and records
    whether the procedure for professional unfitness starts; afterwards, its answer."""
    viewer = viewer_of(request)
    evaluation = evaluation_permissions.evaluation_for(viewer, pk)
    page = selectors.unfitness_page(viewer, evaluation) if evaluation is not None else None
    if evaluation is None or page is None:
        raise Http404
    form = UnfitnessReviewForm(request.POST or None) if page.flag is not None else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.unfitness_review_record(actor=viewer, evaluation=evaluation,
                                             decision=form.cleaned_data["decision"],
                                             remarks=form.cleaned_data["remarks"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("unfitness_review", pk=pk)
    return _form_page(request, "unfitness.html", {"evaluation": evaluation, "page": page,
                                                  "form": form})
