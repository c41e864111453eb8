"""Creating notifications exactly once, e-mailing them through the outbox, marking them read.

Exactly once: every notification has a unique ``key`` that names what it is about;
creating one whose key exists does nothing, enforced by the database, so a restarted
job or a second worker running the same job never notifies twice. Create them in the
transaction of the change they tell about: they commit with it or not at all.

E-mail: ``deliver_emails`` claims a recipient's notifications and writes their e-mail
to the outbox in one transaction (``SELECT … FOR UPDATE SKIP LOCKED``, so workers
running in parallel never claim the same rows), then the outbox delivers it at least
once, with retries and a stable ``Message-ID`` (``notify.outbox``).

Tasks: a notification that asks its recipient to act names the task (``task``); a later
one about the same task for the same person replaces it (no task announced twice), and
the service that completes the task resolves it in its transaction
(``notifications_resolve``). ``about_id`` is the user the notification speaks of: when that
is the recipient, the text addresses them in the second person (``notify.kinds``).
"""

import datetime as dt
import logging
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from itertools import batched
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core import clock, languages
from koers.core.models import User
from koers.notify import outbox
from koers.notify.kinds import OWN, Rendered, render
from koers.notify.models import EmailKind, Notification

logger = logging.getLogger(__name__)

# One e-mail carries at most this many notifications (ids in one statement stay far
# below PostgreSQL's 65,535 parameters); a recipient with more gets several e-mails.
MAX_PER_EMAIL = 5000
# An e-mail with several notifications lists this many; the notifications page has all.
DIGEST_LINES = 20


@dataclass(frozen=True)
class NewNotification:
    recipient_id: int
    key: str
    kind: str
    params: Mapping[str, Any]
    url: str
    task: str = ""  # the task it asks for ("improvement_plan:4:sign"), empty if none
    about_id: int | None = None  # the user it speaks of: the recipient → "you"


def _params(params: Mapping[str, Any], *, recipient_id: int, about_id: int | None
            ) -> dict[str, Any]:
    values = dict(params)
    if about_id is not None and about_id == recipient_id:
        values[OWN] = True
    return values


def _renew(notification: Notification, new: NewNotification, *, now: dt.datetime) -> None:
    """A later message about the same task takes the place of the earlier one: new again,
    unresolved, and e-mailed again (the reminder of an overdue step is worth a mail)."""
    notification.key, notification.kind, notification.url = new.key, new.kind, new.url
    notification.params = _params(new.params, recipient_id=new.recipient_id,
                                  about_id=new.about_id)
    notification.created_at = now
    notification.read_at = notification.resolved_at = None
    notification.email_claimed_at = notification.email_sent_at = None
    notification.email = None


_RENEWED = ["key", "kind", "url", "params", "created_at", "read_at", "resolved_at",
            "email_claimed_at", "email_sent_at", "email"]


def notify(
    *, recipient: User, key: str, kind: str, params: Mapping[str, Any], url: str,
    task: str = "", about_id: int | None = None,
) -> bool:
    """Create a notification unless one with ``key`` exists; True if this call created it.

    With a ``task``, a notification the recipient already has about that task is renewed
    instead (at most one per person and task). Safe against concurrent callers: the
    unique key decides, and the loser gets False. After the commit a worker is asked to
    e-mail it.
    """
    new = NewNotification(recipient_id=recipient.pk, key=key, kind=kind, params=params,
                          url=url, task=task, about_id=about_id)
    if Notification.objects.filter(key=key).exists():
        return False
    now = clock.now()
    if task:
        with transaction.atomic():  # the lock holds until the renewal is written
            earlier = (Notification.objects.select_for_update()
                       .filter(recipient=recipient, task=task).first())
            if earlier is not None:
                _renew(earlier, new, now=now)
                earlier.save(update_fields=_RENEWED)
        if earlier is not None:
            transaction.on_commit(outbox.request_delivery, robust=True)
            return True
    _notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "recipient": recipient, "kind": kind, "url": url, "task": task,
            "params": _params(params, recipient_id=recipient.pk, about_id=new.about_id),
            "created_at": now,
        },
    )
    if created:
        transaction.on_commit(outbox.request_delivery, robust=True)
    return created


def notify_many(notifications: Iterable[NewNotification], *, batch_size: int = 1000) -> int:
    """Create many notifications, skipping keys that exist; returns how many were new.

    A notification about a task the recipient already has a notification of renews that
    one (``notify``). At most four queries per batch. The count is exact unless another
    worker inserts the same keys at the same moment: then both may count a row the
    database stored once.
    """
    created = 0
    now = clock.now()
    for batch in batched(notifications, batch_size, strict=False):
        by_key = {n.key: n for n in batch}
        existing = set(
            Notification.objects.filter(key__in=list(by_key)).values_list("key", flat=True)
        )
        fresh: dict[tuple[int, str], NewNotification] = {}
        untasked: list[NewNotification] = []
        for key, n in by_key.items():
            if key in existing:
                continue
            if n.task:
                fresh[(n.recipient_id, n.task)] = n  # the last about a task wins
            else:
                untasked.append(n)
        renewed: list[Notification] = []
        if fresh:
            with transaction.atomic():  # the lock holds until the renewals are written
                earlier = Notification.objects.select_for_update().filter(
                    task__in={task for _recipient, task in fresh},
                    recipient_id__in={recipient for recipient, _task in fresh})
                for notification in earlier:
                    new = fresh.pop((notification.recipient_id, notification.task), None)
                    if new is not None:
                        _renew(notification, new, now=now)
                        renewed.append(notification)
                Notification.objects.bulk_update(renewed, _RENEWED)
        rows = [
            Notification(
                recipient_id=n.recipient_id, key=n.key, kind=n.kind, url=n.url, task=n.task,
                params=_params(n.params, recipient_id=n.recipient_id, about_id=n.about_id),
                created_at=now,
            )
            for n in [*untasked, *fresh.values()]
        ]
        # ON CONFLICT DO NOTHING (PostgreSQL) / INSERT OR IGNORE (SQLite): a row another
        # worker inserted since the check above is skipped, not duplicated.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows) + len(renewed)
    return created


def notifications_resolve(*, task: str, recipient_id: int | None = None,
                          now: dt.datetime | None = None) -> int:
    """Resolve the open notifications of ``task`` (everyone's, or one recipient's): call it
    in the transaction of the service that completes the task. ``task`` ending in ``:``
    resolves every task of the record ("evaluation:812:" when it is cancelled). One
    query; returns how many were resolved."""
    rows = Notification.objects.filter(resolved_at__isnull=True)
    rows = (rows.filter(task__startswith=task) if task.endswith(":")
            else rows.filter(task=task))
    if recipient_id is not None:
        rows = rows.filter(recipient_id=recipient_id)
    return rows.update(resolved_at=now or clock.now())


def notifications_resolve_many(*, tasks: Collection[str],
                               now: dt.datetime | None = None) -> int:
    """``notifications_resolve`` for many whole task names at once (a bulk service that
    settles the tasks of many records): one query; returns how many were resolved."""
    if not tasks:
        return 0
    return Notification.objects.filter(resolved_at__isnull=True, task__in=list(tasks)).update(
        resolved_at=now or clock.now())


# E-mail ---------------------------------------------------------------------------


@dataclass
class Delivery:
    emails: int = 0  # e-mails handed to the mail relay (the outbox's, invitations too)
    notifications: int = 0  # notifications put in e-mails of the outbox
    skipped: int = 0  # never e-mailed: inactive user or no address
    failed: int = 0  # attempts that failed; the outbox tries those e-mails again


def _unclaimed() -> QuerySet[Notification]:
    return Notification.objects.filter(email_claimed_at__isnull=True)


def _compose_next() -> tuple[int, int] | None:
    """Put the oldest unclaimed notification, with its recipient's other unclaimed ones,
    in one e-mail of the outbox; returns (notifications e-mailed, notifications skipped).

    The claim and the e-mail commit together: nothing is lost between them, and
    ``SKIP LOCKED`` keeps two workers from claiming the same notifications.
    """
    with transaction.atomic():
        locked = _unclaimed().select_for_update(skip_locked=True, of=("self",))
        recipient_id = locked.order_by("pk").values_list("recipient_id", flat=True).first()
        if recipient_id is None:
            return None
        ids = list(
            locked.filter(recipient_id=recipient_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:MAX_PER_EMAIL]
        )
        claimed = Notification.objects.filter(pk__in=ids)
        recipient = User.objects.get(pk=recipient_id)
        if not recipient.is_active or not recipient.email:
            claimed.update(email_claimed_at=clock.now())
            return 0, len(ids)
        shown = list(Notification.objects.filter(pk__in=ids[:DIGEST_LINES]).order_by("pk"))
        # The first notification, as it was made, is claimed once, so it names the e-mail
        # (a notification renewed by a later message about its task is claimed afresh);
        # this run sends it below.
        first = shown[0]
        email = outbox.enqueue(
            _email(recipient, shown, total=len(ids)),
            key=f"notifications:{first.pk}:{first.created_at:%Y%m%dT%H%M%S.%f}",
            kind=EmailKind.NOTIFICATIONS, recipient=recipient, deliver_soon=False)
        claimed.update(email_claimed_at=clock.now(), email=email)
    return len(ids), 0


def deliver_emails(*, max_emails: int | None = None) -> Delivery:
    """Put every unclaimed notification in the outbox, one e-mail per recipient (a digest
    for several, in the recipient's language), then send what the outbox holds.

    Safe on several workers at once. An e-mail that fails stays in the outbox and is
    tried again (``notify.outbox``); the notifications stay in the app meanwhile.
    """
    result = Delivery()
    while (composed := _compose_next()) is not None:
        result.notifications += composed[0]
        result.skipped += composed[1]
    run = outbox.deliver_outbox(max_emails=max_emails)
    result.emails, result.failed = run.sent, run.failed
    return result


def _absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def _email(recipient: User, shown: list[Notification], *, total: int) -> EmailMessage:
    """One notification: its own subject and text; several: a digest of their lines."""
    with translation.override(languages.supported(recipient.language)):
        texts: list[Rendered] = [render(n.kind, n.params) for n in shown]
        greeting = (
            _("Hello %(name)s,") % {"name": recipient.first_name}
            if recipient.first_name else _("Hello,")
        )
        if total == 1:
            subject = texts[0].subject
            parts = [greeting, texts[0].body, _absolute(shown[0].url)]
        else:
            subject = ngettext(
                "%(count)s new notification in Koers",
                "%(count)s new notifications in Koers",
                total,
            ) % {"count": total}
            lines = [
                f"- {text.subject}\n  {_absolute(n.url)}"
                for text, n in zip(texts, shown, strict=True)
            ]
            if total > len(shown):
                lines.append(_("… and %(count)s more.") % {"count": total - len(shown)})
            parts = [greeting, "\n".join(lines)]
        parts.append(
            _("All your notifications: %(url)s") % {"url": _absolute(reverse("notifications"))}
        )
        parts.append(
            _("This message contains no content of goals or evaluations: sign in to "
              "Koers to read them.")
        )
        body = "\n\n".join(part for part in parts if part)
    return EmailMessage(
        subject=f"[Koers] {subject}", body=body, to=[recipient.email],
        from_email=settings.DEFAULT_FROM_EMAIL,
    )


# Reading --------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, now: dt.datetime | None = None) -> None:
    if notification.read_at is None:
        notification.read_at = now or clock.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=clock.now()
    )
