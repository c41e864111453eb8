"""Demo data of the evaluations room: evaluations in every state of the machine.

Across the three demo organisations, every state of ``states.EvaluationState`` is
present, so every screen can be seen at once:

- federal administration (Ratana Than's staff service, the POP guide): Marc's report,
  signed by Ratana and An Desmet, waits for his signature (delivered); Peter Gordon
  signed his with remarks (completed); Sofie's waits for An as 2nd evaluator (first
  signed); Els wrote and submitted her self-evaluation for Ratana's report (draft);
  Jonas, new, has an evaluation in this year's cycle he has not started (draft); Kris
  did not sign within the term and An closed it (closed unsigned);
- Flemish agency (Tom Peeters' department): an onvoldoende with an advanced
  evaluation, signed by all (completed; the advanced evaluation is open as a draft); a
  report corrected after delivery, with its two versions (completed); one waiting for
  Tom as 2nd evaluator (first signed); a draft report sent in the written procedure
  (draft sent); a draft without self-evaluation (draft); and one HR cancelled because
  the person was on career break (cancelled);
- Dutch municipality: Jeroen Bakker's record of his conversation with Sanne de Vries,
  without a verdict (completed); a formal assessment with the employee's objection
  (completed); a self-evaluation in this year's cycle in the team Jeroen leads as
  acting 1st evaluator (draft).

Signed and finished evaluations belong to the previous cycle (their period has
ended), drafts to the cycle running today; a federal story goes to this year's cycle
once last year's evaluation would have lapsed (3 months after the person's period,
computed from today), and the demo then records the lapses as the worker does. Each
story is replayed through the services with the clock set to each step, a few days or
weeks before today, so dates, terms, signatures, seals, audit events and notifications
are what they would be had it happened; none is typed in. Who acts is the evaluator
line of the day the step is taken. People who act or are evaluated get a login
(password ``demo``) when they have none, so each story can be followed from every side.

``build_evaluation_demo`` is idempotent: an organisation that has evaluations already
is left as it is. It runs after the organisation demo and the opening of today's
cycles (``koers demo`` calls ``koers demo-evaluations`` by name: the organisation room
may not import this one).
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction

from koers.access.policy import Viewer
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.clock import today_for
from koers.core.models import User
from koers.cycles import lapse as cycle_lapse
from koers.cycles import selectors as cycle_selectors
from koers.cycles import services as cycle_services
from koers.cycles.models import Cycle, Participation
from koers.evaluations import probation as probation_records
from koers.evaluations import rules, services
from koers.evaluations.models import Evaluation, FormalReason
from koers.evaluations.states import EvaluationKind, EvaluationState
from koers.goals import services as goal_services
from koers.goals.models import GoalKind
from koers.organisation import demo as organisation_demo
from koers.organisation import evaluators
from koers.organisation.models import Organisation, Person, Unit
from koers.rulebook.calendar import add_months
from koers.rulebook.lapse import lapse_day
from koers.rulebook.policy import policy_for
from koers.rulebook.probation import ProbationReason
from koers.rulebook.verdicts import Verdict

S = EvaluationState


@dataclass(frozen=True)
class DemoEvaluation:
    """One line of the table ``koers demo`` prints: whose evaluation, in which state."""

    organisation: str
    employee: str  # the login (e-mail) of the evaluated person
    state: str
    story: str  # what the demo shows, in English


@dataclass
class EvaluationDemoResult:
    built: list[DemoEvaluation] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)  # organisations left as they were


def build_evaluation_demo() -> EvaluationDemoResult:
    """Build the evaluations of every demo organisation that has none yet."""
    builders: dict[str, Callable[[_Story], None]] = {
        organisation_demo.FEDERAL.name: _federal,
        organisation_demo.FLEMISH.name: _flemish,
        organisation_demo.DUTCH.name: _dutch,
    }
    result = EvaluationDemoResult()
    for demo in organisation_demo.DEMO_ORGANISATIONS:
        organisation = Organisation.objects.filter(name=demo.name).first()
        if organisation is None:
            continue
        if Evaluation.objects.filter(person__organisation=organisation).exists():
            result.existing.append(organisation.name)
            continue
        story = _Story(organisation)
        with transaction.atomic():
            builders[demo.name](story)
        result.built += story.built
    return result


# The clock, the actors, the cycles ------------------------------------------------------


class _Story:
    """The steps of one organisation's evaluations, each at a moment before today."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.policy = policy_for(organisation)
        self.today = today_for(organisation)
        self.built: list[DemoEvaluation] = []

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    @contextmanager
    def at(self, days_ago: int, hour: int = 10) -> Iterator[dt.date]:
        """Replay a step ``days_ago`` days before today, at ``hour`` in the organisation's
        time zone."""
        day = self.day(days_ago)
        moment = dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(
            self.organisation.time_zone))
        with clock.frozen(moment):
            yield day

    def cycle(self, *, previous: bool) -> Cycle:
        """The cycle running today, or the one before it (opened here when missing)."""
        year = cycle_selectors.current_year(self.organisation, self.policy) - int(previous)
        cycle = Cycle.objects.filter(organisation=self.organisation, year=year).first()
        if cycle is None:
            cycle = cycle_services.cycle_open(organisation=self.organisation, year=year,
                                              actor=None, background=False)
        cycle_services.cycle_fill(cycle=cycle)  # a cycle already open is left as it is
        return cycle

    def participation(self, person: Person, *, previous: bool) -> Participation:
        return Participation.objects.select_related("cycle", "person").get(
            cycle=self.cycle(previous=previous), person=person)

    def taking_part(self, people: list[Person], *, previous: bool,
                    required: bool = True) -> list[Person]:
        """Those of ``people`` whose evaluation in the cycle is (or is not) mandatory."""
        ids = set(Participation.objects.filter(
            cycle=self.cycle(previous=previous), person__in=people,
            evaluation_required=required, closed_on__isnull=True,
        ).values_list("person_id", flat=True))
        return [person for person in people if person.pk in ids]

    def record(self, evaluation: Evaluation, story: str) -> None:
        evaluation.refresh_from_db()
        person = evaluation.person
        _login(person)
        self.built.append(DemoEvaluation(self.organisation.name, person.email,
                                         evaluation.state, story))


def _login(person: Person) -> User:
    """The person's login; a demo login with the demo password when they have none."""
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


def _line(person: Person, day: dt.date) -> tuple[Person, Person | None]:
    """The 1st and 2nd evaluator of ``person`` on ``day``."""
    line = evaluators.evaluator_line(person, on=day)
    assert line.first is not None, f"{person} has no 1st evaluator"
    return line.first, line.second


def _verdict(story: _Story, person: Person, wish: str) -> str:
    """``wish`` where the policy allows it for this person; else no verdict, or the one
    verdict the policy has where the rules demand one to sign."""
    allowed = rules.verdicts_for(story.policy, person)
    if wish in allowed or not allowed:
        return wish if allowed else ""
    if rules.report_complete_error(story.policy, person=person, overall="-", verdict="") is None:
        return ""
    return allowed[0]


# The steps ------------------------------------------------------------------------------


def _goals(story: _Story, participation: Participation, titles: tuple[str, ...]) -> None:
    """The goals of the period, proposed by the 1st evaluator and agreed by the employee
    in its first weeks (before the evaluation opens)."""
    person = participation.person
    days_ago = max((story.today - participation.period_start).days - 14, 35)
    with story.at(days_ago) as day:
        first, _second = _line(person, day)
        for title in titles:
            goal = goal_services.goal_propose(
                actor=_as(first), owner=person, kind=GoalKind.PERFORMANCE, title=title,
                deadline=participation.period_end, cycle=participation.cycle)
            goal_services.goal_confirm(actor=_as(person), goal=goal)


def _open(story: _Story, participation: Participation, days_ago: int) -> Evaluation:
    with story.at(days_ago) as day:
        first, _second = _line(participation.person, day)
        return services.evaluation_for_participation(actor=_as(first),
                                                     participation=participation)


def _self_evaluation(story: _Story, evaluation: Evaluation, days_ago: int, *, overall: str,
                     items: tuple[str, ...], submit: bool = True) -> None:
    evaluation.refresh_from_db()
    positions = list(evaluation.self_items.values_list("position", flat=True))
    with story.at(days_ago, hour=16):
        evaluation = services.self_evaluation_save(
            actor=_as(evaluation.person), evaluation=evaluation, overall=overall,
            items=dict(zip(positions, items, strict=False)),
            expected_revision=evaluation.self_evaluation_revision)
        if submit:
            services.self_evaluation_submit(actor=_as(evaluation.person), evaluation=evaluation)


def _report(story: _Story, evaluation: Evaluation, days_ago: int, *, overall: str,
            items: tuple[str, ...], verdict: str = "", by: Person | None = None,
            advanced_months: int | None = None, hour: int = 11) -> None:
    """The report, written by its author under the policy (or ``by``)."""
    with story.at(days_ago, hour=hour) as day:
        report = services.current_report(evaluation)
        positions = list(report.items.values_list("position", flat=True))
        author = by or _line(evaluation.person, day)[0]
        advanced = None
        if advanced_months is not None:
            advanced = add_months(rules.advanced_earliest(story.policy, acknowledged_on=day),
                                  advanced_months)
        services.report_save(
            actor=_as(author), evaluation=evaluation, overall=overall,
            items=dict(zip(positions, items, strict=False)),
            verdict=_verdict(story, evaluation.person, verdict),
            advanced_evaluation_on=advanced, expected_revision=report.revision)


def _sign(story: _Story, evaluation: Evaluation, who: Person, days_ago: int, *,
          remarks: str = "", hour: int = 14) -> None:
    with story.at(days_ago, hour=hour):
        services.evaluation_sign(actor=_as(who), evaluation=evaluation, remarks=remarks)


def _evaluators(evaluation: Evaluation) -> tuple[Person, Person | None]:
    """The evaluators of record (from the 1st signature on they are the ones who act)."""
    evaluation.refresh_from_db()
    assert evaluation.first_evaluator is not None
    return evaluation.first_evaluator, evaluation.second_evaluator


def _signed_by_both(story: _Story, evaluation: Evaluation, first_days_ago: int,
                    second_days_ago: int) -> None:
    first, _second = _evaluators(evaluation)
    _sign(story, evaluation, first, first_days_ago)
    _first, second = _evaluators(evaluation)
    assert second is not None
    _sign(story, evaluation, second, second_days_ago)


# Who is who in the demo organisations ------------------------------------------------


def _by_email(organisation: Organisation, email: str) -> Person:
    return Person.objects.select_related("user", "unit").get(organisation=organisation,
                                                             email=email)


def _members(unit: Unit) -> list[Person]:
    """The unit's members who do not manage it, in employee-number order."""
    return list(Person.objects.filter(unit=unit).exclude(managed_units=unit)
                .select_related("user", "unit").order_by("employee_number"))


# Federal administration ---------------------------------------------------------------


def _not_lapsed(story: _Story, person: Person) -> Participation:
    """The person's participation in last year's cycle while its evaluation can still be
    held, else in this year's: a federal evaluation not held 3 months after the period
    lapses ([b2], ``rulebook.lapse``), so the stories, replayed in the last weeks, go
    to the period whose lapse day, computed from today, is still to come."""
    participation = story.participation(person, previous=True)
    lapses_on = lapse_day(story.policy, period_end=participation.period_end)
    if lapses_on is not None and lapses_on <= story.today:
        return story.participation(person, previous=False)
    return participation



def _federal(story: _Story) -> None:
    organisation = story.organisation
    marc, peter, els, sofie, jonas, kris = (
        _by_email(organisation, cast.email) for cast in (
            organisation_demo.MARC, organisation_demo.PETER, organisation_demo.ELS,
            organisation_demo.SOFIE, organisation_demo.JONAS, organisation_demo.KRIS))

    # Marc: the report signed by Ratana and An waits for his signature.
    participation = _not_lapsed(story, marc)
    _goals(story, participation, (
        "Loonvragen binnen twee werkdagen beantwoorden",
        "Het nieuwe dossierbeheer gebruiken voor alle personeelsdossiers",
    ))
    evaluation = _open(story, participation, 21)
    _self_evaluation(story, evaluation, 16, overall=(
        "Een jaar met veel nieuwe software. Ik werk mijn dossiers nu gestructureerder af, "
        "maar brieven opmaken kost me nog te veel tijd."), items=(
        "In de meeste weken gehaald; in de drukke maand januari niet.",
        "Alle nieuwe dossiers zitten in het systeem; de oude volgen nog.",
    ))
    _report(story, evaluation, 12, verdict=Verdict.VOLDOENDE, overall=(
        "Marc is een betrouwbare collega die zijn werk beter is gaan structureren. Het "
        "opmaken van brieven en verslagen blijft een werkpunt; zijn POP werkt eraan."),
        items=("Gehaald, op de piek van januari na.",
               "Goed op weg; de overzetting van de oude dossiers loopt."))
    _signed_by_both(story, evaluation, 6, 2)
    story.record(evaluation, "Signed by Ratana Than and An Desmet, waiting for "
                             "Marc's signature (with remarks, if he wants)")

    # Peter (English): completed, signed with remarks.
    participation = _not_lapsed(story, peter)
    _goals(story, participation, (
        "Coach two colleagues in the new office software",
        "Close every recruitment file within six weeks",
    ))
    evaluation = _open(story, participation, 28)
    _self_evaluation(story, evaluation, 25, overall=(
        "A good year: the coaching took more time than planned, but it paid off."), items=(
        "Done: Marc and Sofie both work with it every day now.",
        "Nine files out of eleven within six weeks.",
    ))
    _report(story, evaluation, 20, verdict=Verdict.VOLDOENDE, overall=(
        "Peter is a pillar of the service; his coaching made the switch to the new "
        "software a success."), items=("Achieved.", "Mostly achieved; two files ran late "
                                       "because of the selection board."))
    _signed_by_both(story, evaluation, 18, 16)
    _sign(story, evaluation, peter, 10, remarks=(
        "The two late files waited for the selection board, not for me."))
    story.record(evaluation, "Peter signed with remarks (English PDF)")

    # Sofie: first signed, waiting for An as 2nd evaluator.
    participation = _not_lapsed(story, sofie)
    _goals(story, participation, ("Alle loonwijzigingen vóór de 10de van de maand verwerken",))
    evaluation = _open(story, participation, 20)
    _self_evaluation(story, evaluation, 14, overall="Een rustig jaar, met minder uren.",
                     items=("Elke maand gehaald.",))
    _report(story, evaluation, 9, verdict=Verdict.VOLDOENDE, overall=(
        "Sofie werkt nauwkeurig en zelfstandig."), items=("Gehaald.",))
    _sign(story, evaluation, _evaluators(evaluation)[0], 3)
    story.record(evaluation, "Ratana signed, waiting for An Desmet as 2nd "
                             "evaluator")

    # Els: her self-evaluation is in, Ratana's report is still to be written.
    participation = _not_lapsed(story, els)
    _goals(story, participation, ("Het HR-dashboard elke maand bijwerken",))
    evaluation = _open(story, participation, 15)
    _self_evaluation(story, evaluation, 4, overall=(
        "Het dashboard wordt nu gelezen door alle directies."), items=("Elke maand gedaan.",))
    story.record(evaluation, "Self-evaluation submitted, Ratana writes the report")

    # Jonas (new, on probation): this year's evaluation, nothing written yet.
    evaluation = _open(story, story.participation(jonas, previous=False), 5)
    story.record(evaluation, "This year's evaluation, no self-evaluation yet")

    # Kris: delivered, not signed within the term, closed by An.
    participation = _not_lapsed(story, kris)
    evaluation = _open(story, participation, 30)
    _self_evaluation(story, evaluation, 28, overall="Het secretariaat liep goed.", items=())
    _report(story, evaluation, 27, verdict=Verdict.VOLDOENDE, overall=(
        "Kris houdt het secretariaat van de directie vlot draaiende."), items=())
    _signed_by_both(story, evaluation, 26, 25)
    with story.at(3):
        services.evaluation_close_unsigned(actor=_as(_evaluators(evaluation)[0]),
                                           evaluation=evaluation)
    story.record(evaluation, "Kris did not sign within the term; An "
                             "Desmet closed it")

    # Whoever was not evaluated 3 months after last year's period lapsed ([b2]), as the
    # worker records each day: counted apart on the dashboard, never overdue.
    cycle_lapse.lapses_record()


# Flemish agency ------------------------------------------------------------------------


def _flemish(story: _Story) -> None:
    organisation = story.organisation
    tom = _by_email(organisation, organisation_demo.TOM.email)
    hilde = _by_email(organisation, organisation_demo.HILDE.email)
    department = Unit.objects.get(manager=tom)
    people = list(Person.objects.filter(unit__path__startswith=department.path)
                  .exclude(pk=tom.pk).select_related("user", "unit")
                  .order_by("unit__code", "employee_number"))
    lines = evaluators.evaluator_lines(people, on=story.today)
    # Below Tom's department: a team manager is the 1st evaluator, Tom the 2nd.
    first, second, third = [
        person for person in story.taking_part(people, previous=True)
        if lines[person.pk].second == tom][:3]
    # Tom's own staff (he is their 1st evaluator) first, then the rest of the department.
    staff = sorted(story.taking_part(people, previous=False),
                   key=lambda person: lines[person.pk].first != tom)
    written, fresh = [person for person in staff if person not in (first, second, third)][:2]
    # Someone on career break for most of last year (the organisation demo) was exempt.
    on_break = (story.taking_part(people, previous=True, required=False)
                or story.taking_part(list(Person.objects.filter(organisation=organisation)),
                                     previous=True, required=False))[0]

    # An onvoldoende with an advanced evaluation: signed by all, the advanced one is open.
    participation = story.participation(first, previous=True)
    _goals(story, participation, (
        "De beheerplannen van drie natuurgebieden opmaken",
        "Elk terreinbezoek binnen de week rapporteren",
    ))
    evaluation = _open(story, participation, 26)
    _self_evaluation(story, evaluation, 22, overall=(
        "Het was een moeilijk jaar: ik had te veel dossiers tegelijk."), items=(
        "Eén beheerplan is af, de andere twee liggen stil.",
        "Meestal wel, soms pas na twee weken.",
    ))
    _report(story, evaluation, 20, verdict=Verdict.ONVOLDOENDE, advanced_months=1, overall=(
        "De afgesproken resultaten werden niet gehaald, ook niet na de bijsturing in het "
        "opvolgingsgesprek van september. We maken samen een verbeterplan."), items=(
        "Niet gehaald: één plan van de drie.", "Gedeeltelijk gehaald."))
    _signed_by_both(story, evaluation, 18, 15)
    _sign(story, evaluation, first, 8)
    story.record(evaluation, "Onvoldoende with an advanced evaluation; the "
                             "advanced evaluation is open as a draft")

    # A report corrected after delivery: two versions, the second signed again.
    participation = story.participation(second, previous=True)
    _goals(story, participation, ("Het vrijwilligersnetwerk uitbreiden tot veertig mensen",))
    evaluation = _open(story, participation, 29)
    _self_evaluation(story, evaluation, 27, overall="Het netwerk groeide sterk.",
                     items=("We zijn met vierendertig.",))
    _report(story, evaluation, 25, verdict=Verdict.VOLDOENDE, overall=(
        "Een sterk jaar voor het vrijwilligersnetwerk."), items=("Gehaald: veertig.",))
    _signed_by_both(story, evaluation, 23, 22)
    with story.at(20):
        services.evaluation_correct(
            actor=_as(tom), evaluation=evaluation,
            reason="Het verslag noemde veertig vrijwilligers; het zijn er vierendertig.")
    _report(story, evaluation, 20, verdict=Verdict.VOLDOENDE, hour=15, overall=(
        "Een sterk jaar voor het vrijwilligersnetwerk."), items=(
        "Bijna gehaald: vierendertig van de veertig.",))
    _signed_by_both(story, evaluation, 19, 18)
    _sign(story, evaluation, second, 12)
    story.record(evaluation, "Corrected after delivery, two versions, the "
                             "second signed again by all")

    # Waiting for Tom as 2nd evaluator.
    participation = story.participation(third, previous=True)
    _goals(story, participation, ("De inventaris van de poelen afwerken",))
    evaluation = _open(story, participation, 18)
    _self_evaluation(story, evaluation, 12, overall="De inventaris is af.",
                     items=("Afgewerkt in oktober.",))
    _report(story, evaluation, 7, verdict=Verdict.VOLDOENDE, overall="Goed en grondig werk.",
            items=("Gehaald.",))
    _sign(story, evaluation, _evaluators(evaluation)[0], 2)
    story.record(evaluation, "Waiting for Tom Peeters as 2nd evaluator")

    # On career break most of last year: not required, HR cancels it.
    evaluation = _open(story, story.participation(on_break, previous=True), 14)
    with story.at(13):
        services.evaluation_cancel(
            actor=_as(hilde), evaluation=evaluation,
            reason="Niet verplicht: minder dan 479 uren effectief gewerkt "
                   "(loopbaanonderbreking).")
    story.record(evaluation, "HR cancelled it: fewer than 479 hours worked last year")

    # This year: the written procedure, the draft report sent for remarks.
    evaluation = _open(story, story.participation(written, previous=False), 10)
    with story.at(10) as day:
        services.evaluation_set_written_procedure(actor=_as(_line(written, day)[0]),
                                                  evaluation=evaluation, written=True)
    _report(story, evaluation, 6, verdict=Verdict.VOLDOENDE, overall=(
        "Omdat een gesprek door de langdurige afwezigheid niet mogelijk is, verloopt de "
        "evaluatie schriftelijk. De opdrachten van het voorjaar werden goed uitgevoerd."),
        items=())
    with story.at(3) as day:
        services.evaluation_send_draft(actor=_as(_line(written, day)[0]),
                                       evaluation=evaluation)
    story.record(evaluation, "Written procedure, waiting for the employee's "
                             "remarks")

    # This year: a draft without self-evaluation.
    evaluation = _open(story, story.participation(fresh, previous=False), 4)
    story.record(evaluation, "No self-evaluation yet, the 1st evaluator writes the "
                             "report")

    # A statutory promotion on probation ([f18]–[f21]): Hilde (HR) records six months
    # with a colleague as mentor; the 1st evaluator has opened the probation evaluation.
    promoted = written
    line = lines[promoted.pk]
    assert line.first is not None
    mentor = next(person for person in staff
                  if person not in (promoted, line.first, line.second))
    with story.at(120) as day:
        probation_records.probation_record(
            actor=_as(hilde), person=promoted, reason=ProbationReason.PROMOTION,
            starts_on=max(day, promoted.start_date), months=6, mentor=mentor)
    with story.at(2):
        evaluation = services.evaluation_open(actor=_as(line.first),
                                              person=promoted, kind=EvaluationKind.PROBATION)
    story.record(evaluation, "A probation after a promotion, its evaluation opened")


# Dutch municipality -------------------------------------------------------------------


def _dutch(story: _Story) -> None:
    organisation = story.organisation
    jeroen = _by_email(organisation, organisation_demo.JEROEN.email)
    sanne = _by_email(organisation, organisation_demo.SANNE.email)

    # Jeroen's own annual conversation with Sanne: he writes the record, no verdict.
    participation = story.participation(jeroen, previous=True)
    _goals(story, participation, ("De wachttijd aan de balie onder de tien minuten houden",))
    evaluation = _open(story, participation, 24)
    _self_evaluation(story, evaluation, 22, overall=(
        "Ik heb het team zonder leidinggevende draaiende gehouden."), items=(
        "Gemiddeld acht minuten.",))
    _report(story, evaluation, 17, by=jeroen, overall=(
        "We bespraken het jaar: de balie draait goed, het coördineren kost Jeroen veel "
        "tijd. Afgesproken: een cursus leidinggeven in het voorjaar."), items=(
        "Gehaald: acht minuten gemiddeld.",))
    _sign(story, evaluation, _evaluators(evaluation)[0], 12)
    _sign(story, evaluation, jeroen, 9)
    story.record(evaluation, "The record of the conversation, without a "
                             "verdict, written by Jeroen and signed by Sanne and him")

    # A formal assessment after improvement points in a progress conversation, objected to.
    assessed = story.taking_part(_members(Unit.objects.get(manager=sanne)), previous=False)[0]
    with story.at(70) as day:
        first, _second = _line(assessed, day)
        starts = clock.now() + dt.timedelta(days=7)
        progress = conversation_services.conversation_schedule(
            actor=_as(first), employee=assessed, kind=ConversationKind.PROGRESS,
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1), location="Kamer 2.14")
    with story.at(63, hour=15):
        progress = conversation_services.conversation_hold(
            actor=_as(first), conversation=progress, report="Voortgang besproken.",
            improvement_points="Afspraken over termijnen nakomen; bij vertraging tijdig "
                               "melden.")
    with story.at(14):
        evaluation = services.evaluation_open(
            actor=_as(first), person=assessed, kind=EvaluationKind.FORMAL_ASSESSMENT,
            formal_reason=FormalReason.MANAGER_REQUEST, improvement_conversation=progress)
    _report(story, evaluation, 12, by=first, overall=(
        "Sinds het voortgangsgesprek werden de termijnen opnieuw niet gehaald en werd "
        "vertraging niet gemeld."), items=())
    _sign(story, evaluation, first, 10)
    _sign(story, evaluation, assessed, 6, remarks="Ik ben het niet eens met dit verslag.")
    with story.at(5) as day:
        services.objection_record(
            actor=_as(assessed), evaluation=evaluation, filed_on=day,
            text="De vertraging kwam door de nieuwe werkverdeling, die niet met mij "
                 "besproken was.")
    story.record(evaluation, "A formal assessment, signed, with the employee's "
                             "objection")

    # This year: a self-evaluation submitted in the team Jeroen leads as acting evaluator.
    member = next(person for person in story.taking_part(_members(jeroen.unit), previous=False)
                  if person != jeroen)
    evaluation = _open(story, story.participation(member, previous=False), 7)
    _self_evaluation(story, evaluation, 3, overall=(
        "Mijn werkplan is grotendeels uitgevoerd; de nieuwe aanvraagprocedure loopt."),
        items=())
    story.record(evaluation, "Self-evaluation submitted; the employee writes the "
                             "record of the conversation")
