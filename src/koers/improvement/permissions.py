"""Who may see and act on improvement plans: the object half and the list half of one
policy.

- the employee and their 1st and 2nd evaluator see the plan;
- the 1st or the 2nd evaluator starts it, builds it, records its follow-ups, proposes
  its extension and decides at the end (the manager in the PLOEG guidelines; the 2nd
  evaluator when the 1st cannot); the employee adds remarks and agrees an extension;
- both sides sign it: the employee, and one evaluator;
- HR reads a plan's content only when the policy gives it standing access or a granted
  access request on evaluations covers it (``PLAN_SCOPE``: the plan grounds and feeds
  the evaluation); the selector that returns it logs the read;
- HR sees how many plans run per unit on its dashboard, never their content.
"""

from django.db.models import Q, QuerySet

from koers.access import security
from koers.access.models import RefusalKind, Scope
from koers.access.policy import (
    Viewer,
    can_view_person,
    content_grant,
    hr_may_read_content,
    people_with_hr_content_access,
)
from koers.improvement.models import ImprovementPlan
from koers.improvement.states import SignerRole
from koers.organisation.models import Person

PLAN_SCOPE = Scope.EVALUATIONS


def plans_visible_to(viewer: Viewer) -> QuerySet[ImprovementPlan]:
    if viewer.is_superuser:
        return ImprovementPlan.objects.all()
    me = viewer.person
    if me is None:
        return ImprovementPlan.objects.none()
    return ImprovementPlan.objects.filter(
        Q(employee=me)
        | Q(employee__in=viewer.team_ids | viewer.second_line_ids)
        | Q(employee__in=people_with_hr_content_access(viewer, PLAN_SCOPE))
    )


def is_employee(viewer: Viewer, plan: ImprovementPlan) -> bool:
    return viewer.person is not None and plan.employee_id == viewer.person.pk


def evaluates(viewer: Viewer, person_id: int) -> bool:
    """The viewer is the person's 1st or 2nd evaluator today."""
    return person_id in viewer.team_ids or person_id in viewer.second_line_ids


def is_evaluator(viewer: Viewer, plan: ImprovementPlan) -> bool:
    return evaluates(viewer, plan.employee_id)


def can_view_plan(viewer: Viewer, plan: ImprovementPlan) -> bool:
    if viewer.is_superuser:
        return True
    return (is_employee(viewer, plan) or is_evaluator(viewer, plan)
            or hr_may_read_content(viewer, plan.employee, PLAN_SCOPE))


def can_start_for(viewer: Viewer, person: Person) -> bool:
    """The 1st or the 2nd evaluator starts a plan for the person (never for themselves)."""
    me = viewer.person
    return me is not None and me.pk != person.pk and evaluates(viewer, person.pk)


def can_manage(viewer: Viewer, plan: ImprovementPlan) -> bool:
    """Build, follow up, propose an extension, decide: the 1st or 2nd evaluator."""
    return is_evaluator(viewer, plan) and not is_employee(viewer, plan)


def signer_role(viewer: Viewer, plan: ImprovementPlan) -> SignerRole | None:
    if is_employee(viewer, plan):
        return SignerRole.EMPLOYEE
    if is_evaluator(viewer, plan):
        return SignerRole.EVALUATOR
    return None


def reads_as_outsider(viewer: Viewer, plan: ImprovementPlan) -> bool:
    """Neither the employee nor one of their evaluators: a read under a grant (or standing
    access), logged by the selector."""
    return (not viewer.is_superuser and not is_employee(viewer, plan)
            and not is_evaluator(viewer, plan))


def read_under_grant(viewer: Viewer, plan: ImprovementPlan) -> bool:
    return (reads_as_outsider(viewer, plan)
            and content_grant(viewer, plan.employee, PLAN_SCOPE) is not None)


def plan_for(viewer: Viewer, pk: int) -> ImprovementPlan | None:
    """The plan ``pk`` if the viewer may see it; ``None`` for missing and forbidden alike."""
    plan = (ImprovementPlan.objects.select_related("employee__unit", "organisation",
                                                   "started_by", "decided_by")
            .filter(pk=pk).first())
    if plan is None:
        return None
    if not can_view_plan(viewer, plan):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=plan)
        return None
    return plan


def can_see_plans_of(viewer: Viewer, person: Person) -> bool:
    """The person's list of plans: the person, their evaluators, HR with content access."""
    if not can_view_person(viewer, person):
        return False
    me = viewer.person
    return (viewer.is_superuser or (me is not None and me.pk == person.pk)
            or evaluates(viewer, person.pk) or hr_may_read_content(viewer, person, PLAN_SCOPE))
