"""The access-request flow over the web pages and the API."""

import datetime as dt

import pytest
from django.test import Client

from koers.access.models import AccessRead, AccessRequest, RequestStatus
from koers.core import clock
from tests import personas
from tests.factories import goals as goal_factories

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


def _client(person: object) -> Client:
    client = Client()
    client.force_login(person.user)  # type: ignore[attr-defined]
    return client


def test_hr_asks_the_second_evaluator_grants_and_the_employee_sees_the_read() -> None:
    p = personas.build()
    second = p.department.manager
    goal = goal_factories.proposed(p.employee, title="GEHEIM-doel")
    hr, approver, employee = _client(p.hr), _client(second), _client(p.employee)
    with clock.frozen(NOON):
        assert hr.get(f"/goals/{goal.pk}/").status_code == 404
        response = hr.post(f"/people/{p.employee.pk}/access/new/", {
            "scope": "goals", "reason": "Klacht onderzoeken",
            "valid_from": "2026-03-01", "valid_until": "2026-03-31"})
        assert response.status_code == 302
        request = AccessRequest.objects.get()
        assert "Klacht onderzoeken" in approver.get("/access/requests/").content.decode()
        approver.post(f"/access/requests/{request.pk}/decide/", {"decision": "grant"})
        request.refresh_from_db()
        assert request.status == RequestStatus.GRANTED

        assert "GEHEIM-doel" in hr.get(f"/goals/{goal.pk}/").content.decode()
        reads = employee.get("/api/v1/me/access-reads").json()["items"]
        page = employee.get("/access/reads/").content.decode()

    assert [(r["reader"]["name"], r["reason"]) for r in reads] == [
        (p.hr.full_name, "Klacht onderzoeken")]
    assert "Klacht onderzoeken" in page
    assert AccessRead.objects.count() == 1
    with clock.frozen(NOON + dt.timedelta(days=30)):
        assert hr.get(f"/goals/{goal.pk}/").status_code == 404
        assert hr.get("/api/v1/access-requests").json()["mine"][0]["status"] == "expired"


def test_the_api_refuses_a_decision_by_anyone_but_the_approver() -> None:
    p = personas.build()
    hr = _client(p.hr)
    with clock.frozen(NOON):
        created = hr.post(f"/api/v1/people/{p.employee.pk}/access-requests", {
            "scope": "all", "reason": "Dossier", "valid_from": "2026-03-01",
            "valid_until": "2026-03-31"}, content_type="application/json")
        assert created.status_code == 201
        url = f"/api/v1/access-requests/{created.json()['id']}/decision"

        assert _client(p.manager).post(url, {"grant": True},
                                       content_type="application/json").status_code == 404
        decided = _client(p.department.manager).post(url, {"grant": False},
                                                     content_type="application/json")

    assert decided.json()["status"] == "refused"
