"""Goal pages: my goals, a team member's goals, one goal, the team goals with their cascade.

Thin, like the other views: the goals room's permissions answer who may see and do what,
its services make every change, its SMART check gives the advice shown here.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.core import clock
from koers.core.errors import DomainError, EditConflict, ValidationFailed
from koers.goals import permissions, planning, selectors, services, smart
from koers.goals.models import Goal, visibility_label
from koers.organisation.models import Person
from koers.web.goals.forms import CommentForm, GoalForm, StatusForm, TeamGoalForm, milestones_text
from koers.web.page.conflicts import Difference, differences, rebound
from koers.web.page.forms import apply_errors, cleaned
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of


def _goal_or_404(request: HttpRequest, pk: int) -> Goal:
    goal = permissions.goal_for(viewer_of(request), pk)
    if goal is None:
        raise Http404
    return goal


def _advise(request: HttpRequest, goal: Goal) -> None:
    """The SMART check after a save: advice, never a refusal."""
    for advice in smart.check_goal(goal, today=clock.today()):
        messages.warning(request, advice.message)


def _goal_list(request: HttpRequest, person: Person) -> HttpResponse:
    viewer = viewer_of(request)
    context = {
        "person": person,
        "is_me": viewer.person is not None and viewer.person.pk == person.pk,
        "goals": selectors.goals_read(viewer, person),
        "can_propose": permissions.can_propose_for(viewer, person),
        "plannings": planning.plannings_of(viewer, person),
    }
    return render(request, "goals/list.html", context)


@login_required
def my_goals(request: HttpRequest) -> HttpResponse:
    me = viewer_of(request).person
    if me is None:
        raise Http404
    return _goal_list(request, me)


@login_required
def person_goals(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's goals as the viewer may see them (HR sees none by default)."""
    return _goal_list(request, person_or_404(request, pk))


@login_required
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    if not permissions.can_propose_for(viewer, person):
        raise Http404
    form = GoalForm(request.POST or None, team_goals=selectors.team_goals_for(person),
                    editing=False, terms=viewer.terms)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_propose(actor=viewer, owner=person, **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The goal is proposed; it is agreed once the other "
                                        "side confirms it."))
            _advise(request, goal)
            return redirect("goal_detail", goal.pk)
    return render(request, "goals/form.html",
                  {"form": form, "person": person, "goal": None})


@login_required
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    goal = selectors.goal_read(viewer, pk)  # HR's read under a granted request is logged
    if goal is None:
        raise Http404
    can_edit = permissions.can_edit_goal(viewer, goal)
    statuses = permissions.statuses_for(viewer, goal)
    status_form = StatusForm(statuses=statuses)
    context: dict[str, Any] = {
        "goal": goal,
        "visibility": visibility_label(goal.visibility, viewer.terms),
        "advice": smart.check_goal(goal, today=clock.today()),
        "history": selectors.history_read(goal),
        "comments": list(selectors.comments(goal)),
        "can_edit": can_edit,
        "awaiting_me": permissions.awaits_confirmation_by(viewer, goal),
        "status_form": status_form if can_edit and statuses else None,
        "comment_form": CommentForm() if can_edit else None,
        "linked": list(goal.linked_goals.filter(
            pk__in=permissions.goals_visible_to(viewer)).select_related("owner"))
        if goal.unit_id else [],
    }
    return render(request, "goals/detail.html", context)


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    goal = _goal_or_404(request, pk)
    if not permissions.can_edit_goal(viewer, goal):
        raise Http404
    team_goals = selectors.team_goals_for(goal.owner) if goal.owner is not None else None
    form = GoalForm(request.POST or None, initial=GoalForm.initial_of(goal),
                    team_goals=team_goals, editing=True, terms=viewer.terms)
    conflict: list[Difference] | None = None
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        reason = changes.pop("reason")
        revision = changes.pop("revision")
        try:
            goal = services.goal_adjust(actor=viewer, goal=goal, changes=changes, reason=reason,
                                        expected_revision=revision)
        except EditConflict as error:
            form = rebound(GoalForm, request, error.revision, team_goals=team_goals,
                           editing=True)
            conflict = differences(form, error.current, shown_as=_goal_shown_as(form))
            messages.error(request, error.message)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The goal is changed; the change is in its history."))
            _advise(request, goal)
            return redirect("goal_detail", goal.pk)
    return render(request, "goals/form.html",
                  {"form": form, "person": goal.owner, "goal": goal, "conflict": conflict})


def _goal_shown_as(form: GoalForm) -> dict[str, Any]:
    """How a goal's milestones and team goal read beside each other in a conflict."""
    def team_goal(value: Any) -> str:
        if value is None:
            return ""
        field = form.fields["team_goal"]
        titles = {str(key): str(label) for key, label in field.choices}  # type: ignore[attr-defined]
        return titles.get(str(getattr(value, "pk", value)), "")

    return {"milestones": lambda value: milestones_text(value or []), "team_goal": team_goal}


def _act(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    goal = _goal_or_404(request, pk)
    try:
        action(goal)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("goal_detail", goal.pk)


@login_required
@require_POST
def goal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    return _act(request, pk, lambda goal: services.goal_confirm(actor=viewer, goal=goal),
                _("You confirmed the goal."))


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    form = StatusForm(request.POST)
    return _act(request, pk, lambda goal: services.goal_set_status(
        actor=viewer, goal=goal, **cleaned(form)), _("The status is changed."))


@login_required
@require_POST
def goal_comment(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    form = CommentForm(request.POST)
    return _act(request, pk, lambda goal: services.goal_comment(
        actor=viewer, goal=goal, **cleaned(form)), _("Your note is added."))


@login_required
def team_goals(request: HttpRequest) -> HttpResponse:
    """The team goals of the units I manage, each with the members' goals linked to it;
    for others, the team goals of their own unit."""
    viewer = viewer_of(request)
    if viewer.person is None:
        raise Http404
    managed = list(selectors.managed_units(viewer))
    units = managed or [viewer.person.unit]
    context = {"cascades": selectors.cascades(viewer, units), "can_create": bool(managed)}
    return render(request, "goals/team.html", context)


@login_required
def team_goal_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    units = selectors.managed_units(viewer)
    if not units.exists():
        raise Http404
    form = TeamGoalForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.team_goal_create(actor=viewer, **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The team goal is set; members can link their goals "
                                        "to it."))
            _advise(request, goal)
            return redirect("team_goals")
    return render(request, "goals/form.html", {"form": form, "person": None, "goal": None,
                                                   "team": True})


@login_required
def planning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's planning of one period: its agreed goals, the three signatures "voor
    akkoord" and, for whoever signs next, the button to sign (Flemish regime)."""
    state = planning.planning_read(viewer_of(request), pk)
    if state is None:
        raise Http404
    return render(request, "goals/planning.html", {"planning": state})


@login_required
@require_POST
def planning_sign(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    participation = planning.participation_for(viewer, pk)
    if participation is None:
        raise Http404
    try:
        planning.planning_sign(actor=viewer, participation=participation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You signed the planning for agreement."))
    return redirect("planning_detail", pk)
