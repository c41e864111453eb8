"""The signed-in user's notifications: the list, and marking them read."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.core.models import User
from koers.notify import selectors, services
from koers.notify.kinds import render as render_text
from koers.web.page.paging import PAGE_SIZE


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    page = Paginator(selectors.inbox(user), PAGE_SIZE).get_page(request.GET.get("page"))
    # Rendered now, so the text follows the reader's current language.
    items = [(n, render_text(n.kind, n.params)) for n in page.object_list]
    return render(request, "notify/notifications.html", {"page": page, "items": items})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Only one's own notifications; someone else's id gives the same 404 as a missing one.
    notification = selectors.own(cast(User, request.user), pk)
    if notification is None:
        raise Http404
    services.notification_mark_read(notification=notification)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(recipient=cast(User, request.user))
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications")
