"""A Flemish probation with a negative outcome and an appeal, in a real browser, in Dutch
and in English, with axe-core on every page.

HR records Marc's probation of six months from 3 March 2025 with Peter as his mentor; the
end is computed (126 working days, the public holidays left out: 2 September 2025).
Ratana, his 1st evaluator, opens the probation evaluation, writes `onvoldoende` and signs;
the 2nd evaluator signs, which delivers it. Marc, statutory, appeals; the appeal board
keeps the verdict; the probation's page then shows the three-month fixed-term contract
from the next working day ([f20]).
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from koers.consequences.models import Appeal
from koers.core.models import User
from koers.evaluations.models import Evaluation, Probation
from koers.organisation.models import EmploymentStatus
from tests import personas
from tests.browser.site import Site, assert_accessible
from tests.factories import evaluations as ev

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date
WORDS = {
    "nl": {
        "record": "Leg een proeftijd vast", "reason": "Waarom is de medewerker op proef?",
        "recruitment": "Aanwerving", "starts": "Proeftijd begint op",
        "months": "Duur in maanden", "mentor": "Begeleider (meter of peter)",
        "save": "Leg de proeftijd vast", "open": "Open de evaluatie van de proeftijd",
        "write_report": "Het verslag schrijven", "overall": "Globale evaluatie",
        "save_report": "Verslag bewaren", "sign_first": "Ondertekenen als 1ste evaluator",
        "sign_second": "Ondertekenen als 2de evaluator", "sign_version": "Versie 1 ondertekenen",
        "appeal": "Tegen deze einduitspraak in beroep gaan bij de raad van beroep",
        "grounds": "Motivering van het beroep", "file": "Het beroep indienen",
        "kept": "einduitspraak behouden", "decided": "Beslist op",
        "decide": "De uitkomst vastleggen",
        "probation_link": "De proeftijd: het einde en wat volgt",
        "appeal_until": "tot 10-09-2025",
        "contract": "Gevolg: een arbeidsovereenkomst van bepaalde duur van 16-09-2025 tot "
                    "15-12-2025",
    },
    "en": {
        "record": "Record a probation", "reason": "Why is the person on probation?",
        "recruitment": "Recruitment", "starts": "Probation starts on",
        "months": "Length in months", "mentor": "Mentor",
        "save": "Record the probation", "open": "Open the probation evaluation",
        "write_report": "Write the report", "overall": "Overall evaluation",
        "save_report": "Save the report", "sign_first": "Sign as 1st evaluator",
        "sign_second": "Sign as 2nd evaluator", "sign_version": "Sign version 1",
        "appeal": "Appeal this verdict to the appeal board",
        "grounds": "Grounds of the appeal", "file": "File the appeal",
        "kept": "verdict kept", "decided": "Decided on",
        "decide": "Record the outcome",
        "probation_link": "The probation: its end and what follows",
        "appeal_until": "until 10-09-2025",
        "contract": "Consequence: a fixed-term employment contract from 16-09-2025 until "
                    "15-12-2025",
    },
}


@pytest.fixture(params=["nl", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def sign(site: Site, w: dict[str, str], button: str) -> None:
    main(site.page).get_by_role("link", name=w[button]).click()
    assert_accessible(site.page)
    site.page.get_by_role("button", name=w["sign_version"]).click()
    expect(main(site.page)).to_contain_text("Marc Vandamme")


def test_a_negative_probation_evaluation_is_appealed_and_leads_to_a_contract(
        site: Site, language: str) -> None:
    w = WORDS[language]
    p = personas.build()
    p.employee.employment_status = EmploymentStatus.STATUTORY
    p.employee.start_date = D(2025, 1, 1)
    p.employee.save(update_fields=["employment_status", "start_date"])
    cast = ev.cast(p)
    assert cast.second is not None
    people = [cast.employee, cast.first, cast.second, cast.hr]
    User.objects.filter(person__in=people).update(language=language)
    page = site.page
    email = {person.pk: person.user.email for person in people if person.user is not None}

    # HR records the probation; the end is computed.
    with ev.on(D(2025, 3, 3)):
        site.login(email[cast.hr.pk])
        site.go(f"/people/{cast.employee.pk}/probation/")
        assert_accessible(page)
        main(page).get_by_role("link", name=w["record"]).click()
        page.get_by_label(w["reason"]).select_option("recruitment")
        page.get_by_label(w["starts"]).fill("2025-03-03")
        page.get_by_label(w["months"]).fill("6")
        page.get_by_label(w["mentor"]).select_option(label="Peter Gordon")
        assert_accessible(page)
        page.get_by_role("button", name=w["save"]).click()
        expect(main(page)).to_contain_text("02-09-2025")
        expect(main(page)).to_contain_text("Peter Gordon")
        assert_accessible(page)
        site.logout()
    probation = Probation.objects.get()

    # Ratana opens the probation evaluation, writes onvoldoende and signs.
    with ev.on(D(2025, 8, 20)):
        site.login(email[cast.first.pk])
        site.go(f"/probations/{probation.pk}/")
        main(page).get_by_role("button", name=w["open"]).click()
        expect(page).to_have_url(re.compile(r"/evaluations/\d+/$"))
        assert_accessible(page)
        main(page).get_by_role("link", name=w["write_report"]).click()
        page.get_by_label(w["overall"]).fill("De dossiers bleven liggen.")
        page.get_by_label("onvoldoende", exact=True).check()
        page.get_by_role("button", name=w["save_report"]).click()
        expect(main(page)).to_contain_text("De dossiers bleven liggen.")
        sign(site, w, "sign_first")
        site.logout()
    evaluation = Evaluation.objects.get(probation=probation)

    # The 2nd evaluator signs on time: the report reaches Marc.
    with ev.on(D(2025, 8, 26)):
        site.login(email[cast.second.pk])
        site.go(f"/evaluations/{evaluation.pk}/")
        sign(site, w, "sign_second")
        site.logout()

    # Marc reads his probation: he may appeal until 10 September; he appeals.
    with ev.on(D(2025, 8, 28)):
        site.login(email[cast.employee.pk])
        site.go(f"/evaluations/{evaluation.pk}/")
        main(page).get_by_role("link", name=w["probation_link"]).click()
        expect(main(page)).to_contain_text(w["appeal_until"])
        assert_accessible(page)
        site.go(f"/evaluations/{evaluation.pk}/")
        main(page).get_by_role("link", name=w["appeal"]).click()
        page.get_by_label(w["grounds"]).fill("Mijn doelen waren nooit duidelijk.")
        assert_accessible(page)
        page.get_by_role("button", name=w["file"]).click()
        site.logout()
    appeal = Appeal.objects.get(evaluation=evaluation)

    # HR records the board's decision: the verdict is kept.
    with ev.on(D(2025, 9, 15)):
        site.login(email[cast.hr.pk])
        site.go(f"/appeals/{appeal.pk}/outcome/")
        page.get_by_label(w["kept"]).check()
        page.get_by_label(w["decided"]).fill("2025-09-15")
        assert_accessible(page)
        page.get_by_role("button", name=w["decide"]).click()
        site.logout()

    # The probation's page shows the consequence.
    with ev.on(D(2025, 9, 16)):
        site.login(email[cast.employee.pk])
        site.go(f"/probations/{probation.pk}/")
        expect(main(page)).to_contain_text(w["contract"])
        assert_accessible(page)
        site.logout()

    assert site.errors == []
