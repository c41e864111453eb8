"""HR records an agreed period on the timeline in a real browser, with axe-core on each page.

Marc Vandamme's federal period starts on 3 October; his administration raised the
longest period by agreement to 15 months, so it may start up to 3 months earlier.
"""

import re

import pytest
from playwright.sync_api import expect

from koers.core import clock
from koers.core.models import User
from koers.rulebook.calendar import add_months
from koers.rulebook.services import policy_settings_change
from tests.browser.site import Site, assert_accessible
from tests.factories import participations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HR = "els.deckers@demo.koers"
EMPLOYEE = "marc.vandamme@demo.koers"
SAVE = re.compile("^(Afgesproken periode opslaan|Save the agreed period)$")


def test_hr_records_an_agreed_period_and_a_refused_one_says_why(site: Site, demo: None) -> None:
    marc = User.objects.get(email=EMPLOYEE).person
    policy_settings_change(organisation=marc.organisation,
                           values={"maximum_period_months": 15},
                           actor=User.objects.get(email=HR))
    row = participations.participation(
        participations.cycle(marc.organisation, clock.today().year), marc)
    site.login(HR)
    site.go(f"/people/{marc.pk}/timeline/")
    form = site.page.locator(f"form[action$='/{row.pk}/period/']")
    too_early = add_months(row.period_start, -4)

    form.get_by_label(re.compile("^(Eerste dag|First day)")).fill(too_early.isoformat())
    form.get_by_label(re.compile("^(Wat is afgesproken|What was agreed)")).fill(
        "Afgesproken met Marc en zijn 1ste evaluator.")
    form.get_by_role("button", name=SAVE).click()

    expect(site.page.get_by_role("alert")).to_contain_text(re.compile("15 (maanden|months)"))
    assert_accessible(site.page)

    form = site.page.locator(f"form[action$='/{row.pk}/period/']")
    earlier = add_months(row.period_start, -3)
    form.get_by_label(re.compile("^(Eerste dag|First day)")).fill(earlier.isoformat())
    form.get_by_role("button", name=SAVE).click()

    day = earlier.strftime("%d-%m-%Y")
    expect(site.page.get_by_text(re.compile(f"(Periode van|Period from) {day}"))).to_be_visible()
    expect(site.page.get_by_role("button", name=re.compile(
        "^(Terug naar de gewone periode|Back to the normal period)$"))).to_be_visible()
    assert_accessible(site.page)
    normal_end = row.period_end
    row.refresh_from_db()
    assert (row.period_start, row.period_end, row.agreed_period_start) == (
        earlier, normal_end, earlier)
