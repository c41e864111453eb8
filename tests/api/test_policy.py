"""The policy endpoints: the same reading rule, services and messages as the web pages."""

import json

import pytest

from koers.organisation.models import PolicyPreset
from koers.rulebook.models import PolicyChange, PolicyOverride
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import FLEMISH
from koers.rulebook.registry import GROUPS
from tests import factories, personas
from tests.api.problems import said

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def url(p, setting: str | None = None) -> str:
    base = f"/api/v1/organisations/{p.top.organisation_id}/policy"
    return f"{base}/{setting}" if setting else base


def revision(client, base: str) -> int:
    """The policy's revision as read now (the API's own answer; 0 for a reader who may
    not read it: the write is refused before the revision matters)."""
    response = client.get(base)
    return response.json()["revision"] if response.status_code == 200 else 0


def put(client, p, setting: str, value: str | None):
    return client.put(url(p, setting), json.dumps(
        {"value": value, "expected_revision": revision(client, url(p))}),
        content_type="application/json")


def test_an_employee_reads_every_setting_with_preset_and_value(client, p):
    client.force_login(p.employee.user)

    data = client.get(url(p)).json()

    assert (data["preset"], data["version"]) == ("flemish", "flemish-2024.1")
    assert [s["name"] for s in data["settings"]] == [n for _l, names in GROUPS for n in names]
    first = next(s for s in data["settings"] if s["name"] == "first_signature_by")
    assert (first["preset"], first["value"], first["changed"], first["kind"], first["optional"]) \
        == ("15-03 +1", "15-03 +1", False, "year_day", True)
    days = next(s for s in data["settings"] if s["name"] == "employee_signature_days")
    assert (days["minimum"], days["maximum"], days["value"]) == (1, 60, "15")


def test_hr_changes_a_setting(client, p):
    client.force_login(p.hr.user)

    response = put(client, p, "first_signature_by", "10-03 +1")

    assert response.status_code == 200
    assert (response.json()["value"], response.json()["changed"]) == ("10-03 +1", True)
    change = PolicyChange.objects.get()
    assert (change.field, change.old_value, change.new_value, change.changed_by) == (
        "first_signature_by", "+1-03-15", "+1-03-10", p.hr.user)


def test_a_bad_value_is_refused_with_the_reason_and_nothing_changes(client, p):
    client.force_login(p.hr.user)

    response = put(client, p, "first_signature_by", "15-03")

    assert response.status_code == 422
    assert said(response) == {"detail": "Het beleid is niet gewijzigd.", "errors": {
        "first_signature_by": [
            "Deze dag ligt buiten de periode voor de evaluatiegesprekken (01-12 – 31-03 +1)."]}}
    assert not PolicyOverride.objects.exists()


def test_null_resets_to_the_preset(client, p):
    client.force_login(p.hr.user)
    put(client, p, "minimum_hours", "400")

    response = put(client, p, "minimum_hours", None)

    assert (response.json()["value"], response.json()["changed"]) == ("479", False)
    assert policy_for(p.top.organisation) is FLEMISH
    assert PolicyChange.objects.count() == 2


def test_an_empty_text_switches_an_optional_setting_off(client, p):
    client.force_login(p.hr.user)
    put(client, p, "exempt_when_absent_months", "")
    assert policy_for(p.top.organisation).exempt_when_absent_months is None


def test_every_value_read_can_be_written_back_unchanged(client, p):
    client.force_login(p.hr.user)
    settings = client.get(url(p)).json()["settings"]

    response = client.patch(url(p), json.dumps(
        {"settings": {s["name"]: s["value"] for s in settings},
         "expected_revision": revision(client, url(p))}),
        content_type="application/json")

    assert response.status_code == 200
    assert not PolicyChange.objects.exists()


def test_a_window_is_added_to_the_federal_policy_with_one_patch(client):
    organisation = factories.organisation(preset=PolicyPreset.FEDERAL)
    top = factories.unit(organisation)
    hr = factories.person(top, with_user=True)
    factories.grant(hr, "hr", top)
    client.force_login(hr.user)
    base = f"/api/v1/organisations/{organisation.pk}/policy"

    alone = client.put(f"{base}/evaluation_window_opens", json.dumps(
        {"value": "01-09", "expected_revision": 0}), content_type="application/json")
    together = client.patch(base, json.dumps({"settings": {
        "evaluation_window_opens": "01-09", "evaluation_window_closes": "30-11"},
        "expected_revision": 0}),
        content_type="application/json")

    assert alone.status_code == 422
    assert together.status_code == 200
    values = {s["name"]: s["value"] for s in together.json()["settings"]}
    assert (values["evaluation_window_opens"], values["evaluation_window_closes"]) \
        == ("01-09", "30-11")


@pytest.mark.parametrize("persona", ["employee", "manager", "team_hr"])
def test_only_hr_of_the_top_unit_writes(client, p, persona):
    client.force_login(getattr(p, persona).user)

    statuses = [put(client, p, "minimum_hours", "400").status_code,
                client.patch(url(p), json.dumps({"settings": {"minimum_hours": "400"},
                                                   "expected_revision": 0}),
                             content_type="application/json").status_code]

    assert statuses == [404, 404]
    assert not PolicyChange.objects.exists()


def test_another_organisation_cannot_read_it(client, p):
    client.force_login(p.outsider.user)
    assert client.get(url(p)).status_code == 404


def test_an_unknown_setting_is_a_404_on_put_and_a_422_in_a_patch(client, p):
    client.force_login(p.hr.user)

    put_status = put(client, p, "verdicts", "").status_code
    patch = client.patch(url(p), json.dumps({"settings": {"verdicts": ""},
                                             "expected_revision": 0}),
                         content_type="application/json")

    assert (put_status, patch.status_code) == (404, 422)
    assert patch.json()["errors"] == {"verdicts": ["Onbekende instelling."]}


def test_a_change_that_met_a_newer_one_is_refused_with_what_is_saved_now(client, p):
    """Two HR officers read the policy; the first changes the signing term; the second,
    starting from the same revision, changes it too: 409, nothing of theirs saved."""
    client.force_login(p.hr.user)
    read = revision(client, url(p))
    first = client.put(url(p, "employee_signature_days"), json.dumps(
        {"value": "20", "expected_revision": read}), content_type="application/json")
    second = client.put(url(p, "employee_signature_days"), json.dumps(
        {"value": "25", "expected_revision": read}), content_type="application/json")

    assert first.status_code == 200
    assert first.json()["revision"] > read
    assert second.status_code == 409
    body = second.json()
    assert (body["code"], body["current"], body["revision"]) == (
        "edit_conflict", {"employee_signature_days": "20"}, first.json()["revision"])
    assert policy_for(p.top.organisation).employee_signature_days == 20
    assert PolicyChange.objects.count() == 1


def test_a_change_of_another_setting_meanwhile_does_not_stand_in_the_way(client, p):
    client.force_login(p.hr.user)
    read = revision(client, url(p))
    client.put(url(p, "employee_signature_days"), json.dumps(
        {"value": "20", "expected_revision": read}), content_type="application/json")

    other = client.patch(url(p), json.dumps(
        {"settings": {"minimum_hours": "400"}, "expected_revision": read}),
        content_type="application/json")

    assert other.status_code == 200
    policy = policy_for(p.top.organisation)
    assert (policy.employee_signature_days, policy.minimum_hours) == (20, 400)


def test_a_change_without_the_revision_it_starts_from_is_refused(client, p):
    client.force_login(p.hr.user)
    response = client.put(url(p, "minimum_hours"), json.dumps({"value": "400"}),
                          content_type="application/json")
    assert response.status_code == 422
    assert "expected_revision" in response.json()["errors"]
    assert not PolicyChange.objects.exists()
