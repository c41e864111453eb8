"""Retention in the improvement room (access/retention.py runs it): the plans of leavers,
and decided or cancelled plans not changed since before the cutoff, go with their goals,
signatures, follow-ups and progress, and their audit chains. A running plan stays."""

import datetime as dt

from django.db.models import Q

from koers.access.personal_data import Erasure, ErasurePlan, delete_counted, register_eraser
from koers.audit.services import chain_for
from koers.improvement.models import ImprovementPlan
from koers.improvement.states import OPEN_GROUP


@register_eraser("improvement", order=47)
def erase_improvement(plan: ErasurePlan) -> Erasure:
    erasure = Erasure()
    unchanged = Q(updated_at__lt=dt.datetime.combine(plan.cutoff, dt.time.min, tzinfo=dt.UTC))
    plans = ImprovementPlan.objects.filter(
        Q(employee__in=plan.leaver_ids)
        | Q(unchanged, ~Q(status__in=sorted(OPEN_GROUP)), organisation=plan.organisation))
    delete_counted(plans, erasure, "improvement_plans", dry_run=plan.dry_run,
                   chains=lambda pks: [chain_for(ImprovementPlan, pk) for pk in pks])
    return erasure
