"""HR opens the cycle of a year and follows the opening; the counts once it is done."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from koers.access import policy
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.cycles import selectors, services
from koers.cycles.models import Cycle, CycleState
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Eligibility
from koers.web.cycles.forms import CycleOpenForm
from koers.web.page.confirm import confirmed
from koers.web.page.forms import apply_errors
from koers.web.page.paging import PAGE_SIZE
from koers.web.page.viewer import viewer_of


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


def _cycle_or_404(request: HttpRequest, pk: int) -> Cycle:
    """The same 404 for a missing cycle and one of an organisation the user does not manage."""
    cycle = Cycle.objects.select_related("organisation", "opened_by").filter(pk=pk).first()
    if cycle is None or not policy.can_manage_organisation(viewer_of(request),
                                                           cycle.organisation):
        raise Http404
    return cycle


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    organisations = list(policy.organisations_managed_by(viewer_of(request)).order_by("name"))
    if not organisations:
        raise Http404
    form = CycleOpenForm(request.POST or None, organisations=organisations,
                         initial={"year": selectors.current_year(organisations[0])})
    confirm: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data.get("organisation") or organisations[0]
        year = form.cleaned_data["year"]
        if not confirmed(request):
            # Opening touches everyone in scope: nothing changes yet; the page says how
            # many people and asks again, and only that second submit opens the cycle.
            try:
                people = services.cycle_open_preview(organisation=organisation, year=year)
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                confirm = {"organisation": organisation, "year": year, "people": people}
        else:
            try:
                cycle = services.cycle_open(organisation=organisation, year=year,
                                            actor=cast(User, request.user))  # login_required
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("%(period)s is being opened.")
                                 % {"period": capfirst(cycle.name)})
                return redirect("cycle_detail", pk=cycle.pk)
    cycles = list(selectors.cycles_of(organisations))
    counts = selectors.counts_by_cycle(cycle.pk for cycle in cycles)
    return render(request, "cycles/list.html", {
        "form": form,
        "cycles": [(cycle, counts[cycle.pk], selectors.percent_done(cycle)) for cycle in cycles],
        "show_organisation": len(organisations) > 1,
        "confirm": confirm,
    })


@login_required
def cycle_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    """The cycle page; htmx polls its progress partial every second while it opens."""
    cycle = _cycle_or_404(request, pk)
    counts = selectors.cycle_counts(cycle)
    context: dict[str, Any] = {
        "cycle": cycle,
        "counts": counts,
        "percent": selectors.percent_done(cycle),
        "opening": cycle.state == CycleState.OPENING,
    }
    if cycle.state != CycleState.OPENING:
        rules = policy_for(cycle.organisation)
        reasons = selectors.exemption_reasons(rules)
        context["shows_hours"] = rules.eligibility == Eligibility.HOURS
        context["exempt"] = [(reasons[reason], count) for reason, count in counts.exempt_by_reason]
        page = Paginator(selectors.participations_to_check(cycle), PAGE_SIZE).get_page(
            request.GET.get("page"))
        context["page"] = page
        context["to_check"] = [(row, reasons.get(row.exemption, "")) for row in page]
    template = "cycles/detail.html#progress" if request.htmx else "cycles/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def cycle_resume(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_or_404(request, pk)
    try:
        services.cycle_resume(cycle=cycle, actor=cast(User, request.user))
    except ValidationFailed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The opening continues."))
    return redirect("cycle_detail", pk=cycle.pk)
