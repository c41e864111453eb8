"""What waits for whom: each room's task appears for the person it waits for, in the
order of urgency, disappears once done, and the start page and the API show the same
list in a bounded number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from koers.access import services as access_services
from koers.access.models import Scope
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.goals import services as goal_services
from koers.tasks.selectors import TaskKind, tasks_for
from tests import personas
from tests.factories import evaluations as ev
from tests.factories import goals
from tests.factories.goals import viewer
from tests.factories.work_plans import draft, dutch_personas

pytestmark = pytest.mark.django_db

START = dt.datetime(2099, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def kinds(person) -> list[tuple[TaskKind, int]]:
    return [(task.kind, task.record_id) for task in tasks_for(viewer(person))]


def test_a_proposed_goal_waits_for_the_other_side_only_until_it_is_agreed(p):
    goal = goals.proposed(p.employee, title="Excel-cursus afronden")

    assert kinds(p.manager) == [(TaskKind.GOAL, goal.pk)]
    assert kinds(p.employee) == []  # proposing was the employee's confirmation
    (task,) = tasks_for(viewer(p.manager))
    assert task.person == p.employee
    assert "Excel-cursus afronden" in task.what
    goal_services.goal_confirm(actor=viewer(p.manager), goal=goal)
    assert kinds(p.manager) == []


def test_a_held_conversations_report_waits_for_each_side_that_has_not_confirmed(p):
    conversation = conversation_services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.FOLLOW_UP,
        starts_at=START, ends_at=START + dt.timedelta(hours=1), location="Kamer 2")
    conversation_services.conversation_hold(actor=viewer(p.manager),
                                            conversation=conversation, report="Goed bezig.")

    assert kinds(p.employee) == [(TaskKind.CONVERSATION, conversation.pk)]
    assert (TaskKind.CONVERSATION, conversation.pk) in kinds(p.manager)
    conversation_services.conversation_report_confirm(actor=viewer(p.employee),
                                                      conversation=conversation)
    assert kinds(p.employee) == []
    conversation_services.conversation_report_confirm(actor=viewer(p.manager),
                                                      conversation=conversation)
    assert kinds(p.manager) == []
    assert kinds(p.colleague) == []


def test_a_work_plan_waits_for_the_comments_then_for_both_confirmations():
    with dutch_personas() as p:
        plan = draft(p)
        assert kinds(p.manager) == [(TaskKind.WORK_PLAN, plan.pk)]
        assert kinds(p.employee) == []
        conversation_services.work_plan_comment(actor=viewer(p.manager), work_plan=plan,
                                                comments="Ook het loonpakket.")
        assert kinds(p.employee) == [(TaskKind.WORK_PLAN, plan.pk)]
        assert [task.what for task in tasks_for(viewer(p.employee))] == [
            "Werkplan bevestigen"]


def test_hrs_request_waits_for_the_persons_2nd_evaluator(p):
    second = p.department.manager
    hr = viewer(p.hr)
    request = access_services.access_request_create(
        actor=hr, subject=p.employee, scope=Scope.GOALS, reason="Klacht onderzoeken",
        valid_from=hr.on, valid_until=hr.on + dt.timedelta(days=7))

    assert (TaskKind.ACCESS_REQUEST, request.pk) in kinds(second)
    assert kinds(p.manager) == []


def test_evaluation_steps_come_first_when_overdue_and_carry_their_due_date(p):
    cast = ev.cast(p)
    evaluation = ev.reach(cast, "first_signed")
    goal = goals.proposed(p.colleague, title="Ander doel")
    second = cast.second
    assert second is not None
    with ev.on(dt.date(2026, 4, 2)):  # the 2nd signature was due by 31 March
        tasks = tasks_for(viewer(second))

    assert [(task.kind, task.record_id) for task in tasks][:1] == [
        (TaskKind.EVALUATION, evaluation.pk)]
    assert tasks[0].overdue
    assert tasks[0].due == dt.date(2026, 3, 31)
    assert (TaskKind.GOAL, goal.pk) not in [(t.kind, t.record_id) for t in tasks]


def test_the_start_page_and_the_api_show_the_same_tasks_in_the_same_queries(
        client, p, django_assert_max_num_queries):
    goals.proposed(p.employee, title="Eerste doel")
    client.force_login(p.manager.user)
    with django_assert_max_num_queries(60) as few:
        page = client.get(reverse("home")).content.decode()
    for n in range(4):
        goals.proposed(p.colleague, title=f"Doel {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))

    listed = client.get("/api/v1/me/tasks").json()["items"]
    assert len(listed) == 5
    assert "Eerste doel" in page
    assert {task["kind"] for task in listed} == {"goal"}
    assert listed[0]["person"]["name"] == p.employee.full_name
    assert reverse("goal_detail", args=[listed[0]["record_id"]]) in page


def test_nothing_waiting_says_so_and_points_to_what_comes_next(client, p):
    client.force_login(p.employee.user)

    page = client.get(reverse("home")).content.decode()

    assert reverse("person_timeline", args=[p.employee.pk]) in page
    assert client.get("/api/v1/me/tasks").json()["items"] == []
