"""The main menu on a phone and on a desktop. Below 40rem it folds behind one "Menu"
button, so the page's own content starts near the top of the screen (WCAG 1.4.10
Reflow: content at 320 CSS px without scrolling in two directions); the button is
reached and worked with the keyboard (WCAG 2.1.1). On a desktop the menu is open."""

import pytest
from playwright.sync_api import expect

from koers.core.models import User
from tests import personas
from tests.browser.site import Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {"nl": {"menu": "Menu", "goals": "Mijn doelstellingen", "start": "Start"},
         "en": {"menu": "Menu", "goals": "My goals", "start": "Start"}}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_menu_folds_on_a_phone_and_opens_with_the_keyboard(site: Site,
                                                               language: str) -> None:
    p = personas.build()
    User.objects.update(language=language)
    w = WORDS[language]
    page = site.page
    page.set_viewport_size({"width": 360, "height": 740})
    assert p.employee.user is not None
    site.login(p.employee.user.email)
    menu = page.get_by_role("navigation", name="Hoofdmenu" if language == "nl"
                            else "Main menu")
    button = page.get_by_role("button", name=w["menu"])

    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    top = page.locator("main h1").bounding_box()
    assert top is not None
    assert top["y"] < 150
    assert_accessible(page)

    # Skip link, the brand, then the button: three steps of the Tab key.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name=w["goals"])).to_be_visible()
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name=w["start"])).to_be_focused()
    expect(menu.get_by_role("link", name=w["start"])).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(button).to_be_focused()
    expect(menu).to_be_hidden()

    button.click()
    menu.get_by_role("link", name=w["goals"]).click()
    expect(page).to_have_url(site.url + "/goals/")
    expect(menu).to_be_hidden()  # a new page starts folded again


def test_the_menu_is_open_on_a_desktop(site: Site) -> None:
    p = personas.build()
    page = site.page
    page.set_viewport_size({"width": 1280, "height": 800})
    assert p.hr.user is not None
    site.login(p.hr.user.email)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    for name in ("Start", "Mijn doelstellingen", "Organisatie", "Cycli", "Inzageaanvragen"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert_accessible(page)
