"""The goal endpoints: the same permissions and services as the goal pages; team goals
listed with their linked goals, created and changed."""

import json

import pytest

from koers.goals.models import Goal
from tests import personas
from tests.factories import goals

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_the_employee_proposes_and_the_manager_confirms_through_the_api(client, p):
    client.force_login(p.employee.user)
    response = _post(client, "/api/v1/goals", {
        "kind": "learning", "title": "Improve my Excel skills",
        "milestones": [{"date": "2099-05-01", "text": "Course done"}],
    })
    assert response.status_code == 201
    created = response.json()
    assert (created["status"], created["owner_id"]) == ("proposed", p.employee.pk)
    assert [a["flag"] for a in created["advice"]] == ["no_measure", "no_deadline", "vague"]

    client.force_login(p.manager.user)
    confirmed = _post(client, f"/api/v1/goals/{created['id']}/confirm").json()

    assert confirmed["status"] == "agreed"
    listed = client.get(f"/api/v1/people/{p.employee.pk}/goals").json()["items"]
    assert [g["id"] for g in listed] == [
        created["id"]]


def test_an_adjustment_of_an_agreed_goal_needs_a_reason(client, p):
    goal = goals.agreed(p.employee, p.manager)
    client.force_login(p.employee.user)
    url = f"/api/v1/goals/{goal.pk}"

    refused = client.patch(url, json.dumps({"deadline": "2099-06-30",
                                            "expected_revision": goal.revision}),
                           content_type="application/json")
    assert refused.status_code == 422
    assert "reason" in refused.json()["errors"]

    changed = client.patch(url, json.dumps({"deadline": "2099-06-30", "progress": 30,
                                            "reason": "Earlier audit",
                                            "expected_revision": goal.revision}),
                           content_type="application/json")
    assert changed.status_code == 200
    detail = client.get(url).json()
    assert detail["history"][-1]["fields"] == {"deadline": ["2099-12-31", "2099-06-30"],
                                               "progress": [0, 30]}
    assert detail["history"][-1]["reason"] == "Earlier audit"


def test_status_and_comments_through_the_api(client, p):
    goal = goals.agreed(p.employee, p.manager)
    client.force_login(p.employee.user)

    assert _post(client, f"/api/v1/goals/{goal.pk}/status",
                 {"status": "achieved"}).status_code == 422
    assert _post(client, f"/api/v1/goals/{goal.pk}/comments",
                 {"text": "Halfway there"}).status_code == 201
    client.force_login(p.manager.user)
    assert _post(client, f"/api/v1/goals/{goal.pk}/status",
                 {"status": "achieved"}).json()["status"] == "achieved"
    assert [c["text"] for c in client.get(f"/api/v1/goals/{goal.pk}").json()["comments"]] == [
        "Halfway there"]


def test_hr_and_colleagues_get_a_404_for_a_private_goal(client, p):
    goal = goals.proposed(p.employee)
    for person in (p.hr, p.colleague):
        client.force_login(person.user)
        assert client.get(f"/api/v1/goals/{goal.pk}").status_code == 404
        assert _post(client, f"/api/v1/goals/{goal.pk}/confirm").status_code == 404
    client.force_login(p.hr.user)
    assert client.get(f"/api/v1/people/{p.employee.pk}/goals").json()["items"] == []


def test_a_colleague_cannot_propose_for_someone_else(client, p):
    client.force_login(p.colleague.user)
    # Colleagues cannot see each other's record: the same 404 as for a missing person.
    response = _post(client, "/api/v1/goals", {"owner_id": p.employee.pk, "kind": "career",
                                               "title": "Become team lead by 2099"})
    assert response.status_code == 404
    assert Goal.objects.count() == 0


def test_my_goals(client, p):
    goals.proposed(p.employee)
    client.force_login(p.employee.user)
    assert len(client.get("/api/v1/me/goals").json()["items"]) == 1


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

    listed = client.get("/api/v1/team-goals").json()["items"]
    assert [(g["id"], g["linked_goal_ids"]) for g in listed] == [(team_goal["id"], [linked.pk])]
    changed = client.patch(f"/api/v1/goals/{team_goal['id']}", {
        "title": "Pay on time", "reason": "Shorter", "expected_revision": team_goal["revision"]},
        content_type="application/json")
    assert changed.json()["title"] == "Pay on time"


def test_members_read_their_units_team_goals_but_do_not_set_any(client, p):
    team_goal = goals.team_goal(p.team, p.manager)
    client.force_login(p.employee.user)

    assert [g["id"] for g in client.get("/api/v1/team-goals").json()["items"]] == [team_goal.pk]
    refused = client.post("/api/v1/team-goals", {"unit_id": p.team.pk, "kind": "process",
                                                 "title": "Mine"},
                          content_type="application/json")
    assert refused.status_code == 422
    assert client.patch(f"/api/v1/goals/{team_goal.pk}",
                        {"title": "x", "reason": "y", "expected_revision": team_goal.revision},
                        content_type="application/json").status_code == 422


def test_a_patch_from_an_old_revision_answers_409_with_what_is_saved_now(client, p):
    goal = goals.agreed(p.employee, p.manager, title="Loonvragen binnen twee dagen")
    client.force_login(p.employee.user)
    first = client.patch(f"/api/v1/goals/{goal.pk}",
                         {"progress": 40, "expected_revision": goal.revision},
                         content_type="application/json")
    assert first.status_code == 200

    second = client.patch(f"/api/v1/goals/{goal.pk}",
                          {"progress": 60, "expected_revision": goal.revision},
                          content_type="application/json")

    assert second.status_code == 409
    body = second.json()
    assert (body["revision"], body["current"]["progress"]) == (first.json()["revision"], 40)
    assert client.get(f"/api/v1/goals/{goal.pk}").json()["progress"] == 40
    missing = client.patch(f"/api/v1/goals/{goal.pk}", {"progress": 60},
                           content_type="application/json")
    assert missing.status_code == 422  # the revision the change starts from is required
