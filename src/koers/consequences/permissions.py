"""Who sees and does what in appeals, salary decisions and objections.

Object half (``can_*``) and list half (``*_visible_to``) of each question, one policy:

- **Appeal** (``appeals_visible_to``): the employee; the evaluators who signed the
  contested report (they are parties to it, also after they left the person's evaluator
  line; the evaluation itself they then no longer read); HR of the person's unit, which
  records the hearing and the outcome; members of the organisation's **appeal board**
  while the appeal is before them (filed or heard, not yet decided: after the outcome
  the file is no longer theirs to read). The grounds are read by all of them except HR,
  which handles the procedure (dates, outcome) and has no standing access to
  evaluation content.
- **The evaluation file** of an appeal (``can_read_appeal_file``: report, submitted
  self-evaluation, signatures, read-only): the board members while it is before them.
  The employee and the evaluators read the evaluation on its own page.
- **Salary decision** (``decisions_visible_to``): the employee; the organisation's
  **management body**; HR of the person's unit (it applies the step in the payroll).
  The management body sees the verdict, the person and the unit, never the report.
- **Objection** (``objections_visible_to``): the employee; HR of the unit (without the
  grounds and the advice); the **advisory body** while it is before them (filed); the
  **management body** from the advice on (to decide finally, and its decision after).
  Its file (the decision, the verdict, the objection, the advice): those bodies and the
  employee.

Body grants are organisation-wide (``RoleGrant`` without a unit) and valid on the
viewer's day. Every read of a file by a member of a body is logged by the selector that
returns it (``selectors.appeal_read``, ``appeal_file_read``, ``objection_read``).
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from koers.access import security
from koers.access.models import RefusalKind
from koers.access.policy import Viewer, can_change_person, people_in_hr_scope
from koers.consequences.models import Appeal, SalaryDecision, SalaryObjection
from koers.consequences.states import (
    APPEAL_PENDING,
    OBJECTION_BEFORE_ADVISORY_BODY,
    ObjectionState,
)
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.states import Role as EvaluationRole
from koers.organisation.models import Person
from koers.organisation.models import Role as GrantRole
from koers.rulebook.terms import terms_for


class CaseRole(StrEnum):
    """The viewer's roles in a case."""

    EMPLOYEE = "employee"
    EVALUATOR = "evaluator"
    HR = "hr"
    APPEAL_BOARD = "appeal_board"
    ADVISORY_BODY = "advisory_body"
    MANAGEMENT_BODY = "management_body"


# The management body reads an objection from the advice on (it decides finally).
OBJECTION_BEFORE_OR_DECIDED_BY_MANAGEMENT = frozenset({ObjectionState.ADVISED,
                                                       ObjectionState.DECIDED})


def body_organisations(viewer: Viewer, role: GrantRole) -> set[int]:
    """The organisations in which the viewer is a member of the body ``role``."""
    return {grant.organisation_id for grant in viewer.grants if grant.role == role}


def is_member(viewer: Viewer, role: GrantRole, organisation_id: int) -> bool:
    return organisation_id in body_organisations(viewer, role)


def _hr_units_filter(viewer: Viewer, prefix: str) -> Q:
    condition = Q(pk__in=[])
    for unit in viewer.units_with_role(GrantRole.HR):
        condition |= Q(**{f"{prefix}unit__path__startswith": unit.path})
    return condition


def _is_hr(viewer: Viewer, person: Person) -> bool:
    return not viewer.is_superuser and can_change_person(viewer, person)


# The overview ------------------------------------------------------------------------------

BODIES = (GrantRole.APPEAL_BOARD, GrantRole.ADVISORY_BODY, GrantRole.MANAGEMENT_BODY)


def can_view_overview(viewer: Viewer) -> bool:
    """The overview of appeals, salary decisions and objections, where the viewer's regime
    has an appeal against a verdict or salary steps (``rulebook.terms``): a Dutch
    municipality has neither, so its staff are not offered a page about bodies they
    lack. A member of a body and a viewer of no organisation (a superuser) always are."""
    terms = viewer.terms
    return (viewer.person is None
            or terms.appeal_body is not None or terms.management_body is not None
            or any(viewer.has_role(body) for body in BODIES))


# Appeals --------------------------------------------------------------------------------


EVALUATOR_ROLES = (EvaluationRole.FIRST_EVALUATOR, EvaluationRole.SECOND_EVALUATOR)


def _signers(appeal: Appeal) -> set[int]:
    """The evaluators who signed the contested report (one query, kept on the appeal)."""
    cached: set[int] | None = getattr(appeal, "_evaluator_signers", None)
    if cached is None:
        cached = set(Signature.objects.filter(report_id=appeal.report_id, role__in=EVALUATOR_ROLES)
                     .values_list("signer_id", flat=True))
        appeal._evaluator_signers = cached  # type: ignore[attr-defined]
    return cached


def appeal_roles(viewer: Viewer, appeal: Appeal) -> set[CaseRole]:
    roles: set[CaseRole] = set()
    me = viewer.person
    if me is not None:
        if appeal.person_id == me.pk:
            roles.add(CaseRole.EMPLOYEE)
        if me.pk in _signers(appeal):
            roles.add(CaseRole.EVALUATOR)
    if _is_hr(viewer, appeal.person):
        roles.add(CaseRole.HR)
    if appeal.state in APPEAL_PENDING and is_member(viewer, GrantRole.APPEAL_BOARD,
                                                    appeal.organisation_id):
        roles.add(CaseRole.APPEAL_BOARD)
    return roles


def appeals_visible_to(viewer: Viewer) -> QuerySet[Appeal]:
    """The list half of ``can_view_appeal``."""
    if viewer.is_superuser:
        return Appeal.objects.all()
    me = viewer.person
    if me is None:
        return Appeal.objects.none()
    signed = Signature.objects.filter(signer=me, role__in=EVALUATOR_ROLES).values("report")
    condition = (Q(person=me) | Q(report__in=signed) | _hr_units_filter(viewer, "person__"))
    boards = body_organisations(viewer, GrantRole.APPEAL_BOARD)
    if boards:
        condition |= Q(organisation_id__in=boards, state__in=sorted(APPEAL_PENDING))
    return Appeal.objects.filter(condition)


def appeals_before_board(viewer: Viewer) -> QuerySet[Appeal]:
    """The appeals before the viewer as a member of an appeal board."""
    return Appeal.objects.filter(
        organisation_id__in=body_organisations(viewer, GrantRole.APPEAL_BOARD),
        state__in=sorted(APPEAL_PENDING))


def can_view_appeal(viewer: Viewer, appeal: Appeal) -> bool:
    return viewer.is_superuser or bool(appeal_roles(viewer, appeal))


def can_read_appeal_grounds(viewer: Viewer, appeal: Appeal) -> bool:
    return viewer.is_superuser or bool(appeal_roles(viewer, appeal) & {
        CaseRole.EMPLOYEE, CaseRole.EVALUATOR, CaseRole.APPEAL_BOARD})


def can_read_appeal_file(viewer: Viewer, appeal: Appeal) -> bool:
    """The evaluation file (report, self-evaluation, signatures) through the appeal."""
    return CaseRole.APPEAL_BOARD in appeal_roles(viewer, appeal)


def can_file_appeal(viewer: Viewer, evaluation: Evaluation) -> bool:
    """Only the employee appeals their own verdict, where the regime has an appeal against
    one (``rulebook.terms``: a Dutch municipality has none, so no page offers it)."""
    return (viewer.person is not None and evaluation.person_id == viewer.person.pk
            and terms_for(evaluation.person.organisation.policy_preset).appeal_body
            is not None)


def can_record_appeal(viewer: Viewer, appeal: Appeal) -> bool:
    """HR of the person's unit records the hearing and the outcome."""
    return viewer.is_superuser or _is_hr(viewer, appeal.person)


def appeal_for(viewer: Viewer, pk: int) -> Appeal | None:
    """The appeal ``pk`` if the viewer may see it; ``None`` for missing and forbidden."""
    appeal = (Appeal.objects.select_related(
        "person__unit", "person__organisation", "report", "evaluation__person__organisation",
        "evaluation__participation__cycle__organisation").filter(pk=pk).first())
    if appeal is None:
        return None
    if not can_view_appeal(viewer, appeal):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=appeal)
        return None
    return appeal


# Salary decisions -------------------------------------------------------------------


def decision_roles(viewer: Viewer, decision: SalaryDecision) -> set[CaseRole]:
    roles: set[CaseRole] = set()
    me = viewer.person
    if me is not None and decision.person_id == me.pk:
        roles.add(CaseRole.EMPLOYEE)
    if _is_hr(viewer, decision.person):
        roles.add(CaseRole.HR)
    if is_member(viewer, GrantRole.MANAGEMENT_BODY, decision.organisation_id):
        roles.add(CaseRole.MANAGEMENT_BODY)
    return roles


def decisions_visible_to(viewer: Viewer) -> QuerySet[SalaryDecision]:
    if viewer.is_superuser:
        return SalaryDecision.objects.all()
    me = viewer.person
    if me is None:
        return SalaryDecision.objects.none()
    condition = Q(person=me) | _hr_units_filter(viewer, "person__") | Q(
        organisation_id__in=body_organisations(viewer, GrantRole.MANAGEMENT_BODY))
    return SalaryDecision.objects.filter(condition)


def can_view_decision(viewer: Viewer, decision: SalaryDecision) -> bool:
    return viewer.is_superuser or bool(decision_roles(viewer, decision))


def can_decide_salary(viewer: Viewer, organisation_id: int) -> bool:
    """Members of the organisation's management body decide the steps."""
    return is_member(viewer, GrantRole.MANAGEMENT_BODY, organisation_id)


def decision_for(viewer: Viewer, pk: int) -> SalaryDecision | None:
    decision = (SalaryDecision.objects.select_related(
        "person__unit", "person__organisation", "evaluation__person__organisation",
        "evaluation__participation__cycle__organisation").filter(pk=pk).first())
    if decision is None:
        return None
    if not can_view_decision(viewer, decision):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=decision)
        return None
    return decision


# Objections -------------------------------------------------------------------------


def objection_roles(viewer: Viewer, objection: SalaryObjection) -> set[CaseRole]:
    roles: set[CaseRole] = set()
    me = viewer.person
    if me is not None and objection.person_id == me.pk:
        roles.add(CaseRole.EMPLOYEE)
    if _is_hr(viewer, objection.person):
        roles.add(CaseRole.HR)
    if objection.state in OBJECTION_BEFORE_ADVISORY_BODY and is_member(
            viewer, GrantRole.ADVISORY_BODY, objection.organisation_id):
        roles.add(CaseRole.ADVISORY_BODY)
    if objection.state in OBJECTION_BEFORE_OR_DECIDED_BY_MANAGEMENT and is_member(
            viewer, GrantRole.MANAGEMENT_BODY, objection.organisation_id):
        roles.add(CaseRole.MANAGEMENT_BODY)
    return roles


def objections_visible_to(viewer: Viewer) -> QuerySet[SalaryObjection]:
    if viewer.is_superuser:
        return SalaryObjection.objects.all()
    me = viewer.person
    if me is None:
        return SalaryObjection.objects.none()
    condition = Q(person=me) | _hr_units_filter(viewer, "person__")
    advisory = body_organisations(viewer, GrantRole.ADVISORY_BODY)
    if advisory:
        condition |= Q(organisation_id__in=advisory,
                       state__in=sorted(OBJECTION_BEFORE_ADVISORY_BODY))
    management = body_organisations(viewer, GrantRole.MANAGEMENT_BODY)
    if management:
        condition |= Q(organisation_id__in=management,
                       state__in=sorted(OBJECTION_BEFORE_OR_DECIDED_BY_MANAGEMENT))
    return SalaryObjection.objects.filter(condition)


def can_view_objection(viewer: Viewer, objection: SalaryObjection) -> bool:
    return viewer.is_superuser or bool(objection_roles(viewer, objection))


def can_read_objection_file(viewer: Viewer, objection: SalaryObjection) -> bool:
    """The grounds and the advice: the employee and the bodies before which it lies."""
    return viewer.is_superuser or bool(objection_roles(viewer, objection) & {
        CaseRole.EMPLOYEE, CaseRole.ADVISORY_BODY, CaseRole.MANAGEMENT_BODY})


def can_advise(viewer: Viewer, objection: SalaryObjection) -> bool:
    return CaseRole.ADVISORY_BODY in objection_roles(viewer, objection)


def can_decide_objection(viewer: Viewer, objection: SalaryObjection) -> bool:
    return CaseRole.MANAGEMENT_BODY in objection_roles(viewer, objection)


def can_file_objection(viewer: Viewer, decision: SalaryDecision) -> bool:
    return viewer.person is not None and decision.person_id == viewer.person.pk


def objection_for(viewer: Viewer, pk: int) -> SalaryObjection | None:
    objection = (SalaryObjection.objects.select_related(
        "person__unit", "person__organisation", "decision__evaluation__person__organisation",
        "decision__evaluation__participation__cycle__organisation").filter(pk=pk).first())
    if objection is None:
        return None
    if not can_view_objection(viewer, objection):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=objection)
        return None
    return objection


def body_role_reading(roles: set[CaseRole]) -> GrantRole | None:
    """The body as which a viewer reads a file (logged), or ``None`` for anyone else."""
    for role, grant_role in ((CaseRole.APPEAL_BOARD, GrantRole.APPEAL_BOARD),
                             (CaseRole.ADVISORY_BODY, GrantRole.ADVISORY_BODY),
                             (CaseRole.MANAGEMENT_BODY, GrantRole.MANAGEMENT_BODY)):
        if role in roles and not roles & {CaseRole.EMPLOYEE, CaseRole.EVALUATOR}:
            return grant_role
    return None


# Possible professional unfitness (federal) -----------------------------------------------


def can_review_unfitness(viewer: Viewer, person: Person) -> bool:
    """HR of the person's unit reads the flag and records its decision ([b2][b8])."""
    return _is_hr(viewer, person)


def unfitness_people(viewer: Viewer) -> QuerySet[Person] | None:
    """The list half of ``can_review_unfitness``; ``None`` for a viewer who is no HR (no
    query needed to know there is nothing)."""
    if viewer.is_superuser or not viewer.units_with_role(GrantRole.HR):
        return None
    return people_in_hr_scope(viewer)
