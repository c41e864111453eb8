"""Where an improvement plan reaches beyond its page: reminders and escalation, the task
list, the HR dashboard's counts, My data and retention.

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" (overheid.vlaanderen.be):
the plan is followed up monthly in conversations; the follow-ups are reminded and
escalated like the cycle's steps (the policy's reminder days, the 2nd evaluator after
``escalate_to_second_evaluator_after_days``, HR after ``escalate_to_hr_after_days``).
"""

import datetime as dt

import pytest
from django.utils import translation

from koers.access.personal_data import build_export
from koers.conversations import services as conversation_services
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationStatus
from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.improvement import selectors, services
from koers.improvement.models import FollowUp, GoalProgress, ImprovementPlan
from koers.improvement.reminders import send_improvement_reminders
from koers.notify.models import Notification
from koers.tasks.selectors import TaskKind, tasks_for
from tests import personas
from tests.access import erasure
from tests.factories import improvement as plans
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 5)
FIRST_DUE = dt.date(2026, 2, 5)


@pytest.fixture
def p():
    with clock.frozen(plans.moment(START)):
        yield personas.build()


def _remind(on: dt.date) -> list[tuple[str, int, str]]:
    with clock.frozen(plans.moment(on)):
        send_improvement_reminders()
    return sorted((n.kind, n.recipient_id, n.params["step"])
                  for n in Notification.objects.filter(kind__startswith="improvement.")
                  .exclude(kind="improvement.signature_awaited"))


def test_a_follow_up_is_reminded_to_the_first_evaluator_then_escalated(p):
    """The Flemish preset: 14 and 3 days before, on the day, the day after; the 2nd
    evaluator after 7 overdue days, HR after 21."""
    plans.running(p.employee, p.manager)
    second = p.department.manager

    assert _remind(FIRST_DUE - dt.timedelta(days=14)) == [
        ("improvement.due_soon", p.manager.user_id, "follow_up")]
    Notification.objects.all().delete()
    assert _remind(FIRST_DUE) == [("improvement.due_today", p.manager.user_id, "follow_up")]
    Notification.objects.all().delete()
    assert _remind(FIRST_DUE + dt.timedelta(days=7)) == [
        ("improvement.escalated", second.user_id, "follow_up")]
    Notification.objects.all().delete()
    assert _remind(FIRST_DUE + dt.timedelta(days=21)) == [
        ("improvement.escalated", p.hr.user_id, "follow_up")]


def test_a_reminder_is_sent_once_and_a_held_follow_up_is_not_reminded(p):
    plan = plans.running(p.employee, p.manager)
    assert len(_remind(FIRST_DUE)) == len(_remind(FIRST_DUE)) == 1
    Notification.objects.all().delete()
    first = plan.follow_ups.get(number=1)
    with clock.frozen(plans.moment(FIRST_DUE - dt.timedelta(days=1))):
        services.follow_up_record(actor=viewer(p.manager), follow_up=first,
                                  held_on=FIRST_DUE - dt.timedelta(days=1),
                                  progress={g.pk: "ok" for g in plan.goals.all()},
                                  actions="Keep going")

    assert _remind(FIRST_DUE) == []


def test_the_decision_is_reminded_at_the_end(p):
    plan = plans.running(p.employee, p.manager)

    assert _remind(plan.period_end) == [
        ("improvement.due_today", p.manager.user_id, "decision")]


def test_the_task_list_holds_the_signatures_follow_ups_and_decision(p):
    plan = plans.draft(p.employee, p.manager)
    with clock.frozen(plans.moment(START)):
        mine = tasks_for(viewer(p.employee))
        assert [(t.kind, t.record_id) for t in mine] == [(TaskKind.IMPROVEMENT_PLAN, plan.pk)]
        services.plan_sign(actor=viewer(p.employee), plan=plan)
        services.plan_sign(actor=viewer(p.manager), plan=plan)
        follow_up = [t for t in tasks_for(viewer(p.manager))
                     if t.kind == TaskKind.IMPROVEMENT_PLAN]
    assert [(t.due, t.record_id) for t in follow_up] == [(FIRST_DUE, plan.pk)]
    assert tasks_for(viewer(p.colleague)) == []


def test_the_dashboard_counts_running_plans_per_unit_without_content(p):
    plans.running(p.employee, p.manager)
    plans.draft(p.colleague, p.manager)  # not running yet: not counted
    plans.running(p.unrelated_employee, p.unrelated_manager)

    counts = selectors.running_per_branch(unit=p.department,
                                          children=[p.team, p.other_team])

    assert (counts.total, counts.direct, counts.by_child) == (
        2, 0, {p.team.pk: 1, p.other_team.pk: 1})


def test_my_data_holds_my_plans_with_follow_ups_and_decision(p):
    plan = plans.running(p.employee, p.manager)
    plans.hold_all(plan, p.manager)
    with clock.frozen(plans.moment(plan.period_end)):
        services.plan_decide(actor=viewer(p.manager), plan=plan, met=False,
                             motivation="Still weeks late.")
        export = build_export(p.employee, now=clock.now()).as_json()

    [record] = export["sections"]["improvement"]
    assert (record["status"], record["motivation"]) == ("not_met", "Still weeks late.")
    assert [f["number"] for f in record["follow_ups"]] == [1, 2]
    assert len(record["goals"]) == len(record["follow_ups"][0]["progress"]) == 2


def test_a_leavers_plans_go_with_retention_and_the_audit_trail_still_verifies(p):
    then = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    plan = plans.running(p.employee, p.manager)
    plans.hold_all(plan, p.manager)
    kept = plans.running(p.colleague, p.manager)
    erasure.keep_for(p.hr, 5, on=then)
    erasure.leave(p.employee, p.hr, on=dt.date(2026, 6, 30))

    erasure.run(p.employee, on=dt.datetime(2032, 3, 2, 12, tzinfo=dt.UTC))

    assert list(ImprovementPlan.objects.values_list("pk", flat=True)) == [kept.pk]
    assert FollowUp.objects.filter(plan=plan.pk).count() == 0
    assert GoalProgress.objects.count() == 0
    assert erasure.audit_verifies()


def _scheduled_follow_up(p):
    plan = plans.running(p.employee, p.manager)
    first = plan.follow_ups.get(number=1)
    with clock.frozen(plans.moment(START)):
        services.follow_up_schedule(actor=viewer(p.manager), follow_up=first,
                                    starts_at=plans.moment(FIRST_DUE),
                                    ends_at=plans.moment(FIRST_DUE) + dt.timedelta(hours=1),
                                    location="B.204")
    first.refresh_from_db()
    return plan, first


def test_recording_the_follow_up_holds_its_conversation_with_the_follow_up_as_report(p):
    """PLOEG: progress on the actions and agreements is followed up in conversations; the
    follow-up's conversation is held once, by recording the follow-up, so its task and
    its reminders end there and the conversation's report is the follow-up's."""
    plan, first = _scheduled_follow_up(p)
    goals = list(plan.goals.all())
    # The report is written in the language of the one who records it (here English).
    with clock.frozen(plans.moment(FIRST_DUE)), translation.override("en"):
        services.follow_up_record(actor=viewer(p.manager), follow_up=first,
                                  held_on=FIRST_DUE,
                                  progress={goals[0].pk: "Tickets within 2 days",
                                            goals[1].pk: "One file late"},
                                  actions="Check the files on the 15th")
        left = [t.due for t in tasks_for(viewer(p.manager))
                if t.kind == TaskKind.IMPROVEMENT_PLAN]

    conversation = Conversation.objects.get(pk=first.conversation_id)
    assert (conversation.status, conversation.held_on) == (ConversationStatus.HELD, FIRST_DUE)
    assert conversation.report == (
        "Progress per expected improvement:\n\n"
        f"1. {goals[0].expected}\nTickets within 2 days\n\n"
        f"2. {goals[1].expected}\nOne file late\n\n"
        "Actions agreed:\n\nCheck the files on the 15th")
    # The task moved on to the second follow-up; the first is no longer reminded.
    assert left == [plan.follow_ups.get(number=2).due_on]
    assert [step for *_, step in _remind(FIRST_DUE + dt.timedelta(days=1))] == []


def test_the_follow_up_conversation_is_not_recorded_as_held_on_its_own(p):
    """Holding it apart would leave the plan's follow-up open and reminded: refused, with
    the way to record it, and nothing changes."""
    _plan, first = _scheduled_follow_up(p)
    conversation = Conversation.objects.get(pk=first.conversation_id)
    with clock.frozen(plans.moment(FIRST_DUE)), translation.override("en"), \
            pytest.raises(ValidationFailed) as refused:
        conversation_services.conversation_hold(actor=viewer(p.manager),
                                                conversation=conversation, report="Fine")

    assert "record it on the plan's follow-up" in refused.value.message
    conversation.refresh_from_db()
    first.refresh_from_db()
    assert (conversation.status, first.held_on) == (ConversationStatus.SCHEDULED, None)
