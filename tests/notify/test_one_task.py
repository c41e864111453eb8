"""One task, one notification: the 2nd evaluator told that the report waits for their
signature (``evaluations.notifications``) and reminded of the cycle's due date for it
(``cycles.reminders``) has one notification about it, resolved when they sign."""

import pytest

from koers.cycles.milestones import STEP_BY_DUE
from koers.cycles.reminders import send_reminders
from koers.evaluations import notifications, services
from koers.notify.models import Notification
from koers.rulebook.deadlines import Due
from tests import personas
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db


def _signature_notifications(person):
    return list(Notification.objects.filter(
        recipient_id=person.user_id,
        kind__in=[notifications.READY_FOR_SECOND, "cycles.due_soon", "cycles.due_today",
                  "cycles.overdue"]))


def test_the_hand_over_and_the_reminder_of_a_signature_are_one_notification():
    cast = ev.cast(personas.build())
    evaluation = ev.reach(cast, ev.S.FIRST_SIGNED)
    (told,) = _signature_notifications(cast.second)
    assert told.kind == notifications.READY_FOR_SECOND
    cast.participation.refresh_from_db()
    due = STEP_BY_DUE[Due.SECOND_SIGNATURE].due_on(cast.participation)
    assert due is not None

    send_reminders(today_by_org={cast.employee.organisation_id: due})

    (reminded,) = _signature_notifications(cast.second)
    assert (reminded.pk, reminded.kind, reminded.resolved_at) == (
        told.pk, "cycles.due_today", None)  # the same one, renewed

    with ev.on(due):
        services.evaluation_sign(actor=ev.viewer(cast.second), evaluation=evaluation)

    reminded.refresh_from_db()
    assert reminded.resolved_at is not None
