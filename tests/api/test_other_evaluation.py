"""A top manager or mandate holder through the API: HR records it, the person's record
and the cycle's counts show it, clearing undoes it; refused outside the Flemish policy
and to anyone but HR of the person's unit.

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)"
(overheid.vlaanderen.be): "Voor topkaderfuncties bestaan andere evaluatievormen."
"""

import json

import pytest

from koers.audit.models import AuditEvent
from koers.core.models import User
from koers.cycles import services as cycle_services
from koers.cycles.models import Participation
from koers.organisation.models import Person, PolicyPreset
from tests import personas
from tests.api.problems import said

pytestmark = pytest.mark.django_db

REASON = "Mandaathouder (N-1) sinds de aanstelling"
BODY = {"function": "mandate_holder", "reason": REASON, "valid_from": "2026-02-01"}


@pytest.fixture
def p():
    people = personas.build()
    User.objects.filter(pk=people.hr.user_id).update(language="en")
    return people


def _put(client, person, body):
    return client.put(f"/api/v1/people/{person.pk}/other-evaluation", json.dumps(body),
                      content_type="application/json")


def test_hr_records_a_mandate_holder_and_the_cycle_counts_the_reason(client, p):
    cycle = cycle_services.cycle_open(organisation=p.top.organisation, year=2026,
                                      actor=None, background=False)
    cycle_services.cycle_fill(cycle=cycle)
    client.force_login(p.hr.user)

    response = _put(client, p.manager, BODY)

    assert response.status_code == 200
    assert response.json()["other_evaluation"] == {
        "function": "mandate_holder", "reason": REASON, "valid_from": "2026-02-01"}
    row = Participation.objects.get(cycle=cycle, person=p.manager)
    assert (row.evaluation_required, row.exemption) == (False, "mandate_holder")
    counts = client.get(f"/api/v1/cycles/{cycle.pk}").json()
    assert counts["counts"]["exempt_by_reason"]["mandate_holder"] == 1
    assert AuditEvent.objects.filter(action="person.other_evaluation_recorded").count() == 1

    cleared = _put(client, p.manager, {})

    assert cleared.json()["other_evaluation"] is None
    row.refresh_from_db()
    assert (row.evaluation_required, row.exemption) == (True, "")


def test_the_person_reads_it_on_their_own_record(client, p):
    client.force_login(p.hr.user)
    _put(client, p.manager, BODY)
    client.force_login(p.manager.user)
    assert client.get("/api/v1/me").json()["other_evaluation"]["function"] == "mandate_holder"


def test_an_incomplete_record_is_refused_with_the_fields(client, p):
    client.force_login(p.hr.user)
    response = _put(client, p.manager, {"function": "top_manager"})
    assert response.status_code == 422
    assert set(said(response)["errors"]) == {"reason", "valid_from"}
    assert Person.objects.get(pk=p.manager.pk).other_evaluation == ""


def test_the_federal_policy_refuses_it_clearly(client, p):
    org = p.top.organisation
    org.policy_preset = PolicyPreset.FEDERAL
    org.save(update_fields=["policy_preset"])
    client.force_login(p.hr.user)

    response = _put(client, p.manager, BODY)

    assert response.status_code == 422
    assert "Only the Flemish government's policy" in said(response)["detail"]
    assert Person.objects.get(pk=p.manager.pk).other_evaluation == ""


@pytest.mark.parametrize("who", ["employee", "manager", "team_hr"])
def test_only_hr_of_the_unit_records_it(client, p, who):
    client.force_login(getattr(p, who).user)
    assert _put(client, p.employee, BODY).status_code == 404
    assert Person.objects.get(pk=p.employee.pk).other_evaluation == ""
