"""Who may see an evaluation and its content: the object half and the list half of one policy.

- The evaluation itself (who, state, dates, signatures): the employee, their 1st and
  2nd evaluator (the evaluator line on the day of the request: whoever left the line
  reads and does nothing more, even where they signed or are still stored), HR of the
  person's unit (it monitors the cycle: ``access.policy.can_view_person``), and a
  director over the person's unit once the report is delivered where the policy lets
  directors read reports (Dutch preset).
- The evaluators' report (``can_view_report``): the evaluators always; the employee from
  ``SHOWN_TO_EMPLOYEE_GROUP`` on (the draft in the written procedure, else the delivered
  report); HR only with standing access (Dutch preset) or under a granted access request
  for evaluations — the caller logs such a read (``access.services.access_read_log``);
  the director as above.
- The self-evaluation (``can_view_self_evaluation``): the employee always; the others who
  read the report only once it is submitted.
- What each may *do* is the table in ``states`` narrowed by ``rules``; ``roles_of`` says
  which of its roles the viewer holds here.
"""

from django.db.models import Q, QuerySet

from koers.access import security
from koers.access.models import RefusalKind, Scope
from koers.access.policy import (
    Viewer,
    can_change_person,
    can_view_person,
    hr_may_read_content,
    people_visible_to,
)
from koers.cycles.models import Participation
from koers.evaluations.models import Evaluation, Objection
from koers.evaluations.states import DELIVERED_GROUP, SHOWN_TO_EMPLOYEE_GROUP, Role
from koers.organisation.models import Organisation, Person
from koers.organisation.models import Role as GrantRole
from koers.rulebook.policy import policy_for


def roles_of(viewer: Viewer, evaluation: Evaluation) -> set[Role]:
    """The viewer's roles in this evaluation.

    The evaluators are those of the person's evaluator line on the day of the request
    (``organisation.evaluators``, with its dated overrides), in every state: a 1st or
    2nd evaluator who left the line (an override that ended, a move, another manager)
    has no role left, and their successor takes over the steps still to come. The
    evaluators stored on the evaluation follow the line
    (``services.evaluators_follow_line``) but grant nothing.
    """
    roles = personal_roles(viewer, evaluation)
    if not viewer.is_superuser and can_change_person(viewer, evaluation.person):
        roles.add(Role.HR)
    return roles


def personal_roles(viewer: Viewer, evaluation: Evaluation) -> set[Role]:
    """The roles the viewer holds as a person in the evaluation (employee, 1st or 2nd
    evaluator of today's line); ``roles_of`` without HR's."""
    roles: set[Role] = set()
    me = viewer.person
    if me is not None:
        if evaluation.person_id == me.pk:
            roles.add(Role.EMPLOYEE)
        if evaluation.person_id in viewer.team_ids:
            roles.add(Role.FIRST_EVALUATOR)
        if evaluation.person_id in viewer.second_line_ids:
            roles.add(Role.SECOND_EVALUATOR)
    return roles


def is_evaluator(viewer: Viewer, evaluation: Evaluation) -> bool:
    """A 1st or 2nd evaluator of the person's line today: they read everything."""
    return viewer.person is not None and (
        evaluation.person_id in viewer.team_ids or evaluation.person_id in viewer.second_line_ids
    )


def _director_organisations(viewer: Viewer) -> set[int]:
    """Organisations of the viewer's director grants whose policy lets directors read."""
    organisation_ids = {unit.organisation_id for unit in viewer.units_with_role(GrantRole.DIRECTOR)}
    return {
        organisation.pk for organisation in Organisation.objects.filter(pk__in=organisation_ids)
        if policy_for(organisation).director_reads_reports
    }


def is_reading_director(viewer: Viewer, evaluation: Evaluation) -> bool:
    """A director over the person's unit, where the policy lets directors read delivered
    reports (Heemstede)."""
    if evaluation.state not in DELIVERED_GROUP:
        return False
    units = viewer.units_with_role(GrantRole.DIRECTOR)
    path = evaluation.person.unit.path
    if not any(path.startswith(unit.path) for unit in units):
        return False
    return policy_for(evaluation.person.organisation).director_reads_reports


def evaluations_visible_to(viewer: Viewer) -> QuerySet[Evaluation]:
    """The list half of ``can_view``."""
    if viewer.is_superuser:
        return Evaluation.objects.all()
    me = viewer.person
    if me is None:
        return Evaluation.objects.none()
    # The evaluator line of today is part of ``people_visible_to``.
    condition = Q(person__in=people_visible_to(viewer))
    reading = _director_organisations(viewer)
    for unit in viewer.units_with_role(GrantRole.DIRECTOR):
        if unit.organisation_id in reading:
            condition |= Q(person__unit__path__startswith=unit.path,
                           state__in=sorted(DELIVERED_GROUP))
    return Evaluation.objects.filter(condition)


def can_view(viewer: Viewer, evaluation: Evaluation) -> bool:
    if viewer.is_superuser:
        return True
    return (
        can_view_person(viewer, evaluation.person)
        or is_evaluator(viewer, evaluation)
        or is_reading_director(viewer, evaluation)
    )


def can_view_report(viewer: Viewer, evaluation: Evaluation) -> bool:
    """The evaluators' report (every version), its verdict and signatures' remarks."""
    if viewer.is_superuser or is_evaluator(viewer, evaluation):
        return True
    me = viewer.person
    if me is not None and evaluation.person_id == me.pk:
        return evaluation.state in SHOWN_TO_EMPLOYEE_GROUP
    return (
        hr_may_read_content(viewer, evaluation.person, Scope.EVALUATIONS,
                            final=evaluation.state in DELIVERED_GROUP)
        or is_reading_director(viewer, evaluation)
    )


def can_view_self_evaluation(viewer: Viewer, evaluation: Evaluation) -> bool:
    """Private to the employee until submitted; then read by whoever reads the report."""
    me = viewer.person
    if me is not None and evaluation.person_id == me.pk:
        return True
    if evaluation.self_evaluation_submitted_at is None:
        return False
    if viewer.is_superuser or is_evaluator(viewer, evaluation):
        return True
    return (
        hr_may_read_content(viewer, evaluation.person, Scope.EVALUATIONS,
                            final=evaluation.state in DELIVERED_GROUP)
        or is_reading_director(viewer, evaluation)
    )


def can_download_pdf(viewer: Viewer, evaluation: Evaluation) -> bool:
    """The PDF holds the report: the same readers."""
    return can_view_report(viewer, evaluation)


def reads_under_grant(viewer: Viewer, evaluation: Evaluation) -> bool:
    """True when the viewer reads the content only as HR (the caller logs that read)."""
    me = viewer.person
    if viewer.is_superuser or me is None or evaluation.person_id == me.pk:
        return False
    return not is_evaluator(viewer, evaluation) and not is_reading_director(viewer, evaluation)


def can_open_for(viewer: Viewer, person: Person) -> bool:
    """Opening a person's annual evaluation: the person, their evaluators, their HR."""
    return can_view_person(viewer, person)


def participation_for(viewer: Viewer, pk: int) -> Participation | None:
    """The participation ``pk`` if the viewer may open its annual evaluation
    (``can_open_for``); ``None`` for missing and forbidden alike, the forbidden one noted
    in the security log."""
    participation = (
        Participation.objects.select_related("cycle", "person__organisation", "person__unit")
        .filter(pk=pk)
        .first()
    )
    if participation is None:
        return None
    if not can_open_for(viewer, participation.person):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=participation)
        return None
    return participation


def evaluation_for(viewer: Viewer, pk: int) -> Evaluation | None:
    """The evaluation ``pk`` if the viewer may see it; ``None`` for missing and forbidden."""
    evaluation = (
        Evaluation.objects.select_related(
            "person__unit", "person__organisation", "person__user", "first_evaluator",
            "second_evaluator", "participation__cycle",
        )
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        return None
    if not can_view(viewer, evaluation):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=evaluation)
        return None
    return evaluation


def decides_objections(viewer: Viewer, evaluation: Evaluation) -> bool:
    """HR of the person's unit records the decision on an objection to an assessment, for
    the body that decides (its secretariat, as for an appeal); once recorded it stays."""
    return Role.HR in roles_of(viewer, evaluation)


def objection_to_decide(viewer: Viewer, pk: int) -> Objection | None:
    """The objection ``pk`` if the viewer is HR of the person's unit, decided or not (the
    service refuses a second decision); ``None`` for missing and forbidden alike."""
    objection = Objection.objects.filter(pk=pk).only("evaluation_id").first()
    if objection is None:
        return None
    evaluation = evaluation_for(viewer, objection.evaluation_id)
    if evaluation is None:
        return None
    objection = Objection.objects.get(pk=pk)
    objection.evaluation = evaluation
    return objection if decides_objections(viewer, evaluation) else None
