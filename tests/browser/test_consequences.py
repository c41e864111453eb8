"""The appeal board reads an evaluation file; the management body decides salary steps;
a federal appeal goes through the evaluation commission's advice.

Both journeys on pages audited by axe-core: the appeal, the read-only file, the worklist
and its result.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from koers.consequences.models import Appeal, CaseFileRead, SalaryDecision
from koers.consequences.states import AppealOutcome, AppealState
from koers.core.models import User
from koers.organisation.models import EmploymentStatus, Organisation, PolicyPreset
from tests import personas
from tests.browser.site import Site, assert_accessible
from tests.factories import consequences as cf
from tests.factories import evaluations as ev

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
    page.get_by_role("link", name="Marc Vandamme · evaluatieperiode 2025").click()
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


# The federal appeal (BOSA, "Beroep"; fedweb, "Beroepen"): a contract employee appeals
# within 20 working days, the commission hears both sides and advises a better mention,
# the leidend ambtenaar follows it.
FEDERAL_WORDS = {
    "nl": {"appeal": "In beroep gaan tegen de einduitspraak",
           "grounds": "Motivering van het beroep", "file": "Het beroep indienen",
           "filed": "Je beroep is ingediend; de ontvangst is bevestigd.",
           "hearing": "De hoorzitting vastleggen",
           "advice": "Het advies van de commissie vastleggen",
           "outcome": "De uitkomst vastleggen",
           "better": "vermelding vervalt: geen vermelding"},
    "en": {"appeal": "Appeal the verdict", "grounds": "Grounds of the appeal",
           "file": "File the appeal",
           "filed": "Your appeal is filed; its receipt is acknowledged.",
           "hearing": "Record the hearing", "advice": "Record the commission's advice",
           "outcome": "Record the outcome", "better": "mention lifted: no mention"},
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_federal_contract_employee_appeals_and_the_commission_lifts_the_mention(
        site: Site, settings, language: str) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    p = personas.build()
    cf.evaluation_based(p.employee, status=EmploymentStatus.CONTRACTUAL)
    cf.delivered(p, p.employee, verdict="onvoldoende")  # delivered on 12 December 2025
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.FEDERAL)
    User.objects.filter(pk__in=[p.employee.user_id, p.hr.user_id]).update(language=language)
    w = FEDERAL_WORDS[language]
    page = site.page
    main = page.get_by_role("main")

    # 5 January 2026: 24 calendar days after delivery, within 20 working days.
    with ev.on(dt.date(2026, 1, 5)):
        site.login(p.employee.email)
        site.go("/consequences/")
        main.get_by_role("link", name=re.compile(w["appeal"])).click()
        assert_accessible(page)
        page.get_by_label(w["grounds"]).fill(cf.GROUNDS)
        main.get_by_role("button", name=w["file"]).click()
        expect(main).to_contain_text(w["filed"])
        assert_accessible(page)
        site.logout()
    appeal = Appeal.objects.get()

    with ev.on(dt.date(2026, 1, 12)):
        site.login(p.hr.email)
        site.go(f"/appeals/{appeal.pk}/")
        for step in ("hearing", "advice", "outcome"):
            main.get_by_role("link", name=w[step]).click()
            assert_accessible(page)
            if step != "hearing":
                page.get_by_label(w["better"]).check()
            main.get_by_role("button", name=w[step]).click()
        expect(main).to_contain_text(w["better"].capitalize())
        site.logout()

    appeal.refresh_from_db()
    assert (appeal.state, appeal.advice, appeal.outcome) == (
        AppealState.DECIDED, AppealOutcome.CHANGED, AppealOutcome.CHANGED)
    with ev.on(dt.date(2026, 1, 13)):
        site.login(p.employee.email)
        site.go(f"/appeals/{appeal.pk}/")
        expect(main).to_contain_text(w["better"].capitalize())
        assert_accessible(page)
