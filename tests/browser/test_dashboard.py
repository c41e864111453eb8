"""HR follows a cycle on the dashboard in a real browser: from home, down the tree and
back up by the breadcrumb; from a late count to the people late and a reminder to them,
in Dutch and English, at 1280 and 360 px; with axe-core on every page."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.db.models import F
from playwright.sync_api import Page, expect

from koers.core import clock
from koers.core.models import User
from koers.cycles.models import LateReminder
from koers.notify.models import Notification
from koers.organisation.models import Unit
from tests.browser.site import Site, assert_accessible
from tests.factories import bulk_participations
from tests.factories import participations as cycles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HR = "els.deckers@demo.koers"  # HR of the federal demo administration
PROGRESS_LINK = re.compile(
    r"^(Voortgang in|Progress in) .*: (evaluatiecyclus|evaluation cycle) 2026$")
PROGRESS = re.compile(r"^(Voortgang van de cyclus|Progress of the cycle) in ")
OVERDUE = re.compile(r"^(Stappen te laat|Steps overdue) in ")


def test_hr_drills_down_the_dashboard_and_back(site: Site, demo: None) -> None:
    hr = User.objects.get(email=HR).person
    organisation = hr.organisation
    top = Unit.objects.get(organisation=organisation, parent=None)
    child = Unit.objects.filter(parent=top).order_by("name", "pk").first()
    assert child is not None
    cycle = cycles.cycle(organisation, 2026)
    bulk_participations.participations(cycle, organisation.people.all())
    site.login(HR)

    site.page.get_by_role("link", name=PROGRESS_LINK).first.click()

    expect(site.page.get_by_role("heading", level=1)).to_contain_text("2026")
    expect(site.page.get_by_role("table", name=PROGRESS)).to_be_visible()
    expect(site.page.get_by_role("table", name=OVERDUE)).to_be_visible()
    assert_accessible(site.page)

    site.page.get_by_role("table", name=PROGRESS).get_by_role("link", name=child.name).click()

    expect(site.page.get_by_role("heading", level=1)).to_contain_text(child.name)
    assert_accessible(site.page)
    site.page.get_by_role("navigation").get_by_role("link", name=top.name).click()
    expect(site.page.get_by_role("heading", level=1)).to_contain_text(top.name)
    assert site.errors == []


# Els follows up the planning: from Start to the dashboard, from the late count of the
# planning to the people late on it, and reminds two of them, in Dutch and in English.
JOURNEY = {
    "nl": {"steps": "Voortgang per stap in ", "late": re.compile(r"te laat \(\d+ %\)$"),
           "heading": "Te laat voor Planningsgesprek", "remind": "Herinneren over ",
           "send": "Herinnering sturen over de geselecteerde personen",
           "sent": "Herinneringen verstuurd over 2 personen", "reminded": "Vandaag herinnerd",
           "back": "Terug naar het dashboard van "},
    "en": {"steps": "Progress per step in ", "late": re.compile(r"late \(\d+%\)$"),
           "heading": "Late on Planning conversation", "remind": "Remind about ",
           "send": "Send a reminder about the selected people",
           "sent": "Reminders sent about 2 people", "reminded": "Reminded today",
           "back": "Back to the dashboard of "},
}
AFTER_PLANNING = dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC)
SCREENS = Path("test-results/screens")


def _fits(page: Page, width: int) -> None:
    # Measured once the style sheets have loaded: a page that has its heading but not yet
    # its styles is as wide as its widest unstyled table.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["nl", "en"])
def test_hr_drills_down_to_the_people_late_on_planning_and_reminds_them(
        site: Site, demo: None, language: str) -> None:
    words = JOURNEY[language]
    user = User.objects.get(email=HR)
    User.objects.filter(pk=user.pk).update(language=language)
    organisation = user.person.organisation
    cycle = cycles.cycle(organisation, 2026)
    # The federal cycle conversation plans the next cycle, so only people in their first
    # period have a planning of their own, in their first month ([b14]): three started
    # on 1 February and have not planned by the middle of June, in units whose head, their
    # 1st evaluator, signs in to Koers (and so can be reminded).
    led = organisation.people.filter(unit__manager__user__isnull=False).exclude(
        unit__manager=F("pk")).exclude(pk=user.person.pk)
    newcomers = list(led.order_by("pk")[:3])
    bulk_participations.participations(cycle, newcomers, planning_due=dt.date(2026, 2, 28))
    bulk_participations.participations(
        cycle, organisation.people.exclude(pk__in=[p.pk for p in newcomers]))
    page = site.page
    SCREENS.mkdir(parents=True, exist_ok=True)
    with clock.frozen(AFTER_PLANNING):
        site.login(HR)

        page.get_by_role("link", name=PROGRESS_LINK).first.click()
        steps = page.get_by_role("table", name=re.compile("^" + re.escape(words["steps"])))
        expect(steps).to_be_visible()
        assert_accessible(page)
        page.screenshot(path=SCREENS / f"dashboard-{language}-1280.png", full_page=True)
        steps.get_by_role("row").nth(1).get_by_role("link", name=words["late"]).click()

        expect(page.get_by_role("heading", level=1)).to_contain_text(words["heading"])
        assert_accessible(page)
        page.screenshot(path=SCREENS / f"late-{language}-1280.png", full_page=True)
        chosen = page.get_by_role("checkbox", name=re.compile("^" + words["remind"]))
        chosen.nth(0).check()
        chosen.nth(1).check()
        page.get_by_role("button", name=words["send"]).click()

        expect(page.get_by_text(words["sent"])).to_be_visible()
        expect(page.get_by_text(words["reminded"], exact=True)).to_have_count(2)
        assert_accessible(page)
        page.set_viewport_size({"width": 360, "height": 740})
        _fits(page, 360)
        page.screenshot(path=SCREENS / f"late-{language}-360.png", full_page=True)
        # Each name leads to the person's timeline.
        page.get_by_role("table").get_by_role("row").nth(1).get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"/people/\d+/timeline/$"))
        page.go_back()
        page.get_by_role("link", name=re.compile("^" + words["back"])).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("2026")
        _fits(page, 360)
        page.screenshot(path=SCREENS / f"dashboard-{language}-360.png", full_page=True)

    reminded = LateReminder.objects.filter(sent_by=user)
    assert reminded.count() == 2
    assert Notification.objects.filter(kind__startswith="cycles.late_reminder").count() >= 2
    assert site.errors == []
