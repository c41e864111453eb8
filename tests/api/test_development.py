"""The POP through the REST API: the same permissions, services and rules as the pages."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.audit.models import AuditEvent
from koers.core.limits import TEXT_MAX
from koers.core.models import User
from koers.development.models import (
    CompetencyProfile,
    DepartmentPreparation,
    DevelopmentPlan,
    EmployeePreparation,
    FollowUpEntry,
    HrAction,
    ManagerPreparation,
    PlanMeans,
    Recommendation,
)
from koers.development.rules import Priority, Source
from koers.development.services import catalogue, plans, preparations
from koers.development.states import HrActionStatus, PlanStatus, RecommendationValue
from koers.organisation import records
from tests import personas
from tests.factories import development
from tests.factories.goals import viewer

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

    clusters = client.get(f"/api/v1/organisations/{org.pk}/competencies").json()["items"]
    actions = client.get(f"/api/v1/organisations/{org.pk}/development-actions").json()["items"]
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
    body = {"cluster_id": cluster.pk, "names": {"nl": "Dossiers opvolgen"}}
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
    advice = client.get(f"/api/v1/competencies/{competency_id}/advice").json()["items"]
    assert [a["action"]["code"] for a in advice if a["value"] == "recommended"] == [
        "e-learning"]


def test_catalogue_texts_come_in_the_callers_language_and_in_every_language(client, p):
    org = p.employee.organisation
    client.force_login(p.colleague.user)

    clusters = client.get(f"/api/v1/organisations/{org.pk}/competencies").json()["items"]
    actions = client.get(f"/api/v1/organisations/{org.pk}/development-actions").json()["items"]

    structuring = next(c for cluster in clusters for c in cluster["competencies"]
                       if c["code"] == "werk-structureren")
    assert structuring["name"] == "Structuring work"
    assert structuring["names"] == {"nl": "Werk structureren", "en": "Structuring work",
                                    "fr": "Structurer le travail", "de": "Arbeit strukturieren"}
    assert set(structuring["descriptions"]) == {"nl", "en", "fr", "de"}
    self_study = next(a for a in actions if a["code"] == "zelfstudie")
    assert self_study["names"]["fr"] == "Autoformation"
    assert len(self_study["when_to_choose"]) == \
        len(self_study["when_to_choose_texts"]["de"].splitlines())


def test_hr_writes_a_text_per_language_and_a_change_keeps_the_languages_left_out(client, p):
    org = p.employee.organisation
    client.force_login(p.hr.user)
    created = _send(client, "POST", f"/api/v1/organisations/{org.pk}/development-actions", {
        "names": {"nl": "Jobrotatie", "en": "Job rotation"},
        "when_to_choose_texts": {"nl": "Breder leren kennen.\nEen nieuwe functie overwegen."}})
    action_id = created.json()["id"]

    changed = _send(client, "PATCH", f"/api/v1/development-actions/{action_id}",
                    {"names": {"en": "Rotating jobs"}, "definitions": {"en": "A stint."}})

    assert created.status_code == 201
    assert created.json()["when_to_choose"] == ["Breder leren kennen.",
                                                "Een nieuwe functie overwegen."]
    assert changed.status_code == 200
    assert changed.json()["names"] == {"nl": "Jobrotatie", "en": "Rotating jobs"}
    assert (changed.json()["name"], changed.json()["definition"]) == ("Rotating jobs", "A stint.")


@pytest.mark.parametrize("names", [{"en": "Only English"}, {"nl": " "}, {"nl": "Jobs", "xx": "?"},
                                   {"nl": "x" * 201}, "Jobrotatie"])
def test_a_text_without_its_dutch_name_or_in_an_unknown_language_is_refused(client, p, names):
    org = p.employee.organisation
    client.force_login(p.hr.user)
    before = org.development_actions.count()

    response = _send(client, "POST", f"/api/v1/organisations/{org.pk}/development-actions",
                     {"names": names})

    assert response.status_code == 422
    assert org.development_actions.count() == before


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
    half = _send(client, "POST", f"/api/v1/development-plans/{plan_id}/sign").json()
    client.force_login(p.employee.user)
    signed = _send(client, "POST", f"/api/v1/development-plans/{plan_id}/sign").json()
    assert signed["status"] == PlanStatus.SIGNED
    # Signed by both (sealed), the plan has its reference number, the same on its page.
    assert created.json()["reference"] is None
    assert half["reference"] is None
    assert signed["reference"] == records.reference_of(DevelopmentPlan.objects.get(pk=plan_id))
    assert signed["reference"] is not None
    assert signed["reference"] in client.get(f"/development/plans/{plan_id}/").content.decode()
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

    demand = client.get(f"/api/v1/organisations/{org.pk}/training-demand").json()["items"]
    arranged = _send(client, "POST", f"/api/v1/hr-actions/{hr_action.pk}/status",
                     {"status": "arranged", "note": "OFO bevestigd"})

    assert [(g["action"]["code"], g["competency"]["code"], g["count"]) for g in demand] == [
        ("klassieke-opleiding-volgen", "werk-structureren", 1)]
    assert arranged.json()["status"] == HrActionStatus.ARRANGED
    client.force_login(p.team_hr.user)
    assert client.get(f"/api/v1/organisations/{org.pk}/training-demand").json()["items"] == []
    assert DevelopmentPlan.objects.get().status == PlanStatus.SIGNED


# Preparing the POP conversation --------------------------------------------------------


def test_the_employee_prepares_from_the_self_scan_and_shares_with_the_evaluators(client, p):
    org = p.employee.organisation
    competency = development.competency(org, "werk-structureren")
    client.force_login(p.employee.user)
    scan = _send(client, "PUT", "/api/v1/me/self-scan", {
        "who_am_i": "Nauwkeurig.", "energy": "Een afgewerkt dossier.",
        "what_do_i_want": "Minder stress."})
    started = _send(client, "POST", "/api/v1/employee-preparations")
    url = f"/api/v1/employee-preparations/{started.json()['id']}"
    saved = _send(client, "PATCH", url, {"ambitions_why": "Meer rust.",
                                         "competency_ids": [competency.pk],
                                         "expected_revision": started.json()["revision"]})

    assert scan.json()["who_am_i"] == "Nauwkeurig."
    assert client.get("/api/v1/me/self-scan").json()["what_do_i_want"] == "Minder stress."
    assert started.status_code == 201
    assert (started.json()["strengths"], started.json()["ambitions"]) == (
        "Nauwkeurig.\n\nEen afgewerkt dossier.", "Minder stress.")
    assert (saved.json()["ambitions_why"], saved.json()["shared_at"]) == ("Meer rust.", None)
    assert [c["code"] for c in saved.json()["competencies"]] == ["werk-structureren"]
    client.force_login(p.manager.user)
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/employee-preparations").json()["items"] == []

    client.force_login(p.employee.user)
    shared = _send(client, "POST", f"{url}/share")

    assert shared.status_code == 200
    assert shared.json()["shared_at"] is not None
    for evaluator in (p.manager, p.department.manager):
        client.force_login(evaluator.user)
        assert client.get(url).json()["ambitions_why"] == "Meer rust."
        assert [x["id"] for x in client.get("/api/v1/employee-preparations").json()["items"]] == [
            started.json()["id"]]
    client.force_login(p.colleague.user)
    assert client.get(url).status_code == 404
    client.force_login(p.manager.user)
    assert _send(client, "PATCH", url, {"strengths": "Anders.",
                                        "expected_revision": 2}).status_code == 404


def test_saving_a_shared_preparation_is_refused_in_the_callers_language(client, p):
    marc = viewer(p.employee)
    preparation = preparations.employee_preparation_start(actor=marc, from_self_scan=False)
    preparations.employee_preparation_save(actor=marc, preparation=preparation,
                                           changes={"strengths": "Nauwkeurig."})
    preparation = preparations.employee_preparation_share(actor=marc, preparation=preparation)
    events = AuditEvent.objects.count()
    url = f"/api/v1/employee-preparations/{preparation.pk}"
    client.force_login(p.employee.user)

    english = _send(client, "PATCH", url, {"strengths": "Anders.", "competency_ids": [],
                                           "expected_revision": preparation.revision})
    User.objects.filter(pk=p.employee.user.pk).update(language="nl")
    dutch = _send(client, "PATCH", url, {"strengths": "Anders.",
                                         "expected_revision": preparation.revision})
    shared_again = _send(client, "POST", f"{url}/share")

    assert (english.status_code, dutch.status_code, shared_again.status_code) == (
        422, 422, 422)
    assert english.json()["detail"] == ("This preparation is shared and can no longer "
                                         "change. Start a new one if needed.")
    assert dutch.json()["detail"] == ("Deze voorbereiding is gedeeld en kan niet meer "
                                       "wijzigen. Begin zo nodig een nieuwe.")
    unchanged = EmployeePreparation.objects.get()
    assert (unchanged.strengths, unchanged.updated_at, unchanged.shared_at) == (
        "Nauwkeurig.", preparation.updated_at, preparation.shared_at)
    assert AuditEvent.objects.count() == events


def test_the_managers_preparation_reaches_the_employee_once_shared(client, p):
    org = p.employee.organisation
    client.force_login(p.manager.user)
    view = _send(client, "POST", "/api/v1/department-preparations", {"unit_id": p.team.pk})
    view_url = f"/api/v1/department-preparations/{view.json()['id']}"
    _send(client, "PATCH", view_url, {"threats": "Twee pensioneringen.",
                                      "expected_revision": view.json()["revision"]})
    _send(client, "POST", f"{view_url}/share")
    started = _send(client, "POST", f"/api/v1/people/{p.employee.pk}/manager-preparations", {
        "department_view_id": view.json()["id"],
        "competency_ids": [development.competency(org, "ondersteunen").pk]})
    url = f"/api/v1/manager-preparations/{started.json()['id']}"
    _send(client, "PATCH", url, {"overall_impression": "Op goede weg.",
                                 "expected_revision": started.json()["revision"]})

    assert view.status_code == started.status_code == 201
    assert started.json()["department_view_id"] == view.json()["id"]
    client.force_login(p.employee.user)
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/manager-preparations").json()["items"] == []
    assert client.get(view_url).status_code == 404  # the general view is not the employee's

    client.force_login(p.manager.user)
    shared = _send(client, "POST", f"{url}/share")
    client.force_login(p.employee.user)
    read = client.get(url).json()

    assert shared.json()["shared_at"] is not None
    assert (read["overall_impression"], [c["code"] for c in read["competencies"]]) == (
        "Op goede weg.", ["ondersteunen"])
    assert [x["id"] for x in client.get("/api/v1/manager-preparations").json()["items"]] == [
        started.json()["id"]]
    client.force_login(p.department.manager.user)  # the manager's own 1st evaluator
    assert client.get(view_url).json()["threats"] == "Twee pensioneringen."
    assert [x["id"] for x in client.get("/api/v1/department-preparations").json()["items"]] == [
        view.json()["id"]]


def test_only_the_first_evaluator_and_the_units_manager_start_their_preparations(client, p):
    view = preparations.department_preparation_start(actor=viewer(p.manager), unit=p.team)
    client.force_login(p.department.manager.user)

    about = _send(client, "POST", f"/api/v1/people/{p.employee.pk}/manager-preparations")
    on_view = _send(client, "POST", f"/api/v1/people/{p.employee.pk}/manager-preparations",
                    {"department_view_id": view.pk})
    unit = _send(client, "POST", "/api/v1/department-preparations", {"unit_id": p.team.pk})

    assert (about.status_code, on_view.status_code) == (422, 422)
    assert unit.status_code == 404  # not their unit: as if it did not exist
    assert about.json()["detail"] == ("Only the 1st evaluator prepares the conversation "
                                       "about an employee.")
    assert on_view.json()["errors"] == {
        "department_view_id": ["Choose a general preparation of your own."]}
    assert ManagerPreparation.objects.count() == 0
    client.force_login(p.outsider.user)
    assert _send(client, "POST", f"/api/v1/people/{p.employee.pk}/manager-preparations"
                 ).status_code == 404


def test_the_preparation_lists_read_in_a_fixed_number_of_queries(client, p):
    manager = viewer(p.manager)

    def prepare(person):
        own = preparations.employee_preparation_start(actor=viewer(person))
        preparations.employee_preparation_share(actor=viewer(person), preparation=own)
        preparations.manager_preparation_start(actor=manager, employee=person)
        preparations.department_preparation_start(actor=manager, unit=p.team)

    def queries():
        counts = []
        for kind in ("employee", "department", "manager"):
            url = f"/api/v1/{kind}-preparations"
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append((len(captured), client.get(url).json()["count"]))
        return counts

    client.force_login(p.manager.user)
    prepare(p.employee)
    one = queries()
    prepare(p.colleague)
    prepare(p.colleague)
    three = queries()

    assert [n for n, _ in one] == [n for n, _ in three]
    assert [size for _, size in one] == [1, 1, 1]
    assert [size for _, size in three] == [3, 3, 3]


# Closing and cancelling the plan ------------------------------------------------------


def test_the_first_evaluator_closes_a_signed_plan_others_are_refused(client, p):
    plan = development.signed(p.employee, p.manager)
    url = f"/api/v1/development-plans/{plan.pk}"
    client.force_login(p.employee.user)

    by_employee = _send(client, "POST", f"{url}/close")
    cancelled = _send(client, "POST", f"{url}/cancel")
    client.force_login(p.colleague.user)
    by_stranger = _send(client, "POST", f"{url}/close")
    client.force_login(p.manager.user)
    closed = _send(client, "POST", f"{url}/close")

    assert (by_employee.status_code, cancelled.status_code, by_stranger.status_code) == (
        422, 422, 404)
    assert by_employee.json()["detail"] == "The 1st evaluator closes the plan."
    assert cancelled.json()["detail"] == "A signed plan is closed, not cancelled."
    assert closed.status_code == 200
    assert closed.json()["status"] == PlanStatus.CLOSED
    assert DevelopmentPlan.objects.get().status == PlanStatus.CLOSED


def test_a_draft_plan_is_cancelled_by_the_employee_not_by_the_second_evaluator(client, p):
    plan = development.draft(p.employee, p.manager)
    url = f"/api/v1/development-plans/{plan.pk}"
    client.force_login(p.department.manager.user)

    by_second = _send(client, "POST", f"{url}/cancel")
    client.force_login(p.employee.user)
    closed = _send(client, "POST", f"{url}/close")
    cancelled = _send(client, "POST", f"{url}/cancel")

    assert (by_second.status_code, closed.status_code) == (422, 422)
    assert by_second.json()["detail"] == ("Only the employee and their 1st evaluator change "
                                           "the plan.")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == PlanStatus.CANCELLED
    assert DevelopmentPlan.objects.get().status == PlanStatus.CANCELLED


def test_marking_a_forbidden_hr_action_answers_as_a_missing_one(client, p):
    from koers.access.models import Refusal
    from koers.development.services import plans

    plan = development.draft(p.employee, p.manager)
    item = development.item(plan, p.manager, "werk-structureren")
    plans.plan_hr_action_add(actor=viewer(p.manager), item=item, description="Inschrijven",
                             action=development.action(p.employee.organisation,
                                                       "klassieke-opleiding-volgen"))
    plans.plan_sign(actor=viewer(p.manager), plan=plan)
    plans.plan_sign(actor=viewer(p.employee), plan=plan)
    hr_action = HrAction.objects.get()
    client.force_login(p.team_hr.user)  # HR of another subtree

    # An unknown status too: it must not be checked before the action is found.
    for body in ({"status": "arranged", "note": "x"}, {"status": "nonsense"}):
        forbidden = _send(client, "POST", f"/api/v1/hr-actions/{hr_action.pk}/status", body)
        missing = _send(client, "POST", f"/api/v1/hr-actions/{hr_action.pk + 999}/status", body)

        assert (forbidden.status_code, forbidden.json()) == (missing.status_code, missing.json())
        assert forbidden.status_code == 404
    assert HrAction.objects.get().status == HrActionStatus.REQUESTED
    assert set(Refusal.objects.values_list("target_type", "target_id")) == {
        ("development.hraction", hr_action.pk)}


def test_starting_the_preparation_of_a_unit_not_mine_answers_as_a_missing_unit(client, p):
    from koers.access.models import Refusal

    client.force_login(p.manager.user)  # manages the team, not the other team

    forbidden = _send(client, "POST", "/api/v1/department-preparations",
                      {"unit_id": p.other_team.pk})
    missing = _send(client, "POST", "/api/v1/department-preparations",
                    {"unit_id": p.other_team.pk + 999})

    assert (forbidden.status_code, forbidden.json()) == (missing.status_code, missing.json())
    assert forbidden.status_code == 404
    assert not DepartmentPreparation.objects.exists()
    assert list(Refusal.objects.values_list("target_type", "target_id")) == [
        ("organisation.unit", p.other_team.pk)]


@pytest.mark.parametrize("kind", ["employee", "department", "manager"])
def test_a_preparation_saved_from_an_old_revision_answers_409_with_what_is_saved_now(
        client, p, kind):
    """Two tabs save the same draft: the first is kept, the second gets 409 with it."""
    if kind == "employee":
        preparation: Any = preparations.employee_preparation_start(
            actor=viewer(p.employee), from_self_scan=False)
        author, field = p.employee, "strengths"
    elif kind == "department":
        preparation = preparations.department_preparation_start(actor=viewer(p.manager),
                                                                unit=p.team)
        author, field = p.manager, "staffing"
    else:
        preparation = preparations.manager_preparation_start(actor=viewer(p.manager),
                                                             employee=p.employee)
        author, field = p.manager, "overall_impression"
    url = f"/api/v1/{kind}-preparations/{preparation.pk}"
    client.force_login(author.user)
    first = _send(client, "PATCH", url, {field: "Eerste tabblad.", "expected_revision": 0})
    assert first.status_code == 200

    second = _send(client, "PATCH", url, {field: "Tweede tabblad.", "expected_revision": 0})

    assert second.status_code == 409
    body = second.json()
    assert (body["code"], body["revision"]) == ("edit_conflict", first.json()["revision"])
    assert body["current"][field] == "Eerste tabblad."
    assert client.get(url).json()[field] == "Eerste tabblad."
    assert _send(client, "PATCH", url, {field: "Zonder revisie."}).status_code == 422


def test_a_plan_part_changed_from_an_old_revision_answers_409_with_what_is_saved_now(
        client, p):
    """The employee and the 1st evaluator change one development goal from the same
    revision: the first is kept, the second gets 409 with it."""
    plan = development.draft(p.employee, p.manager)
    development.item(plan, p.manager, "werk-structureren")
    client.force_login(p.manager.user)
    detail = client.get(f"/api/v1/development-plans/{plan.pk}").json()
    goal = detail["rows"][0]["goals"][0]
    url = f"/api/v1/plan-goals/{goal['id']}"
    first = _send(client, "PATCH", url, {"text": "Ratana's goal",
                                         "expected_revision": goal["revision"]})
    assert first.status_code == 200
    client.force_login(p.employee.user)

    second = _send(client, "PATCH", url, {"text": "Marc's goal",
                                          "expected_revision": goal["revision"]})

    assert second.status_code == 409
    body = second.json()
    assert (body["code"], body["revision"]) == ("edit_conflict", first.json()["revision"])
    assert body["current"]["text"] == "Ratana's goal"
    row = client.get(f"/api/v1/development-plans/{plan.pk}").json()["rows"][0]
    assert row["goals"][0]["text"] == "Ratana's goal"
    remarks = _send(client, "PATCH", f"/api/v1/development-plans/{plan.pk}",
                    {"employee_remarks": "Graag", "expected_revision": detail["revision"]})
    assert remarks.status_code == 200
    stale = _send(client, "PATCH", f"/api/v1/development-plans/{plan.pk}",
                  {"employee_remarks": "Anders", "expected_revision": detail["revision"]})
    assert stale.status_code == 409
    assert _send(client, "PATCH", url, {"text": "Zonder revisie."}).status_code == 422


# A cluster of the catalogue ---------------------------------------------------------------


def test_hr_adds_a_cluster_after_the_others_and_a_competency_goes_in_it(client, p):
    org = p.employee.organisation
    before = list(org.competency_clusters.values_list("pk", flat=True))
    client.force_login(p.hr.user)

    response = _send(client, "POST", f"/api/v1/organisations/{org.pk}/competency-clusters",
                     {"names": {"nl": "Digitale vaardigheden", "en": "Digital skills"}})

    assert response.status_code == 201
    cluster = response.json()
    assert (cluster["name"], cluster["names"], cluster["competencies"]) == (
        "Digital skills", {"nl": "Digitale vaardigheden", "en": "Digital skills"}, [])
    catalogue = client.get(f"/api/v1/organisations/{org.pk}/competencies").json()["items"]
    assert [c["id"] for c in catalogue] == [*before, cluster["id"]]
    assert AuditEvent.objects.filter(action="competency_cluster.created",
                                     target_id=str(cluster["id"])).count() == 1
    added = _send(client, "POST", f"/api/v1/organisations/{org.pk}/competencies",
                  {"cluster_id": cluster["id"], "names": {"nl": "Met data werken"}})
    assert added.status_code == 201
    # The page's catalogue shows it too.
    page = client.get(reverse("competency_catalogue", args=[org.pk])).content.decode()
    assert "Digital skills" in page


@pytest.mark.parametrize("names", [{"en": "Only English"}, {"nl": " "}, {"nl": "x" * 201},
                                   {"nl": "Data", "xx": "?"}, None])
def test_a_cluster_without_its_dutch_name_is_refused_and_nothing_is_added(client, p, names):
    org = p.employee.organisation
    before = org.competency_clusters.count()
    client.force_login(p.hr.user)

    response = _send(client, "POST", f"/api/v1/organisations/{org.pk}/competency-clusters",
                     {} if names is None else {"names": names})

    assert response.status_code == 422
    assert response.json()["errors"]
    assert all(messages for messages in response.json()["errors"].values())
    assert org.competency_clusters.count() == before


def test_a_cluster_refused_by_the_rule_says_why_in_the_callers_language(client, p):
    org = p.employee.organisation
    User.objects.filter(pk=p.hr.user_id).update(language="nl")
    client.force_login(p.hr.user)

    response = _send(client, "POST", f"/api/v1/organisations/{org.pk}/competency-clusters",
                     {"names": {"en": "Only English"}})

    body = response.json()
    assert (response.status_code, body["code"]) == (422, "refused")
    assert body["errors"] == {"names.nl": ["Geef de naam in het Nederlands."]}


@pytest.mark.parametrize("who", ["team_hr", "manager", "employee", "outsider"])
def test_only_hr_of_the_whole_organisation_adds_a_cluster(client, p, who):
    org = p.employee.organisation
    before = org.competency_clusters.count()
    client.force_login(getattr(p, who).user)

    response = _send(client, "POST", f"/api/v1/organisations/{org.pk}/competency-clusters",
                     {"names": {"nl": "Digitale vaardigheden"}})

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert org.competency_clusters.count() == before


# Deleting a competency profile ---------------------------------------------------------


def _profile(p, job_title="Loonadministrateur"):
    org = p.employee.organisation
    return catalogue.competency_profile_save(
        actor=viewer(p.hr), organisation=org, job_title=job_title,
        competencies=[development.competency(org, "werk-structureren")])


def test_hr_deletes_a_competency_profile_and_neither_the_api_nor_the_page_lists_it(client, p):
    profile, kept = _profile(p), _profile(p, "Rekruteerder")
    org = p.employee.organisation
    client.force_login(p.hr.user)

    response = client.delete(f"/api/v1/competency-profiles/{profile.pk}")

    assert response.status_code == 204
    listed = client.get(f"/api/v1/organisations/{org.pk}/competency-profiles").json()["items"]
    assert [entry["id"] for entry in listed] == [kept.pk]
    assert AuditEvent.objects.filter(action="competency_profile.deleted",
                                     target_id=str(profile.pk)).count() == 1
    page = client.get(reverse("competency_profiles", args=[org.pk])).content.decode()
    assert "Loonadministrateur" not in page
    assert "Rekruteerder" in page
    assert client.delete(f"/api/v1/competency-profiles/{profile.pk}").status_code == 404


@pytest.mark.parametrize("who", ["team_hr", "manager", "employee", "outsider"])
def test_only_hr_of_the_whole_organisation_deletes_a_competency_profile(client, p, who):
    profile = _profile(p)
    client.force_login(getattr(p, who).user)

    response = client.delete(f"/api/v1/competency-profiles/{profile.pk}")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert CompetencyProfile.objects.filter(pk=profile.pk).exists()


def test_deleting_a_profile_that_does_not_exist_answers_as_a_forbidden_one(client, p):
    client.force_login(p.hr.user)

    missing = client.delete("/api/v1/competency-profiles/999999")
    beyond = client.delete("/api/v1/competency-profiles/not-a-number")

    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (beyond.status_code, beyond.json()["code"]) == (422, "invalid_input")
    assert list(beyond.json()["errors"]) == ["profile_id"]


# Changing and removing a follow-up entry -------------------------------------------------


def _followed_up(p):
    """A signed plan in its follow-up round, with an entry of the 1st evaluator on its row
    that added a means."""
    org = p.employee.organisation
    plan = development.signed(p.employee, p.manager)
    plans.plan_round_start(actor=viewer(p.manager), plan=plan)
    row = plan.items.get()
    entry = plans.plan_follow_up_add(
        actor=viewer(p.manager), item=row, text="Plant nu elke week.",
        new_means=[plans.NewMeans(action=development.action(org, "coaching-krijgen"))]).obj
    return plan, entry


def _entries(client, plan):
    row = client.get(f"/api/v1/development-plans/{plan.pk}").json()["rows"][0]
    return [(e["text"], e["revision"]) for e in row["follow_ups"]]


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_both_builders_change_a_follow_up_entry_of_the_open_round(client, p, who):
    plan, entry = _followed_up(p)
    client.force_login(getattr(p, who).user)

    response = _send(client, "PATCH", f"/api/v1/plan-follow-ups/{entry.pk}",
                     {"text": "Plant elke maandag.", "expected_revision": entry.revision})

    assert response.status_code == 200
    assert response.json() == {"id": entry.pk, "text": "Plant elke maandag.",
                               "written_on": entry.written_on.isoformat(),
                               "revision": entry.revision + 1}
    assert _entries(client, plan) == [("Plant elke maandag.", entry.revision + 1)]


def test_a_follow_up_entry_changed_from_an_old_revision_answers_409_as_the_page_would(
        client, p):
    """The page saves first; the script started from the revision before it."""
    plan, entry = _followed_up(p)
    client.force_login(p.manager.user)
    client.post(reverse("plan_follow_up_edit", args=[entry.pk]),
                {"text": "Via de pagina.", "revision": entry.revision})

    response = _send(client, "PATCH", f"/api/v1/plan-follow-ups/{entry.pk}",
                     {"text": "Via het script.", "expected_revision": entry.revision})

    body = response.json()
    assert (response.status_code, body["code"]) == (409, "edit_conflict")
    assert (body["revision"], body["current"]) == (entry.revision + 1,
                                                   {"text": "Via de pagina."})
    assert _entries(client, plan) == [("Via de pagina.", entry.revision + 1)]


@pytest.mark.parametrize(("body", "field"), [
    ({"text": "  ", "expected_revision": 0}, "text"),
    ({"text": "Zonder revisie."}, "expected_revision"),
    ({"expected_revision": 0}, "text"),
    ({"text": "x" * (TEXT_MAX + 1), "expected_revision": 0}, "text"),
])
def test_a_follow_up_entry_change_the_rules_refuse_changes_nothing(client, p, body, field):
    plan, entry = _followed_up(p)
    client.force_login(p.manager.user)

    response = _send(client, "PATCH", f"/api/v1/plan-follow-ups/{entry.pk}", body)

    assert response.status_code == 422
    assert response.json()["errors"][field]
    assert _entries(client, plan) == [("Plant nu elke week.", entry.revision)]


def test_an_entry_of_a_signed_round_no_longer_changes_nor_goes(client, p):
    plan, entry = _followed_up(p)
    plans.plan_sign(actor=viewer(p.manager), plan=plan)
    plans.plan_sign(actor=viewer(p.employee), plan=plan)
    plans.plan_round_start(actor=viewer(p.manager), plan=plan, kind="amendment")
    client.force_login(p.manager.user)

    changed = _send(client, "PATCH", f"/api/v1/plan-follow-ups/{entry.pk}",
                    {"text": "Later herschreven.", "expected_revision": entry.revision})
    removed = client.delete(f"/api/v1/plan-follow-ups/{entry.pk}")

    for response in (changed, removed):
        assert (response.status_code, response.json()["code"]) == (422, "record_closed")
        assert response.json()["detail"] == ("This entry belongs to a signed round and can "
                                             "no longer change.")
    assert _entries(client, plan) == [("Plant nu elke week.", entry.revision)]


def test_removing_a_follow_up_entry_keeps_the_means_it_added(client, p):
    plan, entry = _followed_up(p)
    client.force_login(p.employee.user)

    response = client.delete(f"/api/v1/plan-follow-ups/{entry.pk}")

    assert response.status_code == 204
    assert not FollowUpEntry.objects.filter(pk=entry.pk).exists()
    assert PlanMeans.objects.filter(item__plan=plan).count() == 1
    assert _entries(client, plan) == []
    assert client.delete(f"/api/v1/plan-follow-ups/{entry.pk}").status_code == 404


def test_the_page_and_the_api_remove_a_follow_up_entry_alike(client, p):
    plan, by_api = _followed_up(p)
    by_page = plans.plan_follow_up_add(actor=viewer(p.manager), item=plan.items.get(),
                                       text="Tweede stand.").obj
    client.force_login(p.manager.user)

    client.delete(f"/api/v1/plan-follow-ups/{by_api.pk}")
    client.post(reverse("plan_follow_up_remove", args=[by_page.pk]))

    assert _entries(client, plan) == []
    removals = [event.changes for event in AuditEvent.objects.filter(
        action="development_plan.changed").order_by("seq")
        if event.changes.get("op") == "removed"]
    assert removals == [{"row": "follow_up", "op": "removed", "id": by_api.pk},
                        {"row": "follow_up", "op": "removed", "id": by_page.pk}]


@pytest.mark.parametrize("who", ["second", "hr", "colleague", "outsider"])
def test_only_the_plans_builders_change_or_remove_a_follow_up_entry(client, p, who):
    _plan, entry = _followed_up(p)
    caller = p.department.manager if who == "second" else getattr(p, who)
    client.force_login(caller.user)

    changed = _send(client, "PATCH", f"/api/v1/plan-follow-ups/{entry.pk}",
                    {"text": "Niet van mij.", "expected_revision": entry.revision})
    removed = client.delete(f"/api/v1/plan-follow-ups/{entry.pk}")

    assert [(r.status_code, r.json()["code"]) for r in (changed, removed)] == [
        (404, "not_found"), (404, "not_found")]
    assert FollowUpEntry.objects.get(pk=entry.pk).text == "Plant nu elke week."
