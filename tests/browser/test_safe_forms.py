"""A required field in a real browser: neutral while untouched, invalid once the person
tries to send the form empty. The library colours an empty required textarea as invalid
from the first load; Koers holds that back until a submit (koers.css).

The demo data is the one `koers demo` serves (see test_home.py).
"""

import pytest
from playwright.sync_api import Locator, expect

from koers.organisation.models import Person
from tests.browser.site import Site
from tests.factories import goals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "marc.vandamme@demo.koers"
STYLE = "e => { const s = getComputedStyle(e); return [s.borderColor, s.backgroundColor]; }"


def _look(field: Locator) -> list[str]:
    """Border and background as shown, without the focus ring's colours."""
    field.blur()
    field.page.mouse.move(0, 0)
    return field.evaluate(STYLE)


def test_an_empty_required_note_looks_neutral_until_sent_empty(site: Site, demo: None) -> None:
    page = site.page
    goal = goals.proposed(Person.objects.get(user__email=EMPLOYEE))  # Marc adds notes to it
    site.login(EMPLOYEE)
    site.go(f"/goals/{goal.pk}/")
    note = page.get_by_role("textbox", name="Opvolgingsnotitie", exact=True)
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
