"""The people late on a step and HR's reminder through the API: the same selector and
service as the dashboard's pages."""

import json

import pytest

from koers.core import clock
from koers.cycles.models import LateReminder
from koers.notify.models import Notification
from tests import personas
from tests.factories import bulk_participations

pytestmark = pytest.mark.django_db

AFTER_PLANNING = bulk_participations.AFTER_PLANNING


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def cycle(p):
    return bulk_participations.late_on_planning(p)


def _remind(client, cycle, ids, **extra):
    return client.post(f"/api/v1/cycles/{cycle.pk}/late/planning/reminders",
                       data=json.dumps({"person_ids": ids, **extra}),
                       content_type="application/json")


def test_hr_lists_the_people_late_on_a_step(client, p, cycle):
    client.force_login(p.hr.user)
    with clock.frozen(AFTER_PLANNING):
        data = client.get(f"/api/v1/cycles/{cycle.pk}/late/planning").json()
        team = client.get(f"/api/v1/cycles/{cycle.pk}/late/planning",
                          {"unit_id": p.other_team.pk}).json()
        board = client.get(f"/api/v1/cycles/{cycle.pk}/dashboard").json()

    assert (data["unit"]["name"], data["total"], data["pages"]) == ("Stadsbestuur", 2, 1)
    assert data["responsible_role"] == "first_evaluator"
    assert data["total"] == board["total"]["overdue_by_step"]["planning"]
    assert board["total"]["done_by_step"]["planning"] == 7
    row = next(r for r in data["people"] if r["person"]["id"] == p.employee.pk)
    assert (row["unit"]["name"], row["step"], row["first_evaluator"]["name"],
            row["reminded_today"]) == ("Team Loonadministratie", "planning", "Ratana Than",
                                       False)
    assert team["total"] == 0


def test_hr_reminds_through_the_api_once_a_day(client, p, cycle):
    client.force_login(p.hr.user)
    with clock.frozen(AFTER_PLANNING):
        first = _remind(client, cycle, [p.employee.pk])
        second = _remind(client, cycle, [p.employee.pk, p.colleague.pk])
        listed = client.get(f"/api/v1/cycles/{cycle.pk}/late/planning").json()

    assert first.status_code == 201
    assert first.json() == {"reminded": [{"id": p.employee.pk, "name": "Marc Vandamme"}],
                            "unreachable": [], "notifications": 1}
    assert second.status_code == 422
    assert "Marc Vandamme" in second.json()["errors"]["person_ids"][0]
    assert list(LateReminder.objects.values_list("person", flat=True)) == [p.employee.pk]
    assert Notification.objects.count() == 1
    assert {r["person"]["id"]: r["reminded_today"] for r in listed["people"]} == {
        p.employee.pk: True, p.colleague.pk: False}


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_others_get_a_404_from_both(client, p, cycle, who):
    client.force_login(getattr(p, who).user)
    with clock.frozen(AFTER_PLANNING):
        assert client.get(f"/api/v1/cycles/{cycle.pk}/late/planning").status_code == 404
        assert _remind(client, cycle, [p.employee.pk]).status_code == 404
    assert LateReminder.objects.count() == 0


def test_a_step_that_cannot_be_late_is_refused(client, p, cycle):
    client.force_login(p.hr.user)
    assert client.get(
        f"/api/v1/cycles/{cycle.pk}/late/evaluation_window_opens").status_code == 404
    response = client.post(f"/api/v1/cycles/{cycle.pk}/late/nonsense/reminders",
                           data=json.dumps({"person_ids": [p.employee.pk]}),
                           content_type="application/json")
    assert response.status_code == 422
    assert LateReminder.objects.count() == 0
