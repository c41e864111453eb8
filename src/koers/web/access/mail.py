"""Undelivered e-mail, for HR of a whole organisation (docs/operations.md, "The outbox").

Thin: ``access.mail`` decides who reads it and what it holds.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from koers.access import mail
from koers.core.errors import NotFoundOrForbidden
from koers.web.page.paging import PAGE_SIZE
from koers.web.page.viewer import viewer_of


@login_required
def undelivered_mail(request: HttpRequest) -> HttpResponse:
    """The e-mails not yet sent, newest first, with their attempts and last error."""
    try:
        emails = mail.undelivered_mail(viewer_of(request))
    except NotFoundOrForbidden:
        raise Http404 from None
    page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "access/undelivered_mail.html", {"page": page})
