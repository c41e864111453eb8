"""The API of the caller's own notifications: the list, and marking them read."""

from typing import cast

from django.http import Http404, HttpRequest
from ninja import Query, Router

from koers.api.notifications_schemas import MarkedRead, NotificationOut, NotificationPageOut
from koers.api.pagination import PageIn, page_of
from koers.core.models import User
from koers.notify import selectors, services

router = Router()


@router.get("/me/notifications", response=NotificationPageOut, tags=["notifications"],
            summary="My notifications, the newest first, a page at a time, with how many "
                    "are unread")
def notifications(request: HttpRequest, paging: Query[PageIn]) -> NotificationPageOut:
    user = cast(User, request.user)
    rows, page = page_of(request, selectors.inbox(user), paging)
    return NotificationPageOut(items=[NotificationOut.of(request, n) for n in rows],
                               unread=selectors.unread_count(user), **page)


@router.post("/me/notifications/{notification_id}/read", response=NotificationOut,
             tags=["notifications"], summary="Mark one of my notifications read")
def notification_read(request: HttpRequest, notification_id: int) -> NotificationOut:
    notification = selectors.own(cast(User, request.user), notification_id)
    if notification is None:
        raise Http404
    services.notification_mark_read(notification=notification)
    return NotificationOut.of(request, notification)


@router.post("/me/notifications/read", response=MarkedRead, tags=["notifications"],
             summary="Mark all my notifications read; says how many were unread")
def notifications_read_all(request: HttpRequest) -> MarkedRead:
    return MarkedRead(marked=services.notifications_mark_all_read(
        recipient=cast(User, request.user)))
