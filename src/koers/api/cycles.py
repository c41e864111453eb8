"""The API of annual cycles: opening and listing them, HR's dashboard, a person's
timeline and a participation's agreed period.
"""

from collections.abc import Sequence
from typing import Any, cast

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from koers.access import policy
from koers.api import lookups
from koers.api.common_schemas import Problem
from koers.api.cycles_schemas import (
    AgreedPeriodIn,
    CycleIn,
    CycleOut,
    CyclePageOut,
    DashboardOut,
    LatePageOut,
    LateReminderIn,
    LateReminderOut,
    LeavingIn,
    ParticipationLeavingOut,
    ParticipationPeriodOut,
    TimelineCycle,
    TimelineCyclePageOut,
)
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.core.clock import today_for
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.cycles import dashboard
from koers.cycles import selectors as cycle_selectors
from koers.cycles import services as cycle_services
from koers.cycles.late import late_people, late_step
from koers.cycles.models import Cycle, Participation
from koers.cycles.timeline import person_timeline as timeline_of
from koers.organisation.models import Unit

router = Router()


@router.get("/people/{person_id}/timeline", response=TimelineCyclePageOut, tags=["cycles"],
            summary="What is due in the person's open cycles, by whom and when, a page of "
                    "cycles at a time")
def person_timeline(request: HttpRequest, person_id: int,
                    paging: Query[PageIn]) -> dict[str, Any]:
    person = lookups.person(request, person_id)
    today = today_for(person.organisation)
    return paged(request, timeline_of(person, today=today), paging,
                 lambda page: [TimelineCycle.of(timeline) for timeline in page])


@router.get("/cycles/{cycle_id}/dashboard", response={200: DashboardOut, 422: Problem},
            tags=["cycles"],
            summary="Progress of a cycle for a unit's subtree and each child unit (HR)")
def cycle_dashboard(request: HttpRequest, cycle_id: int, unit_id: int | None = None
                    ) -> DashboardOut:
    """Without ``unit_id``: the top of the caller's HR subtree in the cycle's organisation."""
    cycle, unit = _dashboard_unit(request, cycle_id, unit_id)
    return DashboardOut.of(dashboard.cycle_dashboard(cycle=cycle, unit=unit))


def _dashboard_unit(request: HttpRequest, cycle_id: int, unit_id: int | None
                    ) -> tuple[Cycle, Unit]:
    return dashboard.dashboard_place(viewer_of(request), cycle_id, unit_id)


@router.get("/cycles/{cycle_id}/late/{step}", response={200: LatePageOut, 422: Problem},
            tags=["cycles"],
            summary="The people late on a step of the cycle in a unit's subtree, 50 a page (HR)")
def cycle_late_people(request: HttpRequest, cycle_id: int, step: str,
                      unit_id: int | None = None, page: int = 1) -> LatePageOut:
    """``step``: planning, halfway_progress, self_evaluation, evaluation, first_signature,
    second_signature or probation_assessment; without ``unit_id``, the top of the
    caller's HR subtree."""
    cycle, unit = _dashboard_unit(request, cycle_id, unit_id)
    late = late_step(step)
    if late is None:
        raise Http404
    return LatePageOut.of(late_people(cycle=cycle, unit=unit, step=late, page=page))


@router.post("/cycles/{cycle_id}/late/{step}/reminders",
             response={201: LateReminderOut, 404: Problem, 422: Problem}, tags=["cycles"],
             summary="Remind whoever must act about people late on a step (HR; each person "
                     "at most once a day)")
def cycle_late_remind(request: HttpRequest, cycle_id: int, step: str,
                      data: LateReminderIn) -> Status[LateReminderOut]:
    cycle, unit = _dashboard_unit(request, cycle_id, data.unit_id)
    sent = cycle_services.late_reminders_send(
        cycle=cycle, unit=unit, step=step, person_ids=data.person_ids,
        viewer=viewer_of(request))
    return Status(201, LateReminderOut.of(sent))


# Cycles ---------------------------------------------------------------------------


def _cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    """The same 404 for a missing cycle and one of an organisation the user does not manage."""
    cycle = Cycle.objects.select_related("organisation").filter(pk=cycle_id).first()
    if cycle is None or not policy.can_manage_organisation(viewer_of(request), cycle.organisation):
        raise Http404
    return cycle


@router.get("/cycles", response=CyclePageOut, tags=["cycles"],
            summary="The cycles of the organisations I manage as HR, with their counts, a "
                    "page at a time")
def cycle_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    def build(cycles: Sequence[Cycle]) -> list[CycleOut]:
        counts = cycle_selectors.counts_by_cycle(cycle.pk for cycle in cycles)
        return [CycleOut.of(cycle, counts[cycle.pk]) for cycle in cycles]

    return paged(request, cycle_selectors.cycles_of(
        policy.organisations_managed_by(viewer_of(request))), paging, build)


@router.post("/cycles", response={202: CycleOut, 422: Problem}, tags=["cycles"],
             summary="Open the cycle of a year (HR); the participations follow in the background")
def cycle_open(request: HttpRequest, data: CycleIn) -> Status[CycleOut]:
    managed = policy.organisations_managed_by(viewer_of(request))
    if data.organisation_id is not None:
        managed = managed.filter(pk=data.organisation_id)
    organisations = list(managed[:2])
    if len(organisations) != 1:
        message = _("Choose one of the organisations you manage as HR.")
        raise ValidationFailed(message, {"organisation_id": [message]})
    cycle = cycle_services.cycle_open(organisation=organisations[0], year=data.year,
                                      actor=cast(User, request.user))
    cycle.refresh_from_db()  # the task may have run already (immediate backend)
    return Status(202, CycleOut.of(cycle, cycle_selectors.cycle_counts(cycle)))


@router.get("/cycles/{cycle_id}", response=CycleOut, tags=["cycles"],
            summary="A cycle: the progress of its opening and its counts (HR)")
def cycle_detail(request: HttpRequest, cycle_id: int) -> CycleOut:
    cycle = _cycle(request, cycle_id)
    return CycleOut.of(cycle, cycle_selectors.cycle_counts(cycle))


@router.post("/cycles/{cycle_id}/resume", response={202: CycleOut, 422: Problem},
             tags=["cycles"],
             summary="Resume the opening of a cycle that stopped (HR); the participations "
                     "follow in the background")
def cycle_resume(request: HttpRequest, cycle_id: int) -> Status[CycleOut]:
    """Harmless while the opening still runs: both skip the participations that exist.
    A cycle already open is refused (422)."""
    cycle = cycle_services.cycle_resume(cycle=_cycle(request, cycle_id),
                                           actor=cast(User, request.user))
    cycle.refresh_from_db()  # the task may have run already (immediate backend)
    return Status(202, CycleOut.of(cycle, cycle_selectors.cycle_counts(cycle)))


# A participation's evaluated period -------------------------------------------------------
# HR of the person's unit records the period employee and evaluator agreed on ([f1]);
# others get the same 404 as for a participation that does not exist.


def _participation_to_change(request: HttpRequest, participation_id: int) -> Participation:
    participation = (
        Participation.objects.select_related("cycle", "person__unit")
        .filter(pk=participation_id).first()
    )
    if participation is None or not policy.can_change_person(
            viewer_of(request), participation.person):
        raise Http404
    return participation


@router.put("/participations/{participation_id}/agreed-period",
            response={200: ParticipationPeriodOut, 422: Problem}, tags=["cycles"],
            summary="Record the period employee and evaluator agreed on (HR); nulls go back "
                    "to the normal period")
def participation_agreed_period(
    request: HttpRequest, participation_id: int, data: AgreedPeriodIn
) -> ParticipationPeriodOut:
    participation = cycle_services.participation_period_agree(
        participation=_participation_to_change(request, participation_id),
        start=data.start, end=data.end, note=data.note, actor=cast(User, request.user),
    )
    return ParticipationPeriodOut.of(participation)



# Someone leaving ----------------------------------------------------------------------
# HR of the person's unit or their 1st evaluator records why, the last working day and
# whether the person agreed to be evaluated before leaving ([f1]); the service decides
# who may (the same 404 for a participation that does not exist).


@router.put("/participations/{participation_id}/leaving",
            response={200: ParticipationLeavingOut, 404: Problem, 422: Problem},
            tags=["cycles"],
            summary="Record that the person leaves, and whether they agreed to be evaluated "
                    "before (HR or 1st evaluator); empty clears it")
def participation_leaving(
    request: HttpRequest, participation_id: int, data: LeavingIn
) -> ParticipationLeavingOut:
    participation = Participation.objects.filter(pk=participation_id).first()
    if participation is None:
        raise Http404
    recorded = cycle_services.participation_leaving_record(
        participation=participation, reason=data.reason,
        last_working_day=data.last_working_day, agreed=data.evaluated_before_leaving,
        viewer=viewer_of(request),
    )
    return ParticipationLeavingOut.of(recorded)
