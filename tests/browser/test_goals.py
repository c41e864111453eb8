"""Goals in a real browser: Marc proposes a goal, Ratana (his 1st evaluator) confirms it.

The demo data is the one `koers demo` serves (see test_home.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.site import Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "marc.vandamme@demo.koers"
MANAGER = "ratana.than@demo.koers"
TITLE = "Tegen 30 juni 90 % van de loonvragen binnen 2 werkdagen beantwoorden"


def test_a_goal_marc_proposes_is_agreed_once_ratana_confirms(site: Site, demo: None) -> None:
    page = site.page
    site.login(EMPLOYEE)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn doelstellingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn doelstellingen")
    assert_accessible(page)

    page.get_by_role("link", name="Doelstelling voorstellen").click()
    assert_accessible(page)
    page.get_by_label("Soort doelstelling").select_option("performance")
    page.get_by_label("Doelstelling", exact=True).fill(TITLE)
    page.get_by_label("Maatstaf / succesindicatoren").fill("Rapport uit het ticketsysteem")
    page.get_by_label("Deadline").fill("2099-06-30")
    page.get_by_label("Tussenstappen").fill("31-03-2099 Werkwijze afgesproken met het team")
    page.get_by_role("button", name="Voorstellen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text("voorgesteld")
    assert_accessible(page)
    site.logout()

    site.login(MANAGER)
    page.get_by_role("region", name=re.compile("^(Mijn team|My team)$")).get_by_role(
        "link", name="Marc Vandamme").click()
    page.get_by_role("link", name="Doelstellingen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Doelstelling bevestigen").click()
    expect(page.get_by_role("main")).to_contain_text("afgesproken")
    assert_accessible(page)
    site.logout()

    site.login(EMPLOYEE)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn doelstellingen").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE))
    expect(row).to_contain_text("afgesproken")
    assert site.errors == []


def test_the_team_goals_page_is_accessible(site: Site, demo: None) -> None:
    site.login(MANAGER)
    site.page.get_by_role("link", name=re.compile("^Teamdoelstellingen en")).click()
    expect(site.page.get_by_role("heading", level=1)).to_have_text("Teamdoelstellingen")
    site.page.get_by_role("link", name="Teamdoelstelling vastleggen").click()
    assert_accessible(site.page)
    site.page.get_by_label("Doelstelling", exact=True).fill("Dienstverlening verbeteren")
    site.page.get_by_role("button", name="Teamdoelstelling vastleggen").click()
    expect(site.page.get_by_role("main")).to_contain_text("Dienstverlening verbeteren")
    assert_accessible(site.page)
