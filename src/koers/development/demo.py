"""Demo data of the development room: seeded catalogues and the POP guide's worked example.

Marc Vandamme, administrative assistant in the HR staff service, builds his POP with
his manager Ratana Than in a planning conversation seven months ago (Bijlage 4): four
competencies — "werk structureren", "ondersteunen" and "de nieuwe bureauticasoftware
beheersen" at priority 1, "brieven en verslagen opmaken" at priority 2 — with their
goals, terms, means, HR actions and success indicators. Six months later, in a
functioning conversation, they write the realisation and follow-up: among the new
actions, coaching by a colleague, Mr Gordon (Peter Gordon in the demo). Both sign after
each conversation; HR (Els Deckers) arranges the registrations in between.

The story is replayed through the services with the clock set to each moment, so
dates, signatures, seals and audit events are what they would be had it happened. All
dates follow from today; none is typed in.

The Flemish agency gets a training plan (opleidingsplan) for the current year, kept by
its HR (Hilde Claes): it targets two competencies of the worked example, "werk
structureren" and "ondersteunen", and shows beside every preparation form there.

``build_development_demo`` is idempotent: catalogues are completed, the worked example
is built only when Marc has no plan yet, and the training plan only when the agency has
none for the current year. It runs after the organisation demo
(``koers demo`` calls ``koers demo-development`` by name: the organisation room may not
import this one) and needs the demo logins that demo creates.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction

from koers.access.policy import Viewer
from koers.conversations import services as conversation_services
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.clock import today_for
from koers.development.models import (
    Competency,
    DevelopmentAction,
    DevelopmentPlan,
    PlanItem,
    TrainingPlan,
)
from koers.development.rules import Priority, Source
from koers.development.services import catalogue, demand, plans, preparations, training_plans
from koers.development.services.plans import NewHrAction, NewMeans
from koers.development.states import RecommendationValue, RoundKind
from koers.organisation import demo as organisation_demo
from koers.organisation.models import Organisation, Person
from koers.rulebook.calendar import add_months

PLANNING_MONTHS_AGO = 7
FOLLOW_UP_AFTER_MONTHS = 6  # the POP guide: "Zes maanden nadat ..."


@dataclass
class DevelopmentDemoResult:
    seeded: list[str] = field(default_factory=list)  # organisations whose catalogue grew
    worked_example: str = ""  # what happened to Marc's plan
    training_plan: str = ""  # what happened to the organisation's training plan


def build_development_demo() -> DevelopmentDemoResult:
    """Seed the demo organisations' catalogues and build Marc's POP if it is missing."""
    result = DevelopmentDemoResult()
    with transaction.atomic():
        for demo in organisation_demo.DEMO_ORGANISATIONS:
            organisation = Organisation.objects.filter(name=demo.name).first()
            if organisation is not None and catalogue.catalogue_seed(
                organisation=organisation
            ).anything:
                result.seeded.append(organisation.name)
        result.worked_example = _worked_example()
        result.training_plan = _training_plan()
    return result


@dataclass(frozen=True)
class _Cast:
    organisation: Organisation
    marc: Person
    ratana: Person
    peter: Person
    els: Person


def _cast() -> _Cast | None:
    organisation = Organisation.objects.filter(name=organisation_demo.FEDERAL.name).first()
    if organisation is None:
        return None
    people = {
        person.email: person
        for person in Person.objects.filter(organisation=organisation, email__in=[
            cast.email for cast in (organisation_demo.MARC, organisation_demo.RATANA,
                                    organisation_demo.PETER, organisation_demo.ELS)
        ]).select_related("user", "unit")
    }
    if len(people) < 4 or any(person.user is None for person in people.values()):
        return None
    return _Cast(organisation, people[organisation_demo.MARC.email],
                 people[organisation_demo.RATANA.email], people[organisation_demo.PETER.email],
                 people[organisation_demo.ELS.email])


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after a weekend."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@contextmanager
def _at(organisation: Organisation, day: dt.date, hour: int = 9) -> Iterator[None]:
    """Replay a step of the story at ``hour`` on ``day`` in the organisation's time zone."""
    zone = ZoneInfo(organisation.time_zone)
    with clock.frozen(dt.datetime.combine(day, dt.time(hour), tzinfo=zone)):
        yield


def _as(person: Person) -> Viewer:
    assert person.user is not None
    return Viewer.of(person.user)


def _worked_example() -> str:
    cast = _cast()
    if cast is None:
        return "skipped: the federal demo organisation or its logins are missing"
    if DevelopmentPlan.objects.filter(employee=cast.marc).exists():
        return "already there, left as it is"
    today = today_for(cast.organisation)
    planning = _weekday(add_months(today, -PLANNING_MONTHS_AGO))
    follow_up = _weekday(add_months(planning, FOLLOW_UP_AFTER_MONTHS))
    own = _catalogue_of_the_organisation(cast, planning - dt.timedelta(days=21))
    _preparations(cast, planning - dt.timedelta(days=7))
    plan = _planning_conversation(cast, planning, own)
    _hr_arranges(cast, plan, planning + dt.timedelta(days=20), own)
    _follow_up_conversation(cast, plan, follow_up, own)
    return (f"built: planning conversation on {planning.isoformat()}, follow-up on "
            f"{follow_up.isoformat()}")


# Before the conversation ----------------------------------------------------------------


def _catalogue_of_the_organisation(cast: _Cast, day: dt.date) -> dict[str, Competency]:
    """HR adds the technical competencies of the example and the job's profile."""
    organisation = cast.organisation
    with _at(organisation, day):
        els = _as(cast.els)
        cluster = catalogue.cluster_create(actor=els, organisation=organisation,
                                           names={"nl": "Technische competenties",
                                                  "en": "Technical competencies"})
        office = catalogue.competency_create(
            actor=els, organisation=organisation, cluster=cluster,
            names={"nl": "De nieuwe bureauticasoftware beheersen",
                   "en": "Mastering the new office software"},
            descriptions={
                "nl": "De nieuwe tekstverwerking, agenda en tabellen vlot gebruiken voor "
                      "alle taken die vroeger met de oude software gebeurden.",
                "en": "Using the new word processing, calendar and spreadsheets fluently "
                      "for every task once done with the old software.",
            },
        )
        letters = catalogue.competency_create(
            actor=els, organisation=organisation, cluster=cluster,
            names={"nl": "Brieven en verslagen opmaken", "en": "Writing letters and reports"},
            descriptions={
                "nl": "Correcte, duidelijke brieven en verslagen schrijven in de huisstijl "
                      "van de organisatie.",
                "en": "Writing correct, clear letters and reports in the organisation's "
                      "house style.",
            },
        )
        actions = _actions(organisation)
        for competency, codes in (
            (office, ("klassieke-opleiding-volgen", "e-learning", "zelfstudie",
                      "onderlinge-hulp-krijgen")),
            (letters, ("klassieke-opleiding-volgen", "documenten-opstellen",
                       "onderlinge-hulp-krijgen", "coaching-krijgen")),
        ):
            for code in codes:
                catalogue.recommendation_set(actor=els, competency=competency,
                                             action=actions[code],
                                             value=RecommendationValue.RECOMMENDED)
        generic = {c.code: c for c in Competency.objects.filter(organisation=organisation)}
        catalogue.competency_profile_save(
            actor=els, organisation=organisation, job_title=organisation_demo.MARC.job_title,
            competencies=[generic["informatie-verwerken"], generic["werk-structureren"],
                          generic["problemen-oplossen"], letters, office],
        )
    return {"office": office, "letters": letters}


def _actions(organisation: Organisation) -> dict[str, DevelopmentAction]:
    return {a.code: a for a in DevelopmentAction.objects.filter(organisation=organisation)}


def _preparations(cast: _Cast, day: dt.date) -> None:
    """Marc's self-scan and preparation, Ratana's general view and her preparation about
    Marc (the POP guide, Stap 1; POP opmaken), each shared before the conversation."""
    organisation = cast.organisation
    with _at(organisation, day):
        marc = _as(cast.marc)
        preparations.self_scan_save(actor=marc, changes={
            "who_am_i": "Nauwkeurig en behulpzaam; collega's weten me te vinden voor het "
                        "klassement en de agenda.",
            "energy": "Een dossier dat volledig en op tijd klaar is.",
            "what_do_i_want": "Minder gestresseerd zijn en mijn werk rustiger kunnen doen.",
            "what_can_i_do": "Mijn werk beter plannen; mijn nieuwe collega goed begeleiden.",
            "acquired_elsewhere": "Penningmeester van de voetbalclub: planning en "
                                  "verslagen van de algemene vergadering.",
            "next_step": "Een opleiding over het organiseren van taken volgen.",
        })
        generic = {c.code: c for c in Competency.objects.filter(organisation=organisation)}
        mine = preparations.employee_preparation_start(
            actor=marc, competencies=[generic["werk-structureren"],
                                      generic["stressbestendigheid-tonen"]])
        preparations.employee_preparation_save(actor=marc, preparation=mine, changes={
            "ambitions_why": "Met minder stress werk ik beter en kan ik de nieuwe collega "
                             "meer tijd geven.",
            "preferred_functions": "Mijn huidige taken; het klassement van de "
                                   "ontwikkelcirkels wil ik graag houden.",
            "change_term": "Geen verandering de komende jaren.",
            "desired_training": "Een opleiding over omgaan met taken en informatie.",
            "desired_training_why": "Ik verlies tijd door te veel dingen tegelijk te doen.",
        })
        preparations.employee_preparation_share(actor=marc, preparation=mine)

        ratana = _as(cast.ratana)
        view = preparations.department_preparation_start(actor=ratana, unit=cast.marc.unit)
        preparations.department_preparation_save(actor=ratana, preparation=view, changes={
            "staffing": "Zes medewerkers, van wie één nieuwe collega op proef; twee "
                        "administratief assistenten.",
            "strengths": "Grondige kennis van de personeelsdossiers.",
            "weaknesses": "Veel onverwacht werk verstoort de planning.",
            "opportunities": "De nieuwe bureauticasoftware maakt het klassement digitaal.",
            "threats": "Twee ervaren collega's gaan binnen drie jaar met pensioen.",
        })
        preparations.department_preparation_share(actor=ratana, preparation=view)
        about_marc = preparations.manager_preparation_start(
            actor=ratana, employee=cast.marc, department_view=view,
            competencies=[generic["werk-structureren"], generic["ondersteunen"]])
        preparations.manager_preparation_save(actor=ratana, preparation=about_marc, changes={
            "overall_impression": "Op goede weg met zijn prestatiedoelstellingen, maar hij "
                                  "lijkt overstelpt met werk.",
            "investments_to_maintain": "De opleiding voor de nieuwe bureauticasoftware, "
                                       "die alle administratief assistenten volgen.",
            "growth_possibilities": "Mentor van de nieuwe collega.",
            "career_possibilities": "Coördinatie van het secretariaat op termijn.",
            "investments_for_target": "Zijn werk leren structureren; brieven en verslagen "
                                      "opmaken.",
        })
        preparations.manager_preparation_share(actor=ratana, preparation=about_marc)


# The planning conversation (Bijlage 4) --------------------------------------------------


def _conversation(cast: _Cast, *, kind: str, day: dt.date, report: str) -> Conversation:
    organisation = cast.organisation
    zone = ZoneInfo(organisation.time_zone)
    with _at(organisation, day - dt.timedelta(days=10)):
        conversation = conversation_services.conversation_schedule(
            actor=_as(cast.ratana), employee=cast.marc, kind=kind,
            starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=zone),
            ends_at=dt.datetime.combine(day, dt.time(11), tzinfo=zone),
            location="Lokaal 3.12",
        )
    with _at(organisation, day, hour=11):
        return conversation_services.conversation_hold(
            actor=_as(cast.ratana), conversation=conversation, held_on=day, report=report)


def _planning_conversation(cast: _Cast, day: dt.date,
                           own: dict[str, Competency]) -> DevelopmentPlan:
    organisation = cast.organisation
    conversation = _conversation(
        cast, kind=ConversationKind.PLANNING, day=day,
        report="Prestatiedoelstellingen vastgelegd; samen het persoonlijk "
               "ontwikkelingsplan opgesteld.")
    generic = {c.code: c for c in Competency.objects.filter(organisation=organisation)}
    actions = _actions(organisation)
    course = actions["klassieke-opleiding-volgen"]
    with _at(organisation, day, hour=11):
        ratana = _as(cast.ratana)
        # Twelve months from the conversation, so the six-month follow-up and the one
        # after it fall in the plan's period whatever the cycle's period is.
        plan = plans.plan_create(actor=ratana, employee=cast.marc,
                                 planning_conversation=conversation, period_start=day,
                                 period_end=add_months(day, 12) - dt.timedelta(days=1))
        end = plan.period_end

        structure = _row(ratana, plan, generic["werk-structureren"], Source.CONVERSATIONS,
                         Priority.URGENT, (
            "Marc heeft om de 2 weken een planning opgesteld die rekening houdt met het "
            "belang en de dringendheid van de taken.\n"
            "Hij volgt zijn planning en werkt ze dagelijks bij.\n"
            "Marc zegt zich minder gestresseerd te voelen."))
        registration = add_months(day, 1)
        after_course = "Drie maanden na de opleiding waarvoor Marc zich binnen de maand " \
                       "inschrijft"
        for text in (
            "Een planning kunnen opstellen over een periode van 2 weken, waarbij een "
            "onderscheid wordt gemaakt tussen de taken volgens hun dringendheid en belang.",
            "Deze planning kunnen opvolgen en ze dagelijks bijwerken, rekening houdend met "
            "eventuele dringende zaken.",
        ):
            plans.plan_goal_add(actor=ratana, item=structure, text=text,
                                term=add_months(day, 4), term_note=after_course)
        plans.plan_means_add(actor=ratana, item=structure, action=course,
                             description="Marc volgt de opleiding “Omgaan met taken en "
                                         "informatie”.",
                             term=registration, term_note="Inschrijving binnen de maand")
        plans.plan_means_add(actor=ratana, item=structure,
                             description="Vanaf de week na zijn opleiding maakt Marc om de "
                                         "twee weken een planningsproject op dat hij met "
                                         "Ratana bespreekt. Hij werkt het daarna ook "
                                         "dagelijks bij.",
                             term=add_months(day, 4), supporter=cast.ratana)
        plans.plan_hr_action_add(actor=ratana, item=structure, action=course,
                                 description="Marc inschrijven voor de opleiding “Omgaan met "
                                             "taken en informatie” van het OFO.",
                                 term=registration)

        support = _row(ratana, plan, generic["ondersteunen"], Source.CONVERSATIONS,
                       Priority.URGENT, (
            "Marc voelt zich zekerder van zijn capaciteiten als mentor.\n"
            "Een maand na de intervisie beheert de nieuwe medewerker zelfstandig één "
            "soort dossier.\n"
            "Binnen een jaar beheert de nieuwe medewerker 4 soorten dossiers.\n"
            "De nieuwe collega is tevreden met de ondersteuning van Marc."))
        for text in (
            "Een rol als mentor kunnen opnemen: de nieuwe collega zijn werk kunnen "
            "uitleggen, zodat deze binnen de maand zelfstandig een nieuw soort dossier "
            "behandelt en binnen het jaar vier soorten dossiers.",
            "Vragen van de nieuwe collega zelf kunnen uitlokken, zodat Marc zijn eerste "
            "gesprekspartner is, vóór Ratana.",
            "Zich beschikbaar kunnen opstellen voor de nieuwe collega, zodat deze binnen "
            "een redelijke termijn problemen in verband met het werk met Marc kan "
            "bespreken.",
        ):
            plans.plan_goal_add(actor=ratana, item=support, text=text, term=end,
                                term_note="Einde van het jaar")
        plans.plan_means_add(actor=ratana, item=support,
                             action=actions["aan-intervisie-deelnemen"],
                             description="Marc neemt deel aan de intervisiesessies die "
                                         "Ratana organiseert.",
                             term=day + dt.timedelta(days=14),
                             term_note="Eerste sessie binnen 2 weken", supporter=cast.ratana)
        for text in (
            "Vanaf de week na de eerste intervisiesessie plant Marc tijd voor de uitleg "
            "over het beheer van de 4 soorten dossiers en de begeleiding van de nieuwe "
            "collega.",
            "Hij houdt een logboek bij voor de opvolging van de dossiers en bespreekt het "
            "met de nieuwe collega.",
            "Marc bespreekt iedere maand de evolutie en knelpunten van zijn mentorschap met "
            "Ratana.",
        ):
            plans.plan_means_add(actor=ratana, item=support, description=text, term=end)

        office = _row(ratana, plan, own["office"], Source.ORGANISATION_PLAN, Priority.URGENT,
                      "Marc voert met de nieuwe software alle taken uit die hij met de "
                      "vorige software uitvoerde.")
        plans.plan_goal_add(actor=ratana, item=office,
                            text="De nieuwe menu's kunnen gebruiken om dezelfde taken te "
                                 "verrichten als met de huidige software (opmaak, tabellen, "
                                 "…).",
                            term=add_months(day, 3),
                            term_note="Binnen de maand na de opleiding")
        plans.plan_means_add(actor=ratana, item=office,
                             description="Marc volgt de pretest die de stafdienst P&O "
                                         "organiseert.", term=registration)
        plans.plan_means_add(actor=ratana, item=office, action=course,
                             description="Marc volgt de opleiding nieuwe "
                                         "bureauticasoftware.", term=add_months(day, 2))
        plans.plan_hr_action_add(actor=ratana, item=office, action=course,
                                 description="Inschrijving voor de opleiding nieuwe "
                                             "bureauticasoftware.", term=registration)
        plans.plan_hr_action_add(actor=ratana, item=office,
                                 description="Organisatie van de pretest.", term=registration)

        letters = _row(ratana, plan, own["letters"], Source.CONVERSATIONS,
                       Priority.MEDIUM_TERM, "")
        plans.plan_goal_add(actor=ratana, item=letters, text="Te verduidelijken")

        plans.plan_sign(actor=ratana, plan=plan)
    with _at(organisation, day, hour=14):
        plans.plan_sign(actor=_as(cast.marc), plan=plan)
    return plan


def _row(actor: Viewer, plan: DevelopmentPlan, competency: Competency, source: int,
         priority: int, indicators: str) -> PlanItem:
    return plans.plan_item_add(actor=actor, plan=plan, competency=competency, source=source,
                               priority=priority, success_indicators=indicators).obj


def _hr_arranges(cast: _Cast, plan: DevelopmentPlan, day: dt.date,
                 own: dict[str, Competency]) -> None:
    """HR registers Marc for both courses and organises the pretest."""
    with _at(cast.organisation, day, hour=15):
        els = _as(cast.els)
        for hr_action in plan.items.get(competency__code="werk-structureren").hr_actions.all():
            demand.hr_action_arrange(actor=els, hr_action=hr_action,
                                     note="Ingeschreven; het OFO bevestigt de data.")
        for hr_action in plan.items.get(competency=own["office"]).hr_actions.all():
            demand.hr_action_arrange(actor=els, hr_action=hr_action)


# Six months later: the follow-up (functioning conversation) ----------------------------


def _follow_up_conversation(cast: _Cast, plan: DevelopmentPlan, day: dt.date,
                            own: dict[str, Competency]) -> None:
    organisation = cast.organisation
    conversation = _conversation(
        cast, kind=ConversationKind.FUNCTIONING, day=day,
        report="Stand van de prestatie- en ontwikkelingsdoelstellingen overlopen; "
               "realisatie en opvolging van het POP ingevuld.")
    actions = _actions(organisation)
    items = {item.competency_id: item for item in plan.items.all()}
    generic = {c.code: c.pk for c in Competency.objects.filter(
        organisation=organisation, code__in=["werk-structureren", "ondersteunen"])}
    with _at(organisation, day, hour=11):
        ratana = _as(cast.ratana)
        plans.plan_round_start(actor=ratana, plan=plan, kind=RoundKind.FOLLOW_UP,
                               conversation=conversation)
        plans.plan_follow_up_add(
            actor=ratana, item=items[generic["werk-structureren"]],
            text="Marc heeft de opleiding gevolgd. Oké, maar nog moeite om de taken te "
                 "ordenen naargelang hun belang en dringendheid.",
            new_means=[NewMeans(description="Ratana volgt Marc verder op.",
                                term=plan.period_end, supporter=cast.ratana)],
        )
        plans.plan_follow_up_add(
            actor=ratana, item=items[generic["ondersteunen"]],
            text="Marc heeft de intervisiesessies gevolgd. Overstelpt door onverwacht werk "
                 "kon hij in de 2de en 3de maand niet de nodige tijd besteden aan de nieuwe "
                 "collega, die daardoor minder snel dan voorzien één soort dossier leerde "
                 "beheren; hij kent er nu wel al 2. Marc voelt zich nog niet helemaal op zijn "
                 "gemak in zijn rol van mentor.",
            new_means=[NewMeans(action=actions["coaching-krijgen"],
                                description="Marc laat zich zes maanden coachen door een "
                                            "collega, de heer Gordon.",
                                term=add_months(day, 6),
                                term_note="Zes maanden, tot het evaluatiegesprek",
                                supporter=cast.peter)],
        )
        plans.plan_follow_up_add(
            actor=ratana, item=items[own["office"].pk],
            text="Marc heeft de opleiding gevolgd. In goede banen, maar met vertraging: de "
                 "nieuwe software werd pas 2 weken na de opleiding geleverd. Marc wenst "
                 "meer oefeningen te doen.",
            new_means=[NewMeans(action=actions["zelfstudie"],
                                description="Extra oefeningen met de nieuwe software.",
                                term=add_months(day, 2))],
            new_hr_actions=[NewHrAction(
                description="Met de opleidingsdienst en de ICT-dienst een halve dag "
                            "opvolging van de opleiding voorzien, indien nodig.",
                action=actions["klassieke-opleiding-volgen"], term=add_months(day, 1))],
        )
        plans.plan_sign(actor=ratana, plan=plan)
    with _at(organisation, day, hour=14):
        plans.plan_sign(actor=_as(cast.marc), plan=plan)


# The Flemish agency's training plan (GOP) -----------------------------------------------

# The training plan's targets: the generic competency the example's plan works on, and
# the one it chose "because of the organisation's training plan" (source 6).
TRAINING_PLAN_COMPETENCIES = ("Werk structureren", "De nieuwe bureauticasoftware beheersen")


def _training_plan() -> str:
    """HR of Marc's administration (Els) sets this year's training plan; it shows beside
    the preparation forms, and Marc's plan names it as the source of a competency."""
    cast = _cast()
    if cast is None:
        return "skipped: the federal demo organisation or its logins are missing"
    organisation = cast.organisation
    year = today_for(organisation).year
    if TrainingPlan.objects.filter(organisation=organisation, valid_from__year=year).exists():
        return "already there, left as it is"
    competencies = list(Competency.objects.filter(organisation=organisation,
                                                  names__nl__in=TRAINING_PLAN_COMPETENCIES))
    plan = training_plans.training_plan_create(
        actor=_as(cast.els), organisation=organisation, title=f"Opleidingsplan {year}",
        valid_from=dt.date(year, 1, 1), valid_until=dt.date(year, 12, 31),
        objectives=(
            "Alle medewerkers van de stafdiensten: de nieuwe bureauticasoftware beheersen "
            "voor de overstap naar het digitale klassement (opleiding per module, daarna "
            "een helpdesk per dienst).\n"
            "Administratief medewerkers en assistenten: hun werk leren plannen en "
            "structureren volgens belang en dringendheid (klassieke opleiding “Omgaan met "
            "taken en informatie”, daarna intervisie per dienst).\n"
            "Alle leidinggevenden: het persoonlijk ontwikkelingsplan bespreken in de "
            "planningsgesprekken en de vragen aan de personeelsdienst tijdig doorgeven."),
        competencies=competencies,
    )
    return f"built: {plan.title}, {len(competencies)} competencies"
