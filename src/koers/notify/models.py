"""Notifications: one row per message to one user, shown in the app and sent by e-mail.

The row is the outbox. Its unique ``key`` makes creating it idempotent (a restarted
job or a second worker never notifies twice); ``email_claimed_at`` is set before the
e-mail goes out, so a crash between claim and send loses an e-mail rather than
sending it twice. The text is not stored: it is rendered from ``kind`` and ``params``
in the reader's language (``notify.kinds``), and it never holds evaluation content —
only a link to the page where the reader's access is checked.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # Says what the notification is about, e.g. "reminder:812:planning:2026-03-31:overdue".
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes: ClassVar[list[models.Index]] = [
            # The notifications page: a user's newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The unread count in the header of every page.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # deliver_emails: the oldest unclaimed first; the index shrinks as mail goes out.
            models.Index(
                fields=["id"], condition=Q(email_claimed_at__isnull=True),
                name="notification_unclaimed",
            ),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(email_sent_at__isnull=True) | Q(email_claimed_at__isnull=False),
                name="notification_sent_after_claim",
            ),
        ]

    def __str__(self) -> str:
        return self.key
