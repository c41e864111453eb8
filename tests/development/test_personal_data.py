"""The employee's development data in their export: self-scan, preparations, plans."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.access.personal_data import ExportContext, build_export
from koers.core import clock
from koers.development.exports import development_part
from koers.development.models import HrAction, PlanRound
from koers.development.services import demand, plans, preparations
from koers.development.services.plans import NewHrAction, NewMeans
from koers.development.states import RoundKind
from koers.organisation.models import Person
from tests import personas
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 4, 22, 10, tzinfo=dt.UTC)
SHARED = "Marc werkt nauwkeurig en wil groeien."
NOT_SHARED = "Nog te bespreken met de directeur."
MEANS = "Coaching door Peter Gordon"
HR_ACTION = "Inschrijving voor de opleiding Excel"
FOLLOW_UP = "Opleiding gevolgd; nog moeite met het ordenen van de taken."


@pytest.fixture
def p():
    with clock.frozen(NOON):
        built = personas.build()
        dev.seeded(built.employee.organisation)
        yield built


def _development(person: Person) -> list[dict]:
    return build_export(person, now=clock.now()).as_json()["sections"]["development"]


def _preparations(p: personas.Personas, person: Person, *, n: int = 1) -> None:
    me, manager = viewer(person), viewer(p.manager)
    competency = dev.competency(person.organisation, "werk-structureren")
    preparations.self_scan_save(actor=me, changes={"who_am_i": "Nauwkeurig."})
    for _ in range(n):
        own = preparations.employee_preparation_start(actor=me, competencies=[competency])
        preparations.employee_preparation_save(actor=me, preparation=own,
                                               changes={"strengths": "Cijfers."})
        about = preparations.manager_preparation_start(actor=manager, employee=person,
                                                       competencies=[competency])
        preparations.manager_preparation_save(actor=manager, preparation=about,
                                              changes={"overall_impression": SHARED})
        preparations.manager_preparation_share(actor=manager, preparation=about)


def _plan(p: personas.Personas, person: Person, *, start: dt.date) -> None:
    """A plan signed twice, with a row, a goal, a means, an HR action and a follow-up;
    closed, so the next period gets its own."""
    manager = viewer(p.manager)
    plan = dev.draft(person, p.manager, period_start=start)
    row = dev.item(plan, p.manager, "werk-structureren")
    plans.plan_means_add(actor=manager, item=row, description=MEANS, supporter=p.colleague)
    plans.plan_hr_action_add(actor=manager, item=row, description=HR_ACTION)
    plans.plan_sign(actor=manager, plan=plan)
    plans.plan_sign(actor=viewer(person), plan=plan)
    plans.plan_round_start(actor=manager, plan=plan, kind=RoundKind.FOLLOW_UP)
    plans.plan_follow_up_add(
        actor=manager, item=row, text=FOLLOW_UP,
        new_means=[NewMeans(description="Een collega als mentor")],
        new_hr_actions=[NewHrAction(description="Halve dag opvolging")])
    plans.plan_sign(actor=manager, plan=plan)
    plans.plan_sign(actor=viewer(person), plan=plan)
    plans.plan_close(actor=manager, plan=plan)


def test_the_export_holds_the_self_scan_the_preparations_and_the_plan(p):
    with clock.frozen(NOON):
        _preparations(p, p.employee)
        _plan(p, p.employee, start=dt.date(2026, 1, 1))
        records = _development(p.employee)

    scan, own, about, plan = records
    assert scan["who_am_i"] == "Nauwkeurig."
    assert (own["strengths"], own["competencies"], own["shared_at"]) == (
        "Cijfers.", ["Werk structureren"], None)
    assert (about["author"], about["overall_impression"]) == ("Ratana Than", SHARED)
    assert (plan["period_start"], plan["status"]) == ("2026-01-01", "closed")
    assert [(r["competency"], r["priority"]) for r in plan["rows"]] == [
        ("Werk structureren", 1)]
    assert [g["text"] for g in plan["goals"]] == [dev.SMART_GOAL]
    assert [(m["description"], m["supporter"], m["round"]) for m in plan["means"]] == [
        (MEANS, "Peter Gordon", 1), ("Een collega als mentor", None, 2)]
    assert [(h["description"], h["status"]) for h in plan["hr_actions"]] == [
        (HR_ACTION, "requested"), ("Halve dag opvolging", "requested")]
    assert [(f["round"], f["text"], f["author"]) for f in plan["follow_ups"]] == [
        (2, FOLLOW_UP, "Ratana Than")]
    seals = list(PlanRound.objects.order_by("number").values_list("seal", flat=True))
    assert [(r["round"], r["kind"], r["seal"]) for r in plan["rounds"]] == [
        (1, "planning", seals[0]), (2, "follow_up", seals[1])]
    assert plan["rounds"][1]["content"]["items"][0]["follow_ups"][0]["text"] == FOLLOW_UP
    assert sorted((s["round"], s["role"]) for s in plan["signatures"]) == [
        (1, "employee"), (1, "first_evaluator"), (2, "employee"), (2, "first_evaluator")]


def test_what_hr_arranged_is_in_the_export(p):
    with clock.frozen(NOON):
        _plan(p, p.employee, start=dt.date(2026, 1, 1))
        demand.hr_action_arrange(actor=viewer(p.hr), hr_action=HrAction.objects.get(
            description=HR_ACTION), note="Cursus op 5 mei")
        [plan] = _development(p.employee)

    assert (plan["hr_actions"][0]["status"], plan["hr_actions"][0]["arranged_note"]) == (
        "arranged", "Cursus op 5 mei")


def test_a_preparation_the_manager_did_not_share_is_not_in_the_export(p):
    with clock.frozen(NOON):
        draft = preparations.manager_preparation_start(actor=viewer(p.manager),
                                                       employee=p.employee)
        preparations.manager_preparation_save(actor=viewer(p.manager), preparation=draft,
                                              changes={"overall_impression": NOT_SHARED})
        records = _development(p.employee)

    assert records == []
    assert NOT_SHARED not in json.dumps(build_export(p.employee, now=NOON).as_json())


def test_a_manager_exports_their_general_view_not_what_they_wrote_about_others(p):
    ratana = viewer(p.manager)
    with clock.frozen(NOON):
        view = preparations.department_preparation_start(actor=ratana, unit=p.team)
        preparations.department_preparation_save(actor=ratana, preparation=view,
                                                 changes={"threats": "Twee pensioneringen."})
        about = preparations.manager_preparation_start(actor=ratana, employee=p.employee,
                                                       department_view=view)
        preparations.manager_preparation_save(actor=ratana, preparation=about,
                                              changes={"overall_impression": SHARED})
        preparations.manager_preparation_share(actor=ratana, preparation=about)
        managers, employees = _development(p.manager), _development(p.employee)

    assert [(r["unit"], r["threats"]) for r in managers] == [
        ("Team Loonadministratie", "Twee pensioneringen.")]
    assert [r["overall_impression"] for r in employees] == [SHARED]
    assert "Twee pensioneringen." not in json.dumps(employees)


def test_the_part_takes_as_many_queries_for_three_of_everything_as_for_one(p):
    with clock.frozen(NOON):
        _preparations(p, p.employee)
        _plan(p, p.employee, start=dt.date(2026, 1, 1))
        _preparations(p, p.colleague, n=3)
        for year in (2024, 2025, 2026):
            _plan(p, p.colleague, start=dt.date(year, 1, 1))

        with CaptureQueriesContext(connection) as one:
            part_one = development_part(ExportContext(person=p.employee, chains=[]))
        with CaptureQueriesContext(connection) as three:
            part_three = development_part(ExportContext(person=p.colleague, chains=[]))

    assert (len(part_one.records), len(part_three.records)) == (4, 10)
    assert len(one.captured_queries) == len(three.captured_queries) == 14
