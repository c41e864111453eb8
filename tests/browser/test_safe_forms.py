"""A required field in a real browser: neutral while untouched, invalid once the person
tries to send the form empty. The library colours an empty required textarea as invalid
from the first load; Koers holds that back until a submit (koers.css).

The demo data is the one `koers demo` serves (see test_home.py).
"""

import pytest
from playwright.sync_api import Locator, expect

from koers.goals.models import Goal
from koers.goals.states import OPEN_GROUP
from tests.browser.site import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "marc.vandamme@demo.koers"
STYLE = "e => { const s = getComputedStyle(e); return [s.borderColor, s.backgroundColor]; }"


def _look(field: Locator) -> list[str]:
    return field.evaluate(STYLE)


def test_an_empty_required_note_looks_neutral_until_sent_empty(site: Site, demo: None) -> None:
    page = site.page
    site.login(EMPLOYEE)
    goal = Goal.objects.filter(owner__user__email=EMPLOYEE,
                               status__in=OPEN_GROUP).order_by("pk").first()
    assert goal is not None
    site.go(f"/goals/{goal.pk}/")
    note = page.get_by_label("Opvolgingsnotitie")
    expect(note).to_have_attribute("required", "")
    expect(note).not_to_have_attribute("aria-invalid", "true")

    untouched = _look(note)
    note.fill("Eerste stap gezet.")
    filled = _look(note)
    note.fill("")
    page.get_by_role("button", name="Notitie toevoegen").click()  # the browser refuses it

    assert untouched == filled  # empty and untouched looks like a valid field
    assert _look(note) != untouched  # after trying to send it empty: marked invalid
    assert site.errors == []
