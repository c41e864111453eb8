"""Notifications are created exactly once and e-mailed through the outbox, at least once
with a stable Message-ID, in the reader's language."""

import datetime as dt
import smtplib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction

from koers.core import clock
from koers.core.models import User
from koers.notify import outbox, services
from koers.notify.models import EmailKind, Notification, OutgoingEmail
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


# E-mail through the outbox ----------------------------------------------------------


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
def test_a_worker_skips_what_another_worker_has_put_in_the_outbox():
    ann, bob = _user("ann@example.test"), _user("bob@example.test")
    _notify(ann, "a1")
    _notify(bob, "b1")
    assert services._compose_next() == (1, 0)  # the first worker took Ann's
    delivery = services.deliver_emails()  # the second worker
    assert (delivery.notifications, delivery.emails) == (1, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.test", "bob@example.test"]


@pytest.mark.django_db
def test_the_claim_and_the_email_commit_together():
    user = _user()
    _notify(user, "together")
    services._compose_next()
    notification = Notification.objects.select_related("email").get()
    assert notification.email_claimed_at is not None
    assert notification.email is not None
    assert notification.email.to == ["reader@example.test"]


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail relay is down")


LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FAILING = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}


@pytest.mark.django_db
def test_a_failed_email_is_sent_after_its_back_off_once_the_relay_is_back(settings):
    user = _user()
    _notify(user, "fails")
    start = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    settings.MAILERS = FAILING
    with clock.frozen(start):
        delivery = services.deliver_emails()
    assert (delivery.emails, delivery.failed) == (0, 1)
    email = OutgoingEmail.objects.get()
    assert (email.attempts, email.next_attempt_at, email.last_error) == (
        1, start + dt.timedelta(minutes=1),
        "ConnectionRefusedError: the mail relay is down")
    settings.MAILERS = LOCMEM
    with clock.frozen(start + dt.timedelta(seconds=30)):  # not yet: it backs off
        assert services.deliver_emails().emails == 0
    with clock.frozen(start + dt.timedelta(minutes=1)):
        assert services.deliver_emails().emails == 1
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [email.message_id]
    notification = Notification.objects.get()
    assert notification.email_sent_at == start + dt.timedelta(minutes=1)


def test_the_back_off_doubles_up_to_six_hours():
    waits = [outbox.wait_after(n) for n in range(1, outbox.MAX_ATTEMPTS + 1)]
    assert waits[:4] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == dt.timedelta(hours=6)
    # Given up after about two days of trying.
    assert dt.timedelta(days=1) < sum(waits[:-1], dt.timedelta()) < dt.timedelta(days=3)


@pytest.mark.django_db
def test_an_email_that_keeps_failing_is_given_up_after_the_last_attempt(settings):
    user = _user()
    _notify(user, "never")
    settings.MAILERS = FAILING
    moment = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    for _attempt in range(outbox.MAX_ATTEMPTS):
        with clock.frozen(moment):
            services.deliver_emails()
        moment = OutgoingEmail.objects.get().next_attempt_at
    email = OutgoingEmail.objects.get()
    assert (email.attempts, email.gave_up_at is not None, email.sent_at) == (
        outbox.MAX_ATTEMPTS, True, None)
    settings.MAILERS = LOCMEM
    with clock.frozen(moment + dt.timedelta(days=1)):
        assert services.deliver_emails().emails == 0


@pytest.mark.django_db
def test_a_relay_that_is_down_stops_the_run_without_charging_the_other_emails(settings):
    for address in ("ann@example.test", "bob@example.test"):
        _notify(_user(address), address)
    settings.MAILERS = FAILING
    assert services.deliver_emails().failed == 1
    assert sorted(OutgoingEmail.objects.values_list("attempts", flat=True)) == [0, 1]


class RefusingBackend(BaseEmailBackend):
    """Refuses one address, takes the others (into the test outbox)."""

    def send_messages(self, email_messages: Any) -> int:
        for message in email_messages:
            if message.to == ["gone@example.test"]:
                raise smtplib.SMTPRecipientsRefused({"gone@example.test": (550, b"No such user")})
            mail.outbox.append(message)
        return len(email_messages)


@pytest.mark.django_db
def test_a_refused_recipient_does_not_hold_up_the_others(settings):
    for address in ("gone@example.test", "bob@example.test"):
        _notify(_user(address), address)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    delivery = services.deliver_emails()
    assert (delivery.emails, delivery.failed) == (1, 1)
    assert [m.to for m in mail.outbox] == [["bob@example.test"]]


@pytest.mark.django_db
def test_an_email_taken_by_a_worker_that_died_is_sent_again_after_its_lease_with_its_id():
    user = _user()
    _notify(user, "taken")
    start = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    with clock.frozen(start):
        services._compose_next()
        taken = outbox._take()  # the worker dies here, before or after sending
    assert taken is not None
    with clock.frozen(start + outbox.LEASE - dt.timedelta(seconds=1)):
        assert services.deliver_emails().emails == 0  # still leased
    with clock.frozen(start + outbox.LEASE):
        assert services.deliver_emails().emails == 1
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == taken.message_id
    assert message.message()["Message-ID"] == taken.message_id


@pytest.mark.django_db
def test_writing_an_email_with_a_key_that_exists_returns_the_one_written():
    first = outbox.enqueue(EmailMessage("Hi", "text", to=["a@example.test"]), key="k",
                           kind=EmailKind.ACCOUNT)
    again = outbox.enqueue(EmailMessage("Hi", "text", to=["a@example.test"]), key="k",
                           kind=EmailKind.ACCOUNT)
    assert (again.pk, OutgoingEmail.objects.count()) == (first.pk, 1)


@pytest.mark.django_db
def test_sent_emails_are_deleted_after_two_weeks():
    start = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    with clock.frozen(start):
        outbox.enqueue(EmailMessage("Hi", "text", to=["a@example.test"]), key="old",
                       kind=EmailKind.ACCOUNT)
        outbox.deliver_outbox()
    with clock.frozen(start + outbox.KEEP_SENT):
        outbox.deliver_outbox()
        assert OutgoingEmail.objects.count() == 1
    with clock.frozen(start + outbox.KEEP_SENT + dt.timedelta(seconds=1)):
        outbox.deliver_outbox()
        assert OutgoingEmail.objects.count() == 0


@real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_never_send_a_notification_twice():
    users = [_user(f"u{i}@example.test") for i in range(6)]
    for user in users:
        for n in range(3):
            _notify(user, f"{user.pk}:{n}")
    results = _in_parallel(services.deliver_emails)
    assert sum(r.notifications for r in results) == 18
    # Each notification is in one e-mail; two workers may each take part of one
    # recipient's notifications (two e-mails then), never the same one.
    emailed = [message.to[0] for message in mail.outbox]
    assert set(emailed) == {user.email for user in users}
    assert len(emailed) == sum(r.emails for r in results) == OutgoingEmail.objects.count()
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
