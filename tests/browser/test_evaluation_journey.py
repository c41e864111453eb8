"""The annual evaluation in a real browser, in Dutch and in English, and with the employee
reading in French or German while the evaluators read Dutch, with axe-core on
every page: Marc writes his self-evaluation, Ratana writes the report and signs, the 2nd
evaluator signs, Marc signs with a remark, and everyone downloads the PDF. A second
journey gives `onvoldoende` with an advanced evaluation, whose date field refuses a day
that is too early.

Stad Lindendaal (the personas) follows the Flemish policy: the evaluation window opens on
1 December, the 2nd evaluator's task starts once the self-evaluation and the 1st signature
are in. The clock is frozen on the day of each step (``tests.factories.evaluations.days``).
"""

import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from koers.core import languages
from koers.core.models import User
from koers.evaluations import seals
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.services import current_report
from koers.evaluations.states import EvaluationKind, EvaluationState
from koers.organisation.models import Person
from tests import personas
from tests.browser.site import Site, assert_accessible, download_through_worker
from tests.factories import evaluations as ev

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAYS = ev.days()
REMARK = "Ik had meer opleidingstijd verwacht in het najaar."
WORDS = {
    "nl": {
        "evaluations": "Evaluaties", "my_team": "Mijn team",
        "annual": "Jaarlijkse evaluatie: evaluatieperiode 2025",
        "open_annual": "Openen: jaarlijkse evaluatie, evaluatieperiode 2025",
        "timeline": "Tijdlijn: wat moet gebeuren, door wie en wanneer",
        "write_self": "Je zelfevaluatie schrijven", "overall_self": "Globale zelfevaluatie",
        "submit": "Opslaan en indienen", "submitted": "Ingediend op",
        "write_report": "Het verslag schrijven", "overall": "Globale evaluatie",
        "save_report": "Verslag bewaren", "sign_first": "Ondertekenen als 1ste evaluator",
        "sign_second": "Ondertekenen als 2de evaluator",
        "sign_employee": "Ondertekenen voor ontvangst", "sign_version": "Versie 1 ondertekenen",
        "remarks": "Je opmerkingen", "pdf": "Het verslag downloaden (pdf)",
        "advanced": "Vervroegde evaluatie op",
        "advanced_link": "De vervroegde evaluatie, gepland op 01-06-2026",
        "earliest": "Kies 1 juni 2026 of later",
        "waiting": "Wacht op mij",
        "report_title": "Evaluatieverslag", "language_of_report": "Taal van het verslag",
    },
    "en": {
        "evaluations": "Evaluations", "my_team": "My team",
        "annual": "Annual evaluation: evaluation period 2025",
        "open_annual": "Open: annual evaluation, evaluation period 2025",
        "timeline": "Timeline: what is due, by whom and when",
        "write_self": "Write your self-evaluation", "overall_self": "Overall self-evaluation",
        "submit": "Save and submit", "submitted": "Submitted on",
        "write_report": "Write the report", "overall": "Overall evaluation",
        "save_report": "Save the report", "sign_first": "Sign as 1st evaluator",
        "sign_second": "Sign as 2nd evaluator", "sign_employee": "Sign for receipt",
        "sign_version": "Sign version 1", "remarks": "Your remarks",
        "pdf": "Download the report (PDF)", "advanced": "Advanced evaluation on",
        "advanced_link": "The advanced evaluation, planned for 01-06-2026",
        "earliest": "Choose 1 June 2026 or later",
        "waiting": "Waiting for me",
        "report_title": "Evaluation report", "language_of_report": "Language of the report",
    },
    # French and German: the employee's side of the journey, and the PDF.
    "fr": {
        "evaluations": "Évaluations", "waiting": "En attente de ma part",
        "write_self": "Rédiger votre auto-évaluation",
        "overall_self": "Auto-évaluation globale", "submit": "Enregistrer et introduire",
        "submitted": "Introduite le", "sign_employee": "Signer pour réception",
        "sign_version": "Signer la version 1", "remarks": "Vos remarques",
        "pdf": "Télécharger le rapport (PDF)",
        "report_title": "Rapport d'évaluation", "language_of_report": "Langue du rapport",
    },
    "de": {
        "evaluations": "Bewertungen", "waiting": "Wartet auf mich",
        "write_self": "Ihre Selbstbewertung verfassen",
        "overall_self": "Gesamtselbstbewertung", "submit": "Speichern und einreichen",
        "submitted": "Eingereicht am", "sign_employee": "Zum Empfang unterzeichnen",
        "sign_version": "Version 1 unterzeichnen", "remarks": "Ihre Bemerkungen",
        "pdf": "Bericht herunterladen (PDF)",
        "report_title": "Bewertungsbericht", "language_of_report": "Sprache des Berichts",
    },
}


@pytest.fixture(params=["nl", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def speakers(language: str) -> tuple[str, str]:
    """The languages of the evaluators and of the employee: one language for all, unless a
    test names both."""
    return language, language


@pytest.fixture
def cast(speakers: tuple[str, str]) -> ev.Cast:
    """Marc's participation in the cycle of 2025 with two agreed goals; the evaluators'
    logins speak the first language, Marc's login and record the second."""
    managers, employee = speakers
    cast = ev.cast(personas.build())
    assert cast.second is not None
    User.objects.filter(person__in=[cast.first, cast.second]).update(language=managers)
    User.objects.filter(person=cast.employee).update(language=employee)
    Person.objects.filter(pk=cast.employee.pk).update(language=employee)
    return cast


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def open_from_task_list(site: Site, w: dict[str, str]) -> None:
    """The menu's evaluations page, then the evaluation waiting for me."""
    site.page.get_by_role("navigation").get_by_role("link", name=w["evaluations"]).click()
    tasks = site.page.get_by_role("region", name=w["waiting"])
    expect(tasks).to_contain_text("Marc Vandamme")
    assert_accessible(site.page)
    tasks.get_by_role("link", name=re.compile("2025")).click()
    expect(site.page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")


def sign(site: Site, w: dict[str, str], button: str, remark: str = "") -> str:
    """The confirmation step (what is signed), then the signature; returns its seal."""
    main(site.page).get_by_role("link", name=w[button]).click()
    expect(main(site.page)).to_contain_text("Marc")
    assert_accessible(site.page)
    if remark:
        site.page.get_by_label(w["remarks"]).fill(remark)
    site.page.get_by_role("button", name=w["sign_version"]).click()
    seal = Signature.objects.order_by("-pk").values_list("seal", flat=True).first()
    assert seal is not None
    expect(main(site.page)).to_contain_text(seal)  # the seal of what was signed, on the page
    assert_accessible(site.page)
    return seal


def download_pdf(site: Site, w: dict[str, str]) -> str:
    """Download the report as a PDF and return its text."""
    download = download_through_worker(site.page,
                                       main(site.page).get_by_role("button", name=w["pdf"]))
    content = download.path().read_bytes()
    assert content.startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("speakers", [("nl", "nl"), ("en", "en"), ("nl", "fr"), ("nl", "de")],
                         ids=["nl", "en", "nl-fr", "nl-de"])
def test_marc_ratana_and_the_second_evaluator_sign_and_everyone_downloads_the_pdf(
        site: Site, cast: ev.Cast, speakers: tuple[str, str]) -> None:
    """In Dutch and in English; and with Marc reading in French, then in German, while his
    evaluators read Dutch: the report is written in Marc's language, its form says so to
    Ratana, and every PDF is in it by default, stating it."""
    w, e = WORDS[speakers[0]], WORDS[speakers[1]]
    written_in = languages.Language(speakers[1])
    with translation.override(speakers[0]):
        notice = gettext("This report is written in the employee's language: %(language)s.") \
            % {"language": languages.DETAILS[written_in].name}
    language_line = re.compile(
        rf"{re.escape(e['language_of_report'])}\s*:?\s*{languages.DETAILS[written_in].native_name}")
    page = site.page
    assert cast.employee.user
    assert cast.first.user
    assert cast.second
    assert cast.second.user

    # Ratana opens the annual evaluation from Marc's page, before the window opens.
    with ev.on(DAYS["open"]):
        site.login(cast.first.user.email)
        page.get_by_role("region", name=w["my_team"]).get_by_role(
            "link", name="Marc Vandamme").click()
        main(page).get_by_role("link", name=w["evaluations"], exact=True).click()
        assert_accessible(page)
        # Not opened yet: a button (looking opens nothing).
        main(page).get_by_role("button", name=w["open_annual"]).click()
        expect(page).to_have_url(re.compile(r"/evaluations/\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
        assert_accessible(page)
        site.logout()

    # Marc writes his self-evaluation beside the guiding questions and submits it.
    with ev.on(DAYS["self"]):
        site.login(cast.employee.user.email)
        open_from_task_list(site, e)
        assert_accessible(page)
        main(page).get_by_role("link", name=e["write_self"]).click()
        assert_accessible(page)
        page.get_by_label("Goal 1 of Marc").fill("Alle loonvragen binnen twee dagen.")
        page.get_by_label("Goal 2 of Marc").fill("Het nieuwe loonpakket mee ingevoerd.")
        page.get_by_label(e["overall_self"]).fill("Een druk maar goed jaar.")
        page.get_by_role("button", name=e["submit"]).click()
        expect(main(page)).to_contain_text(e["submitted"])
        assert_accessible(page)
        site.logout()

    # Ratana writes the report (the self-evaluation beside it) with voldoende and signs.
    with ev.on(DAYS["first"]):
        site.login(cast.first.user.email)
        open_from_task_list(site, w)
        main(page).get_by_role("link", name=w["write_report"]).click()
        expect(main(page)).to_contain_text("Alle loonvragen binnen twee dagen.")
        expect(main(page)).to_contain_text(notice)
        assert_accessible(page)
        page.get_by_label("Goal 1 of Marc").fill("Ruim gehaald.")
        page.get_by_label("Goal 2 of Marc").fill("Gehaald, met inzet.")
        page.get_by_label(w["overall"]).fill("Marc deed wat afgesproken was.")
        page.get_by_label("voldoende", exact=True).check()
        page.get_by_role("button", name=w["save_report"]).click()
        expect(main(page)).to_contain_text("Marc deed wat afgesproken was.")
        assert_accessible(page)
        sign(site, w, "sign_first")
        site.logout()

    # The 2nd evaluator reviews and signs: the report goes to Marc.
    with ev.on(DAYS["second"]):
        site.login(cast.second.user.email)
        open_from_task_list(site, w)
        sign(site, w, "sign_second")
        site.logout()

    # Marc signs with a remark, within his 15 days, and downloads the PDF.
    with ev.on(DAYS["employee"]):
        site.login(cast.employee.user.email)
        open_from_task_list(site, e)
        expect(main(page)).to_contain_text("Marc deed wat afgesproken was.")
        sign(site, e, "sign_employee", remark=REMARK)
        expect(main(page)).to_contain_text(REMARK)
        text = download_pdf(site, e)
        assert REMARK in text
        assert e["report_title"] in text
        assert language_line.search(text), text[:600]
        site.logout()

        # The evaluators download it in Marc's language too: the report's own.
        for user in (cast.first.user, cast.second.user):
            site.login(user.email)
            site.go(f"/evaluations/{Evaluation.objects.get().pk}/")
            assert_accessible(page)
            text = download_pdf(site, w)
            assert REMARK in text
            assert language_line.search(text), text[:600]
            site.logout()

    evaluation = Evaluation.objects.get()
    assert evaluation.state == EvaluationState.COMPLETED
    # Every signature sealed the language the report is written in.
    assert current_report(evaluation).language == speakers[1]
    for signature in Signature.objects.filter(report__evaluation=evaluation):
        assert f'"language":"{speakers[1]}"'.encode() in seals.signed_bytes(signature)
    assert site.errors == []


def test_onvoldoende_with_an_advanced_evaluation_that_refuses_a_day_too_early(
        site: Site, cast: ev.Cast, language: str) -> None:
    w = WORDS[language]
    page = site.page
    assert cast.employee.user
    assert cast.first.user
    assert cast.second
    assert cast.second.user

    # Ratana opens the evaluation from Marc's timeline; Marc submits his self-evaluation.
    with ev.on(DAYS["open"]):
        site.login(cast.first.user.email)
        page.get_by_role("region", name=w["my_team"]).get_by_role(
            "link", name="Marc Vandamme").click()
        main(page).get_by_role("link", name=w["timeline"]).click()
        main(page).get_by_role("link", name=w["annual"]).click()
        # The participation's page offers to open it; following the link wrote nothing.
        assert not Evaluation.objects.exists()
        assert_accessible(page)
        main(page).get_by_role("button", name=w["open_annual"]).click()
        expect(page).to_have_url(re.compile(r"/evaluations/\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
        site.logout()
    evaluation = Evaluation.objects.get()
    with ev.on(DAYS["self"]):
        ev.write_self_evaluation(cast, evaluation)

    # 10 December 2025: the earliest advanced evaluation is 1 June 2026.
    with ev.on(DAYS["first"]):
        site.login(cast.first.user.email)
        site.go(f"/evaluations/{evaluation.pk}/")
        main(page).get_by_role("link", name=w["write_report"]).click()
        page.get_by_label(w["overall"]).fill("De afspraken werden niet gehaald.")
        day = page.get_by_label(w["advanced"])
        expect(day).to_have_count(0)  # offered only after onvoldoende
        page.get_by_label("onvoldoende", exact=True).check()
        expect(day).to_have_attribute("min", "2026-06-01")
        assert_accessible(page)

        day.fill("2026-05-31")
        page.get_by_role("button", name=w["save_report"]).click()
        assert day.evaluate("input => input.validity.rangeUnderflow") is True
        expect(page).to_have_url(re.compile(r"/report/$"))
        # Past the browser's own check, the server refuses it too, and keeps the text.
        page.locator("form").filter(has=day).evaluate("form => { form.noValidate = true; }")
        page.get_by_role("button", name=w["save_report"]).click()
        expect(page.get_by_role("alert").first).to_contain_text(w["earliest"])
        expect(page.get_by_label(w["overall"])).to_have_value("De afspraken werden niet gehaald.")
        assert_accessible(page)

        page.get_by_label(w["advanced"]).fill("2026-06-01")
        page.get_by_role("button", name=w["save_report"]).click()
        expect(main(page)).to_contain_text("01-06-2026")
        assert_accessible(page)
        sign(site, w, "sign_first")
        site.logout()

    with ev.on(DAYS["second"]):
        site.login(cast.second.user.email)
        open_from_task_list(site, w)
        sign(site, w, "sign_second")
        site.logout()

    # Marc reads the notice with his report, signs, and the advanced evaluation opens.
    with ev.on(DAYS["employee"]):
        site.login(cast.employee.user.email)
        open_from_task_list(site, w)
        expect(main(page)).to_contain_text("onvoldoende")
        expect(main(page)).to_contain_text("01-06-2026")
        sign(site, w, "sign_employee")
        main(page).get_by_role("link", name=w["advanced_link"]).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Marc Vandamme")
        assert_accessible(page)
        site.logout()

    advanced = Evaluation.objects.get(kind=EvaluationKind.ADVANCED)
    assert (advanced.follows_id, str(advanced.due_on)) == (evaluation.pk, "2026-06-01")
    assert site.errors == []
