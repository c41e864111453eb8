"""Demo data of the consequences room: the bodies, one appeal and one objection.

In every demo organisation three people get a seat: the top manager on the management
body, the heads of two other departments on the appeal board and the advisory body
(each with a login, password ``demo``). The cases need the Flemish policy (salary steps,
an appeal board) and build on the evaluations demo (``evaluations.demo``):

- the ``onvoldoende`` of Tom Peeters' department: HR records the employee as statutory
  in the evaluation-based salary system, the employee appeals three days after the
  delivery; the appeal is before the appeal board, and the management body's worklist
  shows the decision waiting for it;
- the corrected ``voldoende`` report: HR records the employee's voluntary switch to the
  evaluation-based salary system, the management body decides step 0 ("met de hakken
  over de sloot", Prestatiemanagement), and the employee objects: the objection is before the
  advisory body.

Every step is replayed through the services with the clock set a few days back, as the
evaluations demo does. ``build_consequences_demo`` is idempotent: an organisation whose
bodies have members is left as it is. ``koers demo`` calls ``koers demo-consequences``
by name after ``demo-evaluations``.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction

from koers.access.policy import Viewer
from koers.consequences import rules, selectors, services
from koers.core import clock
from koers.core.clock import today_for
from koers.core.models import User
from koers.evaluations.models import Evaluation
from koers.evaluations.states import DELIVERED_GROUP, EvaluationKind
from koers.organisation import demo as organisation_demo
from koers.organisation import services as organisation_services
from koers.organisation.models import (
    EmploymentStatus,
    Organisation,
    Person,
    Role,
    RoleGrant,
    SalarySystem,
    Unit,
)
from koers.rulebook.policy import policy_for
from koers.rulebook.terms import terms_for
from koers.rulebook.verdicts import Verdict

BODIES = (Role.MANAGEMENT_BODY, Role.APPEAL_BOARD, Role.ADVISORY_BODY)


@dataclass(frozen=True)
class DemoCase:
    organisation: str
    login: str
    what: str  # in English, for the table ``koers demo`` prints


@dataclass
class ConsequencesDemoResult:
    built: list[DemoCase] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def build_consequences_demo() -> ConsequencesDemoResult:
    result = ConsequencesDemoResult()
    for demo in organisation_demo.DEMO_ORGANISATIONS:
        organisation = Organisation.objects.filter(name=demo.name).first()
        if organisation is None:
            continue
        terms = terms_for(organisation.policy_preset)
        if terms.appeal_body is None and terms.management_body is None:
            continue  # a Dutch municipality has none of the bodies (``rulebook.terms``)
        if RoleGrant.objects.filter(organisation=organisation, role__in=BODIES).exists():
            result.existing.append(organisation.name)
            continue
        with transaction.atomic():
            result.built += _build(organisation)
    return result


def _login(person: Person) -> User:
    if person.user is not None:
        return person.user
    user = User.objects.filter(email=person.email).first() or User.objects.create_user(
        email=person.email, password=organisation_demo.DEMO_PASSWORD,
        first_name=person.first_name, last_name=person.last_name, language=person.language)
    person.user = user
    person.save(update_fields=["user"])
    return user


def _as(person: Person) -> Viewer:
    return Viewer.of(_login(person))


@contextmanager
def _at(organisation: Organisation, days_ago: int) -> Iterator[dt.date]:
    day = today_for(organisation) - dt.timedelta(days=days_ago)
    moment = dt.datetime.combine(day, dt.time(11), tzinfo=ZoneInfo(organisation.time_zone))
    with clock.frozen(moment):
        yield day


def _members(organisation: Organisation) -> dict[Role, Person]:
    """The top manager and the heads of the other departments, in code order."""
    heads = [unit.manager for unit in Unit.objects.filter(
        organisation=organisation, depth__lte=1, manager__isnull=False)
        .select_related("manager__user").order_by("depth", "code")]
    chosen: list[Person] = []
    for person in heads:
        if person is not None and person not in chosen:
            chosen.append(person)
    # Tom Peeters' department evaluates the people whose cases are built: its head sits
    # on no body (he would read the file of his own evaluation).
    chosen = [p for p in chosen if p.email != organisation_demo.TOM.email]
    return dict(zip(BODIES, chosen, strict=False))


def _build(organisation: Organisation) -> list[DemoCase]:
    built = []
    members = _members(organisation)
    start = today_for(organisation) - dt.timedelta(days=60)
    for role, person in members.items():
        RoleGrant.objects.create(organisation=organisation, person=person, role=role,
                                 valid_from=start)
        built.append(DemoCase(organisation.name, _login(person).email,
                              f"member of the {Role(role).label}"))
    policy = policy_for(organisation)
    if not rules.salary_steps_apply(policy) or len(members) < len(BODIES):
        return built
    hr = Person.objects.filter(organisation=organisation, role_grants__role=Role.HR,
                               role_grants__unit__parent__isnull=True).first()
    delivered = list(
        Evaluation.objects.filter(person__organisation=organisation,
                                  kind=EvaluationKind.ANNUAL, state__in=sorted(DELIVERED_GROUP))
        .annotate(current_verdict=selectors.current_verdict())
        .select_related("person__organisation", "person__user").order_by("pk"))
    negative = next((e for e in delivered if getattr(e, "current_verdict", "")
                     == Verdict.ONVOLDOENDE), None)
    positive = next((e for e in delivered if getattr(e, "current_verdict", "")
                     == Verdict.VOLDOENDE), None)
    actor = _login(hr) if hr is not None else None
    if negative is not None:
        built.append(_appeal(organisation, negative, actor))
    if positive is not None:
        built.append(_objection(organisation, positive, members[Role.MANAGEMENT_BODY], actor))
    return built


def _evaluation_based(organisation: Organisation, person: Person, actor: User | None,
                      status: str | None = None) -> None:
    """HR records a switch to the evaluation-based salary system (Prestatiemanagement: voluntary),
    and the employment status the story needs."""
    with _at(organisation, 40):
        organisation_services.person_save(
            organisation=organisation, person=person, salary_system=SalarySystem.EVALUATION,
            actor=actor, employment_status=status or person.employment_status)


def _delivered_days_ago(evaluation: Evaluation) -> int:
    assert evaluation.delivered_at is not None
    delivered = selectors.delivered_on(evaluation)
    assert delivered is not None
    return (today_for(evaluation.person.organisation) - delivered).days


def _appeal(organisation: Organisation, evaluation: Evaluation,
            actor: User | None) -> DemoCase:
    person = evaluation.person
    _evaluation_based(organisation, person, actor, status=EmploymentStatus.STATUTORY)
    evaluation.person.refresh_from_db()
    with _at(organisation, max(_delivered_days_ago(evaluation) - 3, 0)):
        services.appeal_file(
            actor=_as(person), evaluation=evaluation,
            grounds="De beheerplannen lagen stil omdat de vergunningen van de provincie "
                    "uitbleven; dat staat niet in het verslag. Ik vraag de omzetting naar "
                    "“voldoende”.")
    return DemoCase(organisation.name, _login(person).email,
                    "appealed the onvoldoende: before the appeal board")


def _objection(organisation: Organisation, evaluation: Evaluation, management: Person,
               actor: User | None) -> DemoCase:
    person = evaluation.person
    _evaluation_based(organisation, person, actor)
    days = _delivered_days_ago(evaluation)
    with _at(organisation, max(days - 8, 2)):
        decision = services.salary_decisions_take(
            actor=_as(management), organisation=organisation,
            steps={evaluation.pk: 0})[0]
    with _at(organisation, max(days - 12, 1)):
        services.salary_objection_file(
            actor=_as(person), decision=decision,
            grounds="Het netwerk groeide van twintig naar vierendertig vrijwilligers: dat is "
                    "meer dan verwacht, ook al werden het er geen veertig.")
    return DemoCase(organisation.name, _login(person).email,
                    "salary step 0, objected: before the advisory body")
