"""A federal stage in a real browser, in Dutch, on a phone and a desktop, with axe-core on
every page: HR records Marc's stage from 1 January 2026; its page shows the computed
conversations (BOSA "Evaluatieperiode stagiair" [b12], Fedweb "Stagiairs — Gesprekken"
[b14]); Ratana, his 1st evaluator, finds the planning conversation on her start page; at
the end HR records the appointment (BOSA "Vermeldingen" [b13]).
"""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from koers.core.models import User
from koers.evaluations.models import Probation
from koers.organisation.models import PolicyPreset
from tests import personas
from tests.browser.site import Site, assert_accessible
from tests.factories import evaluations as ev

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def _not_wider_than_the_screen(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= width


@pytest.mark.parametrize("width", [360, 1280])
def test_hr_records_a_stage_the_evaluator_follows_it_and_hr_records_the_appointment(
        site: Site, width: int, tmp_path: Path) -> None:
    page = site.page
    page.set_viewport_size({"width": width, "height": 800})
    p = personas.build()
    p.employee.start_date = D(2026, 1, 1)
    p.employee.save(update_fields=["start_date"])
    cast = ev.cast(p, preset=PolicyPreset.FEDERAL, goal_count=0)
    people = [cast.employee, cast.first, cast.hr]
    User.objects.filter(person__in=people).update(language="nl")
    email = {person.pk: person.user.email for person in people if person.user is not None}

    with ev.on(D(2026, 1, 2)):
        site.login(email[cast.hr.pk])
        site.go(f"/people/{cast.employee.pk}/probation/new/")
        page.get_by_label("Waarom loopt de medewerker een stage?").select_option("recruitment")
        page.get_by_label("Stage begint op").fill("2026-01-01")
        page.get_by_label("Duur in maanden").fill("12")
        page.get_by_role("button", name="Leg de stage vast").click()
        expect(main(page)).to_contain_text("Gesprekken van de stage")
        expect(main(page)).to_contain_text("Stage van Marc Vandamme")
        expect(main(page)).not_to_contain_text("proeftijd", ignore_case=True)
        for day in ("31-01-2026", "02-04-2026", "02-07-2026", "01-10-2026", "31-12-2026"):
            expect(main(page)).to_contain_text(day)
        assert_accessible(page)
        _not_wider_than_the_screen(page)
        page.screenshot(path=tmp_path / f"stage_{width}.png", full_page=True)
        site.logout()
    stage = Probation.objects.get()

    with ev.on(D(2026, 1, 5)):
        site.login(email[cast.first.pk])
        expect(main(page)).to_contain_text("Voer het stageplanningsgesprek met Marc Vandamme")
        site.logout()

    with ev.on(D(2027, 1, 4)):
        site.login(email[cast.hr.pk])
        site.go(f"/probations/{stage.pk}/")
        page.get_by_label("benoeming").check()
        assert_accessible(page)
        page.get_by_role("button", name="De uitkomst vastleggen").click()
        expect(main(page)).to_contain_text("Benoeming (04-01-2027)")
        assert_accessible(page)
    stage.refresh_from_db()
    assert (stage.outcome, stage.decided_on) == ("appoint", D(2027, 1, 4))
