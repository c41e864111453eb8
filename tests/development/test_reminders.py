"""Reminders of a plan's next follow-up: on the policy's days, exactly once."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import translation

from koers.core import clock
from koers.development.reminders import send_follow_up_reminders
from koers.development.services import plans
from koers.notify.kinds import render
from koers.notify.models import Notification
from tests import personas
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 4, 22, 10, tzinfo=dt.UTC)
DUE = dt.date(2026, 10, 22)


@pytest.fixture
def signed():
    with clock.frozen(NOON):
        p = personas.build()
        plan = dev.signed(p.employee, p.manager)
    assert plan.follow_up_due == DUE
    # Signing asked the other side to sign, a notification of its own: these tests count
    # the reminders.
    Notification.objects.filter(kind="development.signature_awaited").delete()
    return p, plan


def _run(day, organisation):
    return send_follow_up_reminders(today_by_org={organisation.pk: day})


@pytest.mark.parametrize(("days_before", "kind"), [
    (14, "development.follow_up_due_soon"), (3, "development.follow_up_due_soon"),
    (0, "development.follow_up_due_today"), (-1, "development.follow_up_overdue"),
])
def test_the_employee_and_the_first_evaluator_are_reminded(signed, days_before, kind):
    p, plan = signed
    run = _run(DUE - dt.timedelta(days=days_before), plan.organisation)
    assert (run.plans, run.notifications) == (1, 2)
    assert set(Notification.objects.values_list("recipient", "kind")) == {
        (p.employee.user.pk, kind), (p.manager.user.pk, kind)}


def test_other_days_remind_nobody_and_a_second_run_adds_nothing(signed):
    _p, plan = signed
    assert _run(DUE - dt.timedelta(days=5), plan.organisation).notifications == 0
    assert _run(DUE, plan.organisation).notifications == 2
    assert _run(DUE, plan.organisation).notifications == 0


def test_a_plan_being_followed_up_is_not_reminded(signed):
    p, plan = signed
    with clock.frozen(dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC)):
        plans.plan_round_start(actor=viewer(p.manager), plan=plan)
    assert _run(DUE, plan.organisation).plans == 0


def test_the_reminder_reads_in_the_readers_language(signed):
    p, plan = signed
    _run(DUE - dt.timedelta(days=14), plan.organisation)
    notification = Notification.objects.filter(recipient=p.employee.user).get()
    with translation.override("en"):
        text = render(notification.kind, notification.params)
    assert text.subject == "Follow-up of your development plan: due in 14 days"
    assert "22 October 2026" in text.body
    evaluator = Notification.objects.filter(recipient=p.manager.user).get()
    with translation.override("en"):
        text = render(evaluator.kind, evaluator.params)
    assert text.subject == ("Follow-up of the development plan of Marc Vandamme: due in "
                            "14 days")


def test_reminders_of_the_same_follow_up_renew_one_notification_each_and_end_with_it(signed):
    p, plan = signed
    _run(DUE - dt.timedelta(days=14), plan.organisation)
    assert _run(DUE, plan.organisation).notifications == 2  # renewed, not added
    assert Notification.objects.filter(resolved_at__isnull=True).count() == 2
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        "development.follow_up_due_today"}

    with clock.frozen(dt.datetime(2026, 10, 23, 10, tzinfo=dt.UTC)):
        plans.plan_round_start(actor=viewer(p.manager), plan=plan)

    assert Notification.objects.filter(resolved_at__isnull=True).count() == 0


def test_the_command_runs_todays_reminders(signed):
    _p, _plan = signed
    out = io.StringIO()
    with clock.frozen(dt.datetime(2026, 10, 22, 10, tzinfo=dt.UTC)):
        call_command("pop-reminders", stdout=out)
    assert "plans 1, new notifications 2" in out.getvalue()


def test_the_scheduler_runs_them_once_a_day_and_mails_them(signed, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    p, _plan = signed
    out = io.StringIO()
    with clock.frozen(dt.datetime(2026, 10, 22, 10, tzinfo=dt.UTC)):
        call_command("scheduler", "--rounds", "3", "--every", "0.0001", stdout=out)

    assert out.getvalue().count(
        "enqueued worker heartbeat, reminders, dashboard counts of large cycles, "
        "expired renderings and e-mail delivery") == 3
    reminded = Notification.objects.filter(kind="development.follow_up_due_today")
    assert set(reminded.values_list("recipient", flat=True)) == {
        p.employee.user.pk, p.manager.user.pk}
    assert all(n.email_sent_at is not None for n in reminded)
