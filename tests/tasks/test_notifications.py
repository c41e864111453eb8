"""The task list is the source of notifications: a notification that asks for a task
names it, is resolved in the transaction of the service that does the task, and then no
longer counts as new, on the page, in the header and in the API. The POP steps that wait
for a person are in My tasks."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.development.services import plans, preparations
from koers.goals import services as goal_services
from koers.improvement import services as improvement_services
from koers.notify import selectors
from koers.notify.kinds import render
from koers.notify.models import Notification
from koers.notify.services import NewNotification, notifications_resolve, notify_many
from koers.tasks.selectors import TaskKind, tasks_for
from tests import personas
from tests.factories import development as dev
from tests.factories import goals
from tests.factories import improvement as imp
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 4, 22, 10, tzinfo=dt.UTC)


@pytest.fixture
def p():
    with clock.frozen(NOON):
        return personas.build()


def tasks(person) -> list[tuple[TaskKind, int, str]]:
    return [(t.kind, t.record_id, t.step) for t in tasks_for(viewer(person))]


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _plan_with_a_row(p):
    plan = dev.draft(p.employee, p.manager)
    dev.item(plan, p.manager, "werk-structureren")
    return plan


def test_the_pop_round_to_sign_waits_for_both_until_each_signed(p):
    with clock.frozen(NOON):
        empty = dev.draft(p.employee, p.manager)
        assert tasks(p.employee) == []  # nothing to sign yet: the plan has no row
        dev.item(empty, p.manager, "werk-structureren")
        plan = empty
        assert tasks(p.employee) == [(TaskKind.DEVELOPMENT_PLAN, plan.pk, "sign")]
        assert tasks(p.manager) == [(TaskKind.DEVELOPMENT_PLAN, plan.pk, "sign")]
        assert tasks(p.colleague) == []

        plans.plan_sign(actor=viewer(p.manager), plan=plan)
        assert tasks(p.manager) == []
        (task,) = tasks_for(viewer(p.employee))
        plans.plan_sign(actor=viewer(p.employee), plan=plan)

    assert task.what == "Onderteken je ontwikkelingsplan"
    assert tasks(p.employee) == []


def test_the_request_to_sign_the_pop_is_resolved_by_the_signature(p, client):
    with clock.frozen(NOON):
        plan = _plan_with_a_row(p)
        plans.plan_sign(actor=viewer(p.manager), plan=plan)
    asked = Notification.objects.get(recipient=p.employee.user)
    client.force_login(p.employee.user)
    assert asked.task == f"development_plan:{plan.pk}:sign"
    assert "Meldingen 1 ongelezen" in _text(client.get(reverse("home")))
    page = _text(client.get(reverse("notifications")))
    assert "Nieuw: Je ontwikkelingsplan wacht op je handtekening" in page
    assert "Marc" not in page  # Marc is told of his own plan as "your plan"

    with clock.frozen(NOON):
        plans.plan_sign(actor=viewer(p.employee), plan=plan)

    asked.refresh_from_db()
    assert asked.resolved_at is not None
    assert asked.read_at is None
    assert selectors.unread_count(p.employee.user) == 0
    assert "ongelezen" not in _text(client.get(reverse("home")))
    page = _text(client.get(reverse("notifications")))
    assert "Gedaan: Je ontwikkelingsplan wacht op je handtekening" in page
    assert "Nieuw:" not in page
    listed = client.get("/api/v1/me/notifications").json()
    assert listed["unread"] == 0
    assert [(n["task"], n["resolved"]) for n in listed["items"]] == [
        (f"development_plan:{plan.pk}:sign", True)]


def test_a_failed_signature_resolves_nothing(p):
    with clock.frozen(NOON):
        plan = _plan_with_a_row(p)
        plans.plan_sign(actor=viewer(p.manager), plan=plan)
        with pytest.raises(ValidationFailed):  # signed this round already
            plans.plan_sign(actor=viewer(p.manager), plan=plan)

    assert Notification.objects.get(recipient=p.employee.user).resolved_at is None


def test_the_follow_up_to_hold_waits_for_the_1st_evaluator_from_the_window(p):
    with clock.frozen(NOON):
        plan = dev.signed(p.employee, p.manager)
    assert plan.follow_up_earliest is not None
    before = dt.datetime.combine(plan.follow_up_earliest - dt.timedelta(days=1), dt.time(10),
                                 tzinfo=dt.UTC)
    opened = before + dt.timedelta(days=1)
    with clock.frozen(before):
        assert tasks(p.manager) == []
    with clock.frozen(opened):
        (task,) = tasks_for(viewer(p.manager))
        assert tasks(p.employee) == []
        plans.plan_round_start(actor=viewer(p.manager), plan=plan)
        after = tasks(p.manager)

    assert (task.kind, task.record_id, task.step, task.due) == (
        TaskKind.DEVELOPMENT_PLAN, plan.pk, "follow_up", plan.follow_up_due)
    assert task.what == "Houd het opvolgingsgesprek van het ontwikkelingsplan van Marc Vandamme"
    assert after == [(TaskKind.DEVELOPMENT_PLAN, plan.pk, "sign")]  # the new round


def test_a_preparation_waits_for_its_author_until_shared(p, client):
    with clock.frozen(NOON):
        dev.seeded(p.employee.organisation)
        mine = preparations.employee_preparation_start(actor=viewer(p.employee),
                                                       from_self_scan=False)
        about = preparations.manager_preparation_start(actor=viewer(p.manager),
                                                       employee=p.employee)
    assert tasks(p.employee) == [(TaskKind.EMPLOYEE_PREPARATION, mine.pk,
                                  "share_preparation")]
    assert tasks(p.manager) == [(TaskKind.MANAGER_PREPARATION, about.pk,
                                 "share_manager_preparation")]
    client.force_login(p.employee.user)
    assert reverse("employee_preparation", args=[mine.pk]) in client.get(
        reverse("home")).content.decode()
    assert client.get("/api/v1/me/tasks").json()["items"][0]["kind"] == "employee_preparation"

    with clock.frozen(NOON):
        preparations.employee_preparation_save(actor=viewer(p.employee), preparation=mine,
                                               changes={"strengths": "Plannen"})
        preparations.employee_preparation_share(actor=viewer(p.employee), preparation=mine)

    assert tasks(p.employee) == []


def test_the_start_page_lists_pop_tasks_in_the_same_queries_for_1_and_3_plans(
        client, p, django_assert_max_num_queries):
    with clock.frozen(NOON):
        _plan_with_a_row(p)
    client.force_login(p.manager.user)
    client.get(reverse("home"))
    with django_assert_max_num_queries(60) as one:
        page = client.get(reverse("home")).content.decode()
    with clock.frozen(NOON):
        for person in (p.colleague,):
            plan = dev.draft(person, p.manager)
            dev.item(plan, p.manager, "werk-structureren")
        other = dev.draft(p.manager, p.department.manager)
        dev.item(other, p.department.manager, "werk-structureren")
    with django_assert_max_num_queries(len(one.captured_queries)):
        later = client.get(reverse("home")).content.decode()

    assert "Onderteken het ontwikkelingsplan van Marc Vandamme" in page
    assert later.count(reverse("development_plan", args=[other.pk])) == 1
    assert [t["kind"] for t in client.get("/api/v1/me/tasks").json()["items"]] == [
        "development_plan"] * 3


def test_a_goal_proposed_to_its_owner_speaks_to_them_and_ends_with_the_confirmation(p):
    with clock.frozen(NOON):
        goal = goals.proposed(p.employee, by=p.manager, title="Excel-cursus afronden")
    asked = Notification.objects.get(recipient=p.employee.user)
    assert asked.task == f"goal:{goal.pk}:confirm"
    with translation.override("en"):
        text = render(asked.kind, asked.params)
        assert text.subject == "One of your goals waits for your confirmation"
        assert text.body == ("Ratana Than proposed or changed one of your goals. It is agreed "
                             "once you confirm it too.")
    with translation.override("nl"):
        assert render(asked.kind, asked.params).subject == (
            "Een van je doelstellingen wacht op je bevestiging")

    with clock.frozen(NOON):
        goal_services.goal_confirm(actor=viewer(p.employee), goal=goal)

    asked.refresh_from_db()
    assert asked.resolved_at is not None
    assert tasks(p.employee) == []


def test_an_improvement_plan_to_sign_is_resolved_with_the_signature(p):
    plan = imp.draft(p.employee, p.manager)
    with clock.frozen(imp.moment(plan.period_start)):
        improvement_services.plan_sign(actor=viewer(p.manager), plan=plan)
    asked = Notification.objects.get(recipient=p.employee.user)
    assert asked.task == f"improvement_plan:{plan.pk}:sign"

    with clock.frozen(imp.moment(plan.period_start)):
        improvement_services.plan_sign(actor=viewer(p.employee), plan=plan)

    asked.refresh_from_db()
    assert asked.resolved_at is not None


@pytest.mark.parametrize("path", ["/notifications/", "/api/v1/me/notifications"])
def test_the_notifications_cost_the_same_queries_for_5_and_50_some_resolved(client, p, path):
    client.force_login(p.employee.user)

    def add(numbers):
        notify_many(NewNotification(
            recipient_id=p.employee.user.pk, key=f"n{n}", kind="retired", params={},
            url=f"/goals/{n}/", task=f"goal:{n}:confirm") for n in numbers)
        for n in numbers[::2]:
            notifications_resolve(task=f"goal:{n}:confirm")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    add(range(5))
    client.get(path)
    five = count()
    add(range(5, 50))
    assert count() == five
    if path.startswith("/api"):
        assert client.get(path).json()["unread"] == 24  # 3 + 23 of the 50 resolved
