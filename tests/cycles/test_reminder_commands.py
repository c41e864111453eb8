"""`koers reminders` runs once; `koers scheduler` hands the same work to the task workers."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from koers.core import clock
from koers.cycles.reminders import send_reminders_task
from koers.notify.models import Notification
from koers.notify.tasks import deliver_emails_task
from koers.rulebook.deadlines import Due
from tests import personas
from tests.factories import participations

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 6, 15)
MORNING = dt.datetime(2026, 6, 15, 7, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture
def p():
    p = personas.build()
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(cycle, p.employee, only=Due.SELF_EVALUATION, due=DUE)
    return p


def test_the_reminders_command_reminds_and_emails_once(p):
    out = StringIO()
    with clock.frozen(MORNING):
        call_command("reminders", stdout=out)
        call_command("reminders", stdout=out)
    assert Notification.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[p.employee.email]]
    assert "new notifications 1" in out.getvalue()
    assert "new notifications 0" in out.getvalue()


def test_the_tasks_wrap_the_same_services(p):
    with clock.frozen(MORNING):
        assert send_reminders_task.call()["notifications"] == 1
        assert deliver_emails_task.call()["emails"] == 1


def test_the_scheduler_enqueues_both_tasks_each_round(p, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    out = StringIO()
    with clock.frozen(MORNING):
        call_command("scheduler", "--rounds", "2", "--every", "0.001", stdout=out)
    assert out.getvalue().count(
        "enqueued worker heartbeat, reminders, dashboard counts of large cycles, "
        "expired renderings and e-mail delivery") == 2
    assert Notification.objects.get().email_sent_at is not None
    assert len(mail.outbox) == 1
