"""The outbox: every e-mail Koers sends is written here first and delivered by a worker.

Never lost: ``enqueue`` writes the e-mail in the transaction of the change that causes
it (a scheduled conversation and its invitation commit together, or neither does), and
nothing is sent inside a request, so a mail relay that is down never fails one.

Never duplicated in the reader's mailbox: ``deliver_outbox`` sends at least once. A
worker takes an e-mail by moving its ``next_attempt_at`` a lease ahead (committed, with
``SELECT … FOR UPDATE SKIP LOCKED`` so two workers never take the same one), sends it
and records it as sent. A worker that dies in between leaves the e-mail to be taken
again when the lease ends, and that second copy carries the same ``Message-ID``, which
mail clients use to show a message once.

Retries: a failed e-mail is tried again after 1, 2, 4, … minutes, at most six hours
apart, at the next run of the delivery after that time; after ``MAX_ATTEMPTS`` (about
two days) it is given up. HR sees what is not delivered (``access.mail``). When the
relay cannot be reached at all, a run stops at the first such failure: the rest waits
for the next run without being charged an attempt.
"""

import datetime as dt
import logging
import smtplib
import uuid
from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailAlternative, EmailMessage, EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Q, QuerySet

from koers.core import clock
from koers.core.models import User
from koers.notify.models import EmailKind, OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 16
LEASE = dt.timedelta(minutes=10)  # longer than a send can take (the SMTP timeout is 30 s)
LONGEST_WAIT = dt.timedelta(hours=6)
# Sent e-mails are kept this long to answer "did it go out?", then deleted: they hold
# addresses and names. Given-up ones stay for HR this long after they were written.
KEEP_SENT = dt.timedelta(days=14)
KEEP_UNDELIVERED = dt.timedelta(days=90)
# Failures of one message (its recipient or content refused); any other error means the
# relay itself is failing, and the run stops.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                  smtplib.SMTPDataError, smtplib.SMTPNotSupportedError)


def _message_id() -> str:
    """A globally unique id in the site's own domain."""
    domain = urlsplit(settings.SITE_URL).hostname or "koers.invalid"
    return make_msgid(domain=domain)


def enqueue(message: EmailMessage, *, key: str, kind: EmailKind,
            recipient: User | None = None, organisation_id: int | None = None,
            deliver_soon: bool = True) -> OutgoingEmail:
    """Write ``message`` to the outbox, in the caller's transaction; a worker sends it.

    ``key`` names what the e-mail is about: a second call with the same key returns the
    e-mail already written. After the commit the delivery task is asked to run, so the
    e-mail leaves within moments when a worker is free (the scheduler's rounds retry);
    ``deliver_soon=False`` for a caller that delivers the outbox itself right after.
    """
    if message.attachments:
        raise ValueError("the outbox stores text and alternative parts, not attachments")
    alternatives = [[str(part.content), part.mimetype]
                    for part in getattr(message, "alternatives", [])]
    now = clock.now()
    email, created = OutgoingEmail.objects.get_or_create(key=key, defaults={
        "message_id": _message_id(), "kind": kind, "recipient": recipient,
        "organisation_id": organisation_id,
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to), "subject": str(message.subject), "body": str(message.body),
        "alternatives": alternatives, "headers": dict(message.extra_headers),
        "created_at": now, "next_attempt_at": now,
    })
    if created and deliver_soon:
        transaction.on_commit(request_delivery, robust=True)
    return email


def enqueue_account_mail(message: EmailMessage, *, address: str) -> OutgoingEmail:
    """An e-mail about a login (a password reset, a security notice) to ``address``."""
    return enqueue(message, key=f"account:{uuid.uuid4()}", kind=EmailKind.ACCOUNT,
                   recipient=User.objects.filter(email=address.lower()).first())


def request_delivery() -> None:
    """Ask a worker to deliver now, rather than at the scheduler's next round."""
    from koers.notify.tasks import deliver_emails_task  # here: the tasks module imports this one

    deliver_emails_task.enqueue()


def as_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The e-mail as Django sends it, with its own ``Message-ID`` every time."""
    return EmailMultiAlternatives(
        subject=email.subject, body=email.body, from_email=email.from_email, to=email.to,
        headers={**email.headers, "Message-ID": email.message_id},
        alternatives=[EmailAlternative(content, mimetype)
                      for content, mimetype in email.alternatives],
    )


def wait_after(attempts: int) -> dt.timedelta:
    """The back-off after the ``attempts``-th failure: 1, 2, 4, … minutes, at most 6 h."""
    return min(dt.timedelta(minutes=2 ** min(attempts - 1, 16)), LONGEST_WAIT)


def due() -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(sent_at__isnull=True, gave_up_at__isnull=True,
                                        next_attempt_at__lte=clock.now())


def _take() -> OutgoingEmail | None:
    """Take the first due e-mail for a lease; committed before it is sent."""
    with transaction.atomic():
        email = (due().select_for_update(skip_locked=True)
                 .order_by("next_attempt_at", "pk").first())
        if email is None:
            return None
        email.attempts += 1
        email.next_attempt_at = clock.now() + LEASE
        email.save(update_fields=["attempts", "next_attempt_at"])
    return email


def _sent(email: OutgoingEmail) -> None:
    now = clock.now()
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk).update(sent_at=now, last_error="")
        email.notifications.update(email_sent_at=now)


def _failed(email: OutgoingEmail, error: Exception) -> None:
    now = clock.now()
    text = f"{type(error).__name__}: {error}"[:500]
    if email.attempts >= MAX_ATTEMPTS:
        OutgoingEmail.objects.filter(pk=email.pk).update(last_error=text, gave_up_at=now)
        # The log names the error's kind only: its text may hold the address (HR sees it).
        logger.error("e-mail %s given up after %s attempts: %s", email.pk, email.attempts,
                     type(error).__name__)
        return
    OutgoingEmail.objects.filter(pk=email.pk).update(
        last_error=text, next_attempt_at=now + wait_after(email.attempts))
    logger.warning("e-mail %s failed (attempt %s), tried again later: %s",
                   email.pk, email.attempts, type(error).__name__)


@dataclass
class OutboxRun:
    sent: int = 0
    failed: int = 0  # attempts that failed; those e-mails are tried again later
    relay_down: bool = False  # the run stopped at a failure of the relay itself


def deliver_outbox(*, max_emails: int | None = None) -> OutboxRun:
    """Send the due e-mails, each at least once; three queries per e-mail.

    Safe on several workers at once: each takes its own e-mails.
    """
    run = OutboxRun()
    connection = mailers.default
    try:
        while max_emails is None or run.sent + run.failed < max_emails:
            email = _take()
            if email is None:
                break
            try:
                connection.send_messages([as_message(email)])
            except Exception as error:  # every failure is recorded and retried
                _failed(email, error)
                run.failed += 1
                if not isinstance(error, MESSAGE_ERRORS):
                    run.relay_down = True
                    break
            else:
                _sent(email)
                run.sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # closing a connection that broke: nothing left to do
            logger.debug("closing the mail connection failed", exc_info=True)
    _prune()
    return run


def _prune() -> None:
    now = clock.now()
    OutgoingEmail.objects.filter(
        Q(sent_at__lt=now - KEEP_SENT)
        | Q(gave_up_at__isnull=False, created_at__lt=now - KEEP_UNDELIVERED)
    ).delete()


def undelivered_count() -> int:
    """E-mails given up on and still listed for HR (kept ``KEEP_UNDELIVERED``)."""
    return OutgoingEmail.objects.filter(sent_at__isnull=True, gave_up_at__isnull=False).count()


def backlog() -> int:
    """How many e-mails wait to be sent (due or not): the readiness check reports it."""
    return OutgoingEmail.objects.filter(sent_at__isnull=True, gave_up_at__isnull=True).count()
