"""The timeline of a person's cycle: what is due, by whom, when, and what is late.

HR of the person's unit also records here the period employee and evaluator agreed on
([f1]); HR or the 1st evaluator records that the person leaves, and whether they agreed
to be evaluated before leaving ([f1]). The employee and the evaluators read both.
"""

from dataclasses import dataclass
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access.policy import can_change_person
from koers.consequences.selectors import procedures_of
from koers.core.clock import today_for
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.cycles.models import Participation
from koers.cycles.permissions import can_record_leaving
from koers.cycles.services import participation_leaving_record, participation_period_agree
from koers.cycles.timeline import CycleTimeline, person_timeline
from koers.organisation.models import Person
from koers.rulebook.deadlines import period_agreement_rule
from koers.rulebook.policy import policy_for
from koers.web.cycles.forms import AgreedPeriodForm, LeavingForm
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of


@dataclass(frozen=True)
class _Section:
    timeline: CycleTimeline
    period_form: AgreedPeriodForm | None = None  # HR only
    period_rule: str = ""
    leaving_form: LeavingForm | None = None  # HR and the 1st evaluator


@login_required
def person_timeline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the person sees their timeline; others get the same 404."""
    return _timeline_page(request, person_or_404(request, pk))


def _timeline_page(
    request: HttpRequest, person: Person, bound: AgreedPeriodForm | LeavingForm | None = None
) -> HttpResponse:
    today = today_for(person.organisation)
    rules = policy_for(person.organisation)
    viewer = viewer_of(request)
    may_agree = can_change_person(viewer, person)
    may_record_leaving = can_record_leaving(viewer, person)
    sections = []
    for timeline in person_timeline(person, today=today, policy=rules):
        participation = timeline.participation
        period_form, rule = None, ""
        if may_agree and participation.closed_on is None:
            prefix = _form_prefix(participation)
            period_form = bound if isinstance(bound, AgreedPeriodForm) \
                and bound.prefix == prefix else AgreedPeriodForm(
                prefix=prefix,
                initial={"start": participation.period_start, "end": participation.period_end,
                         "note": participation.period_agreement_note},
            )
            rule = period_agreement_rule(rules, normal=timeline.normal_period)
        leaving_form = None
        if may_record_leaving:
            prefix = _leaving_prefix(participation)
            leaving_form = bound if isinstance(bound, LeavingForm) \
                and bound.prefix == prefix else LeavingForm(
                prefix=prefix,
                initial={"reason": participation.leaving_reason,
                         "last_working_day": participation.last_working_day
                         or person.end_date,
                         "agreed": participation.evaluated_before_leaving},
            )
        sections.append(_Section(timeline, period_form, rule, leaving_form))
    # The appeals and objections that follow an evaluation, with their steps and terms.
    procedures = procedures_of(viewer, person)
    context = {"person": person, "today": today, "sections": sections,
               "procedures": procedures}
    return render(request, "cycles/person_timeline.html", context)


def _leaving_prefix(participation: Participation) -> str:
    return f"leaving-{participation.pk}"


def _form_prefix(participation: Participation) -> str:
    # One form per cycle on the page: the prefix keeps their fields' ids apart.
    return f"period-{participation.pk}"


@login_required
@require_POST
def participation_period(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    """Record the agreed period of one participation, or go back to the normal one (HR)."""
    person = person_or_404(request, pk)
    if not can_change_person(viewer_of(request), person):
        raise Http404
    participation = Participation.objects.filter(pk=participation_pk, person=person).first()
    if participation is None:
        raise Http404
    actor = cast(User, request.user)  # login_required
    back = f"{reverse('person_timeline', args=[person.pk])}#cycle-{participation.cycle_id}"
    if "clear" in request.POST:
        try:
            participation_period_agree(participation=participation, start=None, end=None,
                                       note="", actor=actor)
        except ValidationFailed as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The normal period applies again."))
        return redirect(back)
    form = AgreedPeriodForm(request.POST, prefix=_form_prefix(participation))
    if form.is_valid():
        try:
            participation_period_agree(
                participation=participation, start=form.cleaned_data["start"],
                end=form.cleaned_data["end"], note=form.cleaned_data["note"], actor=actor,
            )
        except ValidationFailed as error:
            if not error.errors:  # a closed participation: no longer on the page
                messages.error(request, error.message)
                return redirect(back)
            apply_errors(form, error)
        else:
            messages.success(request, _("The agreed period was saved; the due dates follow it."))
            return redirect(back)
    return _timeline_page(request, person, bound=form)


@login_required
@require_POST
def participation_leaving(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    """Record that the person leaves, or clear it (HR or the 1st evaluator: the service
    decides, with the same 404 as for a participation that does not exist)."""
    person = person_or_404(request, pk)
    participation = Participation.objects.filter(pk=participation_pk, person=person).first()
    if participation is None:
        raise Http404
    viewer = viewer_of(request)
    back = f"{reverse('person_timeline', args=[person.pk])}#cycle-{participation.cycle_id}"
    if "clear" in request.POST:
        try:
            participation_leaving_record(participation=participation, reason="",
                                         last_working_day=None, agreed=False, viewer=viewer)
        except NotFoundOrForbidden:
            raise Http404 from None
        except ValidationFailed as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("What was recorded of the person leaving was cleared."))
        return redirect(back)
    form = LeavingForm(request.POST, prefix=_leaving_prefix(participation))
    if form.is_valid():
        try:
            participation_leaving_record(
                participation=participation, reason=form.cleaned_data["reason"],
                last_working_day=form.cleaned_data["last_working_day"],
                agreed=form.cleaned_data["agreed"], viewer=viewer,
            )
        except NotFoundOrForbidden:
            raise Http404 from None
        except ValidationFailed as error:
            if not error.errors:
                messages.error(request, error.message)
                return redirect(back)
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: the due dates and whether the evaluation is "
                                        "mandatory follow it."))
            return redirect(back)
    elif not can_record_leaving(viewer, person):
        raise Http404
    return _timeline_page(request, person, bound=form)
