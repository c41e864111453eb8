"""HR asks to read Marc's goals or his evaluation, his 2nd evaluator grants it, Marc sees
who looked; after the period HR no longer reads it.

The goal journey runs on the demo data `koers demo` serves (see test_home.py), the
evaluation journey on the personas; the grant ends by itself.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from koers.core import clock
from koers.core.models import User
from koers.organisation.models import Person
from tests import personas
from tests.browser.site import Site, assert_accessible
from tests.factories import consequences as consequence_factories
from tests.factories import evaluations as evaluation_factories
from tests.factories import goals as goal_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HR = "els.deckers@demo.koers"
APPROVER = "an.desmet@demo.koers"
EMPLOYEE = "marc.vandamme@demo.koers"
TITLE = "GEHEIM: tegen 30 juni de loonvragen binnen 2 werkdagen beantwoorden"
REASON = "Klacht over de opvolging onderzoeken"


def test_hr_reads_marcs_goal_under_a_granted_request_and_marc_sees_it(
        site: Site, demo: None) -> None:
    page = site.page
    marc = Person.objects.get(user=User.objects.get(email=EMPLOYEE))
    goal = goal_factories.proposed(marc, title=TITLE)
    today = clock.today()

    site.login(HR)
    site.go(f"/people/{marc.pk}/access/new/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
    assert_accessible(page)
    page.get_by_label("Wat je wilt inzien").select_option("goals")
    page.get_by_label("Waarom je het nodig hebt").fill(REASON)
    page.get_by_label("Van", exact=True).fill(today.isoformat())
    page.get_by_label("Tot", exact=True).fill((today + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inzageaanvragen")
    expect(page.get_by_role("main")).to_contain_text("aangevraagd")
    assert_accessible(page)
    site.logout()

    site.login(APPROVER)
    page.get_by_role("navigation").get_by_role("link", name="Inzageaanvragen").click()
    expect(page.get_by_role("main")).to_contain_text(REASON)
    assert_accessible(page)
    page.get_by_role("button", name="Toestaan").click()
    expect(page.get_by_role("main")).to_contain_text("Er wachten geen aanvragen")
    site.logout()

    site.login(HR)
    site.go(f"/goals/{goal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    site.logout()

    site.login(EMPLOYEE)
    page.locator("summary", has_text="Account").click()  # the account menu
    page.get_by_role("navigation").get_by_role("link", name="Wie keek naar mijn gegevens").click()
    # The grant (who may read, why, granted by whom) and each read under it.
    grant = page.get_by_role("region", name="Inzage toegestaan aan HR").get_by_role("row") \
        .filter(has_text=REASON)
    expect(grant).to_contain_text("Els Deckers")
    read = page.get_by_role("region", name="Inzages").get_by_role("row").filter(has_text=REASON)
    expect(read).to_contain_text("Els Deckers")
    expect(read).to_contain_text(TITLE)
    assert_accessible(page)
    site.logout()
    assert site.errors == []

    # After the period the grant has ended by itself: the same 404 as for any stranger.
    with clock.frozen(clock.now() + dt.timedelta(days=8)):
        site.login(HR)
        response = page.goto(f"{site.url}/goals/{goal.pk}/")
        assert response is not None
        assert response.status == 404
        expect(page.locator("body")).not_to_contain_text(TITLE)


def test_hr_reads_marcs_evaluation_under_a_granted_request_and_no_longer_after_it(
        site: Site) -> None:
    """The same with an evaluation (the personas: Stad Lindendaal, Flemish policy)."""
    page = site.page
    p = personas.build()
    secret = "Marc hield de afgesproken termijnen niet aan."
    evaluation = consequence_factories.delivered(p, p.employee, overall=secret)
    approver = evaluation.second_evaluator
    assert approver is not None
    assert approver.user is not None
    reason = "Bezwaar tegen de evaluatie voorbereiden"
    day = consequence_factories.IN_TERM

    with evaluation_factories.on(day):
        # Without a grant HR sees where the evaluation stands, not what it says.
        site.login(p.hr.user.email)
        site.go(f"/evaluations/{evaluation.pk}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("main")).not_to_contain_text(secret)
        site.go(f"/people/{p.employee.pk}/access/new/")
        page.get_by_label("Wat je wilt inzien").select_option("evaluations")
        page.get_by_label("Waarom je het nodig hebt").fill(reason)
        page.get_by_label("Van", exact=True).fill(day.isoformat())
        page.get_by_label("Tot", exact=True).fill((day + dt.timedelta(days=3)).isoformat())
        page.get_by_role("button", name="Aanvraag versturen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Inzageaanvragen")
        site.logout()

        site.login(approver.user.email)
        page.get_by_role("navigation").get_by_role("link", name="Inzageaanvragen").click()
        expect(page.get_by_role("main")).to_contain_text(reason)
        page.get_by_role("button", name="Toestaan").click()
        expect(page.get_by_role("main")).to_contain_text("Er wachten geen aanvragen")
        site.logout()

        site.login(p.hr.user.email)
        site.go(f"/evaluations/{evaluation.pk}/")
        expect(page.get_by_role("main")).to_contain_text(secret)
        assert_accessible(page)
        site.logout()

        site.login(p.employee.user.email)
        page.locator("summary", has_text="Account").click()  # the account menu
        page.get_by_role("navigation").get_by_role("link",
                                                   name="Wie keek naar mijn gegevens").click()
        read = page.get_by_role("region", name="Inzages").get_by_role("row") \
            .filter(has_text=reason)
        expect(read).to_contain_text(p.hr.full_name)
        assert_accessible(page)
        site.logout()
    assert site.errors == []

    # After the period: where it stands still, what it says no longer.
    with evaluation_factories.on(day + dt.timedelta(days=4)):
        site.login(p.hr.user.email)
        site.go(f"/evaluations/{evaluation.pk}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("main")).not_to_contain_text(secret)
