"""A notification that asks for a task: at most one per person and task, resolved by the
service that does the task (in its transaction), no longer new once resolved, and
speaking to its recipient as "you" when it is about them."""

import pytest
from django.db import transaction
from django.utils import translation

from koers.notify import selectors, services
from koers.notify.kinds import render
from koers.notify.models import Notification
from koers.notify.services import NewNotification
from tests import personas

pytestmark = pytest.mark.django_db

PARAMS = {"employee": "Marc Vandamme", "signer": "Ratana Than", "due": "2026-05-01"}
TASK = "development_plan:7:sign"


@pytest.fixture
def p():
    return personas.build()


def _ask(user, key, *, task=TASK, kind="development.signature_awaited", about_id=None):
    return services.notify(recipient=user, key=key, kind=kind, params=PARAMS,
                           url="/development/plans/7/", task=task, about_id=about_id)


def test_a_second_message_about_the_same_task_renews_the_one_notification(p):
    assert _ask(p.manager.user, "first")
    first = Notification.objects.get()
    services.notification_mark_read(notification=first)

    assert _ask(p.manager.user, "second", kind="development.follow_up_overdue")
    assert not _ask(p.manager.user, "second")  # the same key again: nothing

    (only,) = Notification.objects.filter(recipient=p.manager.user)
    assert (only.pk, only.key, only.kind, only.read_at) == (
        first.pk, "second", "development.follow_up_overdue", None)
    assert selectors.unread_count(p.manager.user) == 1


def test_the_same_task_for_two_people_is_one_notification_each(p):
    _ask(p.manager.user, "to manager")
    _ask(p.employee.user, "to employee")
    _ask(p.employee.user, "to employee again")

    assert sorted(Notification.objects.values_list("recipient_id", "key")) == sorted([
        (p.manager.user.pk, "to manager"), (p.employee.user.pk, "to employee again")])


def test_many_at_once_keep_one_per_person_and_task(p):
    _ask(p.manager.user, "earlier")
    created = services.notify_many([
        NewNotification(recipient_id=p.manager.user.pk, key=f"batch {n}",
                        kind="development.follow_up_due_soon",
                        params={**PARAMS, "due": "2026-05-01", "days": n}, url="/x/",
                        task=TASK)
        for n in (7, 3)
    ] + [NewNotification(recipient_id=p.manager.user.pk, key="informs", kind="retired",
                         params={}, url="/y/")])

    assert created == 2  # the task's notification renewed once, one that only informs
    assert sorted(Notification.objects.values_list("key", "task")) == [
        ("batch 3", TASK), ("informs", "")]


def test_resolving_a_task_resolves_it_for_everyone_and_nothing_else(p):
    _ask(p.manager.user, "a")
    _ask(p.employee.user, "b")
    _ask(p.employee.user, "c", task="development_plan:7:follow_up")
    _ask(p.employee.user, "d", task="development_plan:70:sign")

    assert services.notifications_resolve(task=TASK) == 2

    open_keys = set(Notification.objects.filter(resolved_at__isnull=True)
                    .values_list("key", flat=True))
    assert open_keys == {"c", "d"}
    assert selectors.unread_count(p.employee.user) == 2
    assert selectors.unread_count(p.manager.user) == 0


def test_resolving_for_one_recipient_or_every_task_of_a_record(p):
    _ask(p.manager.user, "a")
    _ask(p.employee.user, "b")
    _ask(p.employee.user, "c", task="development_plan:7:follow_up")
    _ask(p.employee.user, "d", task="development_plan:70:sign")

    assert services.notifications_resolve(task=TASK, recipient_id=p.employee.user.pk) == 1
    assert services.notifications_resolve(task="development_plan:7:") == 2  # a and c

    assert list(Notification.objects.filter(resolved_at__isnull=True)
                .values_list("key", flat=True)) == ["d"]


def test_a_resolution_rolled_back_with_its_change_leaves_the_notification_open(p):
    _ask(p.employee.user, "a")

    def step_that_fails():
        with transaction.atomic():
            services.notifications_resolve(task=TASK)
            raise RuntimeError("the step failed")

    with pytest.raises(RuntimeError):
        step_that_fails()

    assert Notification.objects.get().resolved_at is None


def test_a_renewed_task_is_open_again(p):
    _ask(p.employee.user, "round 1")
    services.notifications_resolve(task=TASK)
    _ask(p.employee.user, "round 2")

    notification = Notification.objects.get()
    assert (notification.key, notification.resolved_at) == ("round 2", None)


def test_about_the_recipient_the_text_says_you_in_dutch_and_english(p):
    _ask(p.employee.user, "own", about_id=p.employee.user.pk)
    _ask(p.manager.user, "other", about_id=p.employee.user.pk)
    own = Notification.objects.get(key="own")
    other = Notification.objects.get(key="other")

    with translation.override("en"):
        assert render(own.kind, own.params).subject == (
            "Your development plan awaits your signature")
        assert render(other.kind, other.params).subject == (
            "The development plan of Marc Vandamme awaits your signature")
        assert "Marc" not in render(own.kind, own.params).body
    with translation.override("nl"):
        subject = render(own.kind, own.params).subject
        assert subject == "Je ontwikkelingsplan wacht op je handtekening"
        assert "Marc" not in subject
        assert "Marc Vandamme" in render(other.kind, other.params).subject


def test_a_renewed_notification_is_e_mailed_again(p, mailoutbox):
    _ask(p.manager.user, "due soon", kind="development.follow_up_due_today")
    services.deliver_emails()
    _ask(p.manager.user, "overdue", kind="development.follow_up_overdue")
    services.deliver_emails()

    assert [m.subject for m in mailoutbox] == [
        "[Koers] Opvolging van het ontwikkelingsplan van Marc Vandamme: vandaag",
        "[Koers] Te laat: opvolging van het ontwikkelingsplan van Marc Vandamme"]
    assert Notification.objects.get().email_sent_at is not None
