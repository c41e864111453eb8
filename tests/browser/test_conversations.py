"""Conversations in a real browser: Ratana schedules a follow-up with Marc, holds it, and
both confirm the report. The invitation leaves by e-mail with a calendar file.
"""

import re

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from koers.notify import outbox
from tests.browser.site import Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "marc.vandamme@demo.koers"
MANAGER = "ratana.than@demo.koers"
TITLE = "Opvolgingsgesprek: Marc Vandamme"


def test_ratana_schedules_and_holds_a_follow_up_and_both_confirm(site: Site, demo: None) -> None:
    page = site.page
    mail.outbox.clear()
    site.login(MANAGER)
    page.get_by_role("region", name=re.compile("^(Mijn team|My team)$")).get_by_role(
        "link", name="Marc Vandamme").click()
    page.get_by_role("link", name="Gesprekken", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
    assert_accessible(page)

    page.get_by_role("link", name="Gesprek plannen").click()
    assert_accessible(page)
    page.get_by_label("Soort gesprek").select_option("follow_up")
    page.get_by_label("Datum").fill("2099-03-02")
    page.get_by_label("Van", exact=True).fill("09:00")
    page.get_by_label("Tot", exact=True).fill("10:00")
    page.get_by_label("Locatie").fill("Lokaal 2.14")
    page.get_by_label("Je eigen agendapunten").fill("Opleidingsbudget")
    page.get_by_role("button", name="Plannen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text("Wat heb je al gerealiseerd?")
    expect(page.get_by_role("main")).to_contain_text("Opleidingsbudget")
    assert_accessible(page)

    outbox.deliver_outbox()  # what a task worker does
    invitation, copy = mail.outbox
    assert (invitation.to, copy.to) == ([EMPLOYEE], [MANAGER])
    assert "Opleidingsbudget" not in invitation.body
    (part,) = invitation.alternatives
    calendar = Calendar.from_ical(part.content)
    (event,) = calendar.walk("VEVENT")
    assert (str(calendar["METHOD"]), int(event["SEQUENCE"])) == ("REQUEST", 0)
    assert str(event["SUMMARY"]) == TITLE

    page.get_by_label("Notities").fill("Goed gesprek; loopt op schema.")
    page.get_by_label("Verslag").fill("We spraken een opleiding Excel af.")
    page.get_by_role("button", name="Registreren als gehouden").click()
    expect(page.get_by_role("main")).to_contain_text("gehouden")
    page.get_by_role("button", name="Verslag bevestigen").click()
    expect(page.get_by_role("button", name="Verslag bevestigen")).to_have_count(0)
    assert_accessible(page)
    site.logout()

    site.login(EMPLOYEE)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn gesprekken").click()
    assert_accessible(page)
    page.get_by_role("link", name="Opvolgingsgesprek").click()
    page.get_by_role("button", name="Verslag bevestigen").click()
    expect(page.get_by_role("main")).to_contain_text("Beide partijen bevestigden het verslag")
    assert_accessible(page)
    assert site.errors == []
