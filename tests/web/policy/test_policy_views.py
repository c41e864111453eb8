"""The policy pages: HR reads, changes and resets settings; colleagues read; others 404."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.core import clock, languages
from koers.core.models import User
from koers.organisation.models import Person
from koers.rulebook.calendar import YearDay
from koers.rulebook.models import PolicyChange, PolicyOverride
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import FLEMISH
from koers.rulebook.registry import GROUPS, SETTINGS, Kind
from koers.rulebook.services import policy_settings_change
from tests import factories, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def signed_in(client, person: Person, language: str = "en") -> Person:
    User.objects.filter(pk=person.user_id).update(language=language)
    client.force_login(person.user)
    return person


def detail(p) -> str:
    return reverse("policy_detail", args=[p.top.organisation_id])


def edit(p) -> str:
    return reverse("policy_edit", args=[p.top.organisation_id])


def form_data(client, p, **changes) -> dict[str, str]:
    """The edit form as the browser sends it: every field, some of them changed."""
    form = client.get(edit(p)).context["form"]
    return {**{name: form[name].value() for name in form.fields}, **changes}


def test_hr_changes_a_setting_and_it_is_recorded(client, p):
    signed_in(client, p.hr)
    moment = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)

    with clock.frozen(moment):
        response = client.post(edit(p), form_data(client, p, employee_signature_days="20"))

    assert response.status_code == 302
    assert response.url == detail(p)
    assert policy_for(p.top.organisation).employee_signature_days == 20
    change = PolicyChange.objects.get()
    assert (change.field, change.old_value, change.new_value, change.changed_by,
            change.changed_at) == ("employee_signature_days", 15, 20, p.hr.user, moment)
    page = client.get(response.url).content.decode()
    assert "1 setting was changed." in page


def test_the_detail_page_marks_the_change_and_the_history_shows_it(client, p):
    signed_in(client, p.hr)
    client.post(edit(p), form_data(client, p, employee_signature_days="20"))

    response = client.get(detail(p))

    html = response.content.decode()
    rows = {row.setting.name: row for _label, rows in response.context["groups"] for row in rows}
    assert (rows["employee_signature_days"].preset, rows["employee_signature_days"].value,
            rows["employee_signature_days"].changed) == ("15 days", "20 days", True)
    assert rows["first_signature_by"].changed is False
    assert "<strong>20 days</strong> <span class=\"koers-muted\">(changed)</span>" in html
    [history] = response.context["history"]
    assert (history.who, str(history.label), history.before, history.after) == (
        "Els Deckers", "Days for the employee to sign after receipt", "15 days", "20 days")
    assert "This organisation changed 1 setting." in html


def test_a_deadline_outside_the_window_is_refused_with_a_message_and_nothing_changes(client, p):
    signed_in(client, p.hr)

    response = client.post(edit(p), form_data(client, p, first_signature_by="15-03",
                                               employee_signature_days="20"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "This day lies outside the evaluation window (01-12 – 31-03 +1)." in html
    assert 'aria-invalid="true"' in html
    assert response.context["form"].errors == {"first_signature_by": [
        "This day lies outside the evaluation window (01-12 – 31-03 +1)."]}
    assert (PolicyOverride.objects.count(), PolicyChange.objects.count()) == (0, 0)


def test_the_message_is_in_the_users_language(client, p):
    signed_in(client, p.hr, language="nl")

    response = client.post(edit(p), form_data(client, p, employee_signature_days="99"))

    assert response.context["form"].errors == {
        "employee_signature_days": ["Kies een waarde van 1 tot 60."]}


def test_an_unreadable_value_is_refused(client, p):
    signed_in(client, p.hr)

    response = client.post(edit(p), form_data(client, p, minimum_hours="veel"))

    assert response.context["form"].errors == {
        "minimum_hours": ["“veel” is not a valid value."]}
    assert not PolicyOverride.objects.exists()


def test_submitting_the_form_unchanged_records_nothing(client, p):
    signed_in(client, p.hr)

    response = client.post(edit(p), form_data(client, p), follow=True)

    assert "Nothing was changed." in response.content.decode()
    assert not PolicyChange.objects.exists()


def test_hr_resets_a_setting_to_the_preset(client, p):
    signed_in(client, p.hr)
    client.post(edit(p), form_data(client, p, employee_signature_days="20"))

    response = client.post(
        reverse("policy_reset", args=[p.top.organisation_id, "employee_signature_days"]),
        follow=True)

    assert "is back to the preset value." in response.content.decode()
    assert policy_for(p.top.organisation) is FLEMISH
    assert PolicyChange.objects.count() == 2


def test_a_reset_that_clashes_with_another_setting_is_refused_and_explained(client, p):
    organisation = p.top.organisation
    # A window moved a month earlier, with the signatures inside it.
    policy_settings_change(organisation=organisation, actor=p.hr.user, values={
        "evaluation_window_opens": YearDay(11, 1), "evaluation_window_closes": YearDay(2, 28, 1),
        "first_signature_by": YearDay(2, 15, 1), "second_signature_by": YearDay(2, 28, 1),
        "handover_without_self_evaluation_from": YearDay(2, 15, 1)})
    signed_in(client, p.hr)

    response = client.post(
        reverse("policy_reset", args=[organisation.pk, "first_signature_by"]), follow=True)

    assert "The policy was not changed. This day lies outside the evaluation window" \
        in response.content.decode()
    assert policy_for(organisation).first_signature_by == YearDay(2, 15, 1)


def test_everyone_of_the_organisation_reads_the_policy_but_only_hr_changes_it(client, p):
    signed_in(client, p.employee)

    response = client.get(detail(p))

    html = response.content.decode()
    assert response.status_code == 200
    assert "You can read this policy; HR of the organisation changes it." in html
    assert (edit(p) in html, response.context["history"]) == (False, [])
    assert "policy/employee_signature_days/reset/" not in html


@pytest.mark.parametrize("persona", ["employee", "manager", "team_hr"])
def test_only_hr_of_the_top_unit_may_change_the_policy(client, p, persona):
    signed_in(client, getattr(p, persona))

    statuses = [
        client.get(edit(p)).status_code,
        client.post(edit(p), {"employee_signature_days": "20"}).status_code,
        client.post(reverse("policy_reset", args=[p.top.organisation_id,
                                                  "employee_signature_days"])).status_code,
    ]

    assert statuses == [404, 404, 404]
    assert not PolicyChange.objects.exists()


def test_another_organisation_sees_nothing(client, p):
    signed_in(client, p.outsider)

    assert (client.get(detail(p)).status_code, client.get(edit(p)).status_code) == (404, 404)
    assert client.get(reverse("policy_detail", args=[999999])).status_code == 404


def test_an_unknown_setting_cannot_be_reset(client, p):
    signed_in(client, p.hr)
    response = client.post(reverse("policy_reset", args=[p.top.organisation_id, "verdicts"]))
    assert response.status_code == 404


def test_the_reset_needs_a_post(client, p):
    signed_in(client, p.hr)
    response = client.get(reverse("policy_reset", args=[p.top.organisation_id,
                                                        "employee_signature_days"]))
    assert response.status_code == 405


def test_the_nav_link_leads_hr_to_its_organisations_policy(client, p):
    signed_in(client, p.hr)

    home = client.get(reverse("home")).content.decode()
    response = client.get(reverse("policy_start"))

    assert reverse("policy_start") in home
    assert response.url == detail(p)


def test_an_employee_reaches_the_policy_of_their_own_organisation(client, p):
    signed_in(client, p.employee)

    home = client.get(reverse("home")).content.decode()

    assert reverse("policy_start") not in home  # the nav link is for HR
    assert client.get(reverse("policy_start")).url == detail(p)


def test_a_superuser_chooses_among_organisations(client, p):
    admin = factories.superuser(email="admin@example.test", password="secret-pass")
    client.force_login(admin)

    response = client.get(reverse("policy_start"))

    assert [o.name for o in response.context["organisations"]] == ["Elders", "Stad Lindendaal"]


def test_the_edit_form_groups_every_setting_with_its_preset(client, p):
    signed_in(client, p.hr)

    response = client.get(edit(p))

    html = response.content.decode()
    form = response.context["form"]
    # Guiding questions have a field per language of the registry.
    assert set(form.fields) == {
        *(name for name, setting in SETTINGS.items() if setting.kind != Kind.TRANSLATED_LINES),
        *(f"{name}__{code}" for name, setting in SETTINGS.items()
          if setting.kind == Kind.TRANSLATED_LINES for code in languages.CODES),
        "revision"}
    assert form["guiding_questions_follow_up__de"].label == (
        "Guiding questions: follow-up conversation, in German")
    assert html.count("<fieldset") == len(GROUPS)
    assert "Preset: 15 March of the next year." in html
    assert 'aria-describedby="id_first_signature_by_help"' in html
    assert response.context["form"]["first_signature_by"].value() == "15-03 +1"


def test_the_detail_page_takes_the_same_queries_for_1_or_3_changes(client, p):
    signed_in(client, p.hr)
    organisation = p.top.organisation

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(detail(p)).status_code == 200
        return len(context)

    policy_settings_change(organisation=organisation, actor=p.hr.user,
                           values={"employee_signature_days": 20})
    one = queries()
    other_hr = factories.person(p.department, with_user=True)
    policy_settings_change(organisation=organisation, actor=other_hr.user,
                           values={"minimum_hours": 400, "pop_max_competencies": 6})

    assert queries() == one
    assert len(client.get(detail(p)).context["history"]) == 3


def test_the_edit_page_takes_a_bounded_number_of_queries(client, p, django_assert_max_num_queries):
    signed_in(client, p.hr)
    data = form_data(client, p, employee_signature_days="20", minimum_hours="400",
                     pop_max_competencies="6")

    # 13, and 3 for the one audit event: constant in the number of changes
    with django_assert_max_num_queries(18):
        response = client.post(edit(p), data)

    assert response.status_code == 302
    assert PolicyChange.objects.count() == 3


def test_a_change_that_met_a_newer_one_keeps_the_form_and_shows_both(client, p):
    """HR opens the form; a colleague changes the signing term; HR saves 25 days from
    what they read: nothing is saved, the page shows the colleague's 20 beside HR's 25,
    and saving again (after comparing) replaces it deliberately."""
    signed_in(client, p.hr)
    data = form_data(client, p, employee_signature_days="25")
    colleague = factories.person(p.top, with_user=True)
    factories.grant(colleague, "hr", p.top)
    policy_settings_change(organisation=p.top.organisation,
                           values={"employee_signature_days": 20}, actor=colleague.user)

    response = client.post(edit(p), data)

    assert response.status_code == 200
    assert policy_for(p.top.organisation).employee_signature_days == 20
    page = response.content.decode()
    assert "Someone else saved this text in the meantime" in page
    assert [(d.theirs, d.yours) for d in response.context["conflict"]] == [("20", "25")]
    form = response.context["form"]
    assert form["employee_signature_days"].value() == "25"
    again = client.post(edit(p), {name: form[name].value() for name in form.fields})
    assert again.status_code == 302
    assert policy_for(p.top.organisation).employee_signature_days == 25
