"""The landing page and the language switch."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from koers.access import mail, policy, security
from koers.consequences import permissions as consequence_permissions
from koers.conversations import permissions as conversation_permissions
from koers.core import clock, languages
from koers.cycles import dashboard
from koers.organisation import evaluators, selectors
from koers.rulebook.mediation import mediation_offered
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy
from koers.tasks.selectors import TaskKind, tasks_for
from koers.web.page.viewer import viewer_of

# The page each kind of task opens (its record's page, where the action is).
TASK_PAGES = {
    TaskKind.EVALUATION: "evaluation_detail",
    TaskKind.GOAL: "goal_detail",
    TaskKind.CONVERSATION: "conversation_detail",
    TaskKind.WORK_PLAN: "work_plan_detail",
    TaskKind.ACCESS_REQUEST: "access_request_decide",
    TaskKind.NEW_CONVERSATION: "conversation_new",
    TaskKind.UNFITNESS: "unfitness_review",
    TaskKind.IMPROVEMENT_PLAN: "improvement_plan",
    TaskKind.DEVELOPMENT_PLAN: "development_plan",
    TaskKind.EMPLOYEE_PREPARATION: "employee_preparation",
    TaskKind.MANAGER_PREPARATION: "manager_preparation",
    TaskKind.STAGE: "probation_detail",
    TaskKind.PLANNING: "planning_detail",
}
# Query strings that open a page ready for the task (the kind of conversation to hold).
TASK_QUERIES = {TaskKind.NEW_CONVERSATION: "?kind=functioning"}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    today = clock.today()
    context: dict[str, Any] = {"viewer": viewer, "today": today}
    me = viewer.person
    if me is not None:
        context["tasks"] = [(task, reverse(TASK_PAGES[task.kind], args=[task.record_id])
                             + TASK_QUERIES.get(task.kind, ""))
                            for task in tasks_for(viewer)]
        team = list(evaluators.team(me, on=today, team_ids=viewer.team_ids))
        lines = evaluators.evaluator_lines([me, *team], on=today)
        context.update(
            me=me,
            my_line=lines[me.pk],
            team=[(member, lines[member.pk]) for member in team],
            second_line_count=len(viewer.second_line_ids),
            **_offered(policy_for(me.organisation)),
            consequences_offered=consequence_permissions.can_view_overview(viewer),
        )
    hr_roots = policy.hr_root_units(viewer)
    context["hr_units"] = [
        (
            unit,
            selectors.head_count(unit, on=today),
            selectors.children_with_head_counts(unit, on=today),
        )
        for unit in hr_roots
    ]
    context["cycle_dashboards"] = dashboard.open_cycle_dashboards(viewer)
    context["reads_department_reports"] = bool(
        conversation_permissions.reading_director_units(viewer))
    context["opens_cycles"] = policy.manages_an_organisation(viewer)
    context["reads_security_log"] = security.can_read_security_log(viewer)
    context["reads_undelivered_mail"] = mail.can_read_undelivered_mail(viewer)
    if me is None and not hr_roots and viewer.is_superuser:
        context["superuser_without_person"] = True
    return render(request, "home/home.html", context)



@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps it on every device."""
    code = request.POST.get("language", "")
    if code not in languages.CODES:
        code = languages.active().value
    if request.user.is_authenticated:
        request.user.language = code
        request.user.save(update_fields=["language"])
    next_url = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax", max_age=365 * 24 * 3600
    )
    translation.activate(code)
    return response


def _offered(my_policy: Policy) -> dict[str, bool]:
    """What the viewer's policy offers beside the cycle: one read of the policy."""
    return {"work_plans_offered": my_policy.individual_work_plan,
            "mediation_offered": mediation_offered(my_policy)}
