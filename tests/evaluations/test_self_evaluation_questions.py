"""The self-evaluation's guiding questions are translatable content: by default PLOEG's
("Blik terug met je evaluatie") and Heemstede's ("Het evaluatiegesprek"); HR writes an
organisation's own in each language. Each reader, the employee beside the form and the
evaluator or any caller of the API, reads them in their own language, else the
organisation's, else any language given (``rulebook.questions``)."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from koers.rulebook import services as rulebook
from koers.rulebook.models import PolicyChange, PolicyOverride
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import PRESETS, SELF_EVALUATION_QUESTIONS
from koers.rulebook.questions import Translated
from koers.rulebook.registry import SETTINGS, Kind
from tests import personas
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

NAME = "self_evaluation_questions"
DAYS = ev.days()


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def evaluation(p):
    return ev.annual(ev.cast(p))


def reads_in(person, language):
    person.user.language = language
    person.user.save(update_fields=["language"])


def in_language(language, source):
    with translation.override(language):
        return translation.gettext(source)


def policy_edit(p):
    return reverse("policy_edit", args=[p.employee.organisation_id])


def form_data(client, p):
    """The policy form as HR finds it, sent back as a browser does (CRLF line ends)."""
    client.force_login(p.hr.user)
    form = client.get(policy_edit(p)).context["form"]
    return {name: str("" if form[name].value() is None else form[name].value())
            .replace("\n", "\r\n") for name in form.fields}


def beside_the_form(client, person, evaluation):
    """The questions beside the self-evaluation form, as ``person`` reads them."""
    client.force_login(person.user)
    with ev.on(DAYS["self"]):
        response = client.get(reverse("evaluation_self", args=[evaluation.pk]))
    assert response.status_code == 200
    return response.context["questions"], html.unescape(response.content.decode())


def api_questions(client, person, evaluation):
    client.force_login(person.user)
    with ev.on(DAYS["self"]):
        response = client.get(f"/api/v1/evaluations/{evaluation.pk}")
    assert response.status_code == 200
    return response.json()[NAME]


def test_the_setting_is_translatable_content_in_every_preset():
    assert SETTINGS[NAME].kind == Kind.TRANSLATED_LINES
    for preset in PRESETS.values():
        assert all(isinstance(question, str) for question in getattr(preset, NAME))


def test_a_french_employee_and_a_dutch_evaluator_each_read_the_built_in_questions_in_their_own(
        client, p, evaluation):
    # PLOEG, "Blik terug met je evaluatie".
    reads_in(p.employee, "fr")
    reads_in(p.manager, "nl")
    french = [in_language("fr", q) for q in SELF_EVALUATION_QUESTIONS]
    dutch = [in_language("nl", q) for q in SELF_EVALUATION_QUESTIONS]
    assert dutch[0] == "Wat heb je het voorbije jaar gerealiseerd?"
    assert french[0] != dutch[0]

    questions, page = beside_the_form(client, p.employee, evaluation)

    assert questions == french
    assert french[0] in page
    assert dutch[0] not in page
    assert api_questions(client, p.employee, evaluation) == french
    assert api_questions(client, p.manager, evaluation) == dutch


def test_hr_writes_the_questions_in_two_languages_on_the_policy_page(client, p, evaluation):
    reads_in(p.employee, "fr")
    reads_in(p.manager, "nl")
    data = form_data(client, p)
    assert data[f"{NAME}__nl"].startswith("Wat heb je het voorbije jaar gerealiseerd?\r\n")
    data[f"{NAME}__nl"] = "Waar ben je trots op?\r\nWat wil je leren?"
    data[f"{NAME}__fr"] = "De quoi êtes-vous fier ?\r\nQue voulez-vous apprendre ?"
    for code in ("en", "de"):
        data[f"{NAME}__{code}"] = ""

    response = client.post(policy_edit(p), data)

    assert response.status_code == 302
    (stored,) = PolicyOverride.objects.filter(organisation=p.employee.organisation)
    assert (stored.field, stored.value) == (NAME, [
        {"nl": "Waar ben je trots op?", "fr": "De quoi êtes-vous fier ?"},
        {"nl": "Wat wil je leren?", "fr": "Que voulez-vous apprendre ?"}])
    questions, page = beside_the_form(client, p.employee, evaluation)
    assert questions == ["De quoi êtes-vous fier ?", "Que voulez-vous apprendre ?"]
    assert "Waar ben je trots op?" not in page
    assert api_questions(client, p.manager, evaluation) == [
        "Waar ben je trots op?", "Wat wil je leren?"]
    # The policy page shows them in the reader's language.
    client.force_login(p.hr.user)
    detail = client.get(reverse("policy_detail", args=[p.employee.organisation_id]))
    assert "Waar ben je trots op?" in html.unescape(detail.content.decode())


def test_the_api_gives_and_takes_the_questions_in_each_language(client, p, evaluation):
    reads_in(p.employee, "fr")
    client.force_login(p.hr.user)
    url = f"/api/v1/organisations/{p.employee.organisation_id}/policy"
    policy = client.get(url).json()
    setting = {s["name"]: s for s in policy["settings"]}[NAME]
    assert setting["kind"] == "translated_lines"
    assert setting["texts"]["nl"].startswith("Wat heb je het voorbije jaar gerealiseerd?\n")
    assert setting["texts"]["en"].startswith("What did you achieve over the past year?\n")

    def put(value):
        return client.put(f"{url}/{NAME}", {"value": value,
                                            "expected_revision": policy["revision"]},
                          content_type="application/json")

    # Handed back unchanged, the built-in questions stay the preset's.
    unchanged = put(setting["texts"])
    assert (unchanged.status_code, unchanged.json()["changed"]) == (200, False)
    assert not PolicyOverride.objects.exists()

    response = put({"nl": "Waar ben je trots op?", "fr": "De quoi êtes-vous fier ?"})

    assert response.status_code == 200
    assert response.json()["texts"] == {"nl": "Waar ben je trots op?", "en": "",
                                        "fr": "De quoi êtes-vous fier ?", "de": ""}
    assert policy_for(p.employee.organisation).self_evaluation_questions == (
        Translated((("nl", "Waar ben je trots op?"), ("fr", "De quoi êtes-vous fier ?"))),)
    assert api_questions(client, p.employee, evaluation) == ["De quoi êtes-vous fier ?"]
    assert api_questions(client, p.manager, evaluation) == ["Waar ben je trots op?"]


def test_without_the_readers_language_the_organisations_then_any_given_text(
        client, p, evaluation):
    organisation = p.employee.organisation
    values = rulebook.parse_settings(organisation=organisation, texts={
        NAME: {"fr": "De quoi êtes-vous fier ?", "de": "Worauf sind Sie stolz?"}})
    rulebook.policy_settings_change(organisation=organisation, values=values, actor=p.hr.user)
    organisation.language = "de"
    organisation.save(update_fields=["language"])
    reads_in(p.employee, "en")
    reads_in(p.manager, "nl")

    # No English and no Dutch text: the organisation's language, German.
    assert beside_the_form(client, p.employee, evaluation)[0] == ["Worauf sind Sie stolz?"]
    assert api_questions(client, p.manager, evaluation) == ["Worauf sind Sie stolz?"]
    # Nor in the organisation's language: any text given, in the registry's order.
    organisation.language = "nl"
    organisation.save(update_fields=["language"])
    assert api_questions(client, p.manager, evaluation) == ["De quoi êtes-vous fier ?"]
    assert api_questions(client, p.employee, evaluation) == ["De quoi êtes-vous fier ?"]


def test_unequal_languages_are_refused_on_the_form_and_in_the_api_and_nothing_is_saved(
        client, p):
    data = form_data(client, p)
    data[f"{NAME}__nl"] += "\r\nWat wil je nog leren?"
    data["guiding_questions_talent__nl"] = "Waar krijg je energie van?"  # all or nothing

    response = client.post(policy_edit(p), data)

    assert response.status_code == 200
    (message,) = response.context["form"].errors[f"{NAME}__nl"]
    assert "Nederlands 7, Engels 6, Frans 6, Duits 6" in message
    assert "Er is niets opgeslagen" in html.unescape(response.content.decode())

    url = f"/api/v1/organisations/{p.employee.organisation_id}/policy"
    revision = client.get(url).json()["revision"]
    answer = client.put(f"{url}/{NAME}", {"value": {"nl": "Waar?\nWanneer?", "fr": "Où ?"},
                                          "expected_revision": revision},
                        content_type="application/json")
    assert answer.status_code == 422
    (refusal,) = answer.json()["errors"][NAME]
    assert "Nederlands 2, Frans 1" in refusal
    assert not PolicyOverride.objects.exists()
    assert not PolicyChange.objects.exists()
    assert policy_for(p.employee.organisation) == PRESETS[p.employee.organisation.policy_preset]


def test_a_policy_stored_before_questions_had_languages_keeps_working(client, p, evaluation):
    # As every policy stored them before: one text a line, shown as typed (a built-in
    # text among them translated).
    PolicyOverride.objects.create(organisation=p.employee.organisation, field=NAME,
                                  value=["Waar ben je trots op?", SELF_EVALUATION_QUESTIONS[0]])
    reads_in(p.employee, "fr")

    assert policy_for(p.employee.organisation).self_evaluation_questions == (
        "Waar ben je trots op?", SELF_EVALUATION_QUESTIONS[0])
    assert beside_the_form(client, p.employee, evaluation)[0] == [
        "Waar ben je trots op?", in_language("fr", SELF_EVALUATION_QUESTIONS[0])]
    assert api_questions(client, p.manager, evaluation) == [
        "Waar ben je trots op?", "Wat heb je het voorbije jaar gerealiseerd?"]
    data = form_data(client, p)
    assert data[f"{NAME}__de"] == (
        "Waar ben je trots op?\r\n" + in_language("de", SELF_EVALUATION_QUESTIONS[0]))


def test_the_self_evaluation_page_takes_no_more_queries_for_a_fallback(client, p, evaluation):
    reads_in(p.employee, "de")
    client.force_login(p.employee.user)
    url = reverse("evaluation_self", args=[evaluation.pk])

    def queries():
        with ev.on(DAYS["self"]):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
        return len(captured)

    built_in = queries()
    # HR's questions in French only: the German reader falls back through the organisation.
    organisation = p.employee.organisation
    rulebook.policy_settings_change(organisation=organisation, actor=p.hr.user, values=(
        rulebook.parse_settings(organisation=organisation,
                                texts={NAME: {"fr": "De quoi êtes-vous fier ?"}})))
    assert queries() == built_in
    assert beside_the_form(client, p.employee, evaluation)[0] == ["De quoi êtes-vous fier ?"]
