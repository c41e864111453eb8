"""The home page as the three demo personas see it, in a real browser, with axe-core.

The demo data is the one `koers demo` serves: Marc Vandamme works in a federal
administration, Ratana Than is his manager (1st evaluator) and Els Deckers is HR there.
"""

import re

import pytest
from playwright.sync_api import Locator, expect

from koers.core import clock
from koers.core.models import User
from koers.organisation import selectors
from koers.organisation.models import Unit
from tests.browser.site import Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "marc.vandamme@demo.koers"
MANAGER = "ratana.than@demo.koers"
HR = "els.deckers@demo.koers"

MY_PROFILE = re.compile(r"^(Mijn profiel|My profile)$")
MY_TEAM = re.compile(r"^(Mijn team|My team)$")
STAFF_SERVICE = "Stafdienst P&O"
ORGANISATION = re.compile(r"^(Organisatie|Organisation)$")


def staff_service() -> Unit:
    """The HR staff service Marc, Ratana and Els work in."""
    return Unit.objects.select_related("parent").get(
        organisation__people__user__email=EMPLOYEE, name=STAFF_SERVICE
    )


def unit_entry(scope: Locator, name: str) -> Locator:
    """The table row or list item that names a unit, whatever the markup around it."""
    named = scope.page.get_by_text(name, exact=True)
    return scope.get_by_role("row").or_(scope.get_by_role("listitem")).filter(has=named)


def count_pattern(count: int) -> re.Pattern[str]:
    """A head count as a number of its own, not as digits of a longer one."""
    return re.compile(rf"(^|\D){count}(\D|$)")


def test_employee_sees_own_profile_with_first_evaluator(site: Site, demo: None) -> None:
    site.login(EMPLOYEE)

    profile = site.page.get_by_role("region", name=MY_PROFILE)
    expect(profile).to_contain_text("Vandamme")
    expect(profile).to_contain_text("Ratana Than")
    assert_accessible(site.page)


def test_manager_sees_her_team_table(site: Site, demo: None) -> None:
    site.login(MANAGER)

    team = site.page.get_by_role("region", name=MY_TEAM)
    expect(team.get_by_role("table")).to_contain_text("Marc Vandamme")
    expect(team.get_by_role("link", name="Marc Vandamme")).to_be_visible()
    assert_accessible(site.page)


def test_hr_sees_unit_tree_with_head_counts(site: Site, demo: None) -> None:
    today = clock.today()
    unit = staff_service()
    directorate = unit.parent
    assert directorate is not None

    site.login(HR)

    # The home page lists the units below the organisation; the staff service sits in
    # the directorate, one level down.
    organisation = site.page.get_by_role("region", name=ORGANISATION)
    entry = unit_entry(organisation, directorate.name)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(count_pattern(selectors.head_count(directorate, on=today)))
    assert_accessible(site.page)

    entry.get_by_role("link", name=directorate.name).click()

    expect(site.page.get_by_role("heading", level=1)).to_contain_text(directorate.name)
    entry = unit_entry(site.page.get_by_role("main"), STAFF_SERVICE)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(count_pattern(selectors.head_count(unit, on=today)))


def test_language_choice_is_remembered_per_user(site: Site, demo: None) -> None:
    page = site.page
    html = page.locator("html")
    site.login(EMPLOYEE)
    expect(html).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Mijn profiel")).to_be_visible()

    page.get_by_role("button", name="English").click()

    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="Start")).to_be_visible()
    assert User.objects.get(email=EMPLOYEE).language == "en"

    site.logout()
    # Without the browser's language cookie, only the choice saved on the user is left.
    site.context.clear_cookies()
    site.go("/accounts/login/")
    expect(html).to_have_attribute("lang", "nl")
    site.login(EMPLOYEE)

    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()


def test_pages_load_without_browser_errors(site: Site, demo: None) -> None:
    """No CSP violation, missing static file or script error on the way to the home page."""
    site.login(EMPLOYEE)
    expect(site.page.get_by_role("region", name=MY_PROFILE)).to_be_visible()

    assert site.errors == []


def test_login_and_structure_pages_are_accessible(site: Site, demo: None) -> None:
    """axe-core on the pages around the home pages: log-in, a unit, a person, an edit form."""
    site.go("/accounts/login/")
    assert_accessible(site.page)
    site.login(HR)
    unit = staff_service()
    for path in (
        f"/units/{unit.pk}/",
        f"/units/{unit.pk}/edit/",
        f"/people/{unit.manager_id}/",
        f"/people/{unit.manager_id}/edit/",
        "/import/",
    ):
        site.go(path)
        expect(site.page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(site.page)
    assert site.errors == []
