"""The PDF of the evaluation report: its text, read back with pypdf, in Dutch and English."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from koers.core import clock
from koers.evaluations import services
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.pdf import report_pdf
from koers.evaluations.states import DELIVERED_GROUP
from koers.goals import services as goal_services
from koers.goals.models import GoalKind
from koers.organisation.models import Person, PolicyPreset
from tests import factories, personas
from tests.factories import participations
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

GOAL = "Loonvragen binnen twee werkdagen beantwoorden"
SELF_ITEM = "Ik beantwoordde de meeste vragen op tijd."
SELF_OVERALL = "Een druk jaar met een nieuw loonpakket."
REPORT_ITEM = "De termijn werd in de helft van de gevallen niet gehaald."
REPORT_OVERALL = "De verwachtingen werden niet ingelost."
REMARKS = "Ik ben het niet eens met de beoordeling van het tweede halfjaar."


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def pdf_text(evaluation: Evaluation, language: str) -> str:
    """The PDF's text with every run of white space as one space (lines wrap)."""
    reader = pypdf.PdfReader(io.BytesIO(report_pdf(evaluation, language=language)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def in_language(language: str, day: dt.date) -> str:
    with translation.override(language):
        return date_format(day, "j F Y")


def evaluation_with_goal(p: personas.Personas) -> Evaluation:
    """Marc's evaluation of 2025 (Flemish preset) with one agreed goal, opened in the
    evaluation window."""
    cycle = participations.cycle(p.employee.organisation, 2025)
    participation = participations.participation(cycle, p.employee)
    with clock.frozen(at(dt.date(2025, 2, 3))):
        goal = goal_services.goal_propose(
            actor=viewer(p.manager), owner=p.employee, kind=GoalKind.PERFORMANCE, title=GOAL,
            measure="Het ticketsysteem", deadline=dt.date(2025, 12, 31), cycle=cycle)
        goal_services.goal_confirm(actor=viewer(p.employee), goal=goal)
    with clock.frozen(at(dt.date(2025, 12, 2))):
        return services.evaluation_for_participation(actor=viewer(p.manager),
                                                     participation=participation)


def write_self_evaluation(p: personas.Personas, evaluation: Evaluation, *,
                          submit: bool = True) -> Evaluation:
    with clock.frozen(at(dt.date(2025, 12, 3))):
        evaluation = services.self_evaluation_save(
            actor=viewer(p.employee), evaluation=evaluation, overall=SELF_OVERALL,
            items={1: SELF_ITEM}, expected_revision=evaluation.self_evaluation_revision)
        if submit:
            evaluation = services.self_evaluation_submit(actor=viewer(p.employee),
                                                         evaluation=evaluation)
    return evaluation


def write_report(p: personas.Personas, evaluation: Evaluation, *, verdict: str,
                 advanced_on: dt.date | None = None) -> None:
    with clock.frozen(at(dt.date(2025, 12, 8))):
        report = services.current_report(evaluation)
        services.report_save(
            actor=viewer(p.manager), evaluation=evaluation, overall=REPORT_OVERALL,
            items={1: REPORT_ITEM}, verdict=verdict, advanced_evaluation_on=advanced_on,
            expected_revision=report.revision)


def sign(person: Person, evaluation: Evaluation, day: dt.date, remarks: str = "") -> Signature:
    with clock.frozen(at(day)):
        return services.evaluation_sign(actor=viewer(person), evaluation=evaluation,
                                        remarks=remarks)


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


@pytest.fixture
def signed(p: personas.Personas) -> Evaluation:
    """Marc's onvoldoende with an advanced evaluation, signed by all three."""
    evaluation = write_self_evaluation(p, evaluation_with_goal(p))
    write_report(p, evaluation, verdict="onvoldoende", advanced_on=dt.date(2026, 9, 1))
    sign(p.manager, evaluation, dt.date(2025, 12, 10))
    sign(p.department.manager, evaluation, dt.date(2025, 12, 11))
    sign(p.employee, evaluation, dt.date(2025, 12, 15), remarks=REMARKS)
    evaluation.refresh_from_db()
    return evaluation


@pytest.mark.parametrize(("language", "words"), [
    ("nl", {"title": "Evaluatieverslag", "signatures": "Handtekeningen",
            "verdict": "Einduitspraak", "notice": "Vervroegde evaluatie: de evaluatoren "
            "vervroegen je volgende evaluatie naar {on}; ten vroegste vanaf {earliest}."}),
    ("en", {"title": "Evaluation report", "signatures": "Signatures", "verdict": "Verdict",
            "notice": "Advanced evaluation: the evaluators advance your next evaluation to "
            "{on}; at the earliest from {earliest}."}),
])
def test_the_pdf_holds_the_whole_signed_report(signed: Evaluation, p: personas.Personas,
                                               language: str, words: dict[str, str]) -> None:
    report = services.current_report(signed)
    assert report.advanced_evaluation_earliest is not None
    assert report.advanced_evaluation_day is not None

    text = pdf_text(signed, language)

    for expected in (words["title"], words["signatures"], words["verdict"],
                     p.employee.full_name, p.manager.full_name, p.department.manager.full_name,
                     p.employee.job_title, p.team.name, p.employee.organisation.name,
                     GOAL, SELF_ITEM, SELF_OVERALL, REPORT_ITEM, REPORT_OVERALL, REMARKS,
                     "onvoldoende"):
        assert expected in text
    assert words["notice"].format(
        on=in_language(language, report.advanced_evaluation_day),
        earliest=in_language(language, report.advanced_evaluation_earliest)) in text
    seals = list(Signature.objects.filter(report__evaluation=signed)
                 .values_list("seal", flat=True))
    assert len(seals) == 3
    for seal in seals:
        assert seal in text


def test_the_pdf_is_tagged_with_the_document_language_and_title(signed: Evaluation) -> None:
    for language, title in (("nl", "Evaluatieverslag – Marc Vandamme"),
                            ("en", "Evaluation report – Marc Vandamme")):
        reader = pypdf.PdfReader(io.BytesIO(report_pdf(signed, language=language)))
        root = reader.trailer["/Root"]

        assert (root["/Lang"], root["/MarkInfo"]["/Marked"]) == (language, True)
        assert "/StructTreeRoot" in root  # tagged: headings, tables, reading order
        assert reader.metadata is not None
        assert str(reader.metadata.title).startswith(title)


def test_a_self_evaluation_not_submitted_stays_out_of_the_pdf(p: personas.Personas) -> None:
    evaluation = write_self_evaluation(p, evaluation_with_goal(p), submit=False)
    write_report(p, evaluation, verdict="voldoende")

    text = pdf_text(evaluation, "en")

    assert (SELF_OVERALL in text, SELF_ITEM in text, REPORT_OVERALL in text) == (
        False, False, True)
    assert "Not delivered yet: this report may still change." in text
    assert "Not signed yet." in text


def test_a_corrected_report_names_the_version_it_replaces_and_both_seals(
        p: personas.Personas) -> None:
    evaluation = write_self_evaluation(p, evaluation_with_goal(p))
    write_report(p, evaluation, verdict="voldoende")
    first = sign(p.manager, evaluation, dt.date(2025, 12, 10))
    with clock.frozen(at(dt.date(2025, 12, 11))):
        services.evaluation_correct(actor=viewer(p.manager), evaluation=evaluation,
                                    reason="Het verkeerde doel was beoordeeld.")
    second = sign(p.manager, evaluation, dt.date(2025, 12, 12))

    dutch, english = pdf_text(evaluation, "nl"), pdf_text(evaluation, "en")

    assert "Versie 2 vervangt versie 1 omdat: Het verkeerde doel was beoordeeld." in dutch
    assert "Version 2 replaces version 1 because: Het verkeerde doel was beoordeeld." in english
    for text in (dutch, english):
        assert first.seal in text
        assert second.seal in text


def test_the_dutch_record_has_no_verdict_and_states_the_written_procedure() -> None:
    org = factories.organisation("Gemeente Lindendaal", preset=PolicyPreset.DUTCH_MUNICIPAL)
    top = factories.unit(org, name="Gemeente")
    team = factories.unit(org, top, name="Team Burgerzaken")
    factories.person(top, manages=top, with_user=True)
    manager = factories.person(team, manages=team, with_user=True, first_name="Sanne",
                               last_name="de Vries")
    employee = factories.person(team, with_user=True, first_name="Jeroen", last_name="Bakker")
    cycle = participations.cycle(org, 2025)
    participation = participations.participation(cycle, employee)
    with clock.frozen(at(dt.date(2025, 12, 1))):
        evaluation = services.evaluation_for_participation(actor=viewer(manager),
                                                           participation=participation)
        services.evaluation_set_written_procedure(actor=viewer(manager), evaluation=evaluation,
                                                  written=True)
        # In the Dutch preset the employee writes the record of the conversation.
        services.report_save(actor=viewer(employee), evaluation=evaluation,
                             overall="We bespraken het jaar.", items={}, verdict="",
                             advanced_evaluation_on=None, expected_revision=0)
        services.evaluation_send_draft(actor=viewer(manager), evaluation=evaluation)
    with clock.frozen(at(dt.date(2025, 12, 3))):
        services.draft_remarks_add(actor=viewer(employee), evaluation=evaluation,
                                   remarks="Graag ook het project noemen.")
    sign(manager, evaluation, dt.date(2025, 12, 5))

    dutch, english = pdf_text(evaluation, "nl"), pdf_text(evaluation, "en")

    # Heemstede, "Cyclus van jaargesprekken": no verdict, and the municipality's word.
    assert "No assessment: the evaluation conversation is recorded without one." in english
    assert "Geen beoordeling: het evaluatiegesprek wordt vastgelegd zonder beoordeling." in dutch
    assert "einduitspraak" not in dutch.lower()
    assert "This evaluation was held in the written procedure" in english
    assert "Deze evaluatie verliep via de schriftelijke procedure" in dutch
    for text in (dutch, english):
        assert "Graag ook het project noemen." in text
        assert "Jeroen Bakker" in text
        assert "Sanne de Vries" in text


def test_a_federal_report_without_onvoldoende_has_no_mention(p: personas.Personas, client):
    """Federal: a completed report without "onvoldoende" carries no mention, not an
    undecided verdict, on the page and in the PDF."""
    organisation = p.employee.organisation
    organisation.policy_preset = PolicyPreset.FEDERAL
    organisation.save(update_fields=["policy_preset"])
    evaluation = write_self_evaluation(p, evaluation_with_goal(p))
    write_report(p, evaluation, verdict="")
    sign(p.manager, evaluation, dt.date(2025, 12, 10))
    sign(p.department.manager, evaluation, dt.date(2025, 12, 11))
    sign(p.employee, evaluation, dt.date(2025, 12, 15))
    evaluation.refresh_from_db()
    client.force_login(p.employee.user)

    page = client.get(reverse("evaluation_detail", args=[evaluation.pk])).content.decode()
    dutch, english = pdf_text(evaluation, "nl"), pdf_text(evaluation, "en")

    assert evaluation.state in DELIVERED_GROUP
    assert "Geen vermelding." in page
    assert "Nog niet beslist" not in page
    assert "Geen vermelding." in dutch
    assert "Nog niet beslist" not in dutch
    assert "No mention." in english
