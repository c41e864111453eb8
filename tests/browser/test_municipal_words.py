"""A Dutch municipality's manager walks the pages of their work in the municipal words.

Ratana Than is Marc Vandamme's leidinggevende in a municipality (preset Dutch
municipal). In the gesprekscyclus 2025 she held a planning and a progress conversation
with him, opened a formal assessment (beoordeling) after the points for improvement of
the progress conversation, and Marc's evaluation conversation was signed. In December
she signs in, in Dutch, and reads her start page, her team, Marc's page and timeline,
his conversations, the evaluation conversation and the assessment, at a desktop's and a
phone's width, with axe-core on each page.

On each page the main text names the municipal roles, and the page, menu included,
none of the words only the Flemish or the federal regime uses ("1ste evaluator",
"hiërarchische meerdere", "einduitspraak", "evaluatieperiode", "geen vermelding"): those
are the other presets' ``rulebook.terms`` and no-verdict labels, in Dutch, less the words
the municipal preset shares with them (Gemeente Heemstede, "Cyclus van jaargesprekken"; BOSA,
"Evaluatie — betrokkenen"; Vlaamse overheid, "Planning, opvolging en evaluatie").
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


def words_of(regime: terms.Terms) -> set[str]:
    """Every word ``regime`` gives the pages, in Dutch, lower case: the roles, the
    period, the verdict's name, the bodies, the probation's phrases, and what a report
    without a verdict is called."""
    found = set()
    with translation.override("nl"):
        for field in dataclasses.fields(regime):
            value = getattr(regime, field.name)
            if value is None or isinstance(value, (bool, str)):
                continue  # no such body, a fact, the preset's key
            found.add((str(value) % {"year": 2025, "name": NAME}).lower())
        # The period's name alone, as a heading says it ("Evaluatieperiode").
        found.add((str(regime.period) % {"year": ""}).strip().lower())
        found.add(str(PRESET_LABELS[regime.preset][NO_VERDICT]).lower())
    return found


MUNICIPAL = words_of(terms.DUTCH_MUNICIPAL)
# Only the words the other regimes do not share with the municipal one.
FORBIDDEN = sorted((words_of(terms.FLEMISH) | words_of(terms.FEDERAL)) - MUNICIPAL)


def other_regimes_words_in(text: str) -> list[str]:
    lowered = " ".join(text.lower().split())
    return [word for word in FORBIDDEN if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered)]


def test_the_forbidden_words_are_the_other_regimes_own() -> None:
    assert {"1ste evaluator", "2de evaluator", "hiërarchische meerdere", "einduitspraak",
            "evaluatieperiode", "evaluatieperiode 2025", "evaluatiecyclus 2025",
            "geen vermelding", "raad van beroep", "stage"} <= set(FORBIDDEN)
    assert {"leidinggevende", "naast-hogere leidinggevende", "beoordeling",
            "gesprekscyclus", "gesprekscyclus 2025", "proeftijd"} <= MUNICIPAL
    assert "proeftijd" not in FORBIDDEN  # a Dutch word too


def build_world() -> tuple[ev.Cast, dict[str, int]]:
    cast = ev.cast(personas.build(), preset=PolicyPreset.DUTCH_MUNICIPAL)
    User.objects.filter(person__in=[cast.employee, cast.first]).update(language="nl")
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
    evaluation = ev.reach(cast, ev.S.DELIVERED)
    return cast, {"progress": held[ConversationKind.PROGRESS].pk,
                  "assessment": assessment.pk, "evaluation": evaluation.pk}


def test_a_municipal_manager_reads_her_work_in_the_municipal_words(site: Site) -> None:
    cast, pk = build_world()
    marc = cast.employee.pk
    pages = [
        ("/", ["leidinggevende"]),
        ("/team/", [NAME]),
        (f"/people/{marc}/", [NAME, "leidinggevende"]),
        (f"/people/{marc}/timeline/", ["gesprekscyclus 2025", "planningsgesprek",
                                        "voortgangsgesprek"]),
        (f"/people/{marc}/conversations/", ["planningsgesprek", "voortgangsgesprek"]),
        (f"/conversations/{pk['progress']}/", ["Voortgangsgesprek",
                                               "Afspraken beter opvolgen."]),
        (f"/evaluations/{pk['evaluation']}/", ["Evaluatiegesprek", "gesprekscyclus 2025",
                                               "leidinggevende", "Beoordeling"]),
        (f"/evaluations/{pk['assessment']}/", ["Beoordeling", "leidinggevende",
                                               "Onvoldoende opvolging."]),
    ]
    page = site.page
    main: Locator = page.get_by_role("main")
    strangers: list[str] = []
    with ev.on(D(2025, 12, 20)):
        site.login(cast.first.user.email)
        for width, height in SCREENS:
            page.set_viewport_size({"width": width, "height": height})
            for path, expected in pages:
                site.go(path)
                for text in expected:
                    expect(main).to_contain_text(re.compile(re.escape(text), re.I))
                # The whole page: the menu and the header too.
                found = other_regimes_words_in(page.locator("body").inner_text())
                if found:
                    strangers.append(f"{path} at {width} px: {found}")
                assert_accessible(page)
    assert strangers == []
    assert site.errors == []
