"""The manager's team view: each member's goals, conversations and what is due; and the
director's department view: the reports of the department's conversations.

Thin: ``conversations.team`` and ``conversations.selectors.department_reports`` read the
screen in a fixed number of queries (the latter logs the director's reads); the pages
only turn the filters in the query string into the filters of the read.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from koers.conversations.selectors import ReportFilters, department_reports
from koers.conversations.team import TeamFilters, team_overview
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden
from koers.web.conversations.forms import ReportFilterForm, TeamFilterForm
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


@login_required
def department_reports_view(request: HttpRequest) -> HttpResponse:
    """Only a director whose organisation's policy lets directors read the reports."""
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    try:
        reports = department_reports(viewer_of(request), filters=filters)
    except NotFoundOrForbidden as error:
        raise Http404 from error
    form.offer_units(reports.units)
    return render(request, "conversations/department_reports.html", {
        "form": form, "reports": reports, "filtered": filters != ReportFilters(),
    })
