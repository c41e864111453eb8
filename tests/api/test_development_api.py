"""The POP through the REST API: the same permissions, services and rules as the pages."""

import json

import pytest

from koers.core.models import User
from koers.development.models import DevelopmentPlan, HrAction, Recommendation
from koers.development.rules import Priority, Source
from koers.development.states import HrActionStatus, PlanStatus, RecommendationValue
from tests import personas
from tests.factories import development

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    """The personas with a seeded catalogue, speaking English."""
    people = personas.build()
    development.seeded(people.employee.organisation)
    User.objects.update(language="en")
    return people


def _send(client, method, url, data=None):
    return client.generic(method, url, json.dumps(data or {}),
                          content_type="application/json")


def test_everyone_of_the_organisation_reads_the_catalogue_and_the_matrix(client, p):
    org = p.employee.organisation
    client.force_login(p.colleague.user)

    clusters = client.get(f"/api/v1/organisations/{org.pk}/competencies").json()
    actions = client.get(f"/api/v1/organisations/{org.pk}/development-actions").json()
    matrix = client.get(f"/api/v1/organisations/{org.pk}/recommendations").json()

    assert [len(c["competencies"]) for c in clusters] == [
        cluster.competencies.count() for cluster in org.competency_clusters.order_by("position")]
    assert len(actions) == org.development_actions.count()
    assert matrix["unknown_count"] == Recommendation.objects.filter(
        competency__organisation=org, value=RecommendationValue.UNKNOWN).count()
    client.force_login(p.outsider.user)
    assert client.get(f"/api/v1/organisations/{org.pk}/competencies").status_code == 404


def test_hr_adds_a_competency_and_fills_a_cell_others_get_a_404(client, p):
    org = p.employee.organisation
    cluster = org.competency_clusters.get(code="tasks")
    action = development.action(org, "e-learning")
    body = {"cluster_id": cluster.pk, "name_nl": "Dossiers opvolgen"}
    client.force_login(p.manager.user)
    assert _send(client, "POST", f"/api/v1/organisations/{org.pk}/competencies",
                 body).status_code == 404

    client.force_login(p.hr.user)
    created = _send(client, "POST", f"/api/v1/organisations/{org.pk}/competencies", body)
    competency_id = created.json()["id"]
    cell = _send(client, "PUT",
                 f"/api/v1/competencies/{competency_id}/recommendations/{action.pk}",
                 {"value": "recommended"})

    assert created.status_code == 201
    assert cell.json() == {"competency_id": competency_id, "action_id": action.pk,
                           "value": "recommended"}
    advice = client.get(f"/api/v1/competencies/{competency_id}/advice").json()
    assert [a["action"]["code"] for a in advice if a["value"] == "recommended"] == [
        "e-learning"]


def test_the_plan_is_built_signed_and_followed_up_through_the_api(client, p):
    org = p.employee.organisation
    client.force_login(p.manager.user)
    created = _send(client, "POST", "/api/v1/development-plans",
                    {"employee_id": p.employee.pk})
    plan_id = created.json()["id"]
    rows = []
    for code in ("werk-structureren", "ondersteunen", "begrijpen", "analyseren"):
        response = _send(client, "POST", f"/api/v1/development-plans/{plan_id}/rows", {
            "competency_id": development.competency(org, code).pk,
            "source": Source.CONVERSATIONS, "priority": Priority.URGENT})
        rows.append(response.json())
    assert rows[2]["warnings"] == []
    assert "4 competencies have priority 1" in rows[3]["warnings"][0]
    row_id = rows[0]["id"]
    goal = _send(client, "POST", f"/api/v1/plan-rows/{row_id}/goals", {"text": "Beter plannen"})
    assert goal.json()["advice"]  # vague, no measure, no term: the SMART check advises
    _send(client, "POST", f"/api/v1/plan-rows/{row_id}/hr-actions",
          {"description": "Inschrijven voor de opleiding",
           "action_id": development.action(org, "klassieke-opleiding-volgen").pk})
    _send(client, "POST", f"/api/v1/development-plans/{plan_id}/sign")
    client.force_login(p.employee.user)
    signed = _send(client, "POST", f"/api/v1/development-plans/{plan_id}/sign").json()
    assert signed["status"] == PlanStatus.SIGNED
    assert signed["follow_up_due"] is not None
    assert [s["name"] for s in signed["rounds"][0]["signatures"]] == [
        p.employee.full_name, p.manager.full_name]

    client.force_login(p.manager.user)
    _send(client, "POST", f"/api/v1/development-plans/{plan_id}/rounds", {"kind": "follow_up"})
    follow_up = _send(client, "POST", f"/api/v1/plan-rows/{rows[1]['id']}/follow-ups", {
        "text": "Nog niet op zijn gemak als mentor.",
        "new_means": [{"action_id": development.action(org, "coaching-krijgen").pk,
                       "description": "Coaching door de heer Gordon",
                       "supporter_id": p.colleague.pk}]})

    assert follow_up.status_code == 201
    detail = client.get(f"/api/v1/development-plans/{plan_id}").json()
    entry = detail["rows"][1]["follow_ups"][0]
    assert entry["new_means"][0]["supporter_id"] == p.colleague.pk
    assert detail["rows"][1]["means"] == []  # the new means sits under its follow-up
    assert detail["status"] == PlanStatus.REVISING


def test_a_sixth_competency_is_refused_with_422(client, p):
    org = p.employee.organisation
    plan = development.draft(p.employee, p.manager)
    for code in ("werk-structureren", "ondersteunen", "begrijpen", "analyseren", "leren"):
        development.item(plan, p.manager, code, priority=Priority.MEDIUM_TERM, goal=None)
    client.force_login(p.employee.user)

    response = _send(client, "POST", f"/api/v1/development-plans/{plan.pk}/rows", {
        "competency_id": development.competency(org, "beslissen").pk, "source": 3,
        "priority": 2})

    assert response.status_code == 422
    assert "competency" in response.json()["errors"]
    assert plan.items.count() == 5


def test_the_second_evaluator_reads_but_cannot_change_or_sign(client, p):
    plan = development.draft(p.employee, p.manager)
    item = development.item(plan, p.manager, "werk-structureren")
    client.force_login(p.department.manager.user)

    assert client.get(f"/api/v1/development-plans/{plan.pk}").status_code == 200
    assert _send(client, "POST", f"/api/v1/plan-rows/{item.pk}/goals",
                 {"text": "x"}).status_code == 404
    assert _send(client, "POST", f"/api/v1/development-plans/{plan.pk}/sign").status_code == 422


def test_hr_reads_the_training_demand_and_marks_an_action_arranged(client, p):
    org = p.employee.organisation
    plan = development.draft(p.employee, p.manager)
    item = development.item(plan, p.manager, "werk-structureren")
    from koers.development.services import plans
    from tests.factories.goals import viewer
    plans.plan_hr_action_add(actor=viewer(p.manager), item=item, description="Inschrijven",
                             action=development.action(org, "klassieke-opleiding-volgen"))
    plans.plan_sign(actor=viewer(p.manager), plan=plan)
    plans.plan_sign(actor=viewer(p.employee), plan=plan)
    hr_action = HrAction.objects.get()
    client.force_login(p.hr.user)

    demand = client.get(f"/api/v1/organisations/{org.pk}/training-demand").json()
    arranged = _send(client, "POST", f"/api/v1/hr-actions/{hr_action.pk}/status",
                     {"status": "arranged", "note": "OFO bevestigd"})

    assert [(g["action"]["code"], g["competency"]["code"], g["count"]) for g in demand] == [
        ("klassieke-opleiding-volgen", "werk-structureren", 1)]
    assert arranged.json()["status"] == HrActionStatus.ARRANGED
    client.force_login(p.team_hr.user)
    assert client.get(f"/api/v1/organisations/{org.pk}/training-demand").json() == []
    assert DevelopmentPlan.objects.get().status == PlanStatus.SIGNED
