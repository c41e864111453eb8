"""The appeal board reads an evaluation file; the management body decides salary steps.

Both journeys on pages audited by axe-core: the appeal, the read-only file, the worklist
and its result.
"""

import pytest
from playwright.sync_api import expect

from koers.consequences.models import CaseFileRead, SalaryDecision
from tests import personas
from tests.browser.site import Site, assert_accessible
from tests.factories import consequences as cf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_reads_the_file_and_the_management_body_decides(site: Site,
                                                                  settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    p = personas.build()
    cf.evaluation_based(p.employee)
    cf.evaluation_based(p.colleague)
    bodies = cf.bodies(p)
    appeal = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende",
                                       overall="Te weinig dossiers afgewerkt."))
    cf.delivered(p, p.colleague)
    page = site.page

    site.login(bodies.board.email)
    site.go("/consequences/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beroep en salarisbeslissingen")
    assert_accessible(page)
    page.get_by_role("link", name="Marc Vandamme · 2025").click()
    expect(page.get_by_role("main")).to_contain_text(cf.GROUNDS)
    assert_accessible(page)
    page.get_by_role("link", name="Het evaluatiedossier lezen").click()
    expect(page.get_by_role("main")).to_contain_text("Te weinig dossiers afgewerkt.")
    assert_accessible(page)
    site.logout()
    assert CaseFileRead.objects.filter(appeal=appeal).count() == 2

    site.login(bodies.management.email)
    site.go("/salary-decisions/")
    expect(page.get_by_role("main")).to_contain_text("Er loopt een beroep")
    assert_accessible(page)
    page.get_by_label("Salaristrap van Peter Gordon").select_option("1")
    page.get_by_role("button", name="De gekozen beslissingen nemen").click()
    expect(page.get_by_role("main")).to_contain_text("1 salarisbeslissing genomen.")
    assert_accessible(page)
    assert list(SalaryDecision.objects.values_list("person__first_name", "step")) == [
        ("Peter", 1)]
