"""Writing and signing an evaluation: the self-evaluation, the report (with an edit
conflict shown side by side), signing, the written procedure, the draft remarks, and the
steps that correct, cancel or close it, or record an objection.

Thin: ``evaluations.selectors`` says what the page offers, ``evaluations.services`` makes
every change and checks every rule again.
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

from koers.core.clock import today_for
from koers.core.errors import DomainError, EditConflict, RecordClosed, ValidationFailed
from koers.evaluations import permissions, rules, selectors, services
from koers.evaluations.selectors import EvaluationPage
from koers.evaluations.states import Action, Role
from koers.rulebook.terms import terms_for
from koers.web.evaluations.forms import (
    DraftRemarksForm,
    ObjectionDecisionForm,
    ObjectionForm,
    ReasonForm,
    ReportForm,
    SelfEvaluationForm,
    SignForm,
    item_field,
)
from koers.web.evaluations.lookups import (
    SIGN_ACTIONS,
    back_to,
    evaluation_or_404,
    evaluation_title,
    offer_of,
    require_role,
    viewer_roles,
)
from koers.web.page.confirm import confirm_page, confirmed
from koers.web.page.conflicts import Difference, differences, rebound
from koers.web.page.forms import apply_errors
from koers.web.page.viewer import viewer_of


def _goals(items: list[Any]) -> list[tuple[int, str]]:
    return [(item.position, item.goal_title) for item in items]


def _item_differences(form: Any, current: dict[str, Any],
                      labels: dict[str, str]) -> list[Difference]:
    """An evaluation's conflict: its texts per goal (``items``, by position) are the
    form's item fields."""
    fields = {item_field(position): text
              for position, text in sorted(current.get("items", {}).items())}
    fields |= {name: value for name, value in current.items() if name in labels}
    return differences(form, fields, labels)


@login_required
def evaluation_self(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee's self-evaluation: per goal and overall, the policy's guiding
    questions beside it; save as a draft or submit."""
    viewer = viewer_of(request)
    evaluation = evaluation_or_404(request, pk)
    require_role(request, evaluation, Action.SAVE_SELF_EVALUATION)
    page = selectors.evaluation_page(evaluation)
    ev = page.evaluation
    offers = selectors.available_actions(viewer, ev, page)
    offer = offer_of(offers, Action.SAVE_SELF_EVALUATION)
    goals = _goals(page.self_items)
    initial = {"revision": ev.self_evaluation_revision, "overall": ev.self_evaluation,
               **{item_field(item.position): item.text for item in page.self_items}}
    form = SelfEvaluationForm(initial=initial, goals=goals)
    conflict: list[Difference] | None = None
    if request.method == "POST":
        if offer is None or not offer.available:
            services.evaluation_refusal_record(actor=viewer, evaluation=ev,
                                               action=Action.SAVE_SELF_EVALUATION)
            messages.error(request, offer.reason if offer else _(
                "The self-evaluation can no longer change."))
            return back_to(ev)
        form = SelfEvaluationForm(request.POST, goals=goals)
        submit = "submit" in request.POST
        if form.is_valid():
            try:
                saved = services.self_evaluation_save(
                    actor=viewer, evaluation=ev, overall=form.cleaned_data["overall"],
                    items=form.items(), expected_revision=form.cleaned_data["revision"])
            except EditConflict as error:
                form = rebound(SelfEvaluationForm, request, error.revision, goals=goals)
                conflict = _item_differences(form, error.current,
                                        {"overall": _("Overall self-evaluation")})
                messages.error(request, error.message)
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                try:
                    if submit:
                        services.self_evaluation_submit(actor=viewer, evaluation=saved)
                except ValidationFailed as error:
                    # The text is saved: the form goes on from the saved revision.
                    form = rebound(SelfEvaluationForm, request,
                                    saved.self_evaluation_revision, goals=goals)
                    apply_errors(form, error)
                    messages.info(request, _("Your text is saved, but not submitted."))
                else:
                    messages.success(request, _(
                        "Your self-evaluation is submitted: your evaluators can read it now.")
                        if submit else _("Your self-evaluation is saved. Only you can read "
                                         "it until you submit it."))
                    return back_to(ev, "self-evaluation")
    terms = terms_for(page.policy.preset)  # the record's regime names its roles
    context = {
        "page": page, "evaluation": ev, "terms": terms, "title": evaluation_title(ev, terms),
        "form": form, "offer": offer,
        "conflict": conflict, "questions": page.self_evaluation_questions,
        "submitted": ev.self_evaluation_submitted_at is not None,
        "improvement_plans": selectors.improvement_at_hand(viewer, ev),
    }
    return render(request, "evaluations/self_form.html", context)


def _report_form(page: EvaluationPage, today: dt.date, data: Any = None,
                 initial: dict[str, Any] | None = None) -> ReportForm:
    report = page.report
    choices = page.verdict_choices
    if initial is None:
        initial = {"revision": report.revision, "overall": report.overall,
                   "verdict": report.verdict,
                   "advanced_evaluation_on": report.advanced_evaluation_on,
                   **{item_field(item.position): item.text for item in page.items}}
    return ReportForm(data, initial=initial, goals=_goals(page.items), verdicts=choices,
                      policy=page.policy, today=today,
                      saved_advanced=report.advanced_evaluation_on,
                      advances=rules.may_be_advanced(page.evaluation.kind))


@login_required
def evaluation_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of the current version, by its author: per goal (the submitted
    self-evaluation beside each) and overall, the verdict from the allowed options, and
    after onvoldoende the day of an advanced evaluation."""
    viewer = viewer_of(request)
    evaluation = evaluation_or_404(request, pk)
    roles = require_role(request, evaluation, Action.SAVE_REPORT)
    page = selectors.evaluation_page(evaluation)
    ev = page.evaluation
    if rules.report_author(page.policy, kind=ev.kind) not in roles:
        raise Http404
    today = today_for(ev.person.organisation)
    offer = offer_of(selectors.available_actions(viewer, ev, page), Action.SAVE_REPORT)
    form = _report_form(page, today)
    if request.htmx and request.method == "GET":  # type: ignore[attr-defined]
        # The verdict changed: offer the day of an advanced evaluation, or take it away.
        initial = dict(form.initial, verdict=request.GET.get("verdict", ""))
        return render(request, "evaluations/report_form.html#advanced",
                      {"form": _report_form(page, today, initial=initial)})
    conflict: list[Difference] | None = None
    if request.method == "POST":
        if offer is None or not offer.available:
            services.evaluation_refusal_record(actor=viewer, evaluation=ev,
                                               action=Action.SAVE_REPORT)
            messages.error(request, offer.reason if offer else _(
                "The report can no longer change."))
            return back_to(ev)
        form = _report_form(page, today, data=request.POST)
        if form.is_valid():
            try:
                services.report_save(
                    actor=viewer, evaluation=ev, overall=form.cleaned_data["overall"],
                    items=form.items(), verdict=form.cleaned_data.get("verdict", ""),
                    advanced_evaluation_on=form.advanced_day(),
                    expected_revision=form.cleaned_data["revision"])
            except EditConflict as error:
                data = request.POST.copy()
                data["revision"] = str(error.revision)
                form = _report_form(page, today, data=data)
                form.is_valid()
                conflict = _item_differences(form, error.current, {
                    "overall": _("Overall evaluation"), "verdict": _("Verdict"),
                    "advanced_evaluation_on": _("Advanced evaluation on")})
                messages.error(request, error.message)
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The report is saved."))
                missing = selectors.no_surprise_warnings(
                    ev, verdict=form.cleaned_data.get("verdict", ""))
                if missing:
                    messages.warning(request, _(
                        "No surprise? The report carries a negative verdict, while the "
                        "period holds %(missing)s. This is a warning: you may go on.")
                        % {"missing": "; ".join(missing)})
                return back_to(ev, "report")
    self_texts = {item.position: item.text for item in page.self_items} \
        if permissions.can_view_self_evaluation(viewer, ev) else {}
    terms = terms_for(page.policy.preset)  # the record's regime names its roles
    context = {
        "page": page, "evaluation": ev, "terms": terms, "title": evaluation_title(ev, terms),
        "form": form, "offer": offer,
        "conflict": conflict,
        "rows": [(field, self_texts.get(position)) for position, field in form.item_fields()],
        "self_shown": bool(self_texts) or (ev.self_evaluation_submitted_at is not None
                                           and permissions.can_view_self_evaluation(viewer, ev)),
        "improvement_plans": selectors.improvement_at_hand(viewer, ev),
        "no_surprise": selectors.no_surprise_warnings(ev, verdict=page.report.verdict),
    }
    return render(request, "evaluations/report_form.html", context)


@login_required
def evaluation_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """What you sign (the version, its content) and a confirmation; after signing the
    evaluation's page shows the seal."""
    viewer = viewer_of(request)
    evaluation = evaluation_or_404(request, pk)
    roles = viewer_roles(request, evaluation)
    if not roles & {Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR, Role.EMPLOYEE} or \
            not permissions.can_view_report(viewer, evaluation):
        raise Http404
    page = selectors.evaluation_page(evaluation)
    ev = page.evaluation
    offer = offer_of(selectors.available_actions(viewer, ev, page), *SIGN_ACTIONS)
    if offer is None:
        if request.method == "POST":
            services.evaluation_refusal_record(actor=viewer, evaluation=ev,
                                               action=Action.SIGN_FIRST)
        messages.info(request, _("Nothing waits for your signature in this evaluation."))
        return back_to(ev)
    is_employee = offer.action == Action.SIGN_EMPLOYEE
    report = page.report
    form = SignForm(initial={"version": report.number, "revision": report.revision},
                    with_remarks=is_employee)
    if request.method == "POST" and offer.available:
        form = SignForm(request.POST, with_remarks=is_employee)
        if form.is_valid():
            try:
                signature = services.evaluation_sign(
                    actor=viewer, evaluation=ev, remarks=form.cleaned_data.get("remarks", ""),
                    role=services.ROLE_OF_SIGN[offer.action],
                    expected_version=form.cleaned_data["version"],
                    expected_revision=form.cleaned_data["revision"])
            except EditConflict as conflict:
                messages.error(request, conflict.message)
                return redirect("evaluation_sign", ev.pk)
            except ValidationFailed as error:
                apply_errors(form, error)
            except DomainError as error:
                messages.error(request, error.message)
                return back_to(ev)
            else:
                messages.success(request, _("You signed version %(number)s. Its seal: "
                                            "%(seal)s") % {"number": report.number,
                                                           "seal": signature.seal})
                return back_to(ev, "signatures")
    elif request.method == "POST":
        messages.error(request, offer.reason)
    terms = terms_for(page.policy.preset)  # the record's regime names its roles
    context = {
        "page": page, "evaluation": ev, "terms": terms, "title": evaluation_title(ev, terms),
        "form": form, "offer": offer,
        "report": report, "role": services.ROLE_OF_SIGN[offer.action],
        "show_self": permissions.can_view_self_evaluation(viewer, ev)
        and ev.self_evaluation_submitted_at is not None,
        "advanced_day": report.advanced_evaluation_day,
        "advanced_earliest": report.advanced_evaluation_earliest or (
            rules.advanced_earliest(page.policy, acknowledged_on=today_for(ev.person.organisation))
            if report.advanced_evaluation_on else None),
        "no_surprise": selectors.no_surprise_warnings(ev, verdict=report.verdict)
        if offer.action in (Action.SIGN_FIRST, Action.SIGN_SECOND) else [],
    }
    return render(request, "evaluations/sign.html", context)


def _act(request: HttpRequest, pk: int, action: Action, done: str, call: Any,
         anchor: str = "") -> HttpResponse:
    """A button without a form: the role check, the service, a message, back to the page."""
    evaluation = evaluation_or_404(request, pk)
    require_role(request, evaluation, action)
    try:
        call(viewer_of(request), evaluation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return back_to(evaluation, anchor)


@login_required
@require_POST
def evaluation_written_procedure(request: HttpRequest, pk: int) -> HttpResponse:
    written = request.POST.get("written") == "1"
    return _act(
        request, pk, Action.SET_WRITTEN_PROCEDURE,
        _("The evaluation is held in writing: send the draft report to the employee.")
        if written else _("The evaluation is held in a conversation again."),
        lambda actor, ev: services.evaluation_set_written_procedure(
            actor=actor, evaluation=ev, written=written))


@login_required
@require_POST
def evaluation_send_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, Action.SEND_DRAFT,
                _("The draft report is sent; the employee may send remarks."),
                lambda actor, ev: services.evaluation_send_draft(actor=actor, evaluation=ev))


@login_required
@require_POST
def evaluation_draft_remarks(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_or_404(request, pk)
    require_role(request, evaluation, Action.ADD_DRAFT_REMARKS)
    form = DraftRemarksForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was sent: write your remarks."))
        return back_to(evaluation, "draft-remarks")
    return _act(request, pk, Action.ADD_DRAFT_REMARKS,
                # The record's regime names the role (the person's organisation, loaded).
                _("Your remarks are sent to the %(first)s.")
                % {"first": terms_for(evaluation.person.organisation.policy_preset)
                   .first_evaluator},
                lambda actor, ev: services.draft_remarks_add(
                    actor=actor, evaluation=ev, remarks=form.cleaned_data["remarks"]),
                "draft-remarks")


@login_required
@require_POST
def evaluation_close_unsigned(request: HttpRequest, pk: int) -> HttpResponse:
    if not confirmed(request):
        evaluation = evaluation_or_404(request, pk)
        require_role(request, evaluation, Action.CLOSE_UNSIGNED)
        return confirm_page(
            request, heading=_("Close without the employee's signature?"),
            consequence=_("The evaluation of %(name)s is closed without their signature.")
            % {"name": evaluation.person.full_name},
            button=_("Yes, close without the signature"),
            back=reverse("evaluation_detail", args=[evaluation.pk]))
    return _act(request, pk, Action.CLOSE_UNSIGNED,
                _("The evaluation is closed without the employee's signature."),
                lambda actor, ev: services.evaluation_close_unsigned(actor=actor, evaluation=ev))


def _reason_page(request: HttpRequest, pk: int, action: Action, *, heading: str,
                 explanation: str, button: str, done: str, call: Any) -> HttpResponse:
    """Correct or cancel: a reason, then the service."""
    viewer = viewer_of(request)
    evaluation = evaluation_or_404(request, pk)
    require_role(request, evaluation, action)
    offer = offer_of(selectors.available_actions(viewer, evaluation), action)
    form = ReasonForm(request.POST or None, help_text=explanation)
    if request.method == "POST" and offer is not None and offer.available and form.is_valid():
        try:
            call(viewer, evaluation, form.cleaned_data["reason"])
        except ValidationFailed as error:
            apply_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
            return back_to(evaluation)
        else:
            messages.success(request, done)
            return back_to(evaluation)
    elif request.method == "POST" and (offer is None or not offer.available):
        messages.error(request, offer.reason if offer else _("This is not possible now."))
    context = {"evaluation": evaluation, "title": evaluation_title(evaluation), "form": form,
               "offer": offer, "heading": heading, "button": button}
    return render(request, "evaluations/reason_form.html", context)


@login_required
def evaluation_correct(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(
        request, pk, Action.CORRECT, heading=_("Correct the report"),
        explanation=_("The signed version stays as it is; a new version opens as a draft and "
                      "must be signed again. Everyone who signed is told."),
        button=_("Open a new version"),
        done=_("A new version of the report is open: correct it and sign it again."),
        call=lambda actor, ev, reason: services.evaluation_correct(
            actor=actor, evaluation=ev, reason=reason))


@login_required
def evaluation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(
        request, pk, Action.CANCEL, heading=_("Cancel the evaluation"),
        explanation=_("For example: the person left, or the evaluation is not required. The "
                      "reason is kept with the evaluation."),
        button=_("Cancel the evaluation"), done=_("The evaluation is cancelled."),
        call=lambda actor, ev, reason: services.evaluation_cancel(
            actor=actor, evaluation=ev, reason=reason))


@login_required
def evaluation_objection(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the employee's objection to a delivered formal assessment (Heemstede)."""
    viewer = viewer_of(request)
    evaluation = evaluation_or_404(request, pk)
    require_role(request, evaluation, Action.RECORD_OBJECTION)
    offer = offer_of(selectors.available_actions(viewer, evaluation), Action.RECORD_OBJECTION)
    form = ObjectionForm(request.POST or None,
                         initial={"filed_on": today_for(evaluation.person.organisation)})
    if request.method == "POST" and offer is not None and offer.available and form.is_valid():
        try:
            services.objection_record(actor=viewer, evaluation=evaluation,
                                      filed_on=form.cleaned_data["filed_on"],
                                      text=form.cleaned_data["text"])
        except ValidationFailed as error:
            apply_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
            return back_to(evaluation)
        else:
            messages.success(request, _("The objection is recorded."))
            return back_to(evaluation, "objections")
    elif request.method == "POST" and (offer is None or not offer.available):
        messages.error(request, offer.reason if offer else _("This is not possible now."))
    context = {"evaluation": evaluation, "title": evaluation_title(evaluation), "form": form,
               "offer": offer}
    return render(request, "evaluations/objection_form.html", context)


@login_required
def evaluation_objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """HR records the decision on an objection to an assessment, for the body that
    decided (Algemene wet bestuursrecht, art. 6:6 and 7:11)."""
    viewer = viewer_of(request)
    objection = permissions.objection_to_decide(viewer, pk)
    if objection is None:
        raise Http404
    evaluation = objection.evaluation
    form = ObjectionDecisionForm(request.POST or None,
                                 initial={"decided_on": today_for(evaluation.person.organisation)})
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_decide(actor=viewer, objection=objection,
                                      outcome=form.cleaned_data["outcome"],
                                      decided_on=form.cleaned_data["decided_on"],
                                      body=form.cleaned_data["body"],
                                      motivation=form.cleaned_data["motivation"])
        except RecordClosed as error:
            messages.error(request, error.message)
            return back_to(evaluation, "objections")
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision on the objection is recorded."))
            return back_to(evaluation, "objections")
    context = {"evaluation": evaluation, "title": evaluation_title(evaluation), "form": form,
               "objection": objection}
    return render(request, "evaluations/objection_decision_form.html", context)
