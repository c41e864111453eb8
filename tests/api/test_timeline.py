"""GET /api/v1/people/{id}/timeline: the same timeline and access rule as the web page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from koers.core import clock
from tests import personas
from tests.factories import participations

pytestmark = pytest.mark.django_db

APRIL_5 = dt.datetime(2026, 4, 5, 10, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture
def p():
    return personas.build()


def _get(client, person_id):
    with clock.frozen(APRIL_5):
        return client.get(f"/api/v1/people/{person_id}/timeline")


def test_the_timeline_lists_each_due_date_with_who_acts_and_its_state(client, p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(cycle, p.employee)
    client.force_login(p.manager.user)
    (data,) = _get(client, p.employee.pk).json()
    assert (data["year"], data["period_start"], data["evaluation_required"]) == (
        2026, "2026-01-01", True)
    steps = {step["step"]: step for step in data["steps"]}
    assert list(steps) == [
        "planning", "evaluation_window_opens", "self_evaluation", "first_signature",
        "evaluation", "second_signature",
    ]
    assert steps["planning"] == {
        "step": "planning", "label": "Planningsgesprek", "due": "2026-03-31",
        "responsible_role": "first_evaluator",
        "responsible": [{"id": p.manager.pk, "name": "Ratana Than"}],
        "done_on": None, "state": "overdue", "overdue": True,
    }
    assert steps["evaluation_window_opens"]["state"] == "upcoming"
    assert steps["self_evaluation"]["responsible"] == [
        {"id": p.employee.pk, "name": "Marc Vandamme"}]


def test_a_person_without_an_open_cycle_has_an_empty_timeline(client, p):
    client.force_login(p.employee.user)
    assert _get(client, p.employee.pk).json() == []


@pytest.mark.parametrize("who", ["colleague", "unrelated_manager", "outsider"])
def test_others_get_a_404(client, p, who):
    participations.participation(participations.cycle(p.top.organisation, 2026), p.employee)
    client.force_login(getattr(p, who).user)
    assert _get(client, p.employee.pk).status_code == 404
    assert _get(client, 999_999).status_code == 404
