"""The REST API: the same policy and services as the web pages."""

import json
import typing

import pydantic
import pytest

from koers.api.api import api
from koers.core.limits import TEXT_MAX
from koers.goals.models import Goal
from tests import personas
from tests.factories import goals

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_the_api_needs_a_signed_in_user(client, p):
    assert client.get("/api/v1/me").status_code == 401


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
        ("GET", "/api/v1/people"),
        ("GET", "/api/v1/people/{person_id}"),
        ("PATCH", "/api/v1/people/{person_id}"),
        ("POST", "/api/v1/people/{person_id}/evaluator-overrides"),
        ("POST", "/api/v1/people/{person_id}/evaluator-overrides/{override_id}/end"),
        ("GET", "/api/v1/people/{person_id}/effective-work/{year}"),
        ("PUT", "/api/v1/people/{person_id}/effective-work/{year}"),
        ("PUT", "/api/v1/people/{person_id}/other-evaluation"),
        ("GET", "/api/v1/people/{person_id}/timeline"),
        ("GET", "/api/v1/people/{person_id}/probation"),
        ("POST", "/api/v1/people/{person_id}/probations"),
        ("GET", "/api/v1/probations/{probation_id}"),
        ("PUT", "/api/v1/probations/{probation_id}/absences"),
        ("POST", "/api/v1/probations/{probation_id}/outcome"),
        ("GET", "/api/v1/people/{person_id}/history"),
        ("GET", "/api/v1/units/{unit_id}"),
        ("GET", "/api/v1/units/{unit_id}/people"),
        ("GET", "/api/v1/units/{unit_id}/rank-check"),
        ("POST", "/api/v1/units"),
        ("PUT", "/api/v1/units/{unit_id}"),
        ("DELETE", "/api/v1/units/{unit_id}"),
        ("POST", "/api/v1/units/{unit_id}/people"),
        ("GET", "/api/v1/organisations"),
        # HR's CSV/XLSX imports (api/imports.py).
        ("POST", "/api/v1/imports"),
        ("GET", "/api/v1/imports/{import_id}"),
        ("POST", "/api/v1/imports/{import_id}/apply"),
        ("GET", "/api/v1/imports/templates/{kind}"),
        ("GET", "/api/v1/cycles/{cycle_id}/dashboard"),
        ("GET", "/api/v1/cycles/{cycle_id}/late/{step}"),
        ("POST", "/api/v1/cycles/{cycle_id}/late/{step}/reminders"),
        ("GET", "/api/v1/cycles"),
        ("POST", "/api/v1/cycles"),
        ("GET", "/api/v1/cycles/{cycle_id}"),
        ("POST", "/api/v1/cycles/{cycle_id}/resume"),
        ("PUT", "/api/v1/participations/{participation_id}/agreed-period"),
        ("PUT", "/api/v1/participations/{participation_id}/leaving"),
        ("GET", "/api/v1/organisations/{organisation_id}/policy"),
        ("PATCH", "/api/v1/organisations/{organisation_id}/policy"),
        ("PUT", "/api/v1/organisations/{organisation_id}/policy/{setting}"),
        ("GET", "/api/v1/organisations/{organisation_id}/sign-in"),
        ("PUT", "/api/v1/organisations/{organisation_id}/sign-in"),
        ("GET", "/api/v1/organisations/{organisation_id}/look"),
        ("PUT", "/api/v1/organisations/{organisation_id}/look"),
        ("POST", "/api/v1/organisations/{organisation_id}/look/logo"),
        ("DELETE", "/api/v1/organisations/{organisation_id}/look/logo"),
        ("GET", "/api/v1/me/goals"),
        ("GET", "/api/v1/people/{person_id}/goals"),
        ("GET", "/api/v1/goals/{goal_id}"),
        ("PATCH", "/api/v1/goals/{goal_id}"),
        ("POST", "/api/v1/goals"),
        ("POST", "/api/v1/goals/{goal_id}/confirm"),
        ("POST", "/api/v1/goals/{goal_id}/status"),
        ("POST", "/api/v1/goals/{goal_id}/comments"),
        ("GET", "/api/v1/participations/{participation_id}/planning"),
        ("POST", "/api/v1/participations/{participation_id}/planning/signatures"),
        ("GET", "/api/v1/people/{person_id}/conversations"),
        ("POST", "/api/v1/conversations"),
        ("POST", "/api/v1/conversations/{conversation_id}/reschedule"),
        ("POST", "/api/v1/conversations/{conversation_id}/agenda"),
        ("GET", "/api/v1/conversations/{conversation_id}"),
        ("POST", "/api/v1/conversations/{conversation_id}/cancel"),
        ("POST", "/api/v1/conversations/{conversation_id}/hold"),
        ("POST", "/api/v1/conversations/{conversation_id}/confirm"),
        ("PUT", "/api/v1/conversations/{conversation_id}/report"),
        ("POST", "/api/v1/conversations/{conversation_id}/amendments"),
        ("PUT", "/api/v1/conversations/{conversation_id}/holder"),
        ("GET", "/api/v1/me/calendar"),
        ("POST", "/api/v1/me/calendar"),
        ("POST", "/api/v1/me/calendar/renew"),
        ("GET", "/api/v1/me/team/overview"),
        ("GET", "/api/v1/department/conversation-reports"),
        ("GET", "/api/v1/team-goals"),
        ("POST", "/api/v1/team-goals"),
        ("GET", "/api/v1/people/{person_id}/work-plans"),
        ("POST", "/api/v1/work-plans"),
        ("GET", "/api/v1/work-plans/{work_plan_id}"),
        ("PATCH", "/api/v1/work-plans/{work_plan_id}"),
        ("POST", "/api/v1/work-plans/{work_plan_id}/comments"),
        ("POST", "/api/v1/work-plans/{work_plan_id}/confirm"),
        ("GET", "/api/v1/mediations"),
        ("POST", "/api/v1/mediations"),
        ("GET", "/api/v1/mediations/{mediation_id}"),
        ("POST", "/api/v1/mediations/{mediation_id}/outcome"),
        ("POST", "/api/v1/people/{person_id}/access-requests"),
        ("GET", "/api/v1/access-requests"),
        ("POST", "/api/v1/access-requests/{request_id}/decision"),
        ("GET", "/api/v1/me/access-reads"),
        ("GET", "/api/v1/me/personal-data"),
        ("POST", "/api/v1/renderings"),
        ("GET", "/api/v1/renderings/{rendering_id}"),
        ("GET", "/api/v1/renderings/{rendering_id}/pdf"),
        # The security log (api/security.py).
        ("GET", "/api/v1/security/refusals"),
        ("GET", "/api/v1/mail/undelivered"),
        ("GET", "/api/v1/me/evaluations"),
        ("GET", "/api/v1/me/evaluation-tasks"),
        # What waits for the caller, every room (api/tasks.py).
        ("GET", "/api/v1/me/tasks"),
        ("GET", "/api/v1/me/notifications"),
        ("POST", "/api/v1/me/notifications/read"),
        ("POST", "/api/v1/me/notifications/{notification_id}/read"),
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
        ("POST", "/api/v1/evaluation-objections/{evaluation_objection_id}/decision"),
        ("GET", "/api/v1/evaluations/{evaluation_id}/versions"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/pdf"),
        # Appeals, salary decisions and objections (api/consequences.py).
        ("GET", "/api/v1/appeals"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/appeal"),
        ("GET", "/api/v1/appeals/{appeal_id}"),
        ("GET", "/api/v1/appeals/{appeal_id}/file"),
        ("POST", "/api/v1/appeals/{appeal_id}/hearing"),
        ("POST", "/api/v1/appeals/{appeal_id}/outcome"),
        ("POST", "/api/v1/appeals/{appeal_id}/advice"),
        ("GET", "/api/v1/unfitness-flags"),
        ("POST", "/api/v1/evaluations/{evaluation_id}/unfitness-review"),
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
        ("POST", "/api/v1/organisations/{organisation_id}/competency-clusters"),
        ("PATCH", "/api/v1/competencies/{competency_id}"),
        ("GET", "/api/v1/competencies/{competency_id}/advice"),
        ("PUT", "/api/v1/competencies/{competency_id}/recommendations/{action_id}"),
        ("GET", "/api/v1/organisations/{organisation_id}/development-actions"),
        ("POST", "/api/v1/organisations/{organisation_id}/development-actions"),
        ("PATCH", "/api/v1/development-actions/{action_id}"),
        ("GET", "/api/v1/organisations/{organisation_id}/recommendations"),
        ("GET", "/api/v1/organisations/{organisation_id}/competency-profiles"),
        ("PUT", "/api/v1/organisations/{organisation_id}/competency-profiles"),
        ("DELETE", "/api/v1/competency-profiles/{profile_id}"),
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
        ("PATCH", "/api/v1/plan-follow-ups/{follow_up_id}"),
        ("DELETE", "/api/v1/plan-follow-ups/{follow_up_id}"),
        ("POST", "/api/v1/development-plans/{plan_id}/sign"),
        ("POST", "/api/v1/development-plans/{plan_id}/rounds"),
        ("POST", "/api/v1/development-plans/{plan_id}/close"),
        ("POST", "/api/v1/development-plans/{plan_id}/cancel"),
        ("GET", "/api/v1/people/{person_id}/improvement-plans"),
        ("GET", "/api/v1/people/{person_id}/improvement-plan-proposals"),
        ("POST", "/api/v1/improvement-plans"),
        ("GET", "/api/v1/improvement-plans/{improvement_plan_id}"),
        ("PUT", "/api/v1/improvement-plans/{improvement_plan_id}"),
        ("POST", "/api/v1/improvement-plans/{improvement_plan_id}/remarks"),
        ("POST", "/api/v1/improvement-plans/{improvement_plan_id}/signatures"),
        ("POST", "/api/v1/improvement-plans/{improvement_plan_id}/cancel"),
        ("POST", "/api/v1/improvement-plans/{improvement_plan_id}/extension"),
        ("POST", "/api/v1/improvement-plans/{improvement_plan_id}/extension/agree"),
        ("POST", "/api/v1/improvement-plans/{improvement_plan_id}/decision"),
        ("POST", "/api/v1/improvement-follow-ups/{improvement_follow_up_id}/schedule"),
        ("POST", "/api/v1/improvement-follow-ups/{improvement_follow_up_id}/report"),
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
        # One's personal API tokens (api/access.py).
        ("GET", "/api/v1/me/api-tokens"),
        ("POST", "/api/v1/me/api-tokens"),
        ("DELETE", "/api/v1/me/api-tokens/{token_id}"),
        # What each kind of error means (api/problems.py).
        ("GET", "/api/v1/problems/{code}"),
    }
    client.force_login(p.employee.user)
    served = client.get("/api/v1/openapi.json").json()
    assert served["paths"].keys() == schema["paths"].keys()


def test_every_operation_id_is_the_name_of_its_view_and_unique():
    """The routers share one namespace of view names: the ids stay put when one moves."""
    schema = api.get_openapi_schema()
    ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert {"me", "evaluation_sign", "appeals", "training_plan_list"} <= set(ids)


def test_every_schema_name_is_unique_across_the_rooms():
    """OpenAPI components are keyed by class name alone: two shapes of one name would
    publish one of them for both (a plan's signature once showed as an evaluation's)."""
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import koers.api

    where: dict[str, list[str]] = {}
    for module_info in pkgutil.iter_modules(koers.api.__path__):
        module = importlib.import_module(f"koers.api.{module_info.name}")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) \
                    and value.__module__ == module.__name__:
                where.setdefault(name, []).append(module.__name__)

    assert {name: modules for name, modules in where.items() if len(modules) > 1} == {}
    components = api.get_openapi_schema()["components"]["schemas"]
    assert {"PlanSignatureOut", "SignatureOut", "PlanGoalOut", "GoalOut"} <= components.keys()


@pytest.mark.parametrize(("language", "required", "invalid"), [
    ("nl", "Dit veld is verplicht.", "Voer een geldige waarde in."),
    ("en", "This field is required.", "Enter a valid value."),
])
def test_a_body_the_schema_refuses_answers_field_by_field_in_the_callers_language(
        client, language, required, invalid):
    p = personas.build()
    p.employee.user.language = language
    p.employee.user.save(update_fields=["language"])
    goal = goals.agreed(p.employee, p.manager)
    client.force_login(p.employee.user)

    response = client.patch(f"/api/v1/goals/{goal.pk}", {"progress": "veel"},
                            content_type="application/json")

    assert response.status_code == 422
    assert response.json()["errors"] == {"expected_revision": [required],
                                         "progress": [invalid]}


def _shapes(annotation: object, found: set[type]) -> None:
    """The schema classes inside a type annotation, nested ones too."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _shapes(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _shapes(argument, found)


def test_every_shape_an_operation_reads_bounds_its_texts():
    """Every body, nested lists and maps included, derives from ``Input``: no text longer
    than ``TEXT_MAX`` reaches a service, and the published schema says so."""
    shapes: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        _shapes(field.annotation, shapes)

    unbounded = sorted(shape.__name__ for shape in shapes
                       if shape.model_config.get("str_max_length") != TEXT_MAX)
    assert len(shapes) > 50
    assert unbounded == []
    schema = api.get_openapi_schema()["components"]["schemas"]
    assert schema["GoalIn"]["properties"]["description"]["maxLength"] == TEXT_MAX


def test_a_text_longer_than_the_bound_is_refused_in_the_callers_language(client):
    p = personas.build()
    p.employee.user.language = "nl"
    p.employee.user.save(update_fields=["language"])
    client.force_login(p.employee.user)

    response = client.post("/api/v1/goals", {"kind": "learning", "title": "Excel",
                                             "description": "x" * (TEXT_MAX + 1)},
                           content_type="application/json")

    assert response.status_code == 422
    (message,) = response.json()["errors"]["description"]
    assert message == "Deze tekst is te lang: hoogstens 10.000 tekens."
    assert not Goal.objects.exists()
