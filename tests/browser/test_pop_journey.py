"""The personal development plan (POP) of the POP guide's worked example in a real browser, in
Dutch, English, French and German, with axe-core on every page.

Els (HR) adds the technical competencies of the example to the seeded catalogue, fills in
their recommendations and the competency profile of the administrative assistant. Marc
fills in his self-scan and his preparation and shares it; Ratana prepares the unit and
the conversation about Marc. In the planning conversation Ratana builds the plan with
Marc's four competencies (three at priority 1, one at priority 2; the matrix proposes
the development actions), both sign, and the next follow-up falls due within six months.
HR arranges the course registration. Six months later, in the follow-up, Marc is to be
coached for six months by a colleague, Mr Gordon (Peter Gordon); both sign again and the
PDF of the summary table says so.
"""

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from importlib import resources

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from koers.core import clock
from koers.core.models import User
from koers.development.services.catalogue import catalogue_seed
from koers.organisation import demo as organisation_demo
from koers.organisation.models import Organisation
from koers.rulebook.calendar import add_months
from tests.browser.site import Site, assert_accessible, download_through_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARC = organisation_demo.MARC.email
RATANA = organisation_demo.RATANA.email
ELS = organisation_demo.ELS.email
JOB = organisation_demo.MARC.job_title

WORDS = {
    "nl": {
        "catalogue": "Competentiecatalogus", "competencies": "Competenties",
        "add_cluster": "Cluster toevoegen",
        "add_competency": "Competentie toevoegen", "name_nl": "Naam (Nederlands)",
        "name_en": "Naam (Engels)", "save": "Opslaan",
        "save_recommendations": "Aanbevelingen opslaan",
        "profiles": "Competentieprofielen per functie",
        "add_profile": "Competentieprofiel toevoegen", "job_title": "Functietitel",
        "save_profile": "Profiel opslaan",
        "structure": "Werk structureren", "support": "Ondersteunen",
        "office": "De nieuwe bureauticasoftware beheersen",
        "letters": "Brieven en verslagen opmaken", "stress": "Stressbestendigheid tonen",
        "information": "Informatie verwerken", "problems": "Problemen oplossen",
        "course": "Klassieke opleiding volgen", "elearning": "E-learning",
        "intervision": "Aan intervisie deelnemen", "coaching": "Coaching krijgen",
        "my_pop": "Mijn persoonlijk ontwikkelingsplan (POP) en de voorbereiding",
        "team_pop": "Ontwikkelingsplannen van mijn teamleden",
        "prepare": "Het ontwikkelingsgesprek voorbereiden",
        "start_scan": "Begin met een korte zelfscan: wie ben ik, wat wil ik, wat kan ik",
        "who_am_i": "Wie ben ik? Waar ben ik goed in?",
        "strengths": "1. Wat zijn naar jouw mening je sterke kanten?",
        "tech": "Technische competenties",
        "what_do_i_want": "Wat wil ik? Waar wil ik over een paar jaar staan?",
        "save_scan": "Mijn zelfscan opslaan", "back": "Terug naar de voorbereiding",
        "new_preparation": "Nieuwe voorbereiding beginnen",
        "training": "6. Wil je een opleiding volgen? Zo ja, welke?",
        "save_preparation": "Mijn voorbereiding opslaan",
        "share_evaluators": "Delen met mijn evaluatoren", "shared": "gedeeld op",
        "unit_view": "Algemene voorbereiding van Stafdienst P&O maken",
        "staffing": "Huidige personeelsbezetting: aantallen, leeftijd, anciënniteit, "
                    "opleiding, ervaring",
        "save_view": "Algemene voorbereiding opslaan",
        "prepare_marc": "gesprek met Marc Vandamme voorbereiden",
        "view_field": "Algemene voorbereiding van de dienst",
        "start_preparation": "Voorbereiding beginnen",
        "impression": "1. Wat is je totaalindruk over het ontwikkelingsniveau van de "
                      "medewerker in de functie?",
        "share_employee": "Delen met de medewerker",
        "start_marc": "Plan van Marc Vandamme beginnen", "start_plan": "Plan beginnen",
        "competency": "Competentie", "source": "Bron", "priority": "Prioriteit",
        "indicators": "Succesindicatoren", "goal": "Ontwikkelingsdoelstelling",
        "term_note": "Termijn in woorden", "add_to_plan": "Aan het plan toevoegen",
        "recommended_for": "Aanbevolen voor {name}", "hr_for": "Actie voor HR toevoegen aan {name}",
        "hr_what": "Wat HR moet doen", "action": "Ontwikkelingsactie",
        "sign_first": "Ondertekenen als evaluator",
        "sign_employee": "Ondertekenen als medewerker",
        "next": "Volgend opvolgingsgesprek: vanaf {earliest}, uiterlijk {due}.",
        "demand": "Opleidingsbehoefte van de ontwikkelingsplannen",
        "note": "Opmerking van HR", "arrange": "Als geregeld markeren",
        "arranged": "geregeld", "signed": "ondertekend",
        "start_follow_up": "Opvolging beginnen", "follow_up_of": "Opvolging van {name} schrijven",
        "realisation": "Realisatie/opvolging",
        "new_action": "Nieuw middel: ontwikkelingsactie",
        "new_description": "Nieuw middel: beschrijving",
        "new_term_note": "Nieuw middel: termijn in woorden",
        "new_supporter": "Nieuw middel: begeleid door",
        "follow_up_date": "Datum van het gesprek (opvolging)",
        "with_peter": "(met Peter Gordon)", "pdf": "Samenvattende tabel downloaden (pdf)",
        "pdf_title": "Persoonlijk ontwikkelingsplan",
    },
    "en": {
        "catalogue": "Competency catalogue", "competencies": "Competencies",
        "add_cluster": "Add a cluster",
        "add_competency": "Add a competency", "name_nl": "Name (Dutch)",
        "name_en": "Name (English)", "save": "Save",
        "save_recommendations": "Save the recommendations",
        "profiles": "Competency profiles per job",
        "add_profile": "Add a competency profile", "job_title": "Job title",
        "save_profile": "Save the profile",
        "structure": "Structuring work", "support": "Supporting",
        "office": "Mastering the new office software",
        "letters": "Writing letters and reports", "stress": "Handling pressure",
        "information": "Processing information", "problems": "Solving problems",
        "course": "Classroom training", "elearning": "E-learning",
        "intervision": "Taking part in peer consultation (intervision)",
        "coaching": "Receiving coaching",
        "my_pop": "My personal development plan (POP) and its preparation",
        "team_pop": "Development plans of my team members",
        "prepare": "Prepare the development conversation",
        "start_scan": "Start with a short self-scan: who am I, what do I want, what can I do",
        "who_am_i": "Who am I? What am I good at?",
        "strengths": "1. What are your strengths?", "tech": "Technical competencies",
        "what_do_i_want": "What do I want? Where do I want to be in a few years?",
        "save_scan": "Save my self-scan", "back": "Back to the preparation",
        "new_preparation": "Start a new preparation",
        "training": "6. Would you like to take a training course? If so, which one?",
        "save_preparation": "Save my preparation",
        "share_evaluators": "Share with my evaluators", "shared": "shared on",
        "unit_view": "Prepare the general view of Stafdienst P&O",
        "staffing": "Current staffing: numbers, age, seniority, training, experience",
        "save_view": "Save the general preparation",
        "prepare_marc": "prepare the conversation with Marc Vandamme",
        "view_field": "General preparation of the unit",
        "start_preparation": "Start the preparation",
        "impression": "1. What is your overall impression of the employee's level of "
                      "development in the job?",
        "share_employee": "Share with the employee",
        "start_marc": "Start the plan of Marc Vandamme", "start_plan": "Start the plan",
        "competency": "Competency", "source": "Source", "priority": "Priority",
        "indicators": "Success indicators", "goal": "Development goal",
        "term_note": "Term in words", "add_to_plan": "Add to the plan",
        "recommended_for": "Recommended for {name}", "hr_for": "Add an action for HR to {name}",
        "hr_what": "What HR should do", "action": "Development action",
        "sign_first": "Sign as evaluator", "sign_employee": "Sign as employee",
        "next": "Next follow-up conversation: from {earliest}, by {due}.",
        "demand": "Training demand of the development plans",
        "note": "Note by HR", "arrange": "Mark arranged", "arranged": "arranged",
        "signed": "signed",
        "start_follow_up": "Start the follow-up", "follow_up_of": "Write the follow-up of {name}",
        "realisation": "Realisation / follow-up",
        "new_action": "New means: development action",
        "new_description": "New means: description",
        "new_term_note": "New means: term in words",
        "new_supporter": "New means: supported by",
        "follow_up_date": "Date of the conversation (follow-up)",
        "with_peter": "(with Peter Gordon)", "pdf": "Download the summary table (PDF)",
        "pdf_title": "Personal development plan",
    },
}



def _catalogue_names() -> dict[str, dict[str, str]]:
    """The seeded catalogue's names in every language, by their English name."""
    data = json.loads((resources.files("koers.development") / "data" / "catalogue.json")
                      .read_text(encoding="utf-8"))
    return {entry["names"]["en"]: entry["names"]
            for kind in ("clusters", "competencies", "actions") for entry in data[kind]}


def _interface(english: str) -> str:
    """``english`` as the interface says it in the active language: a message of the
    catalogue, with or without its context (the test fails on one that is not there)."""
    catalogue = trans_real.translation(translation.get_language())._catalog  # type: ignore[attr-defined]
    if english in catalogue:
        return str(catalogue[english])
    found = [text for key, text in catalogue.items()
             if isinstance(key, str) and key.endswith("\x04" + english)]
    assert found, f"not a message of the interface: {english!r}"
    return str(found[0])


def _words(language: str) -> dict[str, str]:
    """The journey's words in French or German, from the catalogues and the seeded
    catalogue data: what Els types in Dutch and English only shows in Dutch there."""
    names = _catalogue_names()
    typed = {"office", "letters", "tech"}  # typed by Els: the reader's fallback is Dutch
    with translation.override(language):
        words = {}
        for key, english in WORDS["en"].items():
            if key in typed:
                words[key] = WORDS["nl"][key]
            elif english in names:
                words[key] = names[english][language]
            elif key not in FORMATTED:
                words[key] = _interface(english)
        words.update({key: make() for key, make in FORMATTED.items()})
    return words


FORMATTED = {
    "name_nl": lambda: _interface("Name (%(language)s)") % {"language": _interface("Dutch")},
    "name_en": lambda: _interface("Name (%(language)s)") % {"language": _interface("English")},
    "unit_view": lambda: _interface("Prepare the general view of %(unit)s") % {
        "unit": "Stafdienst P&O"},
    "prepare_marc": lambda: _interface("prepare the conversation with %(name)s") % {
        "name": "Marc Vandamme"},
    "start_marc": lambda: _interface("Start the plan of %(name)s") % {"name": "Marc Vandamme"},
    "follow_up_of": lambda: _interface("Write the follow-up of %(name)s") % {"name": "{name}"},
    "next": lambda: _interface("Next follow-up conversation: from %(earliest)s, by %(due)s.")
    % {"earliest": "{earliest}", "due": "{due}"},
    "recommended_for": lambda: _interface("Recommended for %(name)s") % {"name": "{name}"},
    # The federal regime's words for the evaluators (rulebook.terms).
    "share_evaluators": lambda: _interface("Share with my %(evaluators)s") % {
        "evaluators": _interface("federal term\x04evaluators")},
    "sign_first": lambda: _interface("Sign as %(role)s") % {
        "role": _interface("federal term\x04evaluator")},
    "hr_for": lambda: _interface("Add an action for HR to %(name)s") % {"name": "{name}"},
    **{key: (lambda label=label: _interface("New means: %(label)s") % {
        "label": _interface(label) if translation.get_language() == "de"
        else _interface(label).lower()})
       for key, label in (("new_action", "Development action"),
                          ("new_description", "Description"),
                          ("new_term_note", "Term in words"),
                          ("new_supporter", "Supported by"))},
    "shared": lambda: _interface("shared on %(day)s").split("%(day)s")[0].strip(),
    "with_peter": lambda: "(" + _interface("with %(name)s") % {"name": "Peter Gordon"} + ")",
}
WORDS["fr"] = _words("fr")
WORDS["de"] = _words("de")

# The worked example's texts (the POP guide, Bijlage 4) are the users' own words: Dutch in
# both journeys.
GOALS = {
    "structure": "Een planning kunnen opstellen over een periode van 2 weken, waarbij een "
                 "onderscheid wordt gemaakt tussen de taken volgens hun dringendheid en belang.",
    "support": "Een rol als mentor kunnen opnemen: de nieuwe collega binnen de maand één "
               "soort dossier en binnen het jaar vier soorten dossiers zelfstandig laten "
               "behandelen.",
    "office": "De nieuwe menu's kunnen gebruiken om dezelfde taken te verrichten als met de "
              "huidige software (opmaak, tabellen).",
    "letters": "Te verduidelijken",
}
COACHING = "Marc laat zich zes maanden coachen door een collega, de heer Gordon."


@pytest.fixture(params=["nl", "en", "fr", "de"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def federal(demo: None, language: str, site: Site) -> Iterator[Organisation]:
    """The federal demo organisation with its catalogue seeded from the sources (as `koers
    demo` does) but without the worked example: the journey builds it. Every login
    speaks the journey's language.

    A long journey on a busy machine: the pages get more time than the default, and the
    server process imports its views before the first click."""
    organisation = Organisation.objects.get(name=organisation_demo.FEDERAL.name)
    catalogue_seed(organisation=organisation)
    User.objects.filter(person__organisation=organisation).update(language=language)
    Client().get(reverse("competency_catalogue", args=[organisation.pk]))
    site.context.set_default_timeout(30_000)
    expect.set_options(timeout=15_000)
    yield organisation
    expect.set_options(timeout=5_000)


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def visit(site: Site, link: str, *, within: Locator | None = None, exact: bool = False) -> None:
    """Follow a link of the main content and audit the page it opens."""
    (within or main(site.page)).get_by_role("link", name=link, exact=exact).first.click()
    assert_accessible(site.page)


def press(site: Site, button: str) -> None:
    """Press a button of the main content and audit the page that follows."""
    main(site.page).get_by_role("button", name=button, exact=True).click()
    assert_accessible(site.page)


def els_completes_the_catalogue(site: Site, w: dict[str, str]) -> None:
    page = site.page
    site.login(ELS)
    visit(site, w["catalogue"], exact=True)
    visit(site, w["add_cluster"])
    page.get_by_label(w["name_nl"]).fill("Technische competenties")
    page.get_by_label(w["name_en"]).fill("Technical competencies")
    press(site, w["save"])
    for key, english, actions in (
        ("office", "Mastering the new office software", ("course", "elearning")),
        ("letters", "Writing letters and reports", ("course",)),
    ):
        visit(site, w["competencies"], exact=True)
        visit(site, w["add_competency"])
        page.get_by_label("Cluster").select_option(label=w["tech"])
        page.get_by_label(w["name_nl"]).fill(WORDS["nl"][key])
        page.get_by_label(w["name_en"]).fill(english)
        press(site, w["save"])
        for action in actions:  # the recommendation row of the new competency
            page.get_by_label(w[action], exact=True).select_option("recommended")
        press(site, w["save_recommendations"])
        row = main(page).get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=w[key]))
        expect(row).to_be_visible()
    visit(site, w["profiles"])
    visit(site, w["add_profile"])
    page.get_by_label(w["job_title"], exact=True).fill(JOB)
    for key in ("information", "structure", "problems", "office", "letters"):
        page.get_by_label(w[key], exact=True).check()
    press(site, w["save_profile"])
    expect(main(page)).to_contain_text(JOB)
    site.logout()


def marc_prepares(site: Site, w: dict[str, str]) -> None:
    page = site.page
    site.login(MARC)
    visit(site, w["my_pop"])
    visit(site, w["prepare"])
    visit(site, w["start_scan"])
    page.get_by_label(w["who_am_i"]).fill("Nauwkeurig en behulpzaam.")
    page.get_by_label(w["what_do_i_want"]).fill(
        "Minder gestresseerd zijn en mijn werk rustiger kunnen doen.")
    press(site, w["save_scan"])
    visit(site, w["back"])
    press(site, w["new_preparation"])
    # The self-scan is the first draft of the preparation.
    expect(page.get_by_label(w["strengths"])).to_have_value(re.compile("Nauwkeurig"))
    page.get_by_label(w["training"]).fill("Omgaan met taken en informatie")
    page.get_by_label(w["structure"], exact=True).check()
    page.get_by_label(w["stress"], exact=True).check()
    aside = page.get_by_role("complementary")
    expect(aside).to_contain_text(w["office"])  # the job's competency profile, beside
    press(site, w["save_preparation"])
    press(site, w["share_evaluators"])
    expect(main(page)).to_contain_text(w["shared"])
    expect(main(page)).to_contain_text("Omgaan met taken en informatie")
    site.logout()


def ratana_prepares(site: Site, w: dict[str, str]) -> None:
    page = site.page
    site.login(RATANA)
    visit(site, w["team_pop"])
    visit(site, w["prepare"])
    press(site, w["unit_view"])
    page.get_by_label(w["staffing"]).fill("Zes medewerkers, van wie één nieuwe collega.")
    press(site, w["save_view"])
    press(site, w["share_evaluators"])
    visit(site, w["back"])
    visit(site, w["prepare_marc"])
    page.get_by_label(w["view_field"]).select_option(index=1)
    press(site, w["start_preparation"])
    page.get_by_label(w["impression"]).fill(
        "Op goede weg met zijn doelstellingen, maar hij lijkt overstelpt met werk.")
    press(site, w["save_preparation"])
    # Marc's shared preparation is at hand beside Ratana's.
    expect(page.get_by_role("complementary")).to_contain_text(w["structure"])
    press(site, w["share_employee"])
    site.logout()


def add_row(site: Site, w: dict[str, str], key: str, *, source: str, priority: str,
            proposals: tuple[str, ...] = (), indicators: str = "") -> None:
    page = site.page
    visit(site, w["add_competency"])
    page.get_by_label(w["competency"], exact=True).select_option(label=w[key])
    proposals_region = page.locator("#proposals")
    if proposals:  # the matrix's recommended actions for the chosen competency (htmx)
        expect(proposals_region).to_contain_text(w["recommended_for"].format(name=w[key]))
        assert_accessible(page)
        for action in proposals:
            proposals_region.get_by_label(w[action], exact=True).check()
    page.get_by_label(w["source"], exact=True).select_option(source)
    page.get_by_label(w["priority"], exact=True).select_option(priority)
    page.get_by_label(w["indicators"]).fill(indicators)
    page.get_by_label(w["goal"]).fill(GOALS[key])
    press(site, w["add_to_plan"])
    expect(main(page).get_by_role("rowheader", name=w[key])).to_be_visible()


def add_hr_action(site: Site, w: dict[str, str], key: str, what: str) -> None:
    page = site.page
    visit(site, w["hr_for"].format(name=w[key]))
    page.get_by_label(w["hr_what"]).fill(what)
    page.get_by_label(w["action"]).select_option(label=w["course"])
    press(site, w["save"])


def sign(site: Site, w: dict[str, str], button: str) -> None:
    press(site, w[button])
    expect(main(site.page).get_by_role("button", name=w[button])).to_have_count(0)


def open_marcs_plan(site: Site, w: dict[str, str], *, as_manager: bool) -> None:
    if as_manager:
        visit(site, w["team_pop"])
        row = main(site.page).get_by_role("row").filter(has_text="Marc Vandamme")
        row.get_by_role("link").nth(1).click()
    else:
        visit(site, w["my_pop"])
        main(site.page).get_by_role("link", name=re.compile(r"\d\d-\d\d-\d{4} –")).first.click()
    expect(site.page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
    assert_accessible(site.page)


def test_the_worked_example_of_the_pop_guide_from_preparation_to_the_six_month_follow_up(
        site: Site, federal: Organisation, language: str) -> None:
    w = WORDS[language]
    page = site.page
    planning = clock.today()
    follow_up = add_months(planning, 6)

    els_completes_the_catalogue(site, w)
    marc_prepares(site, w)
    ratana_prepares(site, w)

    # The planning conversation: Ratana builds the plan with Marc's four competencies.
    site.login(RATANA)
    visit(site, w["team_pop"])
    visit(site, w["start_marc"])
    press(site, w["start_plan"])
    add_row(site, w, "structure", source="1", priority="1", proposals=("course",),
            indicators="Marc heeft om de 2 weken een planning opgesteld.\n"
                       "Marc zegt zich minder gestresseerd te voelen.")
    add_hr_action(site, w, "structure", "Marc inschrijven voor de opleiding “Omgaan met "
                                        "taken en informatie” van het OFO")
    add_row(site, w, "support", source="1", priority="1", proposals=("intervision",),
            indicators="Marc voelt zich zekerder van zijn capaciteiten als mentor.")
    add_row(site, w, "office", source="6", priority="1", proposals=("course",),
            indicators="Marc voert met de nieuwe software alle taken uit.")
    add_hr_action(site, w, "office", "Inschrijving voor de opleiding nieuwe "
                                     "bureauticasoftware. Organisatie pretest.")
    add_row(site, w, "letters", source="1", priority="2")
    # Three competencies at priority 1: no warning (the guide advises three at most).
    expect(main(page).locator(".utrecht-alert--warning")).to_have_count(0)
    sign(site, w, "sign_first")
    site.logout()

    site.login(MARC)
    open_marcs_plan(site, w, as_manager=False)
    sign(site, w, "sign_employee")
    expect(main(page)).to_contain_text(w["next"].format(
        earliest=add_months(planning, 3).strftime("%d-%m-%Y"),
        due=follow_up.strftime("%d-%m-%Y")))
    site.logout()

    # HR arranges the registration for the course.
    site.login(ELS)
    visit(site, w["demand"])
    request = main(page).get_by_role("row").filter(has_text="OFO")
    request.get_by_label(w["note"]).fill("Ingeschreven; het OFO bevestigt de data.")
    request.get_by_role("button", name=re.compile(w["arrange"])).click()
    assert_accessible(page)
    expect(main(page).get_by_role("row").filter(has_text="OFO")).to_contain_text(w["arranged"])
    site.logout()

    # Six months later, the follow-up: coaching by a colleague, Mr Gordon.
    moment = dt.datetime.combine(follow_up, dt.time(10), tzinfo=dt.UTC)
    with clock.frozen(moment):
        site.login(RATANA)
        open_marcs_plan(site, w, as_manager=True)
        visit(site, w["start_follow_up"])
        press(site, w["save"])
        visit(site, w["follow_up_of"].format(name=w["support"]))
        page.get_by_label(w["realisation"], exact=True).fill(
            "Marc heeft de intervisiesessies gevolgd, maar voelt zich nog niet helemaal op "
            "zijn gemak in zijn rol van mentor.")
        page.get_by_label(w["new_action"]).select_option(label=w["coaching"])
        page.get_by_label(w["new_description"]).fill(COACHING)
        page.get_by_label(w["new_term_note"]).fill("Zes maanden")
        page.get_by_label(w["new_supporter"]).select_option(label="Peter Gordon")
        press(site, w["save"])
        visit(site, w["follow_up_of"].format(name=w["structure"]))
        page.get_by_label(w["realisation"], exact=True).fill(
            "Marc heeft de opleiding gevolgd. Oké, maar nog moeite om de taken te ordenen.")
        page.get_by_label(w["new_description"]).fill("Ratana volgt Marc verder op.")
        press(site, w["save"])
        sign(site, w, "sign_first")
        site.logout()

        site.login(MARC)
        open_marcs_plan(site, w, as_manager=False)
        sign(site, w, "sign_employee")
        table = main(page).get_by_role("table").first
        expect(table).to_contain_text(f"→ {w['coaching']}: {COACHING}")
        expect(table).to_contain_text(w["with_peter"])
        expect(main(page)).to_contain_text(w["follow_up_date"])
        expect(main(page)).to_contain_text(w["next"].format(
            earliest=add_months(follow_up, 3).strftime("%d-%m-%Y"),
            due=add_months(follow_up, 6).strftime("%d-%m-%Y")))
        content = download_through_worker(
            page, main(page).get_by_role("button", name=w["pdf"])).path().read_bytes()
        site.logout()

    text = re.sub(r"\s+", " ", "".join(p.extract_text() or ""
                                       for p in PdfReader(io.BytesIO(content)).pages))
    assert w["pdf_title"] in text
    assert "Vandamme Marc" in text
    assert "Gordon" in text
    assert site.errors == []
