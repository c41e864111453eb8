"""The security log: refused requests, for security officers (docs/access.md).

Thin: ``access.security`` decides who reads it and what it holds.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access import security
from koers.access.documents import security_log_table_request
from koers.access.policy import Viewer
from koers.access.renderings import TABLE_FORMATS
from koers.web.access.forms import RefusalFilterForm
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
        # The export is made from the filters shown (a task worker writes the file).
        "filters_given": [(name, value) for name, value in query.items()
                          if name in RefusalFilterForm.base_fields],
        "table_formats": [("csv", _("Download as CSV")), ("xlsx", _("Download as Excel"))],
        "rates": security.refusal_rates(viewer, filters)})


@login_required
@require_POST
def security_log_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Ask for the filtered log as a CSV or XLSX file (a POST: asking writes a request);
    a task worker makes it, and its page offers the download."""
    viewer = _officer(request)
    if file_format not in TABLE_FORMATS:
        raise Http404
    filters = RefusalFilterForm(request.POST or None).filters()
    rendering = security_log_table_request(viewer=viewer, filters=filters,
                                           file_format=file_format)
    return redirect("rendering_detail", rendering.pk)
