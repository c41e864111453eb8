"""The security log: refused requests, for security officers (docs/access.md).

Thin: ``access.security`` decides who reads it and what it holds.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.access import security
from koers.access.models import Refusal
from koers.access.policy import Viewer
from koers.web.access.forms import RefusalFilterForm
from koers.web.page.exports import Cell, csv_response, xlsx_response
from koers.web.page.paging import PAGE_SIZE
from koers.web.page.viewer import viewer_of


def _officer(request: HttpRequest) -> Viewer:
    viewer = viewer_of(request)
    if not security.can_read_security_log(viewer):
        raise Http404
    return viewer


@login_required
def security_log(request: HttpRequest) -> HttpResponse:
    """The refusals with filters, and per user how many in the last hour and day."""
    viewer = _officer(request)
    form = RefusalFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(security.refusal_log(viewer, filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "access/security_log.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "rates": security.refusal_rates(viewer, filters)})


def _who(refusal: Refusal) -> str:
    return refusal.user.email if refusal.user else refusal.login


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


@login_required
def security_log_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The filtered log as CSV or XLSX, one line per row (a minute's count)."""
    viewer = _officer(request)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    filters = RefusalFilterForm(request.GET or None).filters()
    header = [_("First at"), _("Last at"), _("User"), _("Person"), _("Kind"), _("Action"),
              _("Record type"), _("Record"), _("Last record"), _("IP address"), _("Count")]
    rows: list[list[Cell]] = [
        [_local(r.minute), _local(r.last_at), _who(r),
         r.person.full_name if r.person else "", r.get_kind_display(), r.action,
         r.target_type, r.target_id or "", r.last_target_id or "", r.ip, r.count]
        for r in security.refusal_log(viewer, filters)]
    title = _("Security log")
    if file_format == "csv":
        return csv_response(title, header, rows)
    return xlsx_response(title, title, header, rows)
