"""Reads of notifications: a user's inbox and count of new ones, each one query.

New means unread and not resolved: a notification whose task was done stops counting
the moment the task is (``services.notifications_resolve``)."""

from django.db.models import QuerySet

from koers.core.models import User
from koers.notify.models import Notification


def inbox(recipient: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=recipient).order_by("-created_at", "-pk")


def unread_count(recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True,
                                       resolved_at__isnull=True).count()


def own(recipient: User, pk: int) -> Notification | None:
    """One of the recipient's notifications; someone else's is the same None as a missing
    one (the pages and the API answer 404)."""
    return Notification.objects.filter(pk=pk, recipient=recipient).first()
