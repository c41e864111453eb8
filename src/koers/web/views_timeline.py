"""The timeline of a person's cycle: what is due, by whom, when, and what is late."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koers.cycles.timeline import person_timeline
from koers.rulebook.policy import today_for
from koers.web.views import _person_or_404


@login_required
def person_timeline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the person sees their timeline; others get the same 404."""
    person = _person_or_404(request, pk)
    today = today_for(person.organisation)
    context = {
        "person": person,
        "today": today,
        "timelines": person_timeline(person, today=today),
    }
    return render(request, "web/person_timeline.html", context)
