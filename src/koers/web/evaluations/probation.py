"""Probation pages: a person's probation, HR's record of a Flemish probation or a federal
stage and its days not worked, one probation with its outcome (for a stage: its
conversations and HR's record of how it ends), and opening the probation evaluation.

Thin: ``evaluations.probation`` reads and writes the record, ``evaluations.services``
opens the evaluation, ``consequences.probation`` says how the probation ends and what
follows a negative evaluation; the rules are ``rulebook.probation``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access.policy import can_change_person
from koers.consequences.probation import probation_outcome
from koers.core.errors import DomainError, ValidationFailed
from koers.evaluations import probation as records
from koers.evaluations import services
from koers.evaluations.models import Probation
from koers.evaluations.states import EvaluationKind
from koers.organisation.models import Person
from koers.rulebook import stage
from koers.rulebook.terms import terms_for
from koers.web.evaluations.forms import ProbationAbsencesForm, ProbationForm, StageOutcomeForm
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of


def _probation_or_404(request: HttpRequest, pk: int) -> Probation:
    probation = records.probation_for(viewer_of(request), pk)
    if probation is None:
        raise Http404
    return probation


@login_required
def person_probation(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's probation: the Flemish probations recorded, or the Dutch assessment."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    page = records.person_probation(viewer, person)
    terms = terms_for(person.organisation.policy_preset)  # the record's regime's words
    return render(request, "evaluations/probation_person.html",
                  {"page": page, "person": person, "terms": terms})


@login_required
def probation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """HR records a Flemish probation or a federal stage; its end is computed."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    if not can_change_person(viewer, person):
        raise Http404
    terms = terms_for(person.organisation.policy_preset)  # the record's regime's words
    colleagues = Person.objects.filter(organisation_id=person.organisation_id,
                                       end_date__isnull=True).exclude(pk=person.pk)
    form = ProbationForm(request.POST or None, colleagues=colleagues.order_by(
        "last_name", "first_name"), terms=terms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            probation = records.probation_record(
                actor=viewer, person=person, reason=data["reason"], starts_on=data["starts_on"],
                months=data["months"], mentor=data.get("mentor"), absences=data["absences"])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, str(terms.probation_recorded))
            return redirect("probation_detail", probation.pk)
    return render(request, "evaluations/probation_form.html",
                  {"person": person, "form": form, "terms": terms})


@login_required
def probation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    outcome = probation_outcome(viewer, _probation_or_404(request, pk))
    person = outcome.probation.person
    may_change = can_change_person(viewer, person)
    context = {
        "outcome": outcome, "probation": outcome.probation, "person": person,
        "terms": terms_for(person.organisation.policy_preset),  # the record's regime's words
        "may_open": outcome.evaluation is None
        and records.may_open_probation_evaluation(viewer, person),
        "absences_form": ProbationAbsencesForm(initial={"absences": "\n".join(
            day.isoformat() for day in outcome.probation.absence_days)}) if may_change else None,
        "outcome_form": StageOutcomeForm(outcomes=outcome.stage.outcomes)
        if may_change and outcome.stage is not None and outcome.stage.outcomes else None,
    }
    return render(request, "evaluations/probation_detail.html", context)


@login_required
@require_POST
def stage_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """HR records how the federal stage goes on or ends: extension, appointment or
    dismissal ([b12][b13])."""
    viewer = viewer_of(request)
    probation = _probation_or_404(request, pk)
    if not can_change_person(viewer, probation.person):
        raise Http404
    form = StageOutcomeForm(request.POST, outcomes=stage.StageOutcome.values)
    if form.is_valid():
        data = form.cleaned_data
        try:
            records.stage_outcome_record(
                actor=viewer, probation=probation, outcome=data["outcome"],
                extension_months=data["extension_months"], serious_fault=data["serious_fault"])
        except ValidationFailed as error:
            messages.error(request, next(iter(error.errors.values()), [error.message])[0])
        else:
            messages.success(request, _("The outcome of the stage is recorded."))
    else:
        messages.error(request, str(next(iter(form.errors.values()))[0]))
    return redirect("probation_detail", probation.pk)


@login_required
@require_POST
def probation_absences(request: HttpRequest, pk: int) -> HttpResponse:
    """HR records the days not worked; the end moves."""
    viewer = viewer_of(request)
    probation = _probation_or_404(request, pk)
    if not can_change_person(viewer, probation.person):
        raise Http404
    form = ProbationAbsencesForm(request.POST)
    if form.is_valid():
        try:
            records.probation_absences_set(actor=viewer, probation=probation,
                                           absences=form.cleaned_data["absences"])
        except ValidationFailed as error:
            messages.error(request, error.errors.get("absences", [error.message])[0])
        else:
            messages.success(request, _("The days not worked are recorded; the end is "
                                        "computed again."))
    else:
        messages.error(request, str(form.errors["absences"][0]))
    return redirect("probation_detail", probation.pk)


@login_required
def probation_evaluation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the probation evaluation (the 1st evaluator or HR); a GET shows what it covers."""
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    if not records.may_open_probation_evaluation(viewer, person):
        raise Http404
    terms = terms_for(person.organisation.policy_preset)  # the record's regime's words
    if request.method == "POST":
        try:
            evaluation = services.evaluation_open(actor=viewer, person=person,
                                                  kind=EvaluationKind.PROBATION)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, str(terms.probation_evaluation_opened))
            return redirect("evaluation_detail", evaluation.pk)
    page = records.person_probation(viewer, person)
    return render(request, "evaluations/probation_open.html",
                  {"page": page, "person": person, "terms": terms})
