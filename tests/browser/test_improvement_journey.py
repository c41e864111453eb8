"""The personal improvement plan in a real browser, in Dutch and in English, with axe-core
on every page.

Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" (overheid.vlaanderen.be): the
manager starts a plan (why, the expected improvement, the support), it is followed up
monthly, and at the end the manager decides whether it was met; if so the employee
returns to the normal cycle.

Stad Lindendaal (the personas) follows the Flemish policy: a follow-up every month.
Ratana starts a three-month plan for Marc; Marc adds a remark and signs, Ratana signs;
each month Ratana records the follow-up from her task list; at the end she decides "met"
and nothing of the plan waits for anyone any more. A second journey ends "not met", and
the report form of Marc's next evaluation shows the plan and the decision at hand.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from koers.core import clock
from koers.core.models import User
from koers.improvement.models import ImprovementPlan
from koers.improvement.states import PlanStatus
from tests import personas
from tests.browser.site import Site, assert_accessible
from tests.factories import evaluations as ev
from tests.factories import improvement as plans

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = dt.date(2026, 1, 5)
END = dt.date(2026, 4, 5)  # three months: follow-ups on 5 February, 5 March and 5 April
WORDS = {
    "nl": {
        "my_team": "Mijn team", "plans": "Verbeterplannen", "start": "Start een verbeterplan",
        "why": "Waarom", "support": "Geboden ondersteuning", "from": "Periode van",
        "until": "Periode tot", "expected": "Verwachte verbetering 1",
        "indicators": "Indicatoren van verbetering 1", "start_plan": "Plan beginnen",
        "tasks": "Mijn taken", "read_sign": "Lees en onderteken je verbeterplan",
        "remarks": "Je opmerkingen", "save_remarks": "Bewaar je opmerkingen",
        "sign": "Onderteken het plan", "sign_task": "Onderteken het verbeterplan van",
        "running": "loopt", "hold": "Houd opvolgingsgesprek {n}",
        "record": "Leg opvolgingsgesprek {n} vast", "held_on": "Gehouden op",
        "progress": "Vooruitgang op: ", "actions": "Afgesproken acties",
        "save_report": "Verslag bewaren", "decide_task": "Beslis of het verbeterplan",
        "decide": "Beslis: bereikt of niet bereikt", "decision": "Besluit",
        "met": "Bereikt: de medewerker keert terug naar de gewone cyclus",
        "not_met": "Niet bereikt: input voor de volgende evaluatie",
        "motivation": "Motivering", "decide_button": "Beslissen",
        "status_met": "bereikt", "status_not_met": "niet bereikt",
        "nothing": "Er wacht vandaag niets op je.", "write_report": "Het verslag schrijven",
        "at_hand": "Verbeterplannen bij de hand",
    },
    "en": {
        "my_team": "My team", "plans": "Improvement plans",
        "start": "Start an improvement plan", "why": "Why", "support": "Support offered",
        "from": "Period from", "until": "Period until", "expected": "Expected improvement 1",
        "indicators": "Indicators of improvement 1", "start_plan": "Start the plan",
        "tasks": "My tasks", "read_sign": "Read and sign your improvement plan",
        "remarks": "Your remarks", "save_remarks": "Save your remarks",
        "sign": "Sign the plan", "sign_task": "Sign the improvement plan of",
        "running": "running", "hold": "Hold follow-up {n}",
        "record": "Record follow-up {n}", "held_on": "Held on",
        "progress": "Progress on: ", "actions": "Actions agreed",
        "save_report": "Save the report", "decide_task": "Decide whether the improvement plan",
        "decide": "Decide met or not met", "decision": "Decision",
        "met": "Met: the employee returns to the normal cycle",
        "not_met": "Not met: input for the next evaluation",
        "motivation": "Motivation", "decide_button": "Decide",
        "status_met": "met", "status_not_met": "not met",
        "nothing": "Nothing waits for you today.", "write_report": "Write the report",
        "at_hand": "Improvement plans at hand",
    },
}
GOAL = "Loonvragen binnen 2 werkdagen beantwoorden"


@pytest.fixture(params=["nl", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def p(language: str) -> personas.Personas:
    with clock.frozen(plans.moment(START)):
        people = personas.build()
    User.objects.update(language=language)
    return people


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def task(site: Site, w: dict[str, str], text: str) -> None:
    """Open the task of the start page whose text starts with ``text``."""
    tasks = site.page.get_by_role("region", name=w["tasks"])
    tasks.get_by_role("link", name=re.compile("^" + re.escape(text))).click()
    expect(site.page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
    assert_accessible(site.page)


def press(site: Site, name: str) -> None:
    main(site.page).get_by_role("button", name=name, exact=True).click()
    assert_accessible(site.page)


def record_follow_up(site: Site, w: dict[str, str], number: int, day: dt.date) -> None:
    page = site.page
    task(site, w, w["hold"].format(n=number))
    main(page).get_by_role("link", name=w["record"].format(n=number)).click()
    assert_accessible(page)
    page.get_by_label(w["held_on"]).fill(day.isoformat())
    page.get_by_label(w["progress"] + GOAL).fill(f"Maand {number}: 80 % binnen 2 dagen.")
    page.get_by_label(w["actions"]).fill("Dagelijks de wachtrij overlopen.")
    press(site, w["save_report"])
    expect(main(page)).to_contain_text(f"Maand {number}: 80 % binnen 2 dagen.")


def test_a_three_month_plan_is_followed_up_monthly_and_ends_met(
        site: Site, p: personas.Personas, language: str) -> None:
    w = WORDS[language]
    page = site.page
    assert p.manager.user
    assert p.employee.user

    with clock.frozen(plans.moment(START)):
        site.login(p.manager.user.email)
        page.get_by_role("region", name=w["my_team"]).get_by_role(
            "link", name="Marc Vandamme").click()
        main(page).get_by_role("link", name=w["plans"], exact=True).click()
        assert_accessible(page)
        main(page).get_by_role("link", name=w["start"]).click()
        assert_accessible(page)
        page.get_by_label(w["why"], exact=True).fill(
            "Loonvragen blijven weken open (opvolgingsgesprek van 12 november).")
        page.get_by_label(w["expected"]).fill(GOAL)
        page.get_by_label(w["indicators"]).fill("90 % van de tickets per maand")
        page.get_by_label(w["support"], exact=True).fill("Coaching door Peter; de opleiding.")
        page.get_by_label(w["from"], exact=True).fill(START.isoformat())
        page.get_by_label(w["until"], exact=True).fill(END.isoformat())
        press(site, w["start_plan"])
        expect(page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
        site.logout()

        site.login(p.employee.user.email)
        task(site, w, w["read_sign"])
        page.get_by_label(w["remarks"]).fill("Ik vraag een rustiger werkplek.")
        press(site, w["save_remarks"])
        press(site, w["sign"])
        site.logout()

        site.login(p.manager.user.email)
        task(site, w, w["sign_task"])
        press(site, w["sign"])
        expect(main(page).locator("#plan-status")).to_have_text(w["running"])
        site.logout()

    for number, day in enumerate((dt.date(2026, 2, 5), dt.date(2026, 3, 5), END), start=1):
        with clock.frozen(plans.moment(day)):
            site.login(p.manager.user.email)
            record_follow_up(site, w, number, day)
            site.logout()

    with clock.frozen(plans.moment(END)):
        site.login(p.manager.user.email)
        task(site, w, w["decide_task"])
        main(page).get_by_role("link", name=w["decide"]).click()
        assert_accessible(page)
        page.get_by_label(w["decision"]).select_option(label=w["met"])
        page.get_by_label(w["motivation"]).fill("Sinds maart 90 % binnen 2 werkdagen.")
        press(site, w["decide_button"])
        expect(main(page).locator("#plan-status")).to_have_text(w["status_met"])
        site.logout()

        # Back in the normal cycle: nothing of the plan waits for Marc.
        site.login(p.employee.user.email)
        expect(page.get_by_role("region", name=w["tasks"])).not_to_contain_text(
            w["read_sign"])
        site.logout()

    plan = ImprovementPlan.objects.get()
    assert (plan.status, plan.follow_ups.filter(held_on__isnull=False).count()) == (
        PlanStatus.MET, 3)
    assert plan.content["employee_remarks"] == "Ik vraag een rustiger werkplek."
    assert site.errors == []


def test_a_plan_not_met_is_at_hand_on_the_next_evaluation_form(
        site: Site, p: personas.Personas, language: str) -> None:
    w = WORDS[language]
    page = site.page
    cast = ev.cast(p)
    assert p.manager.user
    plan = plans.running(p.employee, p.manager, start=dt.date(2025, 3, 3),
                         end=dt.date(2025, 6, 3))
    plans.hold_all(plan, p.manager)

    with clock.frozen(plans.moment(dt.date(2025, 6, 3))):
        site.login(p.manager.user.email)
        site.go(reverse("improvement_plan", args=[plan.pk]))
        main(page).get_by_role("link", name=w["decide"]).click()
        assert_accessible(page)
        page.get_by_label(w["decision"]).select_option(label=w["not_met"])
        page.get_by_label(w["motivation"]).fill("Loonvragen blijven nog weken open.")
        press(site, w["decide_button"])
        expect(main(page).locator("#plan-status")).to_have_text(w["status_not_met"])
        site.logout()

    evaluation = ev.annual(cast)
    with ev.on(dt.date(2025, 12, 2)):
        site.login(p.manager.user.email)
        site.go(reverse("evaluation_detail", args=[evaluation.pk]))
        main(page).get_by_role("link", name=w["write_report"]).first.click()
        assert_accessible(page)
        at_hand = page.get_by_role("region", name=w["at_hand"])
        expect(at_hand).to_contain_text("Loonvragen blijven nog weken open.")
        expect(at_hand).to_contain_text(w["status_not_met"])
        site.logout()

    plan.refresh_from_db()
    assert (plan.status, plan.motivation) == (PlanStatus.NOT_MET,
                                              "Loonvragen blijven nog weken open.")
    assert site.errors == []
