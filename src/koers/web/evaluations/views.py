"""Evaluation pages: mine and my tasks, a person's, one evaluation with what happens
next, the formal assessment, the PDF. Writing, signing and the other steps: ``writing.py``.

Thin: ``evaluations.permissions`` says who sees what, ``evaluations.selectors`` what the
page offers (with the reason an action is not available yet), ``evaluations.steps`` who
acts next and by when (the task list too), ``evaluations.services``
makes every change and checks every rule again. An action page answers 404 to whoever
holds no role that could ever take the action here (the same 404 as for a stranger);
to a role that may take it later it explains why not yet.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access import renderings
from koers.access.policy import Viewer, can_change_person
from koers.consequences import rules as consequences_rules
from koers.consequences import selectors as consequences_selectors
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind, ConversationStatus
from koers.core.clock import today_for
from koers.core.errors import DomainError, NotFoundOrForbidden, ValidationFailed
from koers.cycles.models import Participation
from koers.evaluations import documents, permissions, rules, selectors, services, steps
from koers.evaluations.models import Evaluation
from koers.evaluations.selectors import EvaluationPage
from koers.evaluations.states import DELIVERED_GROUP, Action, EvaluationKind, Role
from koers.organisation.models import Person
from koers.rulebook import deadlines
from koers.rulebook.policy import policy_for
from koers.rulebook.terms import terms_for
from koers.web.evaluations.forms import DraftRemarksForm, FormalAssessmentForm
from koers.web.evaluations.lookups import (
    QUIET,
    SIGN_ACTIONS,
    evaluation_or_404,
    evaluation_title,
    offer_of,
)
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of

# Lists ------------------------------------------------------------------------------------


@login_required
def my_evaluations(request: HttpRequest) -> HttpResponse:
    """What waits for me (as employee or evaluator) and my own evaluations."""
    viewer = viewer_of(request)
    me = viewer.person
    context: dict[str, Any] = {
        "tasks": steps.evaluation_tasks(viewer),
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
        # Opened already: a link to it; else a button that opens it (a POST).
        "running_opened": running is not None
        and selectors.participation_evaluation(running) is not None,
        "can_open": permissions.can_open_for(viewer, person),
        "formal_assessment": policy.formal_assessment and _may_open_formal(viewer, person),
        # Flemish probations are recorded by HR; a Dutch probation ends with the appointment.
        "probation": policy.probation_workdays_per_month is not None
        or person.probation_end_date is not None,
    }
    return render(request, "evaluations/person.html", context)


@login_required
def participation_evaluation(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    """The participation's annual evaluation. A GET only reads: the evaluation's page once
    it is opened, else this page, which offers to open it; also a draft that misses goals
    agreed since its opening offers to add them. The POST opens it or brings it up to
    date (``services.evaluation_for_participation``)."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    participation = (Participation.objects
                     .select_related("person__organisation", "cycle__organisation")
                     .filter(pk=participation_pk, person=person).first())
    if participation is None:
        raise Http404
    if request.method == "POST":
        try:
            opened = services.evaluation_for_participation(actor=viewer,
                                                           participation=participation)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("person_evaluations", person.pk)
        return redirect("evaluation_detail", opened.pk)
    evaluation = selectors.participation_evaluation(participation)
    to_add = selectors.goals_to_add(evaluation) if evaluation is not None else []
    if evaluation is not None and not to_add:
        return redirect("evaluation_detail", evaluation.pk)
    return render(request, "evaluations/participation.html", {
        "person": person, "participation": participation, "evaluation": evaluation,
        "goals_to_add": len(to_add), "can_open": permissions.can_open_for(viewer, person)})


# One evaluation ---------------------------------------------------------------------------


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    read = selectors.evaluation_read(viewer, evaluation_or_404(request, pk))  # HR's: logged
    page, show_report, show_self = read.page, read.show_report, read.show_self
    ev = page.evaluation
    offers = selectors.available_actions(viewer, ev, page)
    today = today_for(ev.person.organisation)
    roles = permissions.roles_of(viewer, ev)
    remarks = offer_of(offers, Action.ADD_DRAFT_REMARKS)
    # The formal assessment and the Dutch probation assessment may be objected to.
    objection_route = rules.objection_error(page.policy, kind=ev.kind) is None
    terms = terms_for(page.policy.preset)  # the record's regime names its roles
    context: dict[str, Any] = {
        "page": page,
        "evaluation": ev,
        "terms": terms,
        "title": evaluation_title(ev, terms),
        "offers": offers,
        "blocked": [o for o in offers if not o.available and o.action not in QUIET
                    and (o.action != Action.RECORD_OBJECTION or objection_route)],
        "objection_route": objection_route,
        "decides_objections": permissions.decides_objections(viewer, ev),
        "steps": steps.evaluation_steps(page, today=today),
        "today": today,
        "show_report": show_report,
        "show_self": show_self,
        "is_employee": Role.EMPLOYEE in roles,
        "self_offer": offer_of(offers, Action.SAVE_SELF_EVALUATION),
        "report_offer": offer_of(offers, Action.SAVE_REPORT),
        "sign_offer": offer_of(offers, *SIGN_ACTIONS),
        "send_offer": offer_of(offers, Action.SEND_DRAFT),
        "written_offer": offer_of(offers, Action.SET_WRITTEN_PROCEDURE),
        "remarks_offer": remarks,
        "remarks_form": DraftRemarksForm() if remarks is not None and remarks.available else None,
        "correct_offer": offer_of(offers, Action.CORRECT),
        "close_offer": offer_of(offers, Action.CLOSE_UNSIGNED),
        "cancel_offer": offer_of(offers, Action.CANCEL),
        "objection_offer": offer_of(offers, Action.RECORD_OBJECTION),
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
    """Once delivered: the appeals and objections that follow it (for whoever may see
    them), with the evaluation's state in their light and their steps
    (``consequences.selectors.procedures_of``); else for the employee the way to appeal
    while the rules allow it, and until when (consequences/rules.py decides)."""
    if ev.state not in DELIVERED_GROUP:
        return {}
    procedures = consequences_selectors.procedures_of(viewer, ev.person, evaluation=ev)
    if procedures:
        shown = next((p for p in procedures if p.pending), procedures[0])
        return {"procedures": procedures, "procedure_state": shown.state,
                "procedure_pending": any(p.pending for p in procedures)}
    if Role.EMPLOYEE not in roles or consequences_selectors.appeal_of(ev) is not None:
        return {}
    delivered_on = consequences_selectors.delivered_on(ev)
    refusal = consequences_rules.appeal_refusal(
        policy=page.policy, evaluation=ev, verdict=page.report.verdict,
        delivered_on=delivered_on, today=today, existing=None)
    if refusal is not None or delivered_on is None:
        return {}
    return {"appeal_due": consequences_rules.appeal_due(page.policy, delivered_on)}


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
    improvement points were raised (the rules check it, Heemstede)."""
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
@require_POST
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the report as a PDF in the employee's language, for whoever may read the
    report (a POST: a GET never writes); a task worker prepares it and its page offers
    the download."""
    try:
        rendering = renderings.rendering_request(viewer=viewer_of(request),
                                                 kind=documents.KIND, subject_id=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    return redirect("rendering_detail", rendering.pk)
