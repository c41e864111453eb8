"""HR changes the organisation's policy in a real browser, with axe-core on every page.

Els Deckers is HR of the demo's federal administration (its top unit).
"""

import re

import pytest
from playwright.sync_api import expect

from koers.rulebook.models import PolicyChange
from tests.browser.site import Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HR = "els.deckers@demo.koers"
EMPLOYEE = "marc.vandamme@demo.koers"


def test_hr_changes_a_setting_after_a_refused_value(site: Site, demo: None) -> None:
    site.login(HR)
    site.page.get_by_role("navigation").get_by_role("link", name="Beleid").click()
    expect(site.page.get_by_role("heading", level=1)).to_contain_text("Beleid van")
    assert_accessible(site.page)

    site.page.get_by_role("link", name="Instellingen wijzigen").click()
    days = site.page.get_by_label("Dagen voor de medewerker om te ondertekenen na ontvangst")
    days.fill("99")
    site.page.get_by_role("button", name="Opslaan").click()
    expect(site.page.get_by_role("alert")).to_contain_text("Kies een waarde van 1 tot 60.")
    expect(days).to_have_attribute("aria-invalid", "true")
    assert_accessible(site.page)
    assert not PolicyChange.objects.exists()

    days.fill("20")
    site.page.get_by_role("button", name="Opslaan").click()
    expect(site.page.get_by_role("status")).to_contain_text("1 instelling is gewijzigd.")
    history = site.page.get_by_role("table", name=re.compile("wijzigingen, nieuwste eerst"))
    expect(history).to_contain_text("Els Deckers")
    expect(history).to_contain_text("15 dagen")
    expect(history).to_contain_text("20 dagen")
    assert_accessible(site.page)
    assert site.errors == []


def test_an_employee_reads_the_policy(site: Site, demo: None) -> None:
    site.login(EMPLOYEE)
    site.go("/policy/")

    expect(site.page.get_by_role("heading", level=1)).to_contain_text("Beleid van")
    expect(site.page.get_by_role("link", name="Instellingen wijzigen")).to_have_count(0)
    assert_accessible(site.page)
    assert site.errors == []
