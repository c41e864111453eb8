"""Every error of the API is RFC 9457 problem details ("Problem Details for HTTP APIs"):
``application/problem+json`` with type, title, status, detail and a stable code, field
errors where the fields are at fault, in the caller's language (api/problems.py)."""

import json

import pytest
from django.test import Client

from koers.api.api import api
from koers.api.problems import KINDS
from tests.api import clients
from tests.factories import goals

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def signed_in(person, *, language: str = "en", **kwargs) -> Client:
    return clients.signed_in(person, language=language, **kwargs)


def problem(response, status: int, code: str) -> dict:
    """The body, once its envelope is checked: media type, members, the type's URI."""
    body = response.json()
    assert (response.status_code, response["Content-Type"]) == (status, PROBLEM)
    assert (body["status"], body["code"]) == (status, code)
    assert body["type"] == f"http://testserver/api/v1/problems/{code}"
    assert body["title"]
    assert body["detail"]
    assert isinstance(body["errors"], dict)
    return body


def test_401_without_a_session_or_a_token(client) -> None:
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")

    body = problem(response, 401, "not_authenticated")
    assert body["title"] == "Not signed in"
    assert response["WWW-Authenticate"] == 'Bearer realm="koers"'


def test_401_in_the_language_the_anonymous_caller_asks_for(client) -> None:
    body = problem(client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="nl"), 401,
                   "not_authenticated")

    assert body["title"] == "Niet aangemeld"


def test_403_for_a_session_write_without_the_csrf_token(p) -> None:
    client = signed_in(p.hr, enforce_csrf_checks=True)

    response = client.post("/api/v1/units", json.dumps(
        {"code": "N2", "name": "N2", "parent_id": p.department.pk}),
        content_type="application/json")

    problem(response, 403, "csrf_failed")


def test_404_for_a_missing_and_a_forbidden_object_alike(p) -> None:
    goal = goals.proposed(p.employee)
    client = signed_in(p.colleague, language="nl")

    forbidden = problem(client.get(f"/api/v1/goals/{goal.pk}"), 404, "not_found")
    missing = problem(client.get("/api/v1/goals/999999"), 404, "not_found")

    assert forbidden == missing
    assert (missing["title"], missing["detail"]) == ("Niet gevonden", "Niet gevonden.")


def test_409_when_someone_saved_first_with_what_is_saved_now(p) -> None:
    goal = goals.agreed(p.employee, p.manager)
    client = signed_in(p.employee)
    url = f"/api/v1/goals/{goal.pk}"
    first = client.patch(url, {"progress": 40, "expected_revision": goal.revision},
                         content_type="application/json")

    late = client.patch(url, {"progress": 60, "expected_revision": goal.revision},
                        content_type="application/json")

    assert first.status_code == 200
    body = problem(late, 409, "edit_conflict")
    assert (body["revision"], body["current"]["progress"]) == (goal.revision + 1, 40)
    assert list(body["errors"]) == ["expected_revision"]


def test_422_for_a_body_the_schema_refuses_field_by_field(p) -> None:
    goal = goals.agreed(p.employee, p.manager)

    response = signed_in(p.employee).patch(f"/api/v1/goals/{goal.pk}", {"progress": "veel"},
                                           content_type="application/json")

    body = problem(response, 422, "invalid_input")
    assert sorted(body["errors"]) == ["expected_revision", "progress"]


def test_422_for_a_request_a_rule_refuses(p) -> None:
    response = signed_in(p.hr).post("/api/v1/units", json.dumps(
        {"code": "", "name": "", "parent_id": p.department.pk}),
        content_type="application/json")

    body = problem(response, 422, "refused")
    assert body["errors"]


def test_every_kind_of_problem_describes_itself_without_sign_in(client) -> None:
    for code, kind in KINDS.items():
        response = client.get(f"/api/v1/problems/{code}", HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200
        body = response.json()
        assert (body["code"], body["status"]) == (code, kind.status)
        assert body["type"] == f"http://testserver/api/v1/problems/{code}"
        assert body["description"]

    problem(client.get("/api/v1/problems/no-such-thing"), 404, "not_found")


def test_the_schema_names_the_errors_of_every_operation_as_problem_details() -> None:
    schema = api.get_openapi_schema()
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            expected = {422, 404}
            if operation.get("security"):
                expected |= {401, 429}
                if method.upper() not in {"GET", "HEAD", "OPTIONS"}:
                    expected.add(403)
            for status in expected:
                content = responses.get(status, {}).get("content", {})
                if PROBLEM not in content:
                    missing.append(f"{method.upper()} {path} {status}")
            for status, response in responses.items():
                if int(status) >= 400 and "application/json" in response.get("content", {}):
                    missing.append(f"{method.upper()} {path} {status} as application/json")

    assert missing == []
    conflict = schema["paths"]["/api/v1/goals/{goal_id}"]["patch"]["responses"][409]
    assert conflict["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/ConflictOut"}
    assert {"type", "title", "status", "detail", "code", "errors"} <= set(
        schema["components"]["schemas"]["Problem"]["required"]) | {"errors"}
    assert schema["components"]["securitySchemes"].keys() == {"TokenAuth",
                                                               "SessionAuthWithCsrf"}


def test_the_integration_guide_lists_every_kind_of_problem() -> None:
    from pathlib import Path

    guide = (Path(__file__).parents[2] / "docs" / "integrations.md").read_text()

    assert [code for code in KINDS if f"| `{code}` |" not in guide] == []


TOO_LARGE_ID = 2**70  # beyond any database's ids (64 bits)


@pytest.mark.parametrize(("who", "path", "body"), [
    ("employee", "/api/v1/employee-preparations", {}),
    ("manager", "/api/v1/people/{employee}/manager-preparations", {}),
    ("hr", "/api/v1/organisations/{organisation}/training-plans",
     {"title": "Plan", "valid_from": "2026-01-01", "valid_until": "2026-12-31"}),
])
def test_422_for_an_id_in_a_list_beyond_the_databases_range(p, who, path, body) -> None:
    """schemathesis found these: the list's query could not be sent and the server failed."""
    url = path.format(employee=p.employee.pk, organisation=p.employee.organisation_id)

    response = signed_in(getattr(p, who)).post(
        url, json.dumps({**body, "competency_ids": [TOO_LARGE_ID]}),
        content_type="application/json")

    body = problem(response, 422, "invalid_input")
    assert list(body["errors"]) == ["competency_ids.0"]


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/people/12/nope", "/api/v1/v2/people"])
def test_an_address_no_operation_answers_is_a_problem_too(client, path) -> None:
    body = problem(client.get(path, HTTP_ACCEPT_LANGUAGE="en"), 404, "no_such_operation")
    assert body["detail"] == "No operation of the API answers at this address."


def test_a_method_an_operation_does_not_take_is_a_problem_with_its_allow_header(p) -> None:
    client = signed_in(p.employee, language="nl")

    response = client.delete("/api/v1/me/tasks")

    body = problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert body["detail"] == "Deze operatie aanvaardt geen DELETE, alleen GET."
