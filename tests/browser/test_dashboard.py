"""HR follows a cycle on the dashboard in a real browser: from home, down the tree and
back up by the breadcrumb, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from koers.core.models import User
from koers.organisation.models import Unit
from tests.browser.site import Site, assert_accessible
from tests.factories import bulk_participations
from tests.factories import participations as cycles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HR = "els.deckers@demo.koers"  # HR of the federal demo administration
PROGRESS_LINK = re.compile(r"^(Voortgang van cyclus|Progress of cycle) 2026 in ")
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
