"""Every list of the API answers a page (api/pagination.py) and takes the filters of
api/filters.py where they apply; a page costs the same queries for 5 items as for 50."""

import datetime as dt

import pytest

from koers.access import tokens
from koers.core import clock
from koers.goals.models import Goal
from koers.goals.states import GoalStatus
from tests.api.clients import signed_in
from tests.factories import consequences as cf
from tests.factories import goals

pytestmark = pytest.mark.django_db


def _resolve(schema: dict, shape: dict) -> dict:
    ref = shape.get("$ref")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else shape


def test_no_read_answers_a_bare_list_and_every_page_takes_page_and_page_size(client, p):
    """A write may answer with what it made (the salary decisions of a batch); every
    read of a list answers a page."""
    client.force_login(p.employee.user)
    schema = client.get("/api/v1/openapi.json").json()

    bare, pages, unpaged = [], 0, []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method != "get":
                continue
            answer = operation["responses"].get("200")
            content = (answer or {}).get("content", {}).get("application/json")
            if content is None:
                continue
            shape = _resolve(schema, content["schema"])
            if shape.get("type") == "array":
                bare.append(f"{method.upper()} {path}")
            if {"items", "count", "next"} <= set(shape.get("properties", {})):
                pages += 1
                names = {parameter["name"] for parameter in operation.get("parameters", [])}
                if not {"page", "page_size"} <= names:
                    unpaged.append(f"{method.upper()} {path}")

    assert bare == []
    assert unpaged == []
    assert pages >= 35


def test_a_page_of_my_tokens_costs_the_same_queries_for_5_as_for_50(
        p, django_assert_num_queries, django_assert_max_num_queries) -> None:
    client = signed_in(p.employee)
    until = clock.today() + dt.timedelta(days=30)

    def make(count: int) -> None:
        for number in range(count):
            tokens.token_create(user=p.employee.user, name=f"Script {number}", scope="read",
                                expires_on=until)

    make(5)
    client.get("/api/v1/me/api-tokens")
    with django_assert_max_num_queries(60) as five:
        few = client.get("/api/v1/me/api-tokens")
    make(45)
    with django_assert_num_queries(len(five)):
        many = client.get("/api/v1/me/api-tokens")

    assert (len(few.json()["items"]), len(many.json()["items"])) == (5, 50)


def test_a_page_of_goals_costs_the_same_queries_for_5_as_for_50(
        p, django_assert_num_queries, django_assert_max_num_queries) -> None:
    """A list its selector builds whole (the reads are logged) is paged after it."""
    client = signed_in(p.manager)
    url = f"/api/v1/people/{p.employee.pk}/goals"

    def make(count: int) -> None:
        for number in range(count):
            goals.proposed(p.employee, title=f"Goal {number}")

    make(5)
    client.get(url)
    with django_assert_max_num_queries(60) as five:
        few = client.get(url)
    make(45)
    with django_assert_num_queries(len(five)):
        many = client.get(url)

    assert (few.json()["count"], many.json()["count"]) == (5, 50)
    assert len(many.json()["items"]) == 50


def test_pages_of_a_list_built_whole_follow_each_other_without_overlap(p) -> None:
    for number in range(7):
        goals.proposed(p.employee, title=f"Goal {number}")
    client = signed_in(p.employee)

    seen: list[int] = []
    url: str | None = "/api/v1/me/goals?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [goal["id"] for goal in page["items"]]
        url = page["next"]

    assert len(seen) == len(set(seen)) == 7


def test_goals_by_status_and_by_last_change(p) -> None:
    old = goals.agreed(p.employee, p.manager, title="Old")
    new = goals.proposed(p.employee, title="New")
    Goal.objects.filter(pk=old.pk).update(updated_at=clock.now() - dt.timedelta(days=10))
    client = signed_in(p.employee)
    since = (clock.now() - dt.timedelta(days=1)).isoformat()

    agreed = client.get("/api/v1/me/goals", {"state": GoalStatus.AGREED.value}).json()
    recent = client.get("/api/v1/me/goals", {"updated_since": since}).json()

    assert [goal["id"] for goal in agreed["items"]] == [old.pk]
    assert [goal["id"] for goal in recent["items"]] == [new.pk]
    assert recent["count"] == 1


def test_an_unknown_state_is_refused_with_the_states_there_are(p) -> None:
    response = signed_in(p.employee).get("/api/v1/me/goals", {"state": "finished"})

    assert (response.status_code, response.json()["code"]) == (422, "refused")
    assert "agreed" in response.json()["errors"]["state"][0]


def test_hr_narrows_the_appeals_by_person_and_unit_and_a_hidden_unit_is_404(p) -> None:
    cf.evaluation_based(p.employee)
    cf.evaluation_based(p.colleague)
    mine = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende"))
    theirs = cf.appeal(p, cf.delivered(p, p.colleague, verdict="onvoldoende"))
    hr = signed_in(p.hr)

    every = hr.get("/api/v1/appeals").json()
    by_number = hr.get("/api/v1/appeals", {"employee_number": p.employee.employee_number})
    by_email = hr.get("/api/v1/appeals", {"email": p.colleague.email.upper()})
    in_team = hr.get("/api/v1/appeals", {"unit_id": p.team.pk, "state": "filed"})
    other_unit = hr.get("/api/v1/appeals", {"unit_id": p.other_team.pk})
    hidden = signed_in(p.team_hr).get("/api/v1/appeals", {"unit_id": p.team.pk})

    assert {appeal["id"] for appeal in every["items"]} == {mine.pk, theirs.pk}
    assert [appeal["id"] for appeal in by_number.json()["items"]] == [mine.pk]
    assert [appeal["id"] for appeal in by_email.json()["items"]] == [theirs.pk]
    assert {appeal["id"] for appeal in in_team.json()["items"]} == {mine.pk, theirs.pk}
    assert other_unit.json()["items"] == []
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
