"""The planning to sign "voor akkoord" waits in the task list of whoever signs next
(Vlaamse overheid, "PLOEG-gesprekken",
https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken: the employee and the
1st evaluator sign, the 2nd evaluator too), due by the end of March; the start page and
``GET /api/v1/me/tasks`` show it, in a number of queries that does not grow with it."""

import datetime as dt

import pytest
from django.urls import reverse

from koers.goals.planning import planning_sign
from koers.organisation.models import PolicyPreset
from koers.tasks.selectors import TaskKind, tasks_for
from tests.factories import goals, participations
from tests.factories.goals import viewer
from tests.factories.planning import (  # noqa: F401 (the fixtures)
    february_fixture,
    participation_fixture,
    personas_fixture,
)

pytestmark = pytest.mark.django_db




def planning_tasks(person):
    return [task for task in tasks_for(viewer(person)) if task.kind == TaskKind.PLANNING]


def test_the_task_follows_the_signing_order_and_disappears_once_complete(p, participation):
    second = p.department.manager
    assert second is not None
    assert planning_tasks(p.employee) == []  # nothing agreed yet
    goals.agreed(p.employee, p.manager)

    (task,) = planning_tasks(p.employee)
    assert (task.record_id, task.step, task.person) == (participation.pk, "sign", p.employee)
    assert task.due == dt.date(2026, 3, 31)
    assert "De planning van evaluatieperiode 2026 voor akkoord ondertekenen" in task.what
    assert len(planning_tasks(p.manager)) == 1
    assert planning_tasks(second) == []  # the 2nd signs after both

    planning_sign(actor=viewer(p.employee), participation=participation)
    assert planning_tasks(p.employee) == []
    planning_sign(actor=viewer(p.manager), participation=participation)
    assert planning_tasks(p.manager) == []
    assert [t.record_id for t in planning_tasks(second)] == [participation.pk]

    planning_sign(actor=viewer(second), participation=participation)
    assert planning_tasks(second) == []


def test_no_planning_task_in_another_regime(p, participation):
    goals.agreed(p.employee, p.manager)
    organisation = p.employee.organisation
    organisation.policy_preset = PolicyPreset.FEDERAL
    organisation.save(update_fields=["policy_preset"])

    assert planning_tasks(p.employee) == []
    assert planning_tasks(p.manager) == []


def test_start_page_and_api_show_the_planning_task_in_bounded_queries(
        client, p, participation, django_assert_max_num_queries):
    goals.agreed(p.employee, p.manager)
    client.force_login(p.manager.user)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("home")).content.decode()
    cycle = participation.cycle
    participations.participation(cycle, p.colleague)
    for n in range(3):
        goals.agreed(p.colleague, p.manager, title=f"Doel {n}")
    with django_assert_max_num_queries(40):
        client.get(reverse("home"))

    assert reverse("planning_detail", args=[participation.pk]) in page
    listed = client.get("/api/v1/me/tasks").json()["items"]
    planning = [task for task in listed if task["kind"] == "planning"]
    assert {task["record_id"] for task in planning} >= {participation.pk}
    assert planning[0]["due"] == "2026-03-31"
