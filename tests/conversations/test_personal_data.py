"""The employee's individual work plans in their export, with the changed agreements."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.access.personal_data import ExportContext, build_export
from koers.conversations import services
from koers.conversations.exports import work_plans_part
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.organisation.models import Organisation, Person, PolicyPreset
from tests import personas
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

EXPECTED = "Answer 90 % of pay questions within 2 days"
COMMENTS = "Add the new payroll system."


@pytest.fixture
def p() -> personas.Personas:
    """The personas in a Dutch municipality (the preset with the work plan)."""
    people = personas.build()
    Organisation.objects.filter(pk=people.employee.organisation_id).update(
        policy_preset=PolicyPreset.DUTCH_MUNICIPAL)
    for person in (people.employee, people.colleague, people.manager):
        person.organisation.refresh_from_db()
    return people


def _fixed_and_amended(p: personas.Personas, person: Person, *, year: int) -> None:
    """``person``'s work plan of ``year``, fixed by both and amended in March."""
    manager = viewer(p.manager)
    day = dt.datetime(year, 3, 10, 9, tzinfo=dt.UTC)
    with clock.frozen(day):
        plan = services.work_plan_draft(actor=viewer(person), expected_performance=EXPECTED,
                                        support="Time for the course")
        services.work_plan_comment(actor=manager, work_plan=plan, comments=COMMENTS)
        services.work_plan_confirm(actor=viewer(person), work_plan=plan)
        services.work_plan_confirm(actor=manager, work_plan=plan)
        starts = day + dt.timedelta(days=1)
        conversation = services.conversation_schedule(
            actor=manager, employee=person, kind=ConversationKind.PROGRESS, starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1), location="Room 2")
        services.conversation_hold(actor=manager, conversation=conversation,
                                   report="We adjusted the plan.")
        services.work_plan_amend(actor=manager, conversation=conversation,
                                 change="The payroll migration moves to Q3",
                                 reason="The supplier is late")


def test_the_export_holds_the_work_plan_with_its_comments_and_amendments(p):
    _fixed_and_amended(p, p.employee, year=2026)

    [plan] = build_export(p.employee, now=clock.now()).as_json()["sections"]["work_plans"]

    assert (plan["period_start"], plan["period_end"], plan["status"]) == (
        "2026-01-01", "2026-12-31", "fixed")
    assert (plan["expected_performance"], plan["support"], plan["manager_comments"]) == (
        EXPECTED, "Time for the course", COMMENTS)
    assert (plan["commented_by"], plan["evaluator_confirmed_by"]) == (
        "Ratana Than", "Ratana Than")
    assert plan["employee_confirmed_at"] is not None
    assert [(a["conversation"], a["change"], a["reason"], a["by"])
            for a in plan["amendments"]] == [
        ("2026-03-11", "The payroll migration moves to Q3", "The supplier is late",
         "Ratana Than")]


def test_a_colleagues_work_plan_is_not_in_the_employees_export(p):
    _fixed_and_amended(p, p.colleague, year=2026)

    assert build_export(p.employee, now=clock.now()).as_json()["sections"]["work_plans"] == []


def test_the_part_takes_as_many_queries_for_three_plans_as_for_one(p):
    _fixed_and_amended(p, p.employee, year=2026)
    for year in (2024, 2025, 2026):
        _fixed_and_amended(p, p.colleague, year=year)

    with CaptureQueriesContext(connection) as one:
        part_one = work_plans_part(ExportContext(person=p.employee, chains=[]))
    with CaptureQueriesContext(connection) as three:
        part_three = work_plans_part(ExportContext(person=p.colleague, chains=[]))

    assert (len(part_one.records), len(part_three.records)) == (1, 3)
    assert len(part_three.chains) == 3
    assert len(one.captured_queries) == len(three.captured_queries) == 2
