"""The people late on a step, behind a late count of the HR cycle dashboard, and HR's
reminder to whoever must act for the people HR selects.

The list is ``cycles.late.late_people`` and the reminder ``late_reminders_send``, the
same as the API's (``GET /api/v1/cycles/{cycle_id}/late/{step}``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles import dashboard
from koers.cycles.labels import role_label, step_label
from koers.cycles.late import late_people, late_step
from koers.cycles.services import late_reminders_send
from koers.organisation import selectors
from koers.web.page.viewer import viewer_of


def _page_number(raw: str | None) -> int:
    return int(raw) if raw is not None and raw.isdigit() else 1


@login_required
def cycle_dashboard_late(request: HttpRequest, cycle_id: int, unit_id: int, step: str
                         ) -> HttpResponse:
    """GET: one page of the people late on ``step`` in the unit's subtree. POST: remind
    whoever must act for the selected people (``person``), then back to the list."""
    viewer = viewer_of(request)
    late = late_step(step)
    # The same 404 for a missing cycle, unit or step and one the user may not see.
    if late is None:
        raise Http404
    try:
        cycle, unit = dashboard.dashboard_place(viewer, cycle_id, unit_id)
    except NotFoundOrForbidden:
        raise Http404 from None
    here = reverse("cycle_dashboard_late", args=[cycle.pk, unit.pk, late.due])
    if request.method == "POST":
        chosen = request.POST.getlist("person")
        if not all(value.isdigit() for value in chosen):
            messages.error(request, _("The selection could not be read: nothing was sent."))
            return redirect(here)
        try:
            sent = late_reminders_send(cycle=cycle, unit=unit, step=late.due,
                                       person_ids=[int(value) for value in chosen],
                                       viewer=viewer)
        except NotFoundOrForbidden:
            raise Http404 from None
        except ValidationFailed as error:
            messages.error(request, error.message)
        else:
            if sent.reminded:
                messages.success(request, ngettext(
                    "Reminder sent about %(count)s person: %(names)s.",
                    "Reminders sent about %(count)s people: %(names)s.",
                    len(sent.reminded),
                ) % {"count": len(sent.reminded),
                     "names": ", ".join(p.full_name for p in sent.reminded)})
            if sent.unreachable:
                messages.warning(request, _(
                    "Nobody could be reminded about %(names)s: nobody holds the role of "
                    "%(role)s, or they cannot sign in to Koers.") % {
                    "names": ", ".join(p.full_name for p in sent.unreachable),
                    "role": role_label(late.responsible, cycle.organisation.policy_preset)})
        return redirect(here)
    page = late_people(cycle=cycle, unit=unit, step=late,
                       page=_page_number(request.GET.get("page")))
    breadcrumb = [
        (ancestor, dashboard.can_view_dashboard(viewer, cycle, ancestor))
        for ancestor in [*selectors.ancestors(unit), unit]
    ]
    return render(request, "cycles/late.html", {
        "late": page, "step_label": step_label(late.due, cycle.organisation.policy_preset),
        "role": role_label(late.responsible, cycle.organisation.policy_preset),
        "breadcrumb": breadcrumb,
        "may_remind": any(not person.reminded_today for person in page.people),
    })
