"""The timeline and the notifications in a real browser, with axe-core on each page.

Marc Vandamme (demo employee) has an open cycle whose planning is late; his manager
Ratana Than has a reminder about it, reads it from the header and opens his timeline.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from koers.core import clock
from koers.core.models import User
from koers.cycles.reminders import send_reminders
from koers.rulebook.deadlines import Due
from tests.browser.site import Site, assert_accessible
from tests.factories import participations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "marc.vandamme@demo.koers"
MANAGER = "ratana.than@demo.koers"
NOTIFICATIONS = re.compile(r"^(Meldingen|Notifications) 1 (ongelezen|unread)$")


def test_manager_follows_a_reminder_to_the_timeline(site: Site, demo: None) -> None:
    marc = User.objects.get(email=EMPLOYEE).person
    today = clock.today()
    cycle = participations.cycle(marc.organisation, today.year)
    participations.participation(
        cycle, marc, only=Due.PLANNING, due=today - dt.timedelta(days=1),
        evaluation_due=today + dt.timedelta(days=60),
    )
    send_reminders(today_by_org={marc.organisation_id: today})
    site.login(MANAGER)

    site.page.get_by_role("link", name=NOTIFICATIONS).click()
    assert_accessible(site.page)
    site.page.get_by_role("link", name=re.compile("Marc Vandamme")).first.click()

    expect(site.page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
    late = site.page.locator(".koers-overdue")
    expect(late).to_have_count(1)
    # Red, with an icon for the eye and the word for everyone; a screen reader reads the word.
    expect(late).to_have_text(re.compile(r"^⚠ (Te laat|Overdue)$"))
    expect(late).to_match_aria_snapshot("- text: /^(Te laat|Overdue)$/")
    assert_accessible(site.page)
