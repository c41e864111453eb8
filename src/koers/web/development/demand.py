"""HR's training demand: what the plans ask for, as a page and as a download, and HR
marking an action arranged."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.core.errors import DomainError, NotFoundOrForbidden
from koers.development import exports, permissions, selectors
from koers.development.services import demand
from koers.development.states import HrActionStatus
from koers.organisation.models import Organisation
from koers.web.development.forms import ArrangeForm, DemandFilterForm
from koers.web.page.exports import csv_response, xlsx_response
from koers.web.page.forms import cleaned
from koers.web.page.viewer import viewer_of

# HR: the training demand --------------------------------------------------------------


def _demand_organisation_or_404(request: HttpRequest, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not permissions.can_view_training_demand(
            viewer_of(request), organisation):
        raise Http404
    return organisation


@login_required
def training_demand(request: HttpRequest, pk: int) -> HttpResponse:
    """The HR actions asked across all signed plans, per development action and
    competency, with counts, terms and status; HR marks them arranged."""
    organisation = _demand_organisation_or_404(request, pk)
    filters = DemandFilterForm(request.GET or None)
    status = filters.status_value()
    groups = selectors.training_demand(viewer_of(request), organisation, status=status)
    return render(request, "development/training_demand.html", {
        "organisation": organisation, "groups": groups, "filters": filters,
        "status": status or "", "arrange_form": ArrangeForm(),
        "requested": HrActionStatus.REQUESTED, "arranged": HrActionStatus.ARRANGED,
    })


@login_required
def training_demand_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The training demand as CSV or XLSX: the summary, or with ``?table=detail`` one line
    per HR action."""
    organisation = _demand_organisation_or_404(request, pk)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    table = exports.demand_table(
        viewer_of(request), organisation,
        status=DemandFilterForm(request.GET or None).status_value(),
        detail=request.GET.get("table") == "detail")
    if file_format == "csv":
        return csv_response(table.name, table.header, table.rows)
    return xlsx_response(table.name, table.title, table.header, table.rows)


@login_required
@require_POST
def hr_action_arrange(request: HttpRequest, pk: int) -> HttpResponse:
    """HR marks an action arranged (``status=arranged``, with a note) or undoes it."""
    viewer = viewer_of(request)
    hr_action = permissions.hr_action_for(viewer, pk)
    if hr_action is None:
        raise Http404
    form = ArrangeForm(request.POST)
    target = request.POST.get("status") or HrActionStatus.ARRANGED
    try:
        # A note the form refuses is said, and nothing changes (not arranged without it).
        demand.hr_action_set_status(actor=viewer, hr_action=hr_action, status=target,
                                    note=cleaned(form)["note"])
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The action is marked arranged.")
                         if target == HrActionStatus.ARRANGED
                         else _("The action is requested again."))
    organisation_id = hr_action.item.plan.organisation_id
    # Back to the list as HR filtered it.
    back = request.POST.get("back_status", "")
    url = reverse("training_demand", args=[organisation_id])
    query = f"?status={back}" if back in HrActionStatus.values else ""
    return redirect(f"{url}{query}#hr-action-{hr_action.pk}")
