"""The REST API: the same policy and services as the web pages."""

import json

import pytest

from koers.api.api import api
from koers.organisation.models import SalarySystem, Unit
from tests import personas
from tests.factories import bulk_participations
from tests.factories import participations as cycles

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_the_api_needs_a_signed_in_user(client, p):
    assert client.get("/api/v1/me").status_code == 401


def test_me_returns_my_record_with_evaluators(client, p):
    client.force_login(p.employee.user)
    data = client.get("/api/v1/me").json()
    assert data["employee_number"] == p.employee.employee_number
    assert data["evaluators"]["first_evaluator"]["name"] == "Ratana Than"


def test_a_manager_lists_the_team(client, p):
    client.force_login(p.manager.user)
    names = sorted(member["first_name"] for member in client.get("/api/v1/me/team").json())
    assert names == ["Marc", "Peter"]


def test_an_employee_cannot_read_a_colleague_and_gets_a_404(client, p):
    client.force_login(p.employee.user)
    assert client.get(f"/api/v1/people/{p.colleague.pk}").status_code == 404
    assert client.get(f"/api/v1/units/{p.team.pk}").status_code == 404


def test_hr_changes_employment_facts_through_the_api(client, p):
    client.force_login(p.hr.user)
    response = client.patch(
        f"/api/v1/people/{p.employee.pk}",
        json.dumps({"grade": "C2", "salary_system": "evaluation"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["salary_system_set_by_hand"] is True
    p.employee.refresh_from_db()
    assert (p.employee.grade, p.employee.salary_system) == ("C2", SalarySystem.EVALUATION)
    response = client.patch(
        f"/api/v1/people/{p.employee.pk}", json.dumps({"salary_system": None}),
        content_type="application/json",
    )
    p.employee.refresh_from_db()
    assert (p.employee.salary_system, p.employee.salary_system_overridden) == (
        SalarySystem.SENIORITY, False)


def test_bad_input_is_refused_in_the_users_language_and_changes_nothing(client, p):
    client.force_login(p.hr.user)
    response = client.patch(
        f"/api/v1/people/{p.employee.pk}",
        json.dumps({"end_date": "2001-01-01", "first_name": "Gewijzigd"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]
    p.employee.refresh_from_db()
    assert p.employee.first_name == "Marc"


def test_a_manager_cannot_change_employment_facts(client, p):
    client.force_login(p.manager.user)
    response = client.patch(f"/api/v1/people/{p.employee.pk}", json.dumps({"grade": "X"}),
                            content_type="application/json")
    assert response.status_code == 404


def test_hr_adds_and_moves_units_through_the_api(client, p):
    client.force_login(p.hr.user)
    response = client.post("/api/v1/units", json.dumps(
        {"code": "NEW", "name": "Team Welzijn", "parent_id": p.department.pk}),
        content_type="application/json")
    assert response.status_code == 201
    new = Unit.objects.get(code="NEW")
    response = client.put(f"/api/v1/units/{new.pk}", json.dumps(
        {"code": "NEW", "name": "Team Welzijn", "parent_id": p.team.pk}),
        content_type="application/json")
    assert response.status_code == 200
    new.refresh_from_db()
    assert new.path == f"{p.team.path}{new.pk}/"
    response = client.put(f"/api/v1/units/{p.department.pk}", json.dumps(
        {"code": p.department.code, "name": "X", "parent_id": p.team.pk}),
        content_type="application/json")
    assert response.status_code == 422


def test_unit_detail_gives_head_counts(client, p):
    client.force_login(p.hr.user)
    data = client.get(f"/api/v1/units/{p.department.pk}").json()
    counts = {child["unit"]["name"]: child["head_count"] for child in data["children"]}
    assert counts == {"Team Loonadministratie": 3, "Team Rekrutering": 3}


def test_hr_corrects_hours_worked_through_the_api(client, p):
    client.force_login(p.hr.user)
    response = client.put(f"/api/v1/people/{p.employee.pk}/effective-work/2025",
                          json.dumps({"hours_worked": "400.5", "note": "Ziekte"}),
                          content_type="application/json")
    assert response.json() == {"year": 2025, "hours_worked": "400.50", "source": "corrected"}


def test_hr_sets_an_acting_evaluator_through_the_api(client, p):
    client.force_login(p.hr.user)
    response = client.post(
        f"/api/v1/people/{p.employee.pk}/evaluator-overrides",
        json.dumps({"first_evaluator_id": p.colleague.pk, "valid_from": "2026-01-01",
                    "reason": "Waarnemend"}),
        content_type="application/json")
    assert response.status_code == 201
    assert response.json()["evaluators"]["first_evaluator"]["name"] == "Peter Gordon"


def test_writes_need_the_csrf_token(p):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(p.hr.user)
    response = client.post("/api/v1/units", json.dumps(
        {"code": "N2", "name": "N2", "parent_id": p.department.pk}),
        content_type="application/json")
    assert response.status_code == 403


def test_the_openapi_schema_describes_every_operation(client, p):
    schema = api.get_openapi_schema()
    assert schema["openapi"].startswith("3.")
    operations = {
        (method.upper(), path) for path, item in schema["paths"].items() for method in item
    }
    assert operations == {
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/me/team"),
        ("GET", "/api/v1/people/{person_id}"),
        ("PATCH", "/api/v1/people/{person_id}"),
        ("POST", "/api/v1/people/{person_id}/evaluator-overrides"),
        ("GET", "/api/v1/people/{person_id}/effective-work/{year}"),
        ("PUT", "/api/v1/people/{person_id}/effective-work/{year}"),
        ("GET", "/api/v1/people/{person_id}/timeline"),
        ("GET", "/api/v1/people/{person_id}/history"),
        ("GET", "/api/v1/units/{unit_id}"),
        ("GET", "/api/v1/units/{unit_id}/people"),
        ("POST", "/api/v1/units"),
        ("PUT", "/api/v1/units/{unit_id}"),
        ("GET", "/api/v1/cycles/{cycle_id}/dashboard"),
        ("GET", "/api/v1/cycles"),
        ("POST", "/api/v1/cycles"),
        ("GET", "/api/v1/cycles/{cycle_id}"),
        ("PUT", "/api/v1/participations/{participation_id}/agreed-period"),
        ("GET", "/api/v1/organisations/{organisation_id}/policy"),
        ("PATCH", "/api/v1/organisations/{organisation_id}/policy"),
        ("PUT", "/api/v1/organisations/{organisation_id}/policy/{setting}"),
        ("GET", "/api/v1/me/goals"),
        ("GET", "/api/v1/people/{person_id}/goals"),
        ("GET", "/api/v1/goals/{goal_id}"),
        ("PATCH", "/api/v1/goals/{goal_id}"),
        ("POST", "/api/v1/goals"),
        ("POST", "/api/v1/goals/{goal_id}/confirm"),
        ("POST", "/api/v1/goals/{goal_id}/status"),
        ("POST", "/api/v1/goals/{goal_id}/comments"),
        ("GET", "/api/v1/people/{person_id}/conversations"),
        ("POST", "/api/v1/conversations"),
        ("POST", "/api/v1/conversations/{conversation_id}/reschedule"),
        ("POST", "/api/v1/conversations/{conversation_id}/cancel"),
        ("POST", "/api/v1/conversations/{conversation_id}/hold"),
        ("POST", "/api/v1/conversations/{conversation_id}/confirm"),
        ("POST", "/api/v1/conversations/{conversation_id}/amendments"),
        ("GET", "/api/v1/me/team/overview"),
        ("GET", "/api/v1/team-goals"),
        ("POST", "/api/v1/team-goals"),
        ("GET", "/api/v1/people/{person_id}/work-plans"),
        ("POST", "/api/v1/work-plans"),
        ("GET", "/api/v1/work-plans/{work_plan_id}"),
        ("PATCH", "/api/v1/work-plans/{work_plan_id}"),
        ("POST", "/api/v1/work-plans/{work_plan_id}/comments"),
        ("POST", "/api/v1/work-plans/{work_plan_id}/confirm"),
        ("POST", "/api/v1/people/{person_id}/access-requests"),
        ("GET", "/api/v1/access-requests"),
        ("POST", "/api/v1/access-requests/{request_id}/decision"),
        ("GET", "/api/v1/me/access-reads"),
        ("GET", "/api/v1/me/personal-data"),
        ("GET", "/api/v1/me/evaluations"),
        ("GET", "/api/v1/people/{person_id}/evaluations"),
        ("POST", "/api/v1/people/{person_id}/evaluations"),
        ("POST", "/api/v1/participations/{participation_id}/evaluation"),
        ("GET", "/api/v1/evaluations/{evaluation_id}"),
        ("PUT", "/api/v1/evaluations/{evaluation_id}/self-evaluation"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/self-evaluation/submit"),
        ("PUT", "/api/v1/evaluations/{evaluation_id}/report"),
        ("PUT", "/api/v1/evaluations/{evaluation_id}/written-procedure"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/send-draft"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/draft-remarks"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/sign"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/correct"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/close-unsigned"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/cancel"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/objections"),
        ("GET", "/api/v1/evaluations/{evaluation_id}/versions"),
        ("GET", "/api/v1/evaluations/{evaluation_id}/pdf"),
        # Appeals, salary decisions and objections (api/consequences.py).
        ("GET", "/api/v1/appeals"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/appeal"),
        ("GET", "/api/v1/appeals/{appeal_id}"),
        ("GET", "/api/v1/appeals/{appeal_id}/file"),
        ("POST", "/api/v1/appeals/{appeal_id}/hearing"),
        ("POST", "/api/v1/appeals/{appeal_id}/outcome"),
        ("GET", "/api/v1/organisations/{organisation_id}/salary-worklist"),
        ("POST", "/api/v1/organisations/{organisation_id}/salary-decisions"),
        ("GET", "/api/v1/salary-decisions/{decision_id}"),
        ("POST", "/api/v1/salary-decisions/{decision_id}/objection"),
        ("GET", "/api/v1/objections"),
        ("GET", "/api/v1/objections/{objection_id}"),
        ("POST", "/api/v1/objections/{objection_id}/advice"),
        ("POST", "/api/v1/objections/{objection_id}/decision"),
        ("GET", "/api/v1/organisations/{organisation_id}/competencies"),
        ("POST", "/api/v1/organisations/{organisation_id}/competencies"),
        ("PATCH", "/api/v1/competencies/{competency_id}"),
        ("GET", "/api/v1/competencies/{competency_id}/advice"),
        ("PUT", "/api/v1/competencies/{competency_id}/recommendations/{action_id}"),
        ("GET", "/api/v1/organisations/{organisation_id}/development-actions"),
        ("POST", "/api/v1/organisations/{organisation_id}/development-actions"),
        ("PATCH", "/api/v1/development-actions/{action_id}"),
        ("GET", "/api/v1/organisations/{organisation_id}/recommendations"),
        ("GET", "/api/v1/organisations/{organisation_id}/competency-profiles"),
        ("PUT", "/api/v1/organisations/{organisation_id}/competency-profiles"),
        ("GET", "/api/v1/people/{person_id}/development-plans"),
        ("POST", "/api/v1/development-plans"),
        ("GET", "/api/v1/development-plans/{plan_id}"),
        ("PATCH", "/api/v1/development-plans/{plan_id}"),
        ("POST", "/api/v1/development-plans/{plan_id}/rows"),
        ("PATCH", "/api/v1/plan-rows/{row_id}"),
        ("DELETE", "/api/v1/plan-rows/{row_id}"),
        ("POST", "/api/v1/plan-rows/{row_id}/goals"),
        ("PATCH", "/api/v1/plan-goals/{plan_goal_id}"),
        ("DELETE", "/api/v1/plan-goals/{plan_goal_id}"),
        ("POST", "/api/v1/plan-rows/{row_id}/means"),
        ("PATCH", "/api/v1/plan-means/{means_id}"),
        ("DELETE", "/api/v1/plan-means/{means_id}"),
        ("POST", "/api/v1/plan-rows/{row_id}/hr-actions"),
        ("PATCH", "/api/v1/hr-actions/{hr_action_id}"),
        ("DELETE", "/api/v1/hr-actions/{hr_action_id}"),
        ("POST", "/api/v1/plan-rows/{row_id}/follow-ups"),
        ("POST", "/api/v1/development-plans/{plan_id}/sign"),
        ("POST", "/api/v1/development-plans/{plan_id}/rounds"),
        ("POST", "/api/v1/development-plans/{plan_id}/close"),
        ("POST", "/api/v1/development-plans/{plan_id}/cancel"),
        ("GET", "/api/v1/me/self-scan"),
        ("PUT", "/api/v1/me/self-scan"),
        ("GET", "/api/v1/employee-preparations"),
        ("POST", "/api/v1/employee-preparations"),
        ("GET", "/api/v1/employee-preparations/{employee_preparation_id}"),
        ("PATCH", "/api/v1/employee-preparations/{employee_preparation_id}"),
        ("POST", "/api/v1/employee-preparations/{employee_preparation_id}/share"),
        ("GET", "/api/v1/department-preparations"),
        ("POST", "/api/v1/department-preparations"),
        ("GET", "/api/v1/department-preparations/{department_preparation_id}"),
        ("PATCH", "/api/v1/department-preparations/{department_preparation_id}"),
        ("POST", "/api/v1/department-preparations/{department_preparation_id}/share"),
        ("GET", "/api/v1/manager-preparations"),
        ("POST", "/api/v1/people/{person_id}/manager-preparations"),
        ("GET", "/api/v1/manager-preparations/{manager_preparation_id}"),
        ("PATCH", "/api/v1/manager-preparations/{manager_preparation_id}"),
        ("POST", "/api/v1/manager-preparations/{manager_preparation_id}/share"),
        ("GET", "/api/v1/organisations/{organisation_id}/training-demand"),
        # The organisation's training plans (api/training_plans.py).
        ("GET", "/api/v1/organisations/{organisation_id}/training-plans"),
        ("POST", "/api/v1/organisations/{organisation_id}/training-plans"),
        ("PATCH", "/api/v1/training-plans/{training_plan_id}"),
        ("DELETE", "/api/v1/training-plans/{training_plan_id}"),
        ("POST", "/api/v1/hr-actions/{hr_action_id}/status"),
    }
    client.force_login(p.employee.user)
    served = client.get("/api/v1/openapi.json").json()
    assert served["paths"].keys() == schema["paths"].keys()


def _cycle_with_everybody(p):
    cycle = cycles.cycle(p.top.organisation, 2026)
    bulk_participations.participations(cycle, list(p.top.organisation.people.all()))
    return cycle


def test_hr_reads_the_cycle_dashboard_through_the_api(client, p):
    cycle = _cycle_with_everybody(p)
    client.force_login(p.hr.user)

    data = client.get(f"/api/v1/cycles/{cycle.pk}/dashboard").json()

    assert (data["year"], data["unit"]["name"]) == (2026, "Stadsbestuur")
    assert data["total"]["participations"] == 9
    assert [(row["unit"]["name"], row["progress"]["participations"])
            for row in data["children"]] == [("Dienst Personeel", 8)]
    assert data["direct"]["participations"] == 1
    assert data["total"]["tasks_by_step"]["planning"] == 9
    assert set(data["total"]["overdue_by_step"]) == {
        "planning", "halfway_progress", "self_evaluation", "evaluation", "first_signature",
        "second_signature", "probation_assessment",
    }
    below = client.get(f"/api/v1/cycles/{cycle.pk}/dashboard",
                       {"unit_id": p.department.pk}).json()
    assert [row["unit"]["name"] for row in below["children"]] == [
        "Team Loonadministratie", "Team Rekrutering"]


def test_the_dashboard_api_refuses_what_the_page_refuses(client, p):
    cycle = _cycle_with_everybody(p)
    url = f"/api/v1/cycles/{cycle.pk}/dashboard"
    client.force_login(p.employee.user)
    assert client.get(url).status_code == 404
    assert client.get(url, {"unit_id": p.team.pk}).status_code == 404
    client.force_login(p.team_hr.user)
    assert client.get(url, {"unit_id": p.top.pk}).status_code == 404
    assert client.get(url).json()["unit"]["id"] == p.other_team.pk
    assert client.get(f"/api/v1/cycles/{cycle.pk + 1000}/dashboard").status_code == 404
