"""The POP through the REST API: the same permissions, services and rules as the pages."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.audit.models import AuditEvent
from koers.core.models import User
from koers.development.models import (
    DepartmentPreparation,
    DevelopmentPlan,
    EmployeePreparation,
    HrAction,
    ManagerPreparation,
    Recommendation,
)
from koers.development.rules import Priority, Source
from koers.development.services import preparations
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
    advice = client.get(f"/api/v1/competencies/{competency_id}/advice").json()
    assert [a["action"]["code"] for a in advice if a["value"] == "recommended"] == [
        "e-learning"]


def test_catalogue_texts_come_in_the_callers_language_and_in_every_language(client, p):
    org = p.employee.organisation
    client.force_login(p.colleague.user)

    clusters = client.get(f"/api/v1/organisations/{org.pk}/competencies").json()
    actions = client.get(f"/api/v1/organisations/{org.pk}/development-actions").json()

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

    demand = client.get(f"/api/v1/organisations/{org.pk}/training-demand").json()
    arranged = _send(client, "POST", f"/api/v1/hr-actions/{hr_action.pk}/status",
                     {"status": "arranged", "note": "OFO bevestigd"})

    assert [(g["action"]["code"], g["competency"]["code"], g["count"]) for g in demand] == [
        ("klassieke-opleiding-volgen", "werk-structureren", 1)]
    assert arranged.json()["status"] == HrActionStatus.ARRANGED
    client.force_login(p.team_hr.user)
    assert client.get(f"/api/v1/organisations/{org.pk}/training-demand").json() == []
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
    assert client.get("/api/v1/employee-preparations").json() == []

    client.force_login(p.employee.user)
    shared = _send(client, "POST", f"{url}/share")

    assert shared.status_code == 200
    assert shared.json()["shared_at"] is not None
    for evaluator in (p.manager, p.department.manager):
        client.force_login(evaluator.user)
        assert client.get(url).json()["ambitions_why"] == "Meer rust."
        assert [x["id"] for x in client.get("/api/v1/employee-preparations").json()] == [
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
    assert client.get("/api/v1/manager-preparations").json() == []
    assert client.get(view_url).status_code == 404  # the general view is not the employee's

    client.force_login(p.manager.user)
    shared = _send(client, "POST", f"{url}/share")
    client.force_login(p.employee.user)
    read = client.get(url).json()

    assert shared.json()["shared_at"] is not None
    assert (read["overall_impression"], [c["code"] for c in read["competencies"]]) == (
        "Op goede weg.", ["ondersteunen"])
    assert [x["id"] for x in client.get("/api/v1/manager-preparations").json()] == [
        started.json()["id"]]
    client.force_login(p.department.manager.user)  # the manager's own 1st evaluator
    assert client.get(view_url).json()["threats"] == "Twee pensioneringen."
    assert [x["id"] for x in client.get("/api/v1/department-preparations").json()] == [
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
            counts.append((len(captured), len(client.get(url).json())))
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
