"""Who may see and change development plans, preparations and catalogues: the object
half and the list half of one policy.

Plans (POP):
- the employee and their 1st and 2nd evaluator see the plan;
- the employee and the 1st evaluator build it and sign it (the two who agree it,
  the POP guide); the 2nd evaluator reads along;
- HR reads a plan's content only when the policy gives it standing access (Dutch
  preset) or a granted access request covers it (``PLAN_SCOPE``), like goals and
  conversations; the selector that returns it logs the read (``selectors.plan_read``);
- HR of the employee's unit sees the plan's *HR actions* (what it is asked to
  arrange) once the plan is signed: the training demand, not the rest of the plan.

Preparations are private to their author until shared:
- the employee's preparation, once shared: the employee's evaluators;
- the 1st evaluator's preparation about an employee, once shared: that employee and
  their evaluators;
- a manager's department view, once shared: the manager's own evaluators;
- the self-scan: the employee alone.

Catalogues: everyone of the organisation reads them; HR of the whole organisation
(``access.policy.can_manage_organisation``) edits them.
"""

from django.db.models import Q, QuerySet

from koers.access import security
from koers.access.models import RefusalKind, Scope
from koers.access.policy import (
    Viewer,
    can_manage_organisation,
    content_grant,
    hr_may_read_content,
    hr_root_units,
    people_with_hr_content_access,
)
from koers.development.models import (
    DepartmentPreparation,
    DevelopmentPlan,
    EmployeePreparation,
    HrAction,
    ManagerPreparation,
)
from koers.development.rules import SignerRole
from koers.development.states import AGREED_GROUP, RoundStatus
from koers.organisation.models import Organisation, Person, Role, Unit

# A POP holds development goals: HR reads it under the same grant as goals.
PLAN_SCOPE = Scope.GOALS


# Plans --------------------------------------------------------------------------------


def plans_visible_to(viewer: Viewer) -> QuerySet[DevelopmentPlan]:
    if viewer.is_superuser:
        return DevelopmentPlan.objects.all()
    me = viewer.person
    if me is None:
        return DevelopmentPlan.objects.none()
    return DevelopmentPlan.objects.filter(
        Q(employee=me)
        | Q(employee__in=viewer.team_ids | viewer.second_line_ids)
        | Q(employee__in=people_with_hr_content_access(viewer, PLAN_SCOPE))
    )


def is_employee(viewer: Viewer, plan: DevelopmentPlan) -> bool:
    return viewer.person is not None and plan.employee_id == viewer.person.pk


def is_first_evaluator(viewer: Viewer, plan: DevelopmentPlan) -> bool:
    return plan.employee_id in viewer.team_ids


def is_evaluator(viewer: Viewer, plan: DevelopmentPlan) -> bool:
    return plan.employee_id in viewer.team_ids or plan.employee_id in viewer.second_line_ids


def can_view_plan(viewer: Viewer, plan: DevelopmentPlan) -> bool:
    if viewer.is_superuser:
        return True
    return (
        is_employee(viewer, plan)
        or is_evaluator(viewer, plan)
        or hr_may_read_content(viewer, plan.employee, PLAN_SCOPE)
    )


def read_under_grant(viewer: Viewer, plan: DevelopmentPlan) -> bool:
    """True when the viewer reads this plan only thanks to a granted request: the
    selector that returns it logs the read (``selectors.plan_read``)."""
    return (
        reads_as_outsider(viewer, plan.employee)
        and content_grant(viewer, plan.employee, PLAN_SCOPE) is not None
    )


def reads_as_outsider(viewer: Viewer, employee: Person) -> bool:
    """Neither the employee nor one of their evaluators: whoever else reads the
    employee's plans does so under a grant (or standing access), never by their role."""
    me = viewer.person
    return (
        not viewer.is_superuser
        and (me is None or me.pk != employee.pk)
        and employee.pk not in viewer.team_ids
        and employee.pk not in viewer.second_line_ids
    )


def can_edit_plan(viewer: Viewer, plan: DevelopmentPlan) -> bool:
    """Building the plan is the employee's and the 1st evaluator's (the POP guide: they agree)."""
    return is_employee(viewer, plan) or is_first_evaluator(viewer, plan)


def signer_role(viewer: Viewer, plan: DevelopmentPlan) -> SignerRole | None:
    """The role in which the viewer signs this plan, or None if they do not sign it."""
    if is_employee(viewer, plan):
        return SignerRole.EMPLOYEE
    if is_first_evaluator(viewer, plan):
        return SignerRole.FIRST_EVALUATOR
    return None


def can_create_plan_for(viewer: Viewer, person: Person) -> bool:
    me = viewer.person
    return me is not None and (person.pk == me.pk or person.pk in viewer.team_ids)


def plan_for(viewer: Viewer, pk: int) -> DevelopmentPlan | None:
    """The plan ``pk`` if the viewer may see it; ``None`` for missing and forbidden alike."""
    plan = (
        DevelopmentPlan.objects.select_related("employee__unit", "organisation")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        return None
    if not can_view_plan(viewer, plan):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=plan)
        return None
    return plan


# HR actions and the training demand ---------------------------------------------------


def _hr_scope(viewer: Viewer, prefix: str) -> Q:
    condition = Q(pk__in=[])
    for unit in hr_root_units(viewer):
        condition |= Q(**{f"{prefix}path__startswith": unit.path})
    return condition


def hr_actions_visible_to(viewer: Viewer) -> QuerySet[HrAction]:
    """The HR actions of signed plans of people in the viewer's HR subtrees."""
    agreed = HrAction.objects.filter(item__plan__status__in=sorted(AGREED_GROUP),
                                     added_in_round__status=RoundStatus.SIGNED)
    if viewer.is_superuser:
        return agreed
    if not viewer.has_role(Role.HR):
        return HrAction.objects.none()
    return agreed.filter(_hr_scope(viewer, "item__plan__employee__unit__"))


def can_arrange(viewer: Viewer, hr_action: HrAction) -> bool:
    """HR of the employee's unit marks the action arranged (``hr_action`` with its plan
    and the employee's unit loaded)."""
    if viewer.is_superuser:
        return True
    path = hr_action.item.plan.employee.unit.path
    return any(path.startswith(unit.path) for unit in hr_root_units(viewer))


def hr_action_for(viewer: Viewer, pk: int) -> HrAction | None:
    """The HR action ``pk`` if the viewer may mark it arranged (visible and
    ``can_arrange``), with its plan and the employee's unit; ``None`` for missing and
    forbidden alike, the forbidden one noted in the security log."""
    found = (hr_actions_visible_to(viewer)
             .select_related("item__plan__employee__unit", "item__plan__organisation")
             .filter(pk=pk).first())
    if found is not None and can_arrange(viewer, found):
        return found
    refused = found or HrAction.objects.filter(pk=pk).first()
    if refused is not None:
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=refused,
                                action="arrange")
    return None


def can_view_training_demand(viewer: Viewer, organisation: Organisation) -> bool:
    """HR of any unit of the organisation sees the demand of its own subtrees."""
    return viewer.is_superuser or any(
        unit.organisation_id == organisation.pk for unit in viewer.units_with_role(Role.HR)
    )


# Preparations -------------------------------------------------------------------------


def _evaluates(viewer: Viewer, person_id: int) -> bool:
    return person_id in viewer.team_ids or person_id in viewer.second_line_ids


def can_view_employee_preparation(viewer: Viewer, preparation: EmployeePreparation) -> bool:
    me = viewer.person
    if me is not None and preparation.employee_id == me.pk:
        return True
    return preparation.shared_at is not None and _evaluates(viewer, preparation.employee_id)


def employee_preparations_visible_to(viewer: Viewer) -> QuerySet[EmployeePreparation]:
    me = viewer.person
    if me is None:
        return EmployeePreparation.objects.none()
    return EmployeePreparation.objects.filter(
        Q(employee=me)
        | Q(shared_at__isnull=False, employee__in=viewer.team_ids | viewer.second_line_ids)
    )


def can_view_manager_preparation(viewer: Viewer, preparation: ManagerPreparation) -> bool:
    me = viewer.person
    if me is not None and preparation.author_id == me.pk:
        return True
    return preparation.shared_at is not None and (
        (me is not None and preparation.employee_id == me.pk)
        or _evaluates(viewer, preparation.employee_id)
    )


def manager_preparations_visible_to(viewer: Viewer) -> QuerySet[ManagerPreparation]:
    me = viewer.person
    if me is None:
        return ManagerPreparation.objects.none()
    return ManagerPreparation.objects.filter(
        Q(author=me)
        | Q(shared_at__isnull=False, employee=me)
        | Q(shared_at__isnull=False, employee__in=viewer.team_ids | viewer.second_line_ids)
    )


def can_view_department_preparation(viewer: Viewer,
                                    preparation: DepartmentPreparation) -> bool:
    me = viewer.person
    if me is not None and preparation.author_id == me.pk:
        return True
    return preparation.shared_at is not None and _evaluates(viewer, preparation.author_id)


def department_preparations_visible_to(viewer: Viewer) -> QuerySet[DepartmentPreparation]:
    me = viewer.person
    if me is None:
        return DepartmentPreparation.objects.none()
    return DepartmentPreparation.objects.filter(
        Q(author=me)
        | Q(shared_at__isnull=False, author__in=viewer.team_ids | viewer.second_line_ids)
    )


def can_prepare_for(viewer: Viewer, employee: Person) -> bool:
    """The 1st evaluator prepares the conversation about an employee."""
    return employee.pk in viewer.team_ids


def can_prepare_department(viewer: Viewer, unit: Unit) -> bool:
    return viewer.person is not None and unit.manager_id == viewer.person.pk


def department_unit_for(viewer: Viewer, pk: int) -> Unit | None:
    """The unit ``pk`` if the viewer manages it, so its general preparation is theirs to
    start; ``None`` for missing and forbidden alike, the forbidden one noted in the
    security log."""
    unit = Unit.objects.select_related("organisation").filter(pk=pk).first()
    if unit is None:
        return None
    if not can_prepare_department(viewer, unit):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=unit,
                                action="prepare")
        return None
    return unit


# Catalogues ---------------------------------------------------------------------------


def can_read_catalogue(viewer: Viewer, organisation: Organisation) -> bool:
    if viewer.is_superuser or can_manage_organisation(viewer, organisation):
        return True
    return viewer.person is not None and viewer.person.organisation_id == organisation.pk


def can_manage_catalogue(viewer: Viewer, organisation: Organisation) -> bool:
    return can_manage_organisation(viewer, organisation)


def catalogue_organisation_for(viewer: Viewer, organisation_id: int, *,
                               manage: bool = False) -> Organisation | None:
    """The organisation whose catalogue and training plans the viewer reads (or, with
    ``manage``, keeps); ``None`` for a missing and a forbidden one alike."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not can_read_catalogue(viewer, organisation):
        return None
    if manage and not can_manage_catalogue(viewer, organisation):
        return None
    return organisation
