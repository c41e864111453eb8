"""The cycle endpoints: open a cycle, follow its opening, read its counts."""

import datetime as dt
import json

import pytest

from koers.cycles.models import Cycle, CycleState, Participation
from tests import personas

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def p():
    return personas.build()


def post_cycle(client, body):
    return client.post("/api/v1/cycles", json.dumps(body), content_type="application/json")


def test_hr_opens_a_cycle_and_reads_its_counts(client, p, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(p.hr.user)

    response = post_cycle(client, {"year": 2026})

    assert response.status_code == 202
    data = response.json()
    people = p.hr.organisation.people.count()
    assert (data["year"], data["state"], data["percent_done"]) == (2026, "open", 100)
    assert data["counts"] == {
        "participations": people, "mandatory": people, "exempt": 0,
        "exempt_by_reason": {"not_employed": 0, "too_few_hours": 0, "too_few_months": 0,
                             "absent_too_long": 0},
        "on_probation": 0, "closed": 0,
    }
    assert client.get(f"/api/v1/cycles/{data['id']}").json() == data
    assert client.get("/api/v1/cycles").json() == [data]


def test_a_cycle_opened_in_the_background_reports_its_progress(client, p, settings):
    settings.TASKS = DATABASE
    client.force_login(p.hr.user)

    data = post_cycle(client, {"year": 2026, "organisation_id": p.hr.organisation_id}).json()

    assert (data["state"], data["people_done"], data["percent_done"]) == (
        CycleState.OPENING, 0, 0)


def test_an_open_year_is_refused(client, p, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(p.hr.user)
    post_cycle(client, {"year": 2026})

    response = post_cycle(client, {"year": 2026})

    assert response.status_code == 422
    assert response.json()["errors"] == {"year": ["De cyclus van 2026 is al geopend."]}


def test_only_hr_of_the_whole_organisation_opens_and_reads_cycles(client, p, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(p.hr.user)
    cycle_id = post_cycle(client, {"year": 2026}).json()["id"]

    for who in (p.team_hr, p.manager, p.outsider):
        client.force_login(who.user)
        assert client.get(f"/api/v1/cycles/{cycle_id}").status_code == 404
        assert client.get("/api/v1/cycles").json() == []
        response = post_cycle(client, {"year": 2025, "organisation_id": p.hr.organisation_id})
        assert response.status_code == 422
    assert Cycle.objects.count() == 1


def test_a_leaver_saved_through_the_api_is_closed_in_the_running_cycle(client, p, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(p.hr.user)
    cycle_id = post_cycle(client, {"year": 2026}).json()["id"]

    client.patch(f"/api/v1/people/{p.employee.pk}", json.dumps({"end_date": "2026-10-31"}),
                 content_type="application/json")

    participation = Participation.objects.get(cycle_id=cycle_id, person=p.employee)
    assert participation.closed_on == dt.date(2026, 10, 31)
    assert client.get(f"/api/v1/cycles/{cycle_id}").json()["counts"]["closed"] == 1
