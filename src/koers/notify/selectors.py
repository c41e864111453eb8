"""Reads of notifications: a user's inbox and unread count, each one query."""

from django.db.models import QuerySet

from koers.core.models import User
from koers.notify.models import Notification


def inbox(recipient: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=recipient).order_by("-created_at", "-pk")


def unread_count(recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).count()
