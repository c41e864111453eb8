"""Notifications and the outbox of e-mail.

``Notification``: one row per message to one user, shown in the app and e-mailed. Its
unique ``key`` makes creating it idempotent (a restarted job or a second worker never
notifies twice). The text is not stored: it is rendered from ``kind`` and ``params``
in the reader's language (``notify.kinds``), and it never holds evaluation content —
only a link to the page where the reader's access is checked. ``email_claimed_at``
says it was put in an e-mail of the outbox (``email``), ``email_sent_at`` that the
mail relay took that e-mail.

A notification that asks the recipient to act names that task in ``task``
("evaluation:812:sign_second": the kind of record, its id and the step). The service
that completes the step sets ``resolved_at`` on every notification of that task in its
own transaction (``services.notifications_resolve``), so a done task leaves the new
notifications, the count in the header and the API at the same moment it leaves the
task list. One person has at most one notification per task (a unique constraint): a
later message about the same task (a reminder, an escalation) replaces the earlier one.

``OutgoingEmail``: every e-mail Koers sends, written in the transaction of the change
that causes it and delivered by the task workers (``notify.outbox``).
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
    # The task it asks for, "<record kind>:<id>:<step>"; empty for one that only informs.
    task = models.CharField(_("task"), max_length=100, blank=True, default="")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    email = models.ForeignKey(
        "OutgoingEmail", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="notifications", verbose_name=_("e-mail"),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes: ClassVar[list[models.Index]] = [
            # The notifications page: a user's newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The new count in the header of every page: unread and not resolved.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True, resolved_at__isnull=True),
                name="notification_new",
            ),
            # notifications_resolve: the open notifications of one task.
            models.Index(
                fields=["task"], condition=Q(resolved_at__isnull=True) & ~Q(task=""),
                name="notification_open_task",
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
            # At most one notification per person and task: no task announced twice.
            models.UniqueConstraint(
                fields=["recipient", "task"], condition=~Q(task=""),
                name="notification_one_per_task",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class EmailKind(models.TextChoices):
    NOTIFICATIONS = "notifications", _("Notifications")
    INVITATION = "invitation", _("Calendar invitation")
    ACCOUNT = "account", _("Account")


class OutgoingEmail(models.Model):
    """One e-mail to send: written with the change that causes it, sent by a worker.

    The message is stored as it will leave (its text rendered in the recipient's
    language when it was written), with its ``Message-ID``: a message sent twice after
    a worker died between sending and recording it carries the same id both times, and
    mail clients show it once. ``next_attempt_at`` is when a worker may next take it,
    both the back-off after a failure and the lease while a worker holds it.
    """

    # Says what the e-mail is about, e.g. "conversation:12:1:REQUEST:31"; writing a key
    # that exists does nothing, so a retried change never queues its e-mail twice.
    key = models.CharField(_("key"), max_length=200, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=EmailKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("recipient"),
    )
    # The organisation the e-mail is about, when the recipient has no login to tell it
    # (an invitation to a person without one). A plain id: notify sits below
    # organisation in the layers and never imports it.
    organisation_id = models.BigIntegerField(_("organisation"), null=True, blank=True)
    from_email = models.CharField(_("from"), max_length=254)
    to = models.JSONField(_("to"), default=list)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("text"))
    alternatives = models.JSONField(_("alternative parts"), default=list)  # [[content, type]]
    headers = models.JSONField(_("headers"), default=dict)
    created_at = models.DateTimeField(_("created at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    gave_up_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes: ClassVar[list[models.Index]] = [
            # The workers: the first due e-mail; the index holds only what is still to send.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(sent_at__isnull=True, gave_up_at__isnull=True),
                name="outgoing_email_due",
            ),
            # HR's list of undelivered mail, newest first, and the readiness backlog.
            models.Index(
                fields=["-created_at", "-id"], condition=Q(sent_at__isnull=True),
                name="outgoing_email_unsent",
            ),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(gave_up_at__isnull=True),
                name="outgoing_email_sent_or_given_up",
            ),
        ]

    def __str__(self) -> str:
        return self.key
