"""The approver hears of a new request, HR of the decision, the employee of a grant."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from koers.access import services
from koers.access.models import Scope
from koers.core import clock
from koers.notify.kinds import render
from koers.notify.models import Notification
from koers.notify.services import deliver_emails
from tests import personas
from tests.factories import goals as goal_factories

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
REASON = "Klacht onderzoeken"


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def _request(p: personas.Personas, capture) -> object:
    hr = goal_factories.viewer(p.hr)  # under the caller's frozen clock
    with capture(execute=True):
        return services.access_request_create(
            actor=hr, subject=p.employee, scope=Scope.GOALS, reason=REASON,
            valid_from=dt.date(2026, 3, 2), valid_until=dt.date(2026, 3, 31))


def _inbox(person) -> list[tuple[str, str]]:
    with translation.override("en"):
        return [(n.kind, render(n.kind, n.params).subject)
                for n in Notification.objects.filter(recipient=person.user).order_by("pk")]


def test_a_new_request_tells_the_second_evaluator_without_the_reason(
        p, django_capture_on_commit_callbacks):
    with clock.frozen(NOON):
        _request(p, django_capture_on_commit_callbacks)

    second = p.department.manager
    assert _inbox(second) == [
        ("access.requested", "Els Deckers asks to read the goals of Marc Vandamme")]
    notification = Notification.objects.get(recipient=second.user)
    assert notification.url == "/access/requests/"
    assert REASON not in str(notification.params)
    assert _inbox(p.employee) == []


def test_a_grant_tells_hr_and_the_employee(p, django_capture_on_commit_callbacks):
    with clock.frozen(NOON):
        request = _request(p, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.access_request_decide(actor=goal_factories.viewer(p.department.manager),
                                           request=request, grant=True)

    assert _inbox(p.hr) == [("access.granted", "Granted: reading the goals of Marc Vandamme")]
    assert _inbox(p.employee) == [
        ("access.granted_to_employee", "HR may read your goals until 31 March 2026")]
    assert Notification.objects.get(recipient=p.employee.user).url == "/access/reads/"


def test_a_refusal_tells_hr_only(p, django_capture_on_commit_callbacks):
    with clock.frozen(NOON):
        request = _request(p, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.access_request_decide(actor=goal_factories.viewer(p.department.manager),
                                           request=request, grant=False)

    assert _inbox(p.hr) == [("access.refused", "Refused: reading the goals of Marc Vandamme")]
    assert _inbox(p.employee) == []


def test_the_notifications_go_out_by_e_mail_in_the_readers_language(
        p, django_capture_on_commit_callbacks):
    with clock.frozen(NOON):
        request = _request(p, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.access_request_decide(actor=goal_factories.viewer(p.department.manager),
                                           request=request, grant=True)
        deliver_emails()

    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == sorted([
        "[Koers] Els Deckers vraagt de doelstellingen van Marc Vandamme in te zien",
        "[Koers] Toegestaan: de doelstellingen van Marc Vandamme inzien",
        "[Koers] HR mag je doelstellingen inzien tot 31 maart 2026",
    ])
    assert all(REASON not in message.body for message in mail.outbox)


def test_the_notification_commits_with_the_request_or_not_at_all(p):
    def a_request_that_fails_after_the_service() -> None:
        with clock.frozen(NOON), transaction.atomic():
            services.access_request_create(
                actor=goal_factories.viewer(p.hr), subject=p.employee, scope=Scope.GOALS,
                reason=REASON, valid_from=dt.date(2026, 3, 2), valid_until=dt.date(2026, 3, 31))
            assert Notification.objects.count() == 1
            raise RuntimeError("the request fails after the service")

    with pytest.raises(RuntimeError):
        a_request_that_fails_after_the_service()
    assert Notification.objects.count() == 0
