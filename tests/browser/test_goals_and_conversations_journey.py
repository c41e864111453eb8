"""The definition of done of goals and conversations, in Dutch and in English.

Marc and his 1st evaluator Ratana (the demo's federal administration) agree goals of
three kinds, Ratana schedules a follow-up (the invitation carries a valid iCalendar
file) and moves it, holds it, both confirm the report, and Marc adjusts a goal with a
reason that shows in its history. Every page of the journey passes axe-core without a
serious or critical violation.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import get_resolver
from icalendar import Calendar
from playwright.sync_api import Page, expect

from koers.conversations.models import Conversation
from koers.core.models import User
from koers.goals.models import Goal, GoalChange
from koers.notify import outbox
from tests.browser.site import Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "marc.vandamme@demo.koers"
MANAGER = "ratana.than@demo.koers"
BRUSSELS = ZoneInfo("Europe/Brussels")

# What the journey reads and clicks, in each language (the Dutch words of the glossary).
WORDS = {
    "nl": {
        "my_goals": "Mijn doelstellingen", "propose_goal": "Doelstelling voorstellen",
        "kind_of_goal": "Soort doelstelling", "goal": "Doelstelling",
        "measure": "Maatstaf / succesindicatoren", "propose": "Voorstellen",
        "confirm_goal": "Doelstelling bevestigen", "proposed": "voorgesteld",
        "agreed": "afgesproken", "goals": "Doelstellingen", "conversations": "Gesprekken",
        "team_overview": "Teamoverzicht", "schedule_conversation": "Gesprek plannen",
        "kind_of_conversation": "Soort gesprek", "date": "Datum", "from": "Van",
        "until": "Tot", "location": "Locatie", "own_items": "Je eigen agendapunten",
        "schedule": "Plannen", "title": "Opvolgingsgesprek: Marc Vandamme",
        "first_question": "Wat heb je al gerealiseerd?",
        "move_conversation": "Gesprek verplaatsen", "move": "Verplaatsen",
        "notes": "Notities", "improvement_points": "Verbeterpunten", "report": "Verslag",
        "record_held": "Registreren als gehouden", "held": "gehouden",
        "confirm_report": "Verslag bevestigen", "my_conversations": "Mijn gesprekken",
        "both_confirmed": "Beide partijen bevestigden het verslag",
        "change_goal": "Doelstelling of voortgang wijzigen",
        "reason": "Reden van de wijziging", "save_change": "Wijziging bewaren",
        "history": "Geschiedenis",
    },
    "en": {
        "my_goals": "My goals", "propose_goal": "Propose a goal",
        "kind_of_goal": "Kind of goal", "goal": "Goal",
        "measure": "Measure / success indicators", "propose": "Propose",
        "confirm_goal": "Confirm the goal", "proposed": "proposed", "agreed": "agreed",
        "goals": "Goals", "conversations": "Conversations", "team_overview": "Team overview",
        "schedule_conversation": "Schedule a conversation",
        "kind_of_conversation": "Kind of conversation", "date": "Date", "from": "From",
        "until": "Until", "location": "Location", "own_items": "Your own agenda items",
        "schedule": "Schedule", "title": "Follow-up conversation: Marc Vandamme",
        "first_question": "What have you achieved so far?",
        "move_conversation": "Move the conversation", "move": "Move", "notes": "Notes",
        "improvement_points": "Improvement points", "report": "Report",
        "record_held": "Record as held", "held": "held",
        "confirm_report": "Confirm the report", "my_conversations": "My conversations",
        "both_confirmed": "Both sides confirmed the report",
        "change_goal": "Change the goal or its progress",
        "reason": "Reason for the change", "save_change": "Save the change",
        "history": "History",
    },
}

# Three kinds of goal: two Marc proposes, one Ratana proposes for him.
GOALS = {
    "nl": [
        ("performance", "Tegen 30 juni 90 % van de loonvragen binnen 2 werkdagen beantwoorden",
         "Rapport uit het ticketsysteem"),
        ("learning", "Tegen 31 mei de opleiding Excel gevorderd afronden",
         "Getuigschrift van de opleiding"),
        ("process", "Tegen 30 september de werkwijze voor nieuwe dossiers beschrijven",
         "Beschreven werkwijze goedgekeurd door het team"),
    ],
    "en": [
        ("performance", "Answer 90% of pay questions within 2 working days by 30 June",
         "Report from the ticket system"),
        ("learning", "Finish the advanced Excel course by 31 May", "Course certificate"),
        ("process", "Describe the procedure for new files by 30 September",
         "Procedure approved by the team"),
    ],
}


def visit(page: Page, name: str, *, role: str = "link", exact: bool = True) -> None:
    """Follow a link or press a button, then audit the page it leads to."""
    page.get_by_role(role, name=name, exact=exact).first.click()  # type: ignore[arg-type]
    assert_accessible(page)


def propose(page: Page, w: dict[str, str], kind: str, title: str, measure: str) -> None:
    visit(page, w["propose_goal"])
    page.get_by_label(w["kind_of_goal"]).select_option(kind)
    page.get_by_label(w["goal"], exact=True).fill(title)
    page.get_by_label(w["measure"]).fill(measure)
    page.get_by_label("Deadline").fill("2099-06-30")
    page.get_by_role("button", name=w["propose"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("main")).to_contain_text(w["proposed"])
    assert_accessible(page)


def open_marc(site: Site, link: str) -> None:
    """From Ratana's home page to one of Marc's pages."""
    page = site.page
    site.go("/")
    page.get_by_role("region", name=re.compile("^(Mijn team|My team)$")).get_by_role(
        "link", name="Marc Vandamme").click()
    assert_accessible(page)
    visit(page, link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")


def invitation(message: mail.EmailMessage) -> tuple[Calendar, object]:
    (part,) = message.alternatives
    assert part.mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(part.content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


@pytest.mark.parametrize("language", ["nl", "en"])
def test_marc_and_ratana_agree_goals_hold_a_follow_up_and_adjust_a_goal(
        site: Site, demo: None, language: str) -> None:
    w, goals = WORDS[language], GOALS[language]
    # The live server (a thread of this process) loads the URLs and every view module on
    # its first request; on a busy machine that alone can outlast the browser's timeout.
    assert get_resolver().url_patterns
    User.objects.filter(email__in=[EMPLOYEE, MANAGER]).update(language=language)
    page = site.page
    mail.outbox.clear()

    # Marc proposes a performance goal and a learning goal.
    site.login(EMPLOYEE)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    visit(page, w["my_goals"])
    for kind, title, measure in goals[:2]:
        propose(page, w, kind, title, measure)
        site.go("/")
        visit(page, w["my_goals"])
    site.logout()

    # Ratana confirms both and proposes a process goal for Marc.
    site.login(MANAGER)
    assert_accessible(page)
    open_marc(site, w["goals"])
    his_goals = page.url
    for _kind, title, _measure in goals[:2]:
        visit(page, title)
        visit(page, w["confirm_goal"], role="button")
        expect(page.get_by_role("main")).to_contain_text(w["agreed"])
        page.goto(his_goals)
    propose(page, w, *goals[2])

    # The team overview counts his goals; from there to his conversations.
    site.go("/")
    visit(page, w["team_overview"], exact=False)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Marc Vandamme"))
    expect(row).to_contain_text(f"{w['agreed']}: 2")
    open_marc(site, w["conversations"])

    # Ratana schedules a follow-up: Marc is invited with an iCalendar request.
    visit(page, w["schedule_conversation"])
    page.get_by_label(w["kind_of_conversation"]).select_option("follow_up")
    page.get_by_label(w["date"]).fill("2099-03-02")
    page.get_by_label(w["from"], exact=True).fill("09:00")
    page.get_by_label(w["until"], exact=True).fill("10:00")
    page.get_by_label(w["location"]).fill("Lokaal 2.14")
    page.get_by_label(w["own_items"]).fill("Opleidingsbudget")
    page.get_by_role("button", name=w["schedule"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w["title"])
    expect(page.get_by_role("main")).to_contain_text(w["first_question"])
    assert_accessible(page)

    conversation = Conversation.objects.get()
    outbox.deliver_outbox()  # what a task worker does
    invite, copy = mail.outbox
    assert (invite.to, copy.to) == ([EMPLOYEE], [MANAGER])
    assert "Opleidingsbudget" not in invite.body
    calendar, event = invitation(invite)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (conversation.ical_uid, 0)
    assert str(event["SUMMARY"]) == w["title"]
    assert event.decoded("DTSTART") == dt.datetime(2099, 3, 2, 9, tzinfo=BRUSSELS)
    assert event.decoded("DTEND") == dt.datetime(2099, 3, 2, 10, tzinfo=BRUSSELS)

    # She moves it an hour later: the same UID, the next SEQUENCE.
    visit(page, w["move_conversation"])
    page.get_by_label(w["from"], exact=True).fill("10:00")
    page.get_by_label(w["until"], exact=True).fill("11:00")
    page.get_by_role("button", name=w["move"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w["title"])
    assert_accessible(page)
    outbox.deliver_outbox()
    _invite, _copy, update, _update_copy = mail.outbox
    calendar, event = invitation(update)
    assert (str(calendar["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])) == (
        "REQUEST", conversation.ical_uid, 1)
    assert event.decoded("DTSTART") == dt.datetime(2099, 3, 2, 10, tzinfo=BRUSSELS)

    # She holds it, with the goals discussed, and confirms the report.
    page.get_by_label(w["notes"]).fill("Goed gesprek; loopt op schema.")
    for _kind, title, _measure in goals:
        page.get_by_label(title, exact=True).check()
    page.get_by_label(w["improvement_points"]).fill("Vragen sneller doorverwijzen.")
    page.get_by_label(w["report"]).fill("We spraken een opleiding Excel af.")
    visit(page, w["record_held"], role="button")
    expect(page.get_by_role("main")).to_contain_text(w["held"])
    expect(page.get_by_role("main")).to_contain_text("Vragen sneller doorverwijzen.")
    visit(page, w["confirm_report"], role="button")
    expect(page.get_by_role("button", name=w["confirm_report"])).to_have_count(0)
    site.logout()

    # Marc confirms the process goal and the report.
    site.login(EMPLOYEE)
    expect(page.get_by_role("link", name=re.compile(r"^(Meldingen|Notifications) \d+"))
           ).to_be_visible()  # Ratana's proposal waits for him
    visit(page, w["my_goals"])
    visit(page, goals[2][1])
    visit(page, w["confirm_goal"], role="button")
    expect(page.get_by_role("main")).to_contain_text(w["agreed"])
    site.go("/")
    visit(page, w["my_conversations"])
    visit(page, w["title"].split(":")[0])
    visit(page, w["confirm_report"], role="button")
    expect(page.get_by_role("main")).to_contain_text(w["both_confirmed"])
    conversation.refresh_from_db()
    assert conversation.report_locked
    assert conversation.goals.count() == 3

    # He adjusts his performance goal; the reason shows in its history.
    site.go("/")
    visit(page, w["my_goals"])
    visit(page, goals[0][1])
    visit(page, w["change_goal"])
    page.get_by_label("Deadline").fill("2099-07-31")
    reason = "De migratie van het loonpakket vertraagt het werk." if language == "nl" \
        else "The payroll migration slows the work down."
    page.get_by_label(w["reason"]).fill(reason)
    page.get_by_role("button", name=w["save_change"], exact=True).click()
    history = page.get_by_role("region", name=w["history"])
    expect(history).to_contain_text(reason)
    assert_accessible(page)

    goal = Goal.objects.get(title=goals[0][1])
    assert goal.status == "agreed"
    assert GoalChange.objects.filter(goal=goal, kind="adjusted", reason=reason).exists()
    assert sorted(Goal.objects.values_list("kind", "status")) == [
        ("learning", "agreed"), ("performance", "agreed"), ("process", "agreed")]
    assert site.errors == []
