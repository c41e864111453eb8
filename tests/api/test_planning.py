"""The planning's endpoints: its state and the signature "voor akkoord", with the same
rules as the page (Vlaamse overheid, "PLOEG-gesprekken",
https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken)."""

import datetime as dt

import pytest

from koers.core import clock
from koers.goals.planning import seal
from koers.organisation.models import PolicyPreset
from tests.factories import goals, participations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def february():
    with clock.frozen(dt.datetime(2026, 2, 10, 9, 0, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def participation(p):
    cycle = participations.cycle(p.employee.organisation, 2026)
    return participations.participation(cycle, p.employee)


def test_read_and_sign_the_planning(client, p, participation):
    goal = goals.agreed(p.employee, p.manager)
    url = f"/api/v1/participations/{participation.pk}/planning"
    client.force_login(p.manager.user)

    state = client.get(url).json()
    assert (state["signable"], state["complete"], state["may_sign"]) == (True, False, True)
    assert state["next_signers"] == ["employee", "first_evaluator"]
    assert state["due"] == "2026-03-31"
    assert [g["id"] for g in state["goals"]] == [goal.pk]

    response = client.post(f"{url}/signatures")
    assert response.status_code == 201
    signed = response.json()
    assert signed["next_signers"] == ["employee"]
    (signature,) = signed["signatures"]
    assert (signature["role"], signature["current"]) == ("first_evaluator", True)
    assert signature["seal"] == seal(signature["content"]) == signed["seal"]


def test_refusals_are_problems_and_strangers_get_404(client, p, participation):
    goals.agreed(p.employee, p.manager)
    url = f"/api/v1/participations/{participation.pk}/planning"
    assert p.department.manager is not None
    client.force_login(p.department.manager.user)

    refused = client.post(f"{url}/signatures")
    assert refused.status_code == 422
    assert "2de evaluator" in refused.json()["detail"]

    client.force_login(p.colleague.user)
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/signatures").status_code == 404


def test_another_regime_refuses_the_signature(client, p, participation):
    goals.agreed(p.employee, p.manager)
    organisation = p.employee.organisation
    organisation.policy_preset = PolicyPreset.DUTCH_MUNICIPAL
    organisation.save(update_fields=["policy_preset"])
    client.force_login(p.employee.user)

    refused = client.post(f"/api/v1/participations/{participation.pk}/planning/signatures")

    assert refused.status_code == 422
    assert "niet als geheel ondertekend" in refused.json()["detail"]
