"""Evaluation pages: mine and my tasks, a person's, one evaluation, the self-evaluation,
the report, signing, the written procedure, corrections and endings, the PDF.

Thin: ``evaluations.permissions`` says who sees what, ``evaluations.selectors`` what the
page offers (with the reason an action is not available yet), ``evaluations.services``
makes every change and checks every rule again. An action page answers 404 to whoever
holds no role that could ever take the action here (the same 404 as for a stranger);
to a role that may take it later it explains why not yet.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from koers.access import services as access_services
from koers.access.models import Scope
from koers.access.policy import Viewer, can_change_person
from koers.consequences import permissions as consequences_permissions
from koers.consequences import rules as consequences_rules
from koers.consequences import selectors as consequences_selectors
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind, ConversationStatus
from koers.core.clock import today_for
from koers.core.errors import DomainError, ValidationFailed
from koers.cycles.models import Participation
from koers.evaluations import pdf, permissions, rules, selectors, services
from koers.evaluations.models import Evaluation, EvaluationReport
from koers.evaluations.selectors import EvaluationPage, Offer
from koers.evaluations.services import EditConflict
from koers.evaluations.states import (
    DELIVERED_GROUP,
    Action,
    EvaluationKind,
    EvaluationState,
    Role,
    roles_for,
)
from koers.organisation.models import Organisation, Person
from koers.rulebook import deadlines
from koers.rulebook.policy import policy_for
from koers.web.forms_evaluations import (
    DraftRemarksForm,
    FormalAssessmentForm,
    ObjectionForm,
    ReasonForm,
    ReportForm,
    SelfEvaluationForm,
    SignForm,
    item_field,
)
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of

S = EvaluationState
SIGN_ACTIONS = (Action.SIGN_FIRST, Action.SIGN_SECOND, Action.SIGN_EMPLOYEE)
# Not listed with their reason when unavailable: the same reason stands beside writing the
# self-evaluation, and the procedure is chosen once, before anything is signed.
QUIET = frozenset({Action.SUBMIT_SELF_EVALUATION, Action.SET_WRITTEN_PROCEDURE})


# Loading and access -------------------------------------------------------------------


def _evaluation_or_404(request: HttpRequest, pk: int) -> Evaluation:
    evaluation = permissions.evaluation_for(viewer_of(request), pk)
    if evaluation is None:
        raise Http404
    return evaluation


def _roles(request: HttpRequest, evaluation: Evaluation) -> set[Role]:
    return permissions.roles_of(viewer_of(request), evaluation)


def _require_role(request: HttpRequest, evaluation: Evaluation, action: Action) -> set[Role]:
    """404 unless the viewer holds a role the table lets take ``action`` (in some state)."""
    roles = _roles(request, evaluation)
    if not roles & roles_for(action):
        raise Http404
    return roles


def _log_read(viewer: Viewer, evaluation: Evaluation) -> None:
    """HR reading the content under a granted request: logged, the employee sees it."""
    if permissions.reads_under_grant(viewer, evaluation):
        access_services.access_read_log(viewer=viewer, subject=evaluation.person,
                                        scope=Scope.EVALUATIONS, record=evaluation,
                                        label=_title(evaluation))


def _title(evaluation: Evaluation) -> str:
    name = evaluation.person_name or evaluation.person.full_name
    kind = evaluation.get_kind_display()
    return f"{kind[:1].upper()}{kind[1:]} {evaluation.period_end:%Y} · {name}"


def _back(evaluation: Evaluation, anchor: str = "") -> HttpResponse:
    url = reverse("evaluation_detail", args=[evaluation.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _offer(offers: list[Offer], *actions: Action) -> Offer | None:
    return next((offer for offer in offers if offer.action in actions), None)


# What happens next ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing someone must do next: who, what, by when, and how that stands today."""

    who: str
    what: str
    due: dt.date | None
    today: dt.date
    note: str = ""

    @property
    def days(self) -> int:
        return (self.due - self.today).days if self.due else 0

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.days < 0

    @property
    def when(self) -> str:
        """The due date in words: overdue, today, or in how many days."""
        if self.due is None:
            return ""
        days = self.days
        if days < 0:
            return ngettext("%(count)d day overdue", "%(count)d days overdue", -days) % {
                "count": -days}
        if days == 0:
            return _("due today")
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}


def _named(role: Role, person: Person | None) -> str:
    label = str(role.label)
    label = label[:1].upper() + label[1:]
    return f"{label}: {person.full_name}" if person is not None else label


def _next_steps(page: EvaluationPage, today: dt.date) -> list[Step]:
    """Who must act next and by when; the days come from the participation's due dates
    (the deadline engine) and the evaluation's own terms, never typed in here."""
    ev = page.evaluation
    part: Participation | None = ev.participation if ev.kind == EvaluationKind.ANNUAL else None
    employee = _named(Role.EMPLOYEE, ev.person)
    first = _named(Role.FIRST_EVALUATOR, ev.first_evaluator)
    second = _named(Role.SECOND_EVALUATOR, ev.second_evaluator)
    steps: list[Step] = []
    self_open = ev.self_evaluation_submitted_at is None and ev.state in (
        S.DRAFT, S.DRAFT_SENT, S.FIRST_SIGNED)
    if self_open and ev.kind == EvaluationKind.ANNUAL:
        steps.append(Step(employee, _("Write and submit the self-evaluation"),
                          part.self_evaluation_due if part else None, today))
    sign_first = part.first_signature_due if part else ev.due_on
    if ev.state == S.DRAFT:
        note = ""
        if part is not None and part.evaluation_window_opens and today < \
                part.evaluation_window_opens:
            note = _("The report can be signed from %(day)s.") % {
                "day": rules.day(part.evaluation_window_opens)}
        if ev.written_procedure:
            steps.append(Step(first, _("Write the draft report and send it to the employee"),
                              None, today, note))
        else:
            if rules.report_author(page.policy, kind=ev.kind) == Role.EMPLOYEE:
                steps.append(Step(employee, _("Write the record of the evaluation "
                                              "conversation"),
                                  part.evaluation_due if part else ev.due_on, today))
            else:
                steps.append(Step(first, _("Hold the evaluation conversation and write the "
                                           "report"),
                                  part.evaluation_due if part else ev.due_on, today))
            steps.append(Step(first, _("Sign the report"), sign_first, today, note))
    elif ev.state == S.DRAFT_SENT:
        assert ev.draft_sent_on is not None
        if ev.draft_remarks_on is None:
            steps.append(Step(employee, _("Send remarks on the draft (optional)"),
                              deadlines.written_remarks_due(
                                  page.policy, draft_sent_on=ev.draft_sent_on), today))
        steps.append(Step(first, _("Finish and sign the report"), sign_first, today))
    elif ev.state == S.FIRST_SIGNED:
        starts = rules.second_task_starts(
            page.policy, kind=ev.kind, year=rules.evaluation_year(ev.period_end),
            self_submitted_on=_self_submitted_on(ev), first_signed_on=page.first_signed_on)
        note = (_("Their task starts on %(day)s.") % {"day": rules.day(starts)}
                if starts is not None and starts > today else "")
        steps.append(Step(second, _("Review and sign the report; it then goes to the "
                                    "employee"),
                          part.second_signature_due if part else None, today, note))
    elif ev.state == S.DELIVERED:
        steps.append(Step(employee, _("Sign the report, with remarks if you wish"),
                          ev.employee_signature_due, today,
                          _("After that day the 1st evaluator or HR closes it without the "
                            "signature.")))
    return steps


def _self_submitted_on(evaluation: Evaluation) -> dt.date | None:
    submitted = evaluation.self_evaluation_submitted_at
    if submitted is None:
        return None
    return rules.local_day(submitted, evaluation.person.organisation.time_zone)


# Lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    task: selectors.Task
    step: Step


def _task_rows(tasks: list[selectors.Task]) -> list[TaskRow]:
    """Each task with its due date, in a fixed number of queries: the participations and
    the organisations (with their policies) of all tasks at once."""
    evaluations = [task.evaluation for task in tasks]
    parts = Participation.objects.in_bulk(
        {ev.participation_id for ev in evaluations if ev.participation_id})
    organisations = Organisation.objects.in_bulk({ev.person.organisation_id for ev in evaluations})
    policies = {pk: policy_for(org) for pk, org in organisations.items()}
    days = {pk: today_for(org) for pk, org in organisations.items()}
    rows = []
    for task in tasks:
        ev = task.evaluation
        org_id = ev.person.organisation_id
        part = parts.get(ev.participation_id) if ev.participation_id else None
        due: dt.date | None = {
            Action.SUBMIT_SELF_EVALUATION: part.self_evaluation_due if part else None,
            Action.SIGN_FIRST: part.first_signature_due if part else ev.due_on,
            Action.SIGN_SECOND: part.second_signature_due if part else None,
            Action.SIGN_EMPLOYEE: ev.employee_signature_due,
            Action.ADD_DRAFT_REMARKS: deadlines.written_remarks_due(
                policies[org_id], draft_sent_on=ev.draft_sent_on) if ev.draft_sent_on else None,
        }.get(task.action)
        label = str(task.action.label)
        rows.append(TaskRow(task, Step(ev.person.full_name, label[:1].upper() + label[1:],
                                       due, days[org_id])))
    return rows


@login_required
def my_evaluations(request: HttpRequest) -> HttpResponse:
    """What waits for me (as employee or evaluator) and my own evaluations."""
    viewer = viewer_of(request)
    me = viewer.person
    context: dict[str, Any] = {
        "tasks": _task_rows(selectors.tasks_for(viewer)),
        "evaluations": list(selectors.evaluations_for_person(viewer, me)) if me else [],
        "me": me,
    }
    return render(request, "evaluations/mine.html", context)


@login_required
def person_evaluations(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's evaluations, and the way in to the running cycle's annual evaluation."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    today = today_for(person.organisation)
    running = services.running_participation(person, on=today)
    policy = policy_for(person.organisation)
    context = {
        "person": person,
        "is_me": viewer.person is not None and viewer.person.pk == person.pk,
        "evaluations": list(selectors.evaluations_for_person(viewer, person)),
        "running": running,
        "can_open": permissions.can_open_for(viewer, person),
        "formal_assessment": policy.formal_assessment and _may_open_formal(viewer, person),
    }
    return render(request, "evaluations/person.html", context)


@login_required
def participation_evaluation(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    """The participation's annual evaluation: opened on first use, then its page."""
    person = person_or_404(request, pk)
    participation = (Participation.objects.select_related("person__organisation", "cycle")
                     .filter(pk=participation_pk, person=person).first())
    if participation is None:
        raise Http404
    try:
        evaluation = services.evaluation_for_participation(actor=viewer_of(request),
                                                           participation=participation)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("person_evaluations", person.pk)
    return redirect("evaluation_detail", evaluation.pk)


# One evaluation ---------------------------------------------------------------------------


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    evaluation = _evaluation_or_404(request, pk)
    page = selectors.evaluation_page(evaluation)
    ev = page.evaluation
    offers = selectors.available_actions(viewer, ev, page)
    show_report = permissions.can_view_report(viewer, ev)
    show_self = permissions.can_view_self_evaluation(viewer, ev)
    if show_report or show_self:
        _log_read(viewer, ev)
    today = today_for(ev.person.organisation)
    roles = permissions.roles_of(viewer, ev)
    remarks = _offer(offers, Action.ADD_DRAFT_REMARKS)
    context: dict[str, Any] = {
        "page": page,
        "evaluation": ev,
        "title": _title(ev),
        "offers": offers,
        "blocked": [o for o in offers if not o.available and o.action not in QUIET
                    and (o.action != Action.RECORD_OBJECTION
                         or ev.kind == EvaluationKind.FORMAL_ASSESSMENT)],
        "steps": _next_steps(page, today) if ev.state not in (
            S.COMPLETED, S.CLOSED_UNSIGNED, S.CANCELLED) else [],
        "today": today,
        "show_report": show_report,
        "show_self": show_self,
        "is_employee": Role.EMPLOYEE in roles,
        "self_offer": _offer(offers, Action.SAVE_SELF_EVALUATION),
        "report_offer": _offer(offers, Action.SAVE_REPORT),
        "sign_offer": _offer(offers, *SIGN_ACTIONS),
        "send_offer": _offer(offers, Action.SEND_DRAFT),
        "written_offer": _offer(offers, Action.SET_WRITTEN_PROCEDURE),
        "remarks_offer": remarks,
        "remarks_form": DraftRemarksForm() if remarks is not None and remarks.available else None,
        "correct_offer": _offer(offers, Action.CORRECT),
        "close_offer": _offer(offers, Action.CLOSE_UNSIGNED),
        "cancel_offer": _offer(offers, Action.CANCEL),
        "objection_offer": _offer(offers, Action.RECORD_OBJECTION),
        "remarks_due": deadlines.written_remarks_due(page.policy,
                                                     draft_sent_on=ev.draft_sent_on)
        if ev.draft_sent_on else None,
        "can_pdf": permissions.can_download_pdf(viewer, ev),
        "advanced_day": page.report.advanced_evaluation_day,
        **_appeal_context(viewer, ev, page, roles, today),
    }
    return render(request, "evaluations/detail.html", context)


def _appeal_context(viewer: Viewer, ev: Evaluation, page: EvaluationPage, roles: set[Role],
                    today: dt.date) -> dict[str, Any]:
    """Once delivered: the appeal of this verdict if there is one (for whoever may see
    it), else for the employee the way to appeal while the rules allow it, and until when
    (consequences/rules.py decides; one query)."""
    if ev.state not in DELIVERED_GROUP:
        return {}
    appeal = consequences_selectors.appeal_of(ev)
    if appeal is not None:
        return {"appeal": appeal if consequences_permissions.can_view_appeal(viewer, appeal)
                else None}
    if Role.EMPLOYEE not in roles:
        return {}
    delivered_on = consequences_selectors.delivered_on(ev)
    refusal = consequences_rules.appeal_refusal(
        policy=page.policy, evaluation=ev, verdict=page.report.verdict,
        delivered_on=delivered_on, today=today, existing=None)
    if refusal is not None or delivered_on is None:
        return {}
    return {"appeal_due": consequences_rules.appeal_due(page.policy, delivered_on)}


def _goals(items: list[Any]) -> list[tuple[int, str]]:
    return [(item.position, item.goal_title) for item in items]


@dataclass(frozen=True)
class Difference:
    """One text someone else saved meanwhile, beside the user's own (kept in the form)."""

    label: str
    theirs: str
    yours: str


def _differences(form: Any, current: dict[str, Any], labels: dict[str, str]) -> list[Difference]:
    """The parts where the saved text differs from the user's (``form`` is bound to the
    user's text and validated)."""
    cleaned = getattr(form, "cleaned_data", {})
    pairs = [(item_field(position), str(form.fields[item_field(position)].label), text)
             for position, text in sorted(current.get("items", {}).items())
             if item_field(position) in form.fields]
    pairs += [(name, label, current[name]) for name, label in labels.items()
              if name in form.fields and name in current]
    found = []
    for name, label, theirs in pairs:
        mine = cleaned.get(name, form.data.get(name))
        if (theirs or "") != (mine.strip() if isinstance(mine, str) else mine or ""):
            found.append(Difference(label, _shown(theirs), _shown(form.data.get(name, ""))))
    return found


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


def _rebound(form_class: type[Any], request: HttpRequest, revision: int,
             **kwargs: Any) -> Any:
    """The user's own text again, now starting from the revision saved meanwhile: saving
    once more replaces the other text deliberately, after the user compared both."""
    data = request.POST.copy()
    data["revision"] = str(revision)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


@login_required
def evaluation_self(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee's self-evaluation: per goal and overall, the policy's guiding
    questions beside it; save as a draft or submit."""
    viewer = viewer_of(request)
    evaluation = _evaluation_or_404(request, pk)
    _require_role(request, evaluation, Action.SAVE_SELF_EVALUATION)
    page = selectors.evaluation_page(evaluation)
    ev = page.evaluation
    offers = selectors.available_actions(viewer, ev, page)
    offer = _offer(offers, Action.SAVE_SELF_EVALUATION)
    goals = _goals(page.self_items)
    initial = {"revision": ev.self_evaluation_revision, "overall": ev.self_evaluation,
               **{item_field(item.position): item.text for item in page.self_items}}
    form = SelfEvaluationForm(initial=initial, goals=goals)
    conflict: list[Difference] | None = None
    if request.method == "POST":
        if offer is None or not offer.available:
            messages.error(request, offer.reason if offer else _(
                "The self-evaluation can no longer change."))
            return _back(ev)
        form = SelfEvaluationForm(request.POST, goals=goals)
        submit = "submit" in request.POST
        if form.is_valid():
            try:
                saved = services.self_evaluation_save(
                    actor=viewer, evaluation=ev, overall=form.cleaned_data["overall"],
                    items=form.items(), expected_revision=form.cleaned_data["revision"])
            except EditConflict as error:
                form = _rebound(SelfEvaluationForm, request, error.revision, goals=goals)
                conflict = _differences(form, error.current,
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
                    form = _rebound(SelfEvaluationForm, request,
                                    saved.self_evaluation_revision, goals=goals)
                    apply_errors(form, error)
                    messages.info(request, _("Your text is saved, but not submitted."))
                else:
                    messages.success(request, _(
                        "Your self-evaluation is submitted: your evaluators can read it now.")
                        if submit else _("Your self-evaluation is saved. Only you can read "
                                         "it until you submit it."))
                    return _back(ev, "self-evaluation")
    context = {
        "page": page, "evaluation": ev, "title": _title(ev), "form": form, "offer": offer,
        "conflict": conflict, "questions": page.self_evaluation_questions,
        "submitted": ev.self_evaluation_submitted_at is not None,
    }
    return render(request, "evaluations/self_form.html", context)


def _report_form(page: EvaluationPage, today: dt.date, data: Any = None,
                 initial: dict[str, Any] | None = None) -> ReportForm:
    report = page.report
    choices = page.verdict_choices
    earliest = (rules.advanced_earliest(page.policy, acknowledged_on=today)
                if rules.ADVANCING_VERDICT in page.verdicts else None)
    if initial is None:
        initial = {"revision": report.revision, "overall": report.overall,
                   "verdict": report.verdict,
                   "advanced_evaluation_on": report.advanced_evaluation_on,
                   **{item_field(item.position): item.text for item in page.items}}
    return ReportForm(data, initial=initial, goals=_goals(page.items), verdicts=choices,
                      advanced_earliest=earliest, saved_advanced=report.advanced_evaluation_on)


@login_required
def evaluation_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of the current version, by its author: per goal (the submitted
    self-evaluation beside each) and overall, the verdict from the allowed options, and
    after onvoldoende the day of an advanced evaluation."""
    viewer = viewer_of(request)
    evaluation = _evaluation_or_404(request, pk)
    roles = _require_role(request, evaluation, Action.SAVE_REPORT)
    page = selectors.evaluation_page(evaluation)
    ev = page.evaluation
    if rules.report_author(page.policy, kind=ev.kind) not in roles:
        raise Http404
    today = today_for(ev.person.organisation)
    offer = _offer(selectors.available_actions(viewer, ev, page), Action.SAVE_REPORT)
    form = _report_form(page, today)
    if request.htmx and request.method == "GET":  # type: ignore[attr-defined]
        # The verdict changed: offer the day of an advanced evaluation, or take it away.
        initial = dict(form.initial, verdict=request.GET.get("verdict", ""))
        return render(request, "evaluations/report_form.html#advanced",
                      {"form": _report_form(page, today, initial=initial)})
    conflict: list[Difference] | None = None
    if request.method == "POST":
        if offer is None or not offer.available:
            messages.error(request, offer.reason if offer else _(
                "The report can no longer change."))
            return _back(ev)
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
                conflict = _differences(form, error.current, {
                    "overall": _("Overall evaluation"), "verdict": _("Verdict"),
                    "advanced_evaluation_on": _("Advanced evaluation on")})
                messages.error(request, error.message)
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The report is saved."))
                return _back(ev, "report")
    self_texts = {item.position: item.text for item in page.self_items} \
        if permissions.can_view_self_evaluation(viewer, ev) else {}
    context = {
        "page": page, "evaluation": ev, "title": _title(ev), "form": form, "offer": offer,
        "conflict": conflict,
        "rows": [(field, self_texts.get(position)) for position, field in form.item_fields()],
        "self_shown": bool(self_texts) or (ev.self_evaluation_submitted_at is not None
                                           and permissions.can_view_self_evaluation(viewer, ev)),
    }
    return render(request, "evaluations/report_form.html", context)


@login_required
def evaluation_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """What you sign (the version, its content) and a confirmation; after signing the
    evaluation's page shows the seal."""
    viewer = viewer_of(request)
    evaluation = _evaluation_or_404(request, pk)
    roles = _roles(request, evaluation)
    if not roles & {Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR, Role.EMPLOYEE} or \
            not permissions.can_view_report(viewer, evaluation):
        raise Http404
    page = selectors.evaluation_page(evaluation)
    ev = page.evaluation
    offer = _offer(selectors.available_actions(viewer, ev, page), *SIGN_ACTIONS)
    if offer is None:
        messages.info(request, _("Nothing waits for your signature in this evaluation."))
        return _back(ev)
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
            except services.EditConflict as conflict:
                messages.error(request, conflict.message)
                return redirect("evaluation_sign", ev.pk)
            except ValidationFailed as error:
                apply_errors(form, error)
            except DomainError as error:
                messages.error(request, error.message)
                return _back(ev)
            else:
                messages.success(request, _("You signed version %(number)s. Its seal: "
                                            "%(seal)s") % {"number": report.number,
                                                           "seal": signature.seal})
                return _back(ev, "signatures")
    elif request.method == "POST":
        messages.error(request, offer.reason)
    context = {
        "page": page, "evaluation": ev, "title": _title(ev), "form": form, "offer": offer,
        "report": report, "role": services.ROLE_OF_SIGN[offer.action],
        "show_self": permissions.can_view_self_evaluation(viewer, ev)
        and ev.self_evaluation_submitted_at is not None,
        "advanced_day": report.advanced_evaluation_day,
        "advanced_earliest": report.advanced_evaluation_earliest or (
            rules.advanced_earliest(page.policy, acknowledged_on=today_for(ev.person.organisation))
            if report.advanced_evaluation_on else None),
    }
    return render(request, "evaluations/sign.html", context)


def _act(request: HttpRequest, pk: int, action: Action, done: str, call: Any,
         anchor: str = "") -> HttpResponse:
    """A button without a form: the role check, the service, a message, back to the page."""
    evaluation = _evaluation_or_404(request, pk)
    _require_role(request, evaluation, action)
    try:
        call(viewer_of(request), evaluation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(evaluation, anchor)


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
    evaluation = _evaluation_or_404(request, pk)
    _require_role(request, evaluation, Action.ADD_DRAFT_REMARKS)
    form = DraftRemarksForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was sent: write your remarks."))
        return _back(evaluation, "draft-remarks")
    return _act(request, pk, Action.ADD_DRAFT_REMARKS,
                _("Your remarks are sent to the 1st evaluator."),
                lambda actor, ev: services.draft_remarks_add(
                    actor=actor, evaluation=ev, remarks=form.cleaned_data["remarks"]),
                "draft-remarks")


@login_required
@require_POST
def evaluation_close_unsigned(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, Action.CLOSE_UNSIGNED,
                _("The evaluation is closed without the employee's signature."),
                lambda actor, ev: services.evaluation_close_unsigned(actor=actor, evaluation=ev))


def _reason_page(request: HttpRequest, pk: int, action: Action, *, heading: str,
                 explanation: str, button: str, done: str, call: Any) -> HttpResponse:
    """Correct or cancel: a reason, then the service."""
    viewer = viewer_of(request)
    evaluation = _evaluation_or_404(request, pk)
    _require_role(request, evaluation, action)
    offer = _offer(selectors.available_actions(viewer, evaluation), action)
    form = ReasonForm(request.POST or None, help_text=explanation)
    if request.method == "POST" and offer is not None and offer.available and form.is_valid():
        try:
            call(viewer, evaluation, form.cleaned_data["reason"])
        except ValidationFailed as error:
            apply_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
            return _back(evaluation)
        else:
            messages.success(request, done)
            return _back(evaluation)
    elif request.method == "POST" and (offer is None or not offer.available):
        messages.error(request, offer.reason if offer else _("This is not possible now."))
    context = {"evaluation": evaluation, "title": _title(evaluation), "form": form,
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
    """Record the employee's objection to a delivered formal assessment (seed 004)."""
    viewer = viewer_of(request)
    evaluation = _evaluation_or_404(request, pk)
    _require_role(request, evaluation, Action.RECORD_OBJECTION)
    offer = _offer(selectors.available_actions(viewer, evaluation), Action.RECORD_OBJECTION)
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
            return _back(evaluation)
        else:
            messages.success(request, _("The objection is recorded."))
            return _back(evaluation, "objections")
    elif request.method == "POST" and (offer is None or not offer.available):
        messages.error(request, offer.reason if offer else _("This is not possible now."))
    context = {"evaluation": evaluation, "title": _title(evaluation), "form": form,
               "offer": offer}
    return render(request, "evaluations/objection_form.html", context)


def _may_open_formal(viewer: Viewer, person: Person) -> bool:
    """Who opens a formal assessment (the service checks it again): the 1st evaluator, HR,
    or the employee at their own request."""
    me = viewer.person
    return (me is not None and me.pk == person.pk) or person.pk in viewer.team_ids \
        or can_change_person(viewer, person)


def _improvement_conversations(person: Person) -> Any:
    return (Conversation.objects.filter(employee=person, kind=ConversationKind.PROGRESS,
                                        status=ConversationStatus.HELD)
            .exclude(improvement_points="").order_by("-held_on", "-pk"))


@login_required
def formal_assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a Dutch formal assessment: why, and the progress conversation in which the
    improvement points were raised (the rules check it, seed 004)."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    if not _may_open_formal(viewer, person):
        raise Http404
    policy = policy_for(person.organisation)
    form = FormalAssessmentForm(request.POST or None,
                                conversations=_improvement_conversations(person))
    if request.method == "POST" and policy.formal_assessment and form.is_valid():
        try:
            evaluation = services.evaluation_open(
                actor=viewer, person=person, kind=EvaluationKind.FORMAL_ASSESSMENT,
                formal_reason=form.cleaned_data["formal_reason"],
                improvement_conversation=form.cleaned_data["improvement_conversation"])
        except ValidationFailed as error:
            apply_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The formal assessment is open."))
            return redirect("evaluation_detail", evaluation.pk)
    context = {"person": person, "form": form, "available": policy.formal_assessment}
    return render(request, "evaluations/formal_form.html", context)


@login_required
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a PDF in the employee's language, for whoever may read the report."""
    viewer = viewer_of(request)
    evaluation = _evaluation_or_404(request, pk)
    if not permissions.can_download_pdf(viewer, evaluation):
        raise Http404
    _log_read(viewer, evaluation)
    person = evaluation.person
    content = pdf.report_pdf(evaluation, language=person.reading_language)
    version = EvaluationReport.objects.filter(evaluation=evaluation).order_by("-number") \
        .values_list("number", flat=True).first() or 1
    name = slugify(f"{_('evaluation')} {evaluation.person_name or person.full_name} "
                   f"{evaluation.period_end:%Y} v{version}")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
