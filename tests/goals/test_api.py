"""Team goals through the API: list with their linked goals, create, change."""

import pytest

from koers.goals.models import Goal
from tests import personas
from tests.factories import goals

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_the_manager_sets_lists_and_changes_team_goals(client, p):
    client.force_login(p.manager.user)
    created = client.post("/api/v1/team-goals", {
        "unit_id": p.team.pk, "kind": "process", "title": "Pay on time, 12 months out of 12",
        "measure": "Payroll runs on schedule", "deadline": "2099-12-31",
    }, content_type="application/json")
    assert created.status_code == 201
    team_goal = created.json()
    assert (team_goal["unit_id"], team_goal["status"]) == (p.team.pk, "agreed")
    linked = goals.proposed(p.employee, team_goal=Goal.objects.get(pk=team_goal["id"]))

    listed = client.get("/api/v1/team-goals").json()
    assert [(g["id"], g["linked_goal_ids"]) for g in listed] == [(team_goal["id"], [linked.pk])]
    changed = client.patch(f"/api/v1/goals/{team_goal['id']}", {
        "title": "Pay on time", "reason": "Shorter"}, content_type="application/json")
    assert changed.json()["title"] == "Pay on time"


def test_members_read_their_units_team_goals_but_do_not_set_any(client, p):
    team_goal = goals.team_goal(p.team, p.manager)
    client.force_login(p.employee.user)

    assert [g["id"] for g in client.get("/api/v1/team-goals").json()] == [team_goal.pk]
    refused = client.post("/api/v1/team-goals", {"unit_id": p.team.pk, "kind": "process",
                                                 "title": "Mine"},
                          content_type="application/json")
    assert refused.status_code == 422
    assert client.patch(f"/api/v1/goals/{team_goal.pk}", {"title": "x", "reason": "y"},
                        content_type="application/json").status_code == 422
