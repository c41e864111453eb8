"""A 2nd evaluator who leaves the line, in a real browser, in Dutch and in English: Tom
heads Geert's department and is his 2nd evaluator; Ratana (Geert's 1st evaluator) has
signed. HR gives the department a new head, Sara. Tom now gets the very page a report
that does not exist gets; Sara finds the signature waiting in her task list and signs;
the security officer finds Tom's refused read in the security log.

The rule: docs/access.md, "Rights that follow the evaluator line".
"""

import re

import pytest
from playwright.sync_api import Page, expect

from koers.core.models import User
from koers.evaluations.models import Evaluation
from koers.evaluations.states import EvaluationState
from koers.organisation.models import Person, Role
from tests import factories, personas
from tests.browser.site import Site, assert_accessible
from tests.factories import evaluations as ev

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAYS = ev.days()
WORDS = {
    "nl": {"edit": "Eenheid bewerken", "manager": "Leidinggevende", "save": "Opslaan",
           "evaluations": "Evaluaties", "waiting": "Wacht op mij",
           "sign_second": "Ondertekenen als 2de evaluator", "sign_version": "Versie 1 ondertekenen",
           "security_log": "Beveiligingslogboek",
           "read": "lezen van een gegeven dat niet van hen is"},
    "en": {"edit": "Edit unit", "manager": "Manager", "save": "Save",
           "evaluations": "Evaluations", "waiting": "Waiting for me",
           "sign_second": "Sign as 2nd evaluator", "sign_version": "Sign version 1",
           "security_log": "Security log", "read": "read of a record not theirs"},
}


@pytest.fixture(params=["nl", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def status_and_text(page: Page, url: str) -> tuple[int, str]:
    response = page.goto(url)
    assert response is not None
    return response.status, page.get_by_role("main").inner_text()


def test_tom_leaves_geerts_line_sara_signs_and_the_refusal_is_logged(
        site: Site, language: str) -> None:
    w = WORDS[language]
    page = site.page
    p = personas.build()
    Person.objects.filter(pk=p.employee.pk).update(first_name="Geert", last_name="Wouters")
    p.employee.refresh_from_db()
    tom = p.department.manager
    assert tom is not None
    Person.objects.filter(pk=tom.pk).update(first_name="Tom", last_name="Peeters")
    sara = factories.person(p.department, with_user=True, first_name="Sara",
                            last_name="Jacobs")
    officer = factories.person(p.top, with_user=True, first_name="Sofie", last_name="Maes")
    factories.grant(officer, Role.SECURITY_OFFICER)
    cast = ev.cast(p)
    evaluation = ev.reach(cast, EvaluationState.FIRST_SIGNED)
    User.objects.update(language=language)
    assert tom.user
    assert sara.user
    assert officer.user
    assert p.hr.user

    with ev.on(DAYS["second"]):
        # HR gives the department its new head.
        site.login(p.hr.user.email)
        site.go(f"/units/{p.department.pk}/")
        page.get_by_role("main").get_by_role("link", name=w["edit"], exact=True).click()
        page.get_by_label(w["manager"]).select_option(label="Sara Jacobs")
        page.get_by_role("button", name=w["save"]).click()
        expect(page.get_by_role("main")).to_contain_text("Sara Jacobs")
        site.logout()

        # Tom: the report he would have signed answers like one that does not exist.
        site.login(tom.user.email)
        missing = status_and_text(page, f"{site.url}/evaluations/{evaluation.pk + 1000}/")
        gone = status_and_text(page, f"{site.url}/evaluations/{evaluation.pk}/")
        assert gone == missing
        assert gone[0] == 404
        assert_accessible(page)
        site.logout()

        # Sara finds the signature waiting for her and signs: the report goes to Geert.
        site.login(sara.user.email)
        page.get_by_role("navigation").get_by_role("link", name=w["evaluations"]).click()
        tasks = page.get_by_role("region", name=w["waiting"])
        expect(tasks).to_contain_text("Geert Wouters")
        tasks.get_by_role("link", name=re.compile("2025")).click()
        page.get_by_role("main").get_by_role("link", name=w["sign_second"]).click()
        assert_accessible(page)
        page.get_by_role("button", name=w["sign_version"]).click()
        expect(page.get_by_role("main")).to_contain_text("Sara Jacobs")
        site.logout()

        # The security officer sees Tom's refused read.
        site.login(officer.user.email)
        page.get_by_role("link", name=w["security_log"]).first.click()
        log = page.get_by_role("region", name=re.compile(r"^(Weigeringen|Refusals)$"))
        row = log.get_by_role("row").filter(has_text=tom.user.email)
        expect(row).to_contain_text(re.compile(rf"(evaluatie|evaluation) {evaluation.pk}\b"))
        expect(row).to_contain_text(w["read"])
        assert_accessible(page)
        site.logout()

    signed = Evaluation.objects.get(pk=evaluation.pk)
    assert signed.state == EvaluationState.DELIVERED
    assert signed.second_evaluator_id == sara.pk
    # The browser reports the two 404s Tom was given; nothing else went wrong.
    assert [e for e in site.errors if "status of 404" not in e] == []
    assert len(site.errors) == 2
