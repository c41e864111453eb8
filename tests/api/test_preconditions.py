"""ETag and If-Match (RFC 9110, "HTTP Semantics", 8.8.3 and 13.1.1): a record that keeps a
revision says it as its ETag when read, and a change sent with a stale If-Match is
refused with 412 and changes nothing (api/preconditions.py)."""

import json

import pytest
from django.db.models import F
from django.test import Client

from koers.api import preconditions
from koers.conversations import services as work_plan_services
from koers.conversations.models import WorkPlan
from koers.goals.models import Goal
from koers.rulebook.models import PolicyChange, PolicyOverride
from tests import personas
from tests.factories import goals, work_plans
from tests.factories.work_plans import dutch_personas

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def p():
    return personas.build()


def _patch(client, url, data, **headers):
    return client.patch(url, json.dumps(data), content_type="application/json", headers=headers)


def _post(client, url, data=None, **headers):
    return client.post(url, json.dumps(data or {}), content_type="application/json",
                       headers=headers)


def test_a_goal_read_says_its_revision_as_its_etag(client, p):
    goal = goals.agreed(p.employee, p.manager)
    client.force_login(p.employee.user)

    response = client.get(f"/api/v1/goals/{goal.pk}")

    assert response["ETag"] == f'"{goal.revision}"' == f'"{response.json()["revision"]}"'


def test_a_change_with_the_etag_read_is_saved_and_answers_the_next_etag(client, p):
    goal = goals.proposed(p.employee)
    client.force_login(p.employee.user)
    etag = client.get(f"/api/v1/goals/{goal.pk}")["ETag"]

    changed = _patch(client, f"/api/v1/goals/{goal.pk}",
                     {"title": "Excel, advanced", "expected_revision": goal.revision},
                     if_match=etag)

    assert changed.status_code == 200
    assert changed["ETag"] == f'"{goal.revision + 1}"' == f'"{changed.json()["revision"]}"'


def test_a_stale_if_match_is_412_and_nothing_is_saved(client, p):
    goal = goals.proposed(p.employee)
    client.force_login(p.employee.user)
    stale = client.get(f"/api/v1/goals/{goal.pk}")["ETag"]
    _patch(client, f"/api/v1/goals/{goal.pk}",
           {"title": "Someone else's title", "expected_revision": goal.revision})

    refused = _patch(client, f"/api/v1/goals/{goal.pk}",
                     {"title": "Mine", "expected_revision": goal.revision + 1}, if_match=stale)

    assert (refused.status_code, refused["Content-Type"]) == (412, PROBLEM)
    body = refused.json()
    assert (body["code"], body["status"]) == ("precondition_failed", 412)
    assert body["type"].endswith("/api/v1/problems/precondition_failed")
    assert refused["ETag"] == f'"{goal.revision + 1}"'
    assert Goal.objects.get(pk=goal.pk).title == "Someone else's title"


def test_a_transition_honours_if_match_too(client, p):
    """The 1st evaluator's confirmation of a goal the employee changed meanwhile."""
    goal = goals.proposed(p.employee)
    client.force_login(p.manager.user)
    stale = client.get(f"/api/v1/goals/{goal.pk}")["ETag"]
    Goal.objects.filter(pk=goal.pk).update(revision=goal.revision + 1)

    refused = _post(client, f"/api/v1/goals/{goal.pk}/confirm", if_match=stale)
    confirmed = _post(client, f"/api/v1/goals/{goal.pk}/confirm",
                      if_match=f'"{goal.revision + 1}"')

    assert refused.status_code == 412
    assert confirmed.status_code == 200
    assert confirmed["ETag"] == f'"{confirmed.json()["revision"]}"'


@pytest.mark.parametrize("header", [None, "*", '"0", "7"'])
def test_without_if_match_or_with_a_matching_one_the_change_goes_on(client, p, header):
    """The header is optional (a script that never sends it works as before); ``*`` and a
    list holding the current tag match."""
    goal = goals.proposed(p.employee)
    client.force_login(p.employee.user)
    headers = {} if header is None else {"if_match": header}

    response = _patch(client, f"/api/v1/goals/{goal.pk}",
                      {"title": "Excel", "expected_revision": goal.revision}, **headers)

    assert response.status_code == 200


def test_a_weak_tag_never_matches(client, p):
    """If-Match compares strongly (RFC 9110, 13.1.1)."""
    goal = goals.proposed(p.employee)
    client.force_login(p.employee.user)

    response = _patch(client, f"/api/v1/goals/{goal.pk}",
                      {"title": "Excel", "expected_revision": goal.revision},
                      if_match=f'W/"{goal.revision}"')

    assert response.status_code == 412


def test_a_stale_if_match_on_a_work_plan_is_412():
    with dutch_personas() as p:
        client = Client()
        client.force_login(p.employee.user)
        plan = _post(client, "/api/v1/work-plans", {"expected_performance": "Pay on time"}).json()
        url = f"/api/v1/work-plans/{plan['id']}"
        read = client.get(url)
        changed = _patch(client, url,
                         {"support": "A mentor", "expected_revision": plan["revision"]},
                         if_match=read["ETag"])

        stale = _patch(client, url, {"support": "A course",
                                     "expected_revision": changed.json()["revision"]},
                       if_match=read["ETag"])

        assert read["ETag"] == f'"{plan["revision"]}"'
        assert changed["ETag"] == f'"{changed.json()["revision"]}"'
        assert stale.status_code == 412
        assert client.get(url).json()["support"] == "A mentor"


def test_the_policy_says_its_revision_and_a_stale_if_match_changes_no_setting(client, p):
    client.force_login(p.hr.user)
    base = f"/api/v1/organisations/{p.top.organisation_id}/policy"
    read = client.get(base)
    changed = client.put(f"{base}/first_signature_by", json.dumps(
        {"value": "10-03 +1", "expected_revision": read.json()["revision"]}),
        content_type="application/json", headers={"if_match": read["ETag"]})

    stale = client.put(f"{base}/first_signature_by", json.dumps(
        {"value": "11-03 +1", "expected_revision": changed.json()["revision"]}),
        content_type="application/json", headers={"if_match": read["ETag"]})

    assert read["ETag"] == f'"{read.json()["revision"]}"'
    assert changed["ETag"] == f'"{changed.json()["revision"]}"'
    assert stale.status_code == 412
    assert PolicyChange.objects.count() == 1


def _policy_state(organisation_id):
    return (list(PolicyChange.objects.filter(organisation_id=organisation_id)
                 .order_by("pk").values_list("pk", "field", "new_value")),
            list(PolicyOverride.objects.filter(organisation_id=organisation_id)
                 .order_by("field").values_list("field", "value")))


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_stale_if_match_on_the_policy_is_412_and_a_fresh_one_changes_it(client, p, method):
    """Two HR scripts read the same revision; the first saves, the second's If-Match
    names the revision it read, compared under the organisation's row lock: 412."""
    client.force_login(p.hr.user)
    base = f"/api/v1/organisations/{p.top.organisation_id}/policy"
    read = client.get(base)
    stale = read["ETag"]
    other = client.put(f"{base}/first_signature_by", json.dumps(
        {"value": "10-03 +1", "expected_revision": read.json()["revision"]}),
                       content_type="application/json", headers={"if_match": stale})
    assert other.status_code == 200
    before = _policy_state(p.top.organisation_id)

    def send(etag):
        # The body's expected_revision is the revision now: only If-Match is stale.
        expected = client.get(base).json()["revision"]
        if method == "put":
            return client.put(f"{base}/first_signature_by", json.dumps(
                {"value": "11-03 +1", "expected_revision": expected}),
                content_type="application/json", headers={"if_match": etag})
        return _patch(client, base, {"settings": {"first_signature_by": "11-03 +1"},
                                     "expected_revision": expected}, if_match=etag)

    refused = send(stale)

    assert (refused.status_code, refused.json()["code"]) == (412, "precondition_failed")
    assert refused["ETag"] == other["ETag"] == client.get(base)["ETag"] != stale
    assert _policy_state(p.top.organisation_id) == before
    changed = send(client.get(base)["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] == client.get(base)["ETag"] != other["ETag"]
    changes, _overrides = _policy_state(p.top.organisation_id)
    assert changes[:-1] == before[0]
    assert changes[-1][1] == "first_signature_by"
    assert changes[-1][2] != before[0][-1][2]  # 11 March now, 10 March before


def test_the_schema_says_which_operations_honour_if_match(client, p):
    client.force_login(p.employee.user)
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    def honours(path: str, method: str) -> bool:
        operation = paths[path][method]
        return ("412" in operation["responses"]
                and any(parameter["name"] == "If-Match"
                        for parameter in operation.get("parameters", [])))

    assert honours("/api/v1/goals/{goal_id}", "patch")
    assert honours("/api/v1/goals/{goal_id}/confirm", "post")
    assert honours("/api/v1/work-plans/{work_plan_id}", "patch")
    assert honours("/api/v1/organisations/{organisation_id}/policy", "patch")
    assert not honours("/api/v1/goals", "post")


# The moves on of a goal and a work plan: their services compare If-Match under the row
# lock of the change itself, so a stale one changes nothing and a fresh one goes through.


def _goal_state(goal_id):
    goal = Goal.objects.get(pk=goal_id)
    return (goal.revision, goal.status, goal.employee_confirmed_at, goal.evaluator_confirmed_at,
            goal.changes.count())


@pytest.mark.parametrize(("make", "who", "action", "body"), [
    (lambda p: goals.proposed(p.employee), "manager", "confirm", None),
    (lambda p: goals.agreed(p.employee, p.manager), "employee", "status",
     {"status": "in_progress"}),
], ids=["confirm", "status"])
def test_a_stale_if_match_on_a_goal_move_is_412_and_a_fresh_one_moves_it(client, p, make, who,
                                                                          action, body):
    goal = make(p)
    client.force_login(getattr(p, who).user)
    stale = client.get(f"/api/v1/goals/{goal.pk}")["ETag"]
    Goal.objects.filter(pk=goal.pk).update(revision=goal.revision + 1)  # someone saved
    before = _goal_state(goal.pk)

    refused = _post(client, f"/api/v1/goals/{goal.pk}/{action}", body, if_match=stale)

    assert (refused.status_code, refused.json()["code"]) == (412, "precondition_failed")
    assert refused["ETag"] == f'"{goal.revision + 1}"' == client.get(
        f"/api/v1/goals/{goal.pk}")["ETag"]
    assert _goal_state(goal.pk) == before
    fresh = client.get(f"/api/v1/goals/{goal.pk}")["ETag"]
    moved = _post(client, f"/api/v1/goals/{goal.pk}/{action}", body, if_match=fresh)
    assert moved.status_code == 200
    assert moved["ETag"] == f'"{goal.revision + 2}"' == client.get(
        f"/api/v1/goals/{goal.pk}")["ETag"]
    assert Goal.objects.get(pk=goal.pk).status == moved.json()["status"] != before[1]


def test_a_stale_if_match_on_a_work_plan_confirmation_is_412_and_a_fresh_one_confirms():
    with dutch_personas() as p:
        plan = work_plans.draft(p)
        work_plan_services.work_plan_comment(actor=goals.viewer(p.manager), work_plan=plan,
                                             comments="Add the new payroll system.")
        client = Client()
        client.force_login(p.employee.user)
        url = f"/api/v1/work-plans/{plan.pk}"
        stale = client.get(url)["ETag"]
        WorkPlan.objects.filter(pk=plan.pk).update(revision=F("revision") + 1)
        before = WorkPlan.objects.values().get(pk=plan.pk)

        refused = _post(client, f"{url}/confirm", if_match=stale)

        assert (refused.status_code, refused.json()["code"]) == (412, "precondition_failed")
        assert refused["ETag"] == client.get(url)["ETag"] != stale
        assert WorkPlan.objects.values().get(pk=plan.pk) == before
        confirmed = _post(client, f"{url}/confirm", if_match=client.get(url)["ETag"])
        assert confirmed.status_code == 200
        assert confirmed["ETag"] == client.get(url)["ETag"] == f'"{before["revision"] + 1}"'
        assert WorkPlan.objects.get(pk=plan.pk).employee_confirmed_at is not None


@pytest.mark.parametrize(("header", "revisions"), [
    (None, None), ("*", None), ('"3"', {3}), ('"0", "7"', {0, 7}), ('W/"3"', set()),
    ('"07"', set()), ('"abc", "4"', {4}),
])
def test_if_match_names_the_revisions_of_its_strong_tags(rf, header, revisions):
    headers = {} if header is None else {"if_match": header}

    assert preconditions.if_match(rf.post("/", headers=headers)) == revisions
