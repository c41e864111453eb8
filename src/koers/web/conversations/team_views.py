"""The manager's team view: each member's goals, conversations and what is due.

Thin: ``conversations.team`` reads the screen in a fixed number of queries; the page
only turns the filters in the query string into ``TeamFilters``.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from koers.conversations.team import TeamFilters, team_overview
from koers.core import clock
from koers.web.conversations.forms import TeamFilterForm
from koers.web.page.viewer import viewer_of


@login_required
def team_overview_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if viewer.person is None:
        raise Http404
    form = TeamFilterForm(request.GET or None)
    filters = form.filters()
    overview = team_overview(viewer, today=clock.today(), now=clock.now(), filters=filters)
    form.offer_units(overview.units)
    return render(request, "conversations/team_overview.html", {
        "form": form, "overview": overview, "filtered": filters != TeamFilters(),
    })
