"""A Dutch municipality's manager walks the pages of their work in the municipal words,
in Dutch and in English.

Ratana Than is Marc Vandamme's leidinggevende (manager) in a municipality (preset Dutch
municipal). In the gesprekscyclus 2025 she held a planning and a progress conversation
with him, opened a formal assessment (beoordeling) after the points for improvement of
the progress conversation, and Marc's evaluation conversation was signed. In December
she signs in, lands on Start and, by the links the pages offer only (no typed address),
reads her team, Marc's page and timeline, his conversations and the progress
conversation, then, by the main menu's Start (behind the "Menu" button on a phone) and
her team again, his evaluations, the evaluation conversation and the assessment, at a
desktop's and a phone's width, with axe-core on each page.

On each page the main text names the municipal roles, and the page, menu included,
none of the words only the Flemish or the federal regime uses ("1ste evaluator",
"hiërarchische meerdere", "einduitspraak", "evaluatieperiode", "geen vermelding"; in
English "1st evaluator", "hierarchical superior", "verdict", "evaluation period", "no
mention"): those are the other presets' ``rulebook.terms`` and no-verdict labels, in her
language, less the words the municipal preset shares with them there (Gemeente
Heemstede, "Cyclus van jaargesprekken"; BOSA, "Evaluatie — betrokkenen"; Vlaamse
overheid, "Planning, opvolging en evaluatie").
"""

import dataclasses
import datetime as dt
import re

import pytest
from django.utils import translation
from playwright.sync_api import Locator, expect

from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core.models import User
from koers.evaluations import services
from koers.evaluations.states import EvaluationKind
from koers.organisation.models import PolicyPreset
from koers.rulebook import terms
from koers.rulebook.verdicts import NO_VERDICT, PRESET_LABELS
from tests import personas
from tests.browser.site import Site, assert_accessible
from tests.factories import evaluations as ev

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date
SCREENS = [(1280, 800), (360, 740)]
NAME = "Marc Vandamme"


def words_of(regime: terms.Terms, language: str) -> set[str]:
    """Every word ``regime`` gives the pages, in ``language``, lower case: the roles, the
    period, the verdict's name, the bodies, the probation's phrases, and what a report
    without a verdict is called."""
    found = set()
    with translation.override(language):
        for field in dataclasses.fields(regime):
            value = getattr(regime, field.name)
            if value is None or isinstance(value, (bool, str)):
                continue  # no such body, a fact, the preset's key
            found.add((str(value) % {"year": 2025, "name": NAME, "day": "1 juni 2026"}).lower())
        # The period's name alone, as a heading says it ("Evaluatieperiode").
        found.add((str(regime.period) % {"year": ""}).strip().lower())
        found.add(str(PRESET_LABELS[regime.preset][NO_VERDICT]).lower())
    return found


LANGUAGES = ["nl", "en"]
MUNICIPAL = {language: words_of(terms.DUTCH_MUNICIPAL, language) for language in LANGUAGES}
# Only the words the other regimes do not share with the municipal one, per language.
FORBIDDEN = {language: sorted((words_of(terms.FLEMISH, language)
                               | words_of(terms.FEDERAL, language)) - MUNICIPAL[language])
             for language in LANGUAGES}


def other_regimes_words_in(text: str, language: str) -> list[str]:
    lowered = " ".join(text.lower().split())
    return [word for word in FORBIDDEN[language]
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered)]


def test_the_forbidden_words_are_the_other_regimes_own() -> None:
    assert {"1ste evaluator", "2de evaluator", "hiërarchische meerdere", "einduitspraak",
            "evaluatieperiode", "evaluatieperiode 2025", "evaluatiecyclus 2025",
            "geen vermelding", "raad van beroep", "stage"} <= set(FORBIDDEN["nl"])
    assert {"leidinggevende", "naast-hogere leidinggevende", "beoordeling",
            "gesprekscyclus", "gesprekscyclus 2025", "proeftijd"} <= MUNICIPAL["nl"]
    assert "proeftijd" not in FORBIDDEN["nl"]  # a Dutch word too
    assert {"1st evaluator", "2nd evaluator", "hierarchical superior", "verdict",
            "evaluation period", "evaluation period 2025", "evaluation cycle 2025",
            "no mention", "appeal board", "stage"} <= set(FORBIDDEN["en"])
    assert {"manager", "next-higher manager", "assessment", "conversation cycle",
            "conversation cycle 2025", "probation"} <= MUNICIPAL["en"]
    assert "probation" not in FORBIDDEN["en"]


def build_world(language: str) -> ev.Cast:
    cast = ev.cast(personas.build(), preset=PolicyPreset.DUTCH_MUNICIPAL)
    User.objects.filter(person__in=[cast.employee, cast.first]).update(language=language)
    manager = ev.viewer(cast.first)
    held = {}
    for kind, day in ((ConversationKind.PLANNING, D(2025, 2, 3)),
                      (ConversationKind.PROGRESS, D(2025, 9, 1))):
        with ev.on(day):
            starts = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
            conversation = conversation_services.conversation_schedule(
                actor=manager, employee=cast.employee, kind=kind, starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1), location="Raadhuis, kamer 2")
            held[kind] = conversation_services.conversation_hold(
                actor=manager, conversation=conversation, report="Afspraken gemaakt.",
                improvement_points="Afspraken beter opvolgen."
                if kind == ConversationKind.PROGRESS else "")
    with ev.on(D(2025, 10, 1)):
        assessment = services.evaluation_open(
            actor=manager, person=cast.employee, kind=EvaluationKind.FORMAL_ASSESSMENT,
            formal_reason="manager_request",
            improvement_conversation=held[ConversationKind.PROGRESS])
    with ev.on(D(2025, 10, 2)):
        ev.write_report(cast, assessment, verdict="", overall="Onvoldoende opvolging.")
        services.evaluation_sign(actor=manager, evaluation=assessment)
    ev.reach(cast, ev.S.DELIVERED)
    return cast


# What she clicks, and what each page must say, in her language.
WORDS = {
    "nl": {
        "main_menu": "Hoofdmenu", "start": "Start",
        "team_link": "Teamoverzicht", "timeline_link": "Tijdlijn",
        "conversations_link": "Gesprekken", "evaluations_link": "Evaluaties",
        "evaluation_link": "Evaluatiegesprek, ", "assessment_link": "Formele beoordeling, ",
        "all_evaluations": "Alle evaluaties van",
        "start_says": ["leidinggevende"],
        "person_says": [NAME, "leidinggevende"],
        "timeline_says": ["gesprekscyclus 2025", "planningsgesprek", "voortgangsgesprek"],
        "conversations_says": ["planningsgesprek", "voortgangsgesprek"],
        "conversation": "Voortgangsgesprek",
        "evaluation_says": ["Evaluatiegesprek", "gesprekscyclus 2025", "leidinggevende",
                            "Beoordeling"],
        "assessment_says": ["Beoordeling", "leidinggevende"],
    },
    "en": {
        "main_menu": "Main menu", "start": "Start",
        "team_link": "Team overview", "timeline_link": "Timeline",
        "conversations_link": "Conversations", "evaluations_link": "Evaluations",
        "evaluation_link": "Evaluation conversation, ",
        "assessment_link": "Formal assessment, ",
        "all_evaluations": "All evaluations of",
        "start_says": ["manager"],
        "person_says": [NAME, "manager"],
        "timeline_says": ["conversation cycle 2025", "planning conversation",
                          "progress conversation"],
        "conversations_says": ["planning conversation", "progress conversation"],
        "conversation": "Progress conversation",
        "evaluation_says": ["Evaluation conversation", "conversation cycle 2025", "manager",
                            "Assessment"],
        "assessment_says": ["Assessment", "manager"],
    },
}
# Each language at a desktop's width and at a phone's, where the menu folds.
JOURNEYS = [(language, screen) for language in LANGUAGES for screen in SCREENS]


def starts_with(text: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(text), re.I)


def exactly(text: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(text) + "$")


@pytest.mark.parametrize(("language", "screen"), JOURNEYS,
                         ids=[f"{language}-{screen[0]}" for language, screen in JOURNEYS])
def test_a_municipal_manager_reads_her_work_in_the_municipal_words(
        site: Site, language: str, screen: tuple[int, int]) -> None:
    cast = build_world(language)
    w = WORDS[language]
    page = site.page
    main: Locator = page.get_by_role("main")
    strangers: list[str] = []

    def read(where: str, expected: list[str]) -> None:
        for text in expected:
            expect(main).to_contain_text(re.compile(re.escape(text), re.I))
        # The whole page: the menu and the header too.
        found = other_regimes_words_in(page.locator("body").inner_text(), language)
        if found:
            strangers.append(f"{where}: {found}")
        assert_accessible(page)

    def click(name: str | re.Pattern[str]) -> None:
        # Waits for the next page: a click on a page still being left would be lost.
        before = page.url
        main.get_by_role("link", name=name).first.click()
        expect(page).not_to_have_url(before)

    def to_start() -> None:
        # The main menu's "Start"; on a phone it sits behind the "Menu" button.
        button = page.get_by_role("button", name="Menu")
        if button.is_visible():
            button.click()
        menu = page.get_by_role("navigation", name=w["main_menu"])
        menu.get_by_role("link", name=w["start"], exact=True).click()
        expect(page).to_have_url(site.url + "/")

    def to_marc() -> None:
        click(starts_with(w["team_link"]))
        read("team", [NAME])
        click(exactly(NAME))
        expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
        read("Marc", w["person_says"])

    page.set_viewport_size({"width": screen[0], "height": screen[1]})
    with ev.on(D(2025, 12, 20)):
        site.login(cast.first.user.email)
        expect(page).to_have_url(site.url + "/")  # Start
        read("start", w["start_says"])
        to_marc()
        click(starts_with(w["timeline_link"]))
        read("timeline", w["timeline_says"])
        click(exactly(NAME))
        expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
        click(exactly(w["conversations_link"]))
        read("conversations", w["conversations_says"])
        click(exactly(w["conversation"]))
        read("progress conversation", [w["conversation"], "Afspraken beter opvolgen."])
        # The conversation offers no way back to Marc: Start from the menu, then the team.
        to_start()
        to_marc()
        click(exactly(w["evaluations_link"]))
        click(starts_with(w["evaluation_link"]))
        read("evaluation conversation", w["evaluation_says"])
        click(starts_with(w["all_evaluations"]))
        click(starts_with(w["assessment_link"]))
        read("assessment", [*w["assessment_says"], "Onvoldoende opvolging."])
    assert strangers == []
    assert site.errors == []
