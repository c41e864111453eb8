"""Creating notifications exactly once, e-mailing them at most once, marking them read.

Exactly once: every notification has a unique ``key`` that names what it is about;
creating one whose key exists does nothing, enforced by the database, so a restarted
job or a second worker running the same job never notifies twice.

At most once: ``deliver_emails`` marks notifications as claimed in a committed
transaction *before* it sends them. A worker that dies after the claim loses those
e-mails (the notification still shows in the app) instead of sending them twice;
claims use ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so workers running in
parallel never claim the same rows (SQLite serialises writers anyway).
"""

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import batched
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core import clock, languages
from koers.core.models import User
from koers.notify.kinds import Rendered, render
from koers.notify.models import Notification

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


def notify(
    *, recipient: User, key: str, kind: str, params: Mapping[str, Any], url: str
) -> bool:
    """Create a notification unless one with ``key`` exists; True if this call created it.

    Safe against concurrent callers: the unique key decides, and the loser gets False.
    """
    _notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "recipient": recipient, "kind": kind, "params": dict(params), "url": url,
            "created_at": clock.now(),
        },
    )
    return created


def notify_many(notifications: Iterable[NewNotification], *, batch_size: int = 1000) -> int:
    """Create many notifications, skipping keys that exist; returns how many were new.

    Two queries per batch. The count is exact unless another worker inserts the same
    keys at the same moment: then both may count a row the database stored once.
    """
    created = 0
    now = clock.now()
    for batch in batched(notifications, batch_size, strict=False):
        by_key = {n.key: n for n in batch}
        existing = set(
            Notification.objects.filter(key__in=list(by_key)).values_list("key", flat=True)
        )
        rows = [
            Notification(
                recipient_id=n.recipient_id, key=n.key, kind=n.kind, params=dict(n.params),
                url=n.url, created_at=now,
            )
            for key, n in by_key.items()
            if key not in existing
        ]
        # ON CONFLICT DO NOTHING (PostgreSQL) / INSERT OR IGNORE (SQLite): a row another
        # worker inserted since the check above is skipped, not duplicated.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created


# E-mail ---------------------------------------------------------------------------


@dataclass
class Delivery:
    emails: int = 0  # e-mails handed to the mail server
    notifications: int = 0  # notifications in those e-mails
    skipped: int = 0  # claimed but not e-mailed: inactive user or no address
    failed: list[int] = field(default_factory=list)  # ids claimed whose e-mail failed


def _unclaimed() -> QuerySet[Notification]:
    return Notification.objects.filter(email_claimed_at__isnull=True)


def _claim_next() -> tuple[int, list[int]] | None:
    """Claim the oldest unclaimed notification with its recipient's other unclaimed ones.

    Returns the recipient's id and the claimed ids, committed before anything is sent:
    at most once.
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
        Notification.objects.filter(pk__in=ids).update(email_claimed_at=clock.now())
    return recipient_id, ids


def deliver_emails(*, max_emails: int | None = None) -> Delivery:
    """E-mail every unclaimed notification, one e-mail per recipient (a digest for several).

    Each e-mail is in its recipient's language. Failures are logged and not retried:
    the notification stays in the app, marked claimed but not sent. Six queries per
    e-mail, however many notifications it carries.
    """
    result = Delivery()
    connection = mailers.default
    while max_emails is None or result.emails < max_emails:
        claimed = _claim_next()
        if claimed is None:
            break
        recipient_id, ids = claimed
        recipient = User.objects.get(pk=recipient_id)
        if not recipient.is_active or not recipient.email:
            result.skipped += len(ids)
            continue
        shown = list(Notification.objects.filter(pk__in=ids[:DIGEST_LINES]).order_by("pk"))
        try:
            connection.send_messages([_email(recipient, shown, total=len(ids))])
        except Exception:
            logger.exception("e-mail to user %s failed; not retried", recipient.pk)
            result.failed += ids
            continue
        Notification.objects.filter(pk__in=ids).update(email_sent_at=clock.now())
        result.emails += 1
        result.notifications += len(ids)
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
