"""Retention in the goals room: the goals of leavers, and goals not changed since before
the cutoff, go with their history and notes (access/retention.py runs it). Team goals
are the unit's, not a person's: they stay."""

import datetime as dt

from django.db.models import Q

from koers.access.personal_data import Erasure, ErasurePlan, delete_counted, register_eraser
from koers.audit.services import chain_for
from koers.goals.models import Goal, PlanningSignature


@register_eraser("goals", order=30)
def erase_goals(plan: ErasurePlan) -> Erasure:
    erasure = Erasure()
    cutoff = dt.datetime.combine(plan.cutoff, dt.time.min, tzinfo=dt.UTC)
    goals = Goal.objects.filter(
        Q(owner__in=plan.leaver_ids)
        | Q(owner__organisation=plan.organisation, updated_at__lt=cutoff))
    delete_counted(goals, erasure, "goals", dry_run=plan.dry_run,
                   chains=lambda pks: [chain_for(Goal, pk) for pk in pks])
    return erasure


@register_eraser("planning_signatures", order=31)
def erase_planning_signatures(plan: ErasurePlan) -> Erasure:
    """The signatures under the plannings of leavers and of periods that ended before the
    cutoff go with them (their participations go too, in the cycles room)."""
    erasure = Erasure()
    signatures = PlanningSignature.objects.filter(
        Q(participation__person__in=plan.leaver_ids)
        | Q(participation__cycle__organisation=plan.organisation,
            participation__period_end__lt=plan.cutoff))
    delete_counted(signatures, erasure, "planning_signatures", dry_run=plan.dry_run)
    return erasure
