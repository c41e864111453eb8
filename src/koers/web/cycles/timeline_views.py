"""The timeline of a person's cycle: what is due, by whom, when, and what is late.

HR of the person's unit also records here the period employee and evaluator agreed on
([f1]); the employee and the evaluators read it.
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
from koers.core.clock import today_for
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.cycles.models import Participation
from koers.cycles.services import participation_period_agree
from koers.cycles.timeline import CycleTimeline, person_timeline
from koers.organisation.models import Person
from koers.rulebook.deadlines import period_agreement_rule
from koers.rulebook.policy import policy_for
from koers.web.cycles.forms import AgreedPeriodForm
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of


@dataclass(frozen=True)
class _Section:
    timeline: CycleTimeline
    period_form: AgreedPeriodForm | None = None  # HR only
    period_rule: str = ""


@login_required
def person_timeline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the person sees their timeline; others get the same 404."""
    return _timeline_page(request, person_or_404(request, pk))


def _timeline_page(
    request: HttpRequest, person: Person, bound: AgreedPeriodForm | None = None
) -> HttpResponse:
    today = today_for(person.organisation)
    rules = policy_for(person.organisation)
    may_agree = can_change_person(viewer_of(request), person)
    sections = []
    for timeline in person_timeline(person, today=today, policy=rules):
        if not may_agree:
            sections.append(_Section(timeline))
            continue
        participation = timeline.participation
        prefix = _form_prefix(participation)
        form = bound if bound is not None and bound.prefix == prefix else AgreedPeriodForm(
            prefix=prefix,
            initial={"start": participation.period_start, "end": participation.period_end,
                     "note": participation.period_agreement_note},
        )
        rule = period_agreement_rule(rules, normal=timeline.normal_period)
        sections.append(_Section(timeline, form, rule))
    context = {"person": person, "today": today, "sections": sections}
    return render(request, "cycles/person_timeline.html", context)


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
