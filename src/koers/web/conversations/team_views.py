"""The manager's team view: each member's goals, conversations and what is due.

Thin: ``conversations.team`` reads the screen in a fixed number of queries; the page
only turns the filters in the query string into ``TeamFilters``.
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from koers.conversations.team import TeamFilters, team_overview
from koers.core import clock
from koers.goals.states import GoalStatus
from koers.organisation.models import Unit
from koers.web.page.forms import KoersFormMixin
from koers.web.page.viewer import viewer_of


class TeamFilterForm(KoersFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Members with a goal of this status"), required=False)
    # A number, not a choice: the units to offer are known only after the read.
    unit = forms.IntegerField(label=_("Unit"), required=False, widget=forms.Select)
    overdue = forms.BooleanField(label=_("Only members with something overdue"),
                                 required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("any status")), *GoalStatus.choices]
        self.style_fields()

    def filters(self) -> TeamFilters:
        if not self.is_bound or not self.is_valid():
            return TeamFilters()
        return TeamFilters(status=self.cleaned_data["status"],
                           overdue_only=self.cleaned_data["overdue"],
                           unit_id=self.cleaned_data["unit"])

    def offer_units(self, units: list[Unit]) -> None:
        self.fields["unit"].widget.choices = [
            ("", _("all units")), *((unit.pk, unit.name) for unit in units)]


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
