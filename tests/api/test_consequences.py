"""The API of appeals, salary decisions and objections: the same rules as the pages."""

import json

import pytest

from koers.consequences.models import CaseFileRead
from koers.rulebook.services import policy_setting_change
from tests import personas
from tests.factories import consequences as cf
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db


# The same world as the consequences room's tests (tests/consequences/conftest.py).
@pytest.fixture
def p() -> personas.Personas:
    world = personas.build()
    cf.evaluation_based(world.employee)
    cf.evaluation_based(world.colleague)
    return world


@pytest.fixture
def bodies(p: personas.Personas) -> cf.Bodies:
    return cf.bodies(p)


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_management_body_reads_the_worklist_and_decides_through_the_api(client, p,
                                                                            bodies) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    client.force_login(bodies.management.user)
    organisation = p.employee.organisation_id

    with ev.on(cf.AFTER_TERM):
        listed = client.get(f"/api/v1/organisations/{organisation}/salary-worklist").json()
        refused = _post(client, f"/api/v1/organisations/{organisation}/salary-decisions",
                        {"decisions": [{"evaluation_id": marc.pk, "step": 2}]})
        taken = _post(client, f"/api/v1/organisations/{organisation}/salary-decisions",
                      {"decisions": [{"evaluation_id": marc.pk, "step": 0}]})

    assert [(c["person"]["name"], c["verdict"], c["steps"]) for c in listed["candidates"]] == [
        ("Marc Vandamme", "onvoldoende", [0])]
    assert refused.status_code == 422
    assert refused.json()["errors"] == {str(marc.pk): ["Een “onvoldoende” geeft altijd trap 0."]}
    assert taken.status_code == 201
    assert [d["step"] for d in taken.json()] == [0]


def test_the_board_reads_the_file_through_the_api_and_the_read_is_logged(client, p,
                                                                         bodies) -> None:
    appeal = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende",
                                       overall="Too little."))
    client.force_login(bodies.board.user)

    data = client.get(f"/api/v1/appeals/{appeal.pk}/file").json()

    assert (data["report"]["overall"], data["appeal"]["grounds"]) == ("Too little.", cf.GROUNDS)
    assert CaseFileRead.objects.filter(reader=bodies.board).count() == 1


def test_hr_gets_the_appeal_without_grounds_and_records_the_outcome(client, p) -> None:
    appeal = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende"))
    client.force_login(p.hr.user)

    seen = client.get(f"/api/v1/appeals/{appeal.pk}").json()
    with ev.on(cf.AFTER_TERM):
        decided = _post(client, f"/api/v1/appeals/{appeal.pk}/outcome",
                        {"outcome": "changed", "decided_on": cf.AFTER_TERM.isoformat()})

    assert seen["grounds"] is None
    assert decided.status_code == 200
    assert (decided.json()["state"], decided.json()["outcome"]) == ("decided", "changed")


def test_the_commission_advice_goes_through_the_api_in_its_order(client, p) -> None:
    """The federal route ([b6][b7]) as the pages have it: hearing, advice, outcome."""
    for name in ("appeal_contract_staff", "appeal_commission_advises"):
        policy_setting_change(organisation=p.employee.organisation, name=name, value=True,
                              actor=p.hr.user)
    appeal = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende"))
    client.force_login(p.hr.user)
    day = cf.AFTER_TERM.isoformat()

    with ev.on(cf.AFTER_TERM):
        early = _post(client, f"/api/v1/appeals/{appeal.pk}/advice",
                      {"advice": "changed", "advised_on": day})
        _post(client, f"/api/v1/appeals/{appeal.pk}/hearing", {"hearing_on": day})
        too_soon = _post(client, f"/api/v1/appeals/{appeal.pk}/outcome",
                         {"outcome": "changed", "decided_on": day})
        advised = _post(client, f"/api/v1/appeals/{appeal.pk}/advice",
                        {"advice": "changed", "advised_on": day})
        decided = _post(client, f"/api/v1/appeals/{appeal.pk}/outcome",
                        {"outcome": "changed", "decided_on": day})

    assert (early.status_code, too_soon.status_code) == (422, 422)
    assert (advised.json()["state"], advised.json()["advice"]) == ("advised", "changed")
    assert decided.json()["state"] == "decided"
