"""A newcomer and a leaver on the timeline in a real browser, with axe-core on each page.

Sources: PLOEG-gesprekken, https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken
(the planning within the first three months, 90 days, counted here from the newcomer's
start); Vlaams personeelsstatuut, Deel IV, hoofdstukken 1–2,
https://overheid.vlaanderen.be/BVR_Deel04-h1-h2 (someone who retires may, with their
agreement, be evaluated before leaving).
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from koers.core import clock
from koers.core.models import User
from koers.cycles.models import Cycle, Participation
from koers.organisation.models import Person
from tests import factories
from tests.browser.site import Site, assert_accessible
from tests.factories import participations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The Flemish demo agency: Hilde Claes is HR of the whole organisation, Tom Peeters
# heads a department.
HR = "hilde.claes@demo.koers"
EMPLOYEE = "tom.peeters@demo.koers"
SAVE = re.compile("^(Afspraken over het vertrek opslaan|Save what was agreed about leaving)$")


def _row(person: Person) -> Participation:
    """The person's participation in the cycle of this year (the demo may have one)."""
    today = clock.today()
    cycle = Cycle.objects.filter(organisation=person.organisation, year=today.year).first() \
        or participations.cycle(person.organisation, today.year)
    return Participation.objects.filter(cycle=cycle, person=person).first() \
        or participations.participation(cycle, person)


def test_hr_records_that_tom_retires_and_is_evaluated_before_leaving(
        site: Site, demo: None) -> None:
    marc = User.objects.get(email=EMPLOYEE).person
    assert marc is not None
    today = clock.today()
    row = _row(marc)
    last_day = today + dt.timedelta(days=30)
    site.login(HR)
    site.go(f"/people/{marc.pk}/timeline/")
    form = site.page.locator(f"form[action$='/{row.pk}/leaving/']")

    form.get_by_label(re.compile("^(Waarom de persoon vertrekt|Why the person leaves)")
                      ).select_option("retirement")
    form.get_by_label(re.compile("^(Laatste werkdag|Last working day)")).fill(
        last_day.isoformat())
    form.get_by_label(re.compile("^(De medewerker gaat akkoord|The employee agrees)")).check()
    form.get_by_role("button", name=SAVE).click()

    day = last_day.strftime("%d-%m-%Y")
    expect(site.page.get_by_text(re.compile(
        "(Geëvalueerd vóór het vertrek|Evaluated before leaving)"))).to_be_visible()
    expect(site.page.get_by_role("row", name=re.compile(
        f"{day} (Evaluatiegesprek|Evaluation conversation)"))).to_be_visible()
    assert_accessible(site.page)
    row.refresh_from_db()
    assert (row.evaluation_due, row.evaluated_before_leaving, row.closed_on) == (
        last_day, True, None)

    hr = User.objects.get(email=HR)
    hr.language = "en"
    hr.save(update_fields=["language"])
    site.go(f"/people/{marc.pk}/timeline/")
    expect(site.page.get_by_text(re.compile("Agreed to be evaluated before leaving "
                                            r"\(retires\)"))).to_be_visible()


def test_a_newcomers_planning_follows_the_start(site: Site, demo: None) -> None:
    marc = User.objects.get(email=EMPLOYEE).person
    assert marc is not None
    today = clock.today()
    start = max(today - dt.timedelta(days=5), dt.date(today.year, 1, 2))
    newcomer = factories.person(marc.unit, first_name="Nele", last_name="Nieuw",
                                start_date=start)
    _row(newcomer)
    expected = min(max(dt.date(today.year, 3, 31), start + dt.timedelta(days=89)),
                   dt.date(today.year + 1, 3, 15))
    assert Participation.objects.get(person=newcomer).planning_due == expected
    site.login(HR)

    site.go(f"/people/{newcomer.pk}/timeline/")

    expect(site.page.get_by_role("row", name=re.compile(
        f"{expected.strftime('%d-%m-%Y')} (Planningsgesprek|Planning conversation)"))
    ).to_be_visible()
    expect(site.page.locator(".koers-overdue")).to_have_count(0)
    assert_accessible(site.page)
