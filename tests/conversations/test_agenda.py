"""The guiding questions of a new conversation's agenda come from the policy."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from koers.conversations import services
from koers.conversations.agenda import guiding_questions, questions_field
from koers.conversations.states import ConversationKind
from koers.core.errors import ValidationFailed
from koers.rulebook import services as rulebook
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import PRESETS
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
        assert setting.kind == Kind.LINES
        for preset in PRESETS.values():
            assert isinstance(getattr(preset, setting.name), tuple)


def test_the_built_in_questions_are_translated_in_the_employees_language(p):
    agenda = agenda_of(p, ConversationKind.FOLLOW_UP)  # the employee reads Dutch

    assert agenda[0] == ("Wat heb je al gerealiseerd?", True)
    assert agenda[-1] == ("Budget", False)
    assert len(agenda) == 8
    with translation.override("en"):
        english = guiding_questions(policy_for(p.employee.organisation),
                                    ConversationKind.POP_FOLLOW_UP)
    assert english[0] == "Was the agreed planning respected? If not, why not?"


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
    client.force_login(p.hr.user)
    url = reverse("policy_edit", args=[p.employee.organisation_id])
    form = client.get(url).context["form"]
    data = {name: "" if form[name].value() is None else form[name].value()
            for name in form.fields}
    # The browser sends the untouched text back with CRLF line ends.
    data = {name: str(value).replace("\n", "\r\n") for name, value in data.items()}
    assert data["guiding_questions_follow_up"].startswith("Wat heb je al gerealiseerd?\r\n")

    client.post(url, data)
    assert policy_for(p.employee.organisation) == PRESETS[p.employee.organisation.policy_preset]

    data["guiding_questions_talent"] = "Waar krijg je energie van?"
    client.post(url, data)
    policy = policy_for(p.employee.organisation)
    assert policy.guiding_questions_talent == ("Waar krijg je energie van?",)
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
