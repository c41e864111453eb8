"""Shapes of the notifications endpoints."""

import datetime as dt

from django.http import HttpRequest
from ninja import Schema

from koers.api.pagination import PageOut
from koers.notify.kinds import render
from koers.notify.models import Notification


class NotificationOut(Schema):
    """``subject`` and ``body`` are rendered now, in the caller's language; ``url`` is the
    page the notification is about. ``task`` names the task it asks for
    ("<record kind>:<id>:<step>", empty when it only informs); ``resolved`` is true once
    that task is done (then it no longer counts as unread)."""

    id: int
    kind: str
    subject: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    task: str
    resolved: bool
    resolved_at: dt.datetime | None

    @classmethod
    def of(cls, request: HttpRequest, notification: Notification) -> "NotificationOut":
        text = render(notification.kind, notification.params)
        return cls(id=notification.pk, kind=notification.kind, subject=text.subject,
                   body=text.body, url=request.build_absolute_uri(notification.url),
                   created_at=notification.created_at, read_at=notification.read_at,
                   task=notification.task, resolved=notification.resolved_at is not None,
                   resolved_at=notification.resolved_at)


class NotificationPageOut(PageOut):
    items: list[NotificationOut]
    unread: int  # unread and not resolved: the count in the header


class MarkedRead(Schema):
    marked: int
