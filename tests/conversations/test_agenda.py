"""The guiding questions of a new conversation's agenda come from the policy: by default
PLOEG's ("Mogelijke richtvragen" of the follow-up conversation) and the POP guide's
(Stap 3, "Opvolging van het POP"); HR writes an organisation's own in each language.
Each reader reads them in their own language (``rulebook.questions``)."""

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from koers.conversations import services
from koers.conversations.agenda import guiding_questions, questions_field
from koers.conversations.models import AgendaItem, Conversation
from koers.conversations.states import ConversationKind
from koers.core.errors import ValidationFailed
from koers.rulebook import services as rulebook
from koers.rulebook.models import PolicyChange, PolicyOverride
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import FOLLOW_UP_QUESTIONS, PRESETS
from koers.rulebook.questions import Translated, question_text
from koers.rulebook.registry import SETTINGS, Kind, parse
from tests import personas
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

START = dt.datetime(2099, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def p():
    return personas.build()


def agenda_of(p, kind):
    conversation = services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=kind, starts_at=START,
        ends_at=START + dt.timedelta(hours=1), location="Room 2.14", agenda=["Budget"])
    return [(item.text, item.guiding) for item in conversation.agenda.order_by("position")]


def test_every_kind_of_conversation_has_a_setting_hr_may_change():
    for kind in ConversationKind:
        setting = SETTINGS[questions_field(kind)]
        assert setting.kind == Kind.TRANSLATED_LINES
        for preset in PRESETS.values():
            assert isinstance(getattr(preset, setting.name), tuple)


def test_the_built_in_questions_are_translated_in_the_employees_language(p):
    agenda = agenda_of(p, ConversationKind.FOLLOW_UP)  # the employee reads Dutch

    assert agenda[0] == ("Wat heb je al gerealiseerd?", True)
    assert agenda[-1] == ("Budget", False)
    assert len(agenda) == 8
    with translation.override("en"):
        english = [question_text(question) for question in guiding_questions(
            policy_for(p.employee.organisation), ConversationKind.POP_FOLLOW_UP)]
    assert english[0] == "Was the agreed planning respected? If not, why not?"


def test_a_planning_conversation_starts_with_the_pop_guides_four_diagnosis_questions(p):
    """The POP guide (FOD Personeel en Organisatie, "Ontwikkelcirkels — Ontwikkelen van
    de persoonlijke competenties. Praktische gids"), Stap 2.1: "U kunt de volgende 4
    vragen beantwoorden", in the guide's own Dutch words."""
    assert agenda_of(p, ConversationKind.PLANNING) == [
        ("Welke competenties zijn noodzakelijk om de taken goed uit te voeren en de "
         "prestatiedoelstellingen te bereiken, rekening houdend met de huidige functie en "
         "met de doelstellingen van de dienst?", True),
        ("Welke competenties zijn noodzakelijk gelet op de waarschijnlijke evolutie van de "
         "functie?", True),
        ("Hoe wil de medewerker evolueren in zijn functie en in zijn loopbaan?", True),
        ("Welke competenties heeft de medewerker nodig om in die richting te evolueren?",
         True),
        ("Budget", False)]


def test_the_questions_are_copied_in_the_employees_saved_language_not_the_schedulers(p):
    # The manager schedules from a Dutch page; the employee reads Koers in English (their
    # account's choice, read through the language registry: Person.reading_language).
    p.employee.user.language = "en"
    p.employee.user.save(update_fields=["language"])

    with translation.override("nl"):
        agenda = agenda_of(p, ConversationKind.POP_FOLLOW_UP)

    assert agenda[0] == ("Was the agreed planning respected? If not, why not?", True)
    # Without a choice on the account, the person's record decides.
    p.employee.user.language = ""
    p.employee.user.save(update_fields=["language"])
    p.employee.language = "en"
    p.employee.save(update_fields=["language"])
    with translation.override("nl"):
        assert agenda_of(p, ConversationKind.FOLLOW_UP)[0] == (
            "What have you achieved so far?", True)


def test_an_organisation_sets_its_own_questions_per_kind(p):
    organisation = p.employee.organisation
    values = rulebook.parse_settings(organisation=organisation, texts={
        "guiding_questions_planning": "Wat wil je dit jaar bereiken?\r\n\r\nWat heb je nodig?",
        "guiding_questions_follow_up": "",
    })
    rulebook.policy_settings_change(organisation=organisation, values=values,
                                    actor=p.hr.user)

    assert agenda_of(p, ConversationKind.PLANNING) == [
        ("Wat wil je dit jaar bereiken?", True), ("Wat heb je nodig?", True), ("Budget", False)]
    assert agenda_of(p, ConversationKind.FOLLOW_UP) == [("Budget", False)]
    assert agenda_of(p, ConversationKind.PROGRESS)[0] == ("Wat heb je al gerealiseerd?", True)


def test_too_many_or_too_long_questions_are_refused(p):
    setting = SETTINGS["guiding_questions_career"]
    with pytest.raises(ValidationFailed):
        parse(setting, "\n".join(f"Question {n}?" for n in range(21)))
    with pytest.raises(ValidationFailed):
        parse(setting, "x" * 501)


def test_the_policy_page_changes_only_the_questions_hr_touched(client, p):
    data = form_data(client, p)
    assert data["guiding_questions_follow_up__nl"].startswith("Wat heb je al gerealiseerd?\r\n")
    assert data["guiding_questions_follow_up__fr"].startswith(
        in_language("fr", FOLLOW_UP_QUESTIONS[0]) + "\r\n")

    client.post(policy_edit(p), data)
    assert policy_for(p.employee.organisation) == PRESETS[p.employee.organisation.policy_preset]
    assert not PolicyChange.objects.exists()

    data["guiding_questions_talent__nl"] = "Waar krijg je energie van?"
    client.post(policy_edit(p), data)
    policy = policy_for(p.employee.organisation)
    assert policy.guiding_questions_talent == (Translated((("nl", "Waar krijg je energie van?"),)),)
    assert policy.guiding_questions_follow_up == PRESETS["flemish"].guiding_questions_follow_up
    page = client.get(reverse("policy_detail", args=[p.employee.organisation_id]))
    assert "Waar krijg je energie van?" in page.content.decode()


def test_the_api_reads_and_sets_the_questions(client, p):
    client.force_login(p.hr.user)
    url = f"/api/v1/organisations/{p.employee.organisation_id}/policy"
    policy = client.get(url).json()
    settings = {s["name"]: s for s in policy["settings"]}
    assert settings["guiding_questions_pop_follow_up"]["value"].startswith(
        "Was the agreed planning respected?")

    response = client.put(f"{url}/guiding_questions_career",
                          {"value": "Where next?\nWhy?", "expected_revision": policy["revision"]},
                          content_type="application/json")

    assert response.status_code == 200
    assert response.json()["value"] == "Where next?\nWhy?"
    assert policy_for(p.employee.organisation).guiding_questions_career == ("Where next?", "Why?")


def policy_edit(p):
    return reverse("policy_edit", args=[p.employee.organisation_id])


def form_data(client, p):
    """The policy form as HR finds it, sent back as a browser does (CRLF line ends)."""
    client.force_login(p.hr.user)
    form = client.get(policy_edit(p)).context["form"]
    return {name: str("" if form[name].value() is None else form[name].value())
            .replace("\n", "\r\n") for name in form.fields}


def reads_in(person, language):
    person.user.language = language
    person.user.save(update_fields=["language"])


def scheduled(p, kind=ConversationKind.FOLLOW_UP, agenda=("Budget",)):
    return services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=kind, starts_at=START,
        ends_at=START + dt.timedelta(hours=1), location="Room 2.14", agenda=list(agenda))


def page_of(client, person, conversation):
    client.force_login(person.user)
    response = client.get(reverse("conversation_detail", args=[conversation.pk]))
    return html.unescape(response.content.decode())


def api_agenda(client, person, conversation):
    client.force_login(person.user)
    return client.get(f"/api/v1/conversations/{conversation.pk}").json()["agenda"]


def in_language(language, source):
    with translation.override(language):
        return translation.gettext(source)


def test_a_dutch_manager_and_a_french_employee_each_read_the_questions_in_their_own(client, p):
    # PLOEG, "Mogelijke richtvragen": the follow-up conversation's questions.
    reads_in(p.employee, "fr")
    reads_in(p.manager, "nl")
    first_fr = in_language("fr", FOLLOW_UP_QUESTIONS[0])

    conversation = scheduled(p)

    first = conversation.agenda.order_by("position").first()
    # Written in the employee's language; it keeps the built-in text it came from.
    assert (first.text, first.source, first.texts) == (first_fr, FOLLOW_UP_QUESTIONS[0], {})
    manager_page = page_of(client, p.manager, conversation)
    employee_page = page_of(client, p.employee, conversation)
    assert "Wat heb je al gerealiseerd?" in manager_page
    assert first_fr not in manager_page
    assert first_fr in employee_page
    assert "Wat heb je al gerealiseerd?" not in employee_page
    assert "Budget" in manager_page  # a free item as typed, for both
    assert "Budget" in employee_page
    manager_reads, employee_reads = (api_agenda(client, p.manager, conversation),
                                     api_agenda(client, p.employee, conversation))
    assert manager_reads == [in_language("nl", q) for q in FOLLOW_UP_QUESTIONS] + ["Budget"]
    assert employee_reads == [in_language("fr", q) for q in FOLLOW_UP_QUESTIONS] + ["Budget"]


def test_hr_writes_questions_in_two_languages_and_each_side_reads_their_own(client, p):
    reads_in(p.employee, "fr")
    reads_in(p.manager, "nl")
    data = form_data(client, p)
    # HR replaces the built-in questions (the POP guide's, in every language) by its own.
    data["guiding_questions_planning__en"] = data["guiding_questions_planning__de"] = ""
    data["guiding_questions_planning__nl"] = "Wat wil je dit jaar bereiken?\r\nWat heb je nodig?"
    data["guiding_questions_planning__fr"] = (
        "Que voulez-vous atteindre cette année ?\r\nDe quoi avez-vous besoin ?")

    response = client.post(policy_edit(p), data)

    assert response.status_code == 302
    (stored,) = PolicyOverride.objects.filter(organisation=p.employee.organisation)
    assert (stored.field, stored.value) == ("guiding_questions_planning", [
        {"nl": "Wat wil je dit jaar bereiken?", "fr": "Que voulez-vous atteindre cette année ?"},
        {"nl": "Wat heb je nodig?", "fr": "De quoi avez-vous besoin ?"}])
    conversation = scheduled(p, ConversationKind.PLANNING, agenda=())
    first = conversation.agenda.order_by("position").first()
    assert (first.text, first.source) == ("Que voulez-vous atteindre cette année ?", "")
    assert first.texts == {"nl": "Wat wil je dit jaar bereiken?",
                           "fr": "Que voulez-vous atteindre cette année ?"}
    assert "Wat wil je dit jaar bereiken?" in page_of(client, p.manager, conversation)
    assert "Que voulez-vous atteindre cette année ?" in page_of(client, p.employee, conversation)
    assert api_agenda(client, p.manager, conversation) == [
        "Wat wil je dit jaar bereiken?", "Wat heb je nodig?"]
    assert api_agenda(client, p.employee, conversation) == [
        "Que voulez-vous atteindre cette année ?", "De quoi avez-vous besoin ?"]


def test_without_the_readers_language_the_organisations_then_any_given_text(client, p):
    organisation = p.employee.organisation
    values = rulebook.parse_settings(organisation=organisation, texts={
        "guiding_questions_career": {"fr": "Où allez-vous ?", "de": "Wohin gehen Sie?"}})
    rulebook.policy_settings_change(organisation=organisation, values=values, actor=p.hr.user)
    organisation.language = "de"
    organisation.save(update_fields=["language"])
    reads_in(p.employee, "en")
    reads_in(p.manager, "nl")

    conversation = scheduled(p, ConversationKind.CAREER, agenda=())

    # No English and no Dutch text: the organisation's language, German.
    assert conversation.agenda.get().text == "Wohin gehen Sie?"
    assert api_agenda(client, p.manager, conversation) == ["Wohin gehen Sie?"]
    # Nor in the organisation's language: any text given, in the registry's order.
    organisation.language = "nl"
    organisation.save(update_fields=["language"])
    assert api_agenda(client, p.manager, conversation) == ["Où allez-vous ?"]
    assert api_agenda(client, p.employee, conversation) == ["Où allez-vous ?"]


def test_unequal_languages_are_refused_on_the_policy_form_and_nothing_is_saved(client, p):
    data = form_data(client, p)
    data["guiding_questions_follow_up__nl"] += "\r\nWat wil je nog leren?"
    data["guiding_questions_talent__nl"] = "Waar krijg je energie van?"  # all or nothing

    response = client.post(policy_edit(p), data)

    assert response.status_code == 200
    (message,) = response.context["form"].errors["guiding_questions_follow_up__nl"]
    assert "Nederlands 8, Engels 7, Frans 7, Duits 7" in message
    assert "Er is niets opgeslagen" in html.unescape(response.content.decode())
    assert not PolicyOverride.objects.exists()
    assert not PolicyChange.objects.exists()


def test_a_policy_stored_before_questions_had_languages_keeps_working(client, p):
    # As every policy stored them before: one text a line, shown as typed (a built-in
    # text among them translated).
    PolicyOverride.objects.create(organisation=p.employee.organisation,
                                  field="guiding_questions_talent",
                                  value=["Waar krijg je energie van?", FOLLOW_UP_QUESTIONS[0]])
    reads_in(p.employee, "fr")

    conversation = scheduled(p, ConversationKind.TALENT, agenda=())

    assert policy_for(p.employee.organisation).guiding_questions_talent == (
        "Waar krijg je energie van?", FOLLOW_UP_QUESTIONS[0])
    assert api_agenda(client, p.manager, conversation) == [
        "Waar krijg je energie van?", "Wat heb je al gerealiseerd?"]
    assert api_agenda(client, p.employee, conversation) == [
        "Waar krijg je energie van?", in_language("fr", FOLLOW_UP_QUESTIONS[0])]
    data = form_data(client, p)
    assert data["guiding_questions_talent__de"] == (
        "Waar krijg je energie van?\r\nWas haben Sie bisher erreicht?")


def test_an_item_from_before_items_kept_their_origin_shows_its_text(client, p):
    conversation = scheduled(p, agenda=())
    # What the migration leaves an older row: its text, no source.
    AgendaItem.objects.filter(conversation=conversation).update(source="", texts={})
    reads_in(p.manager, "fr")

    assert api_agenda(client, p.manager, conversation)[0] == "Wat heb je al gerealiseerd?"


def test_the_managers_functioning_reads_in_each_readers_language(client, p):
    # Heemstede, "Cyclus van jaargesprekken": the employee puts it on the agenda.
    from koers.organisation.models import Organisation, PolicyPreset

    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.DUTCH_MUNICIPAL)
    reads_in(p.manager, "de")
    conversation = Conversation.objects.get(pk=scheduled(p, ConversationKind.PROGRESS,
                                                         agenda=()).pk)

    item = services.conversation_agenda_add(actor=viewer(p.employee), conversation=conversation,
                                            manager_functioning=True)

    assert (item.text, item.source) == ("Het functioneren van mijn leidinggevende",
                                        services.MANAGER_FUNCTIONING)
    assert api_agenda(client, p.manager, conversation)[-1] == (
        "Die Arbeitsweise meines Vorgesetzten")


def test_the_conversation_page_takes_no_more_queries_for_a_fallback(client, p):
    reads_in(p.manager, "de")
    conversation = scheduled(p)
    url = reverse("conversation_detail", args=[conversation.pk])
    client.force_login(p.manager.user)

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    built_in = queries()
    # HR's questions in French only: the German reader falls back through the organisation.
    AgendaItem.objects.filter(conversation=conversation, guiding=True).update(
        source="", texts={"fr": "Où allez-vous ?"})
    assert queries() == built_in
    assert "Où allez-vous ?" in page_of(client, p.manager, conversation)


def test_the_api_gives_and_takes_the_questions_in_each_language(client, p):
    client.force_login(p.hr.user)
    url = f"/api/v1/organisations/{p.employee.organisation_id}/policy"
    policy = client.get(url).json()
    follow_up = {s["name"]: s for s in policy["settings"]}["guiding_questions_follow_up"]
    assert follow_up["kind"] == "translated_lines"
    assert follow_up["texts"]["nl"].startswith("Wat heb je al gerealiseerd?\n")
    assert follow_up["texts"]["en"].startswith("What have you achieved so far?\n")

    def put(name, value):
        return client.put(f"{url}/{name}", {"value": value,
                                            "expected_revision": policy["revision"]},
                          content_type="application/json")

    # Handed back unchanged, the built-in questions stay the preset's.
    unchanged = put("guiding_questions_follow_up", follow_up["texts"])
    assert (unchanged.status_code, unchanged.json()["changed"]) == (200, False)
    assert not PolicyOverride.objects.exists()

    response = put("guiding_questions_career", {"nl": "Waar wil je naartoe?",
                                                "fr": "Où allez-vous ?"})
    assert response.status_code == 200
    assert response.json()["texts"] == {"nl": "Waar wil je naartoe?", "en": "",
                                        "fr": "Où allez-vous ?", "de": ""}
    assert policy_for(p.employee.organisation).guiding_questions_career == (
        Translated((("nl", "Waar wil je naartoe?"), ("fr", "Où allez-vous ?"))),)

    for refused in ({"nl": "Waar?\nWanneer?", "fr": "Où ?"}, {"xx": "Where?"}):
        answer = put("guiding_questions_career", refused)
        assert answer.status_code == 422
        assert answer.json()["errors"]["guiding_questions_career"]
    answer = put("minimum_hours", {"nl": "479"})
    assert answer.status_code == 422
    assert len(policy_for(p.employee.organisation).guiding_questions_career) == 1
