"""Improvement plans through the REST API: the same permissions, services and rules as
the pages.

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" (overheid.vlaanderen.be):
the manager starts the plan (why, expected improvement, support), it is followed up
monthly in conversations, and at the end the manager decides whether it was met.
"""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.core import clock
from koers.core.models import User
from koers.improvement.models import ImprovementPlan
from tests import personas
from tests.factories import improvement as plans

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 5)
END = dt.date(2026, 4, 4)


@pytest.fixture
def p():
    with clock.frozen(plans.moment(START)):
        people = personas.build()
        User.objects.update(language="en")
        yield people


def _send(client, method, url, data=None):
    return client.generic(method, url, json.dumps(data or {}),
                          content_type="application/json")


def _body(p, **extra):
    return {"employee_id": p.employee.pk, "grounds": "Pay questions stay open.",
            "goals": [{"expected": "Answer within 2 days", "indicators": "90 % of tickets"}],
            "support": "Coaching", "period_start": "2026-01-05", "period_end": "2026-04-04",
            **extra}


def test_a_plan_over_three_months_through_the_api_ends_met(client, p):
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(START)):
        started = _send(client, "POST", "/api/v1/improvement-plans", _body(p))
        assert started.status_code == 201, started.content
        plan_id = started.json()["id"]
        assert started.json()["follow_up_months"] == 1
        _send(client, "POST", f"/api/v1/improvement-plans/{plan_id}/signatures")
        client.force_login(p.employee.user)
        signed = _send(client, "POST", f"/api/v1/improvement-plans/{plan_id}/signatures")
    assert signed.json()["status"] == "running"
    follow_ups = signed.json()["follow_ups"]
    assert [f["due_on"] for f in follow_ups] == ["2026-02-05", "2026-03-05"]
    goal_id = signed.json()["goals"][0]["id"]
    client.force_login(p.manager.user)
    for follow_up in follow_ups:
        with clock.frozen(plans.moment(dt.date.fromisoformat(follow_up["due_on"]))):
            recorded = _send(client, "POST",
                             f"/api/v1/improvement-follow-ups/{follow_up['id']}/report",
                             {"held_on": follow_up["due_on"], "actions": "Daily review",
                              "progress": [{"goal_id": goal_id, "text": "Better"}]})
            assert recorded.status_code == 200, recorded.content
    with clock.frozen(plans.moment(END)):
        decided = _send(client, "POST", f"/api/v1/improvement-plans/{plan_id}/decision",
                        {"met": True, "motivation": "Reached since March."})

    assert (decided.json()["status"], decided.json()["decided_on"]) == ("met", "2026-04-04")


def test_a_refusal_says_what_is_wrong_and_changes_nothing(client, p):
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(START)):
        answer = _send(client, "POST", "/api/v1/improvement-plans",
                       _body(p, goals=[{"expected": "Faster", "indicators": ""}]))

    assert answer.status_code == 422
    assert answer.json()["errors"]["goals"] == [
        "Each expected improvement needs its indicators: how both of you will see that it "
        "is reached."]
    assert ImprovementPlan.objects.count() == 0


def test_the_employee_does_not_start_a_plan_and_strangers_do_not_read_one(client, p):
    plan = plans.running(p.employee, p.manager)
    client.force_login(p.employee.user)
    with clock.frozen(plans.moment(START)):
        assert _send(client, "POST", "/api/v1/improvement-plans",
                     _body(p)).status_code == 422
    for someone in (p.colleague, p.hr, p.outsider):
        client.force_login(someone.user)
        assert client.get(f"/api/v1/improvement-plans/{plan.pk}").status_code == 404


def test_the_plan_reads_in_a_fixed_number_of_queries(client, p):
    one = plans.running(p.employee, p.manager)
    many = plans.running(p.colleague, p.manager, end=dt.date(2026, 9, 4))
    for plan in (one, many):
        plans.hold_all(plan, p.manager)
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(dt.date(2026, 9, 4))):
        client.get(f"/api/v1/improvement-plans/{one.pk}")
        with CaptureQueriesContext(connection) as few:
            client.get(f"/api/v1/improvement-plans/{one.pk}")
        with CaptureQueriesContext(connection) as more:
            answer = client.get(f"/api/v1/improvement-plans/{many.pk}")

    assert len(answer.json()["follow_ups"]) == 7
    assert len(more) == len(few) <= 20


def test_the_api_offers_what_the_page_offers_each_side_of_the_plan(client, p):
    """Both faces read ``improvement.selectors.plan_actions``: the employee agrees an
    extension the evaluator proposed; the evaluator records the next follow-up and
    decides only from the plan's last week (PLOEG: the manager decides at the end)."""
    plan = plans.running(p.employee, p.manager)
    with clock.frozen(plans.moment(START)):
        client.force_login(p.manager.user)
        manager = client.get(f"/api/v1/improvement-plans/{plan.pk}").json()
        page = client.get(f"/improvement/{plan.pk}/").content.decode()
        client.force_login(p.employee.user)
        employee = client.get(f"/api/v1/improvement-plans/{plan.pk}").json()
        employee_page = client.get(f"/improvement/{plan.pk}/").content.decode()

    assert manager["actions"] == ["schedule_follow_up", "record_follow_up",
                                  "propose_extension"]
    assert employee["actions"] == []
    assert "Propose to extend the plan" in page
    assert "Decide met or not met" not in page
    assert "Propose to extend the plan" not in employee_page
    assert "Agree the extension" not in employee_page
    with clock.frozen(plans.moment(END)):
        client.force_login(p.manager.user)
        assert "decide" in client.get(f"/api/v1/improvement-plans/{plan.pk}").json()["actions"]
        page = client.get(f"/improvement/{plan.pk}/").content.decode()
        assert "Decide met or not met" in page


def test_a_plan_takes_its_reference_number_at_its_first_signature(client, p):
    """Like every signed record (organisation/records.py): given once, at the first
    signature, shown on the page and in the API."""
    plan = plans.draft(p.employee, p.manager)
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(START)):
        before = client.get(f"/api/v1/improvement-plans/{plan.pk}").json()["reference"]
        signed = _send(client, "POST", f"/api/v1/improvement-plans/{plan.pk}/signatures")
        page = client.get(f"/improvement/{plan.pk}/").content.decode()

    reference = client.get(f"/api/v1/improvement-plans/{plan.pk}").json()["reference"]
    assert (before, signed.status_code) == (None, 201)
    assert reference is not None
    assert reference.endswith("-2026-000001")
    assert reference in page
