"""Body members and delivered evaluations ready for appeals and salary decisions.

Everything goes through the services, on the days the Flemish policy allows each step
(``tests.factories.evaluations``): the report of the evaluation year 2025 is delivered
on 12 December 2025, the term to appeal runs until 27 December.
"""

import datetime as dt
from dataclasses import dataclass

from koers.consequences import services
from koers.consequences.models import Appeal, SalaryDecision, SalaryObjection
from koers.consequences.states import AppealOutcome
from koers.cycles.models import Cycle
from koers.evaluations import services as evaluation_services
from koers.evaluations.models import Evaluation
from koers.organisation import evaluators
from koers.organisation.models import EmploymentStatus, Person, Role, SalarySystem
from tests import factories
from tests.factories import evaluations as ev
from tests.factories import participations as cycles
from tests.personas import Personas

YEAR = ev.YEAR
DELIVERED_ON = ev.days(YEAR)["second"]  # 12 December 2025
IN_TERM = DELIVERED_ON + dt.timedelta(days=5)
AFTER_TERM = DELIVERED_ON + dt.timedelta(days=16)  # the appeal term has passed
GROUNDS = "The goals changed in May and the report does not say so."


@dataclass
class Bodies:
    management: Person  # member of the management body (directiecomité)
    advisory: Person  # member of the advisory body
    board: Person  # member of the appeal board


def bodies(p: Personas) -> Bodies:
    """Three members, each of one body of the personas' organisation."""
    members = []
    for role, name in ((Role.MANAGEMENT_BODY, "Mona"), (Role.ADVISORY_BODY, "Adam"),
                       (Role.APPEAL_BOARD, "Bert")):
        member = factories.person(p.top, with_user=True, first_name=name, last_name="Orgaan")
        factories.grant(member, role)
        members.append(member)
    return Bodies(*members)


def evaluation_based(person: Person, *, status: str = EmploymentStatus.STATUTORY) -> Person:
    Person.objects.filter(pk=person.pk).update(
        salary_system=SalarySystem.EVALUATION, salary_system_overridden=True,
        employment_status=status)
    person.refresh_from_db()
    return person


def cast_for(p: Personas, person: Person, *, year: int = YEAR) -> ev.Cast:
    """The cast of ``person``'s evaluation of ``year`` (Marc, or a colleague of his team)."""
    organisation = person.organisation
    cycle = Cycle.objects.filter(organisation=organisation, year=year).first() \
        or cycles.cycle(organisation, year)
    participation = cycles.participation(cycle, person)
    line = evaluators.evaluator_line(person, on=dt.date(year, 12, 1))
    assert line.first is not None
    return ev.Cast(person, line.first, line.second, p.hr, p.outsider, participation)


def delivered(p: Personas, person: Person, *, verdict: str = "voldoende",
              year: int = YEAR, overall: str = "Did what was agreed.") -> Evaluation:
    """``person``'s annual evaluation of ``year``, delivered with ``verdict`` (Flemish)."""
    c = cast_for(p, person, year=year)
    when = ev.days(year)
    evaluation = ev.annual(c, day=when["open"])
    with ev.on(when["open"]):
        ev.write_report(c, evaluation, verdict=verdict, overall=overall)
    with ev.on(when["self"]):
        ev.write_self_evaluation(c, evaluation)
    assert c.second is not None
    for signer, day in ((c.first, when["first"]), (c.second, when["second"])):
        with ev.on(day):
            evaluation_services.evaluation_sign(actor=ev.viewer(signer), evaluation=evaluation)
    return Evaluation.objects.select_related("person__unit", "person__organisation").get(
        pk=evaluation.pk)


def appeal(p: Personas, evaluation: Evaluation, *, grounds: str = GROUNDS,
           day: dt.date = IN_TERM) -> Appeal:
    with ev.on(day):
        return services.appeal_file(actor=ev.viewer(evaluation.person), evaluation=evaluation,
                                    grounds=grounds)


def decide_appeal(p: Personas, appeal: Appeal, *, outcome: str = AppealOutcome.KEPT,
                  day: dt.date | None = None) -> Appeal:
    day = day or dt.date(YEAR + 1, 1, 20)
    with ev.on(day):
        return services.appeal_decide(actor=ev.viewer(p.hr), appeal=appeal, outcome=outcome,
                                      decided_on=day)


def decide(member: Person, steps: dict[Evaluation, int], *,
           day: dt.date = AFTER_TERM) -> list[SalaryDecision]:
    with ev.on(day):
        return services.salary_decisions_take(
            actor=ev.viewer(member), organisation=member.organisation,
            steps={evaluation.pk: step for evaluation, step in steps.items()})


def objection(decision: SalaryDecision, *, grounds: str = "I did more than expected.",
              day: dt.date | None = None) -> SalaryObjection:
    with ev.on(day or decision.decided_on + dt.timedelta(days=3)):
        return services.salary_objection_file(actor=ev.viewer(decision.person),
                                              decision=decision, grounds=grounds)
