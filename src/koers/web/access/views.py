"""HR access requests: HR asks, the 2nd evaluator decides, the employee sees who looked.

Thin: the access room's policy and services decide; see docs/access.md.
"""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access import personal_data, policy, selectors, services
from koers.access.services import ExportFormat
from koers.consequences import selectors as consequences_selectors
from koers.core.errors import DomainError, NotFoundOrForbidden, ValidationFailed
from koers.web.access.forms import AccessRequestForm
from koers.web.page.forms import apply_errors
from koers.web.page.lookups import person_or_404
from koers.web.page.viewer import viewer_of


@login_required
def access_request_new(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    person = person_or_404(request, pk)
    if not policy.can_change_person(viewer, person):
        raise Http404
    form = AccessRequestForm(request.POST or None, initial={"valid_from": viewer.on})
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_create(actor=viewer, subject=person, **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to the approver."))
            return redirect("access_requests")
    return render(request, "access/request_form.html", {"form": form, "person": person})


@login_required
def access_requests(request: HttpRequest) -> HttpResponse:
    """The requests I made (HR) and those waiting for my decision (the approver)."""
    viewer = viewer_of(request)
    context: dict[str, Any] = {
        "mine": selectors.requests_by(viewer),
        "to_decide": selectors.requests_to_decide(viewer),
        "today": viewer.on,
    }
    return render(request, "access/requests.html", context)


@login_required
@require_POST
def access_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    access_request = selectors.request_to_decide(viewer, pk)
    if access_request is None:
        raise Http404
    grant = request.POST.get("decision") == "grant"
    try:
        services.access_request_decide(actor=viewer, request=access_request, grant=grant)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Access granted.") if grant else _("Access refused."))
    return redirect("access_requests")


# The newest reads of one's case files by a body; all of them are in the personal-data
# export (consequences/exports.py).
CASE_READS_SHOWN = 100


@login_required
def my_reads(request: HttpRequest) -> HttpResponse:
    """Who looked at my data, under which request and why; and who may. Then who of the
    appeal board, the advisory body or the management body read my case files."""
    viewer = viewer_of(request)
    me = viewer.person
    if me is None:
        raise Http404
    return render(request, "access/reads.html", {
        "reads": selectors.reads_of(me), "grants": selectors.grants_about(me),
        "case_reads": consequences_selectors.reads_of(me)[:CASE_READS_SHOWN],
        "today": viewer.on})


# My data (personal-data export) -----------------------------------------------------------
# Only one's own: there is no object in the URL. Each view records the export (audit);
# the PDF is asked for in renderings.py and laid out by a task worker.

def _export(request: HttpRequest, file_format: ExportFormat) -> personal_data.Export:
    try:
        return services.personal_data_export(viewer=viewer_of(request),
                                             file_format=file_format)
    except NotFoundOrForbidden:
        raise Http404 from None


def _file_name(export: personal_data.Export, extension: str) -> str:
    return f"koers-{export.person.pk}-{export.generated_at:%Y%m%d}.{extension}"


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything Koers holds about me, readable and printable, with the downloads."""
    export = _export(request, ExportFormat.PAGE)
    return render(request, "access/personal_data.html", {"export": export})


@login_required
def my_data_json(request: HttpRequest) -> HttpResponse:
    export = _export(request, ExportFormat.JSON)
    response = HttpResponse(
        json.dumps(export.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(export, "json")}"'
    return response
