"""Notifications are created exactly once, e-mailed at most once, in the reader's language."""

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction

from koers.core.models import User
from koers.notify import services
from koers.notify.models import Notification
from koers.notify.services import NewNotification

OVERDUE_PARAMS = {
    "person": "Marc Vandamme", "step": "self_evaluation", "due": "2027-03-15", "days": 1,
    "role": "employee", "responsible": "Marc Vandamme",
}


# Threads need their own connections to one database. The SQLite test database lives in
# shared-cache memory, where a second writer gets "table is locked" at once instead of
# waiting as it does on a database file; on PostgreSQL the threads really race.
real_concurrency = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database (run on PostgreSQL)"
)


def _user(email: str = "reader@example.test", language: str = "nl", **extra: Any) -> User:
    return User.objects.create_user(email=email, language=language, **extra)


def _notify(user: User, key: str, kind: str = "cycles.overdue") -> bool:
    return services.notify(
        recipient=user, key=key, kind=kind, params=OVERDUE_PARAMS, url="/people/1/timeline/"
    )


def _in_parallel(work: Callable[[], Any], times: int = 2) -> list[Any]:
    """Run ``work`` in ``times`` threads that start together; each has its own connection."""
    barrier = threading.Barrier(times)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


# Exactly once ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_notify_with_the_same_key_does_nothing():
    user = _user()
    assert _notify(user, "reminder:1") is True
    assert _notify(user, "reminder:1") is False
    assert Notification.objects.filter(key="reminder:1").count() == 1


@real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_notify_calls_with_the_same_key_create_one_notification():
    user = _user()
    results = _in_parallel(lambda: _notify(user, "reminder:race"))
    assert sorted(results) == [False, True]
    assert Notification.objects.filter(key="reminder:race").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_notification_with_the_same_key():
    user = _user()
    _notify(user, "unique")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=user, key="unique", kind="cycles.overdue", url="/",
            created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )


@pytest.mark.django_db
def test_notify_many_skips_existing_keys_and_duplicates_in_the_batch():
    user = _user()
    _notify(user, "a")

    def new(key: str) -> NewNotification:
        return NewNotification(user.pk, key, "cycles.overdue", OVERDUE_PARAMS, "/")

    created = services.notify_many([new("a"), new("b"), new("b"), new("c")], batch_size=2)
    assert created == 2
    assert sorted(Notification.objects.values_list("key", flat=True)) == ["a", "b", "c"]


@real_concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_notify_many_with_overlapping_keys_stores_each_key_once():
    user = _user()
    batch = [
        NewNotification(user.pk, f"k{i}", "cycles.overdue", OVERDUE_PARAMS, "/")
        for i in range(50)
    ]
    _in_parallel(lambda: services.notify_many(batch, batch_size=7), times=3)
    assert Notification.objects.count() == 50


# At most once ---------------------------------------------------------------------


@pytest.mark.django_db
def test_each_notification_is_emailed_once_with_one_email_per_recipient():
    ann, bob = _user("ann@example.test"), _user("bob@example.test")
    for key in ("a1", "a2", "a3"):
        _notify(ann, key)
    _notify(bob, "b1")
    delivery = services.deliver_emails()
    assert (delivery.emails, delivery.notifications) == (2, 4)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ann@example.test", "bob@example.test"]
    assert services.deliver_emails().emails == 0
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(email_sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_worker_skips_what_another_worker_has_claimed():
    ann, bob = _user("ann@example.test"), _user("bob@example.test")
    _notify(ann, "a1")
    _notify(bob, "b1")
    recipient_id, claimed_by_first_worker = services._claim_next()
    assert (recipient_id, claimed_by_first_worker) == (
        ann.pk, [Notification.objects.get(key="a1").pk])
    delivery = services.deliver_emails()  # the second worker
    assert (delivery.notifications, [m.to[0] for m in mail.outbox]) == (1, ["bob@example.test"])


@pytest.mark.django_db
def test_a_notification_claimed_before_a_crash_is_never_emailed():
    user = _user()
    _notify(user, "claimed")
    # A worker claimed it and died before sending: sending it now could be a duplicate.
    Notification.objects.update(email_claimed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert services.deliver_emails().emails == 0
    assert mail.outbox == []


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail relay is down")


@pytest.mark.django_db
def test_a_failed_email_is_not_retried_and_stays_in_the_app(settings):
    user = _user()
    _notify(user, "fails")
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    delivery = services.deliver_emails()
    assert (delivery.emails, len(delivery.failed)) == (0, 1)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert services.deliver_emails().emails == 0
    notification = Notification.objects.get()
    assert (notification.email_claimed_at is not None, notification.email_sent_at) == (
        True, None)


@real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_never_send_a_notification_twice():
    users = [_user(f"u{i}@example.test") for i in range(6)]
    for user in users:
        for n in range(3):
            _notify(user, f"{user.pk}:{n}")
    results = _in_parallel(services.deliver_emails)
    assert sum(r.notifications for r in results) == 18
    emailed = [message.to[0] for message in mail.outbox]
    assert len(emailed) == sum(r.emails for r in results)
    assert Notification.objects.filter(email_sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_inactive_users_get_no_email():
    user = _user(is_active=False)
    _notify(user, "inactive")
    assert services.deliver_emails().skipped == 1
    assert mail.outbox == []


# The recipient's language ---------------------------------------------------------


@pytest.mark.django_db
def test_each_recipient_reads_the_email_in_their_own_language():
    dutch = _user("nl@example.test", language="nl", first_name="Ratana")
    english = _user("en@example.test", language="en", first_name="Ann")
    _notify(dutch, "nl")
    _notify(english, "en")
    services.deliver_emails()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient["nl@example.test"].subject == (
        "[Koers] Te laat: Zelfevaluatie voor Marc Vandamme")
    assert by_recipient["en@example.test"].subject == (
        "[Koers] Overdue: Self-evaluation for Marc Vandamme")
    assert "15 maart 2027" in by_recipient["nl@example.test"].body
    assert "15 March 2027" in by_recipient["en@example.test"].body
    assert by_recipient["en@example.test"].body.startswith("Hello Ann,")


@pytest.mark.django_db
def test_the_email_holds_a_link_to_the_page_and_no_content(settings):
    settings.SITE_URL = "https://koers.example.be"
    user = _user(language="en")
    _notify(user, "link")
    services.deliver_emails()
    body = mail.outbox[0].body
    assert "https://koers.example.be/people/1/timeline/" in body
    assert "https://koers.example.be/notifications/" in body


@pytest.mark.django_db
def test_several_notifications_become_one_digest_in_the_recipients_language():
    user = _user(language="en")
    _notify(user, "one")
    _notify(user, "two", kind="cycles.due_today")
    services.deliver_emails()
    (message,) = mail.outbox
    assert message.subject == "[Koers] 2 new notifications in Koers"
    assert "- Overdue: Self-evaluation for Marc Vandamme" in message.body
    assert "- Self-evaluation for Marc Vandamme: due today" in message.body


@pytest.mark.django_db
def test_a_long_digest_lists_the_first_lines_and_counts_the_rest():
    user = _user(language="en")
    for n in range(services.DIGEST_LINES + 5):
        _notify(user, f"many {n}")
    assert services.deliver_emails().notifications == services.DIGEST_LINES + 5
    (message,) = mail.outbox
    assert message.subject == f"[Koers] {services.DIGEST_LINES + 5} new notifications in Koers"
    assert message.body.count("- Overdue: ") == services.DIGEST_LINES
    assert "… and 5 more." in message.body


@pytest.mark.django_db
def test_an_unknown_kind_still_gives_a_readable_line():
    user = _user(language="en")
    _notify(user, "old", kind="retired.kind")
    services.deliver_emails()
    assert mail.outbox[0].subject == "[Koers] You have a new notification in Koers."
