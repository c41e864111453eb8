"""Retention in the improvement room (access/retention.py runs it): the plans of leavers,
and decided or cancelled plans not changed since before the cutoff, go with their goals,
signatures, follow-ups and progress, and their audit chains. A running plan stays.

Signed plans are guarded by the database (improvement 0002): they go through the one
door of ``core.erasure``; a role that may not use it keeps them, counted and logged."""

import datetime as dt
import logging

from django.db.models import Q

from koers.access.personal_data import Erasure, ErasurePlan, delete_counted, register_eraser
from koers.audit.services import chain_for
from koers.core.erasure import ERASURE_ROLE, may_erase_signed_records, signed_rows_erasable
from koers.improvement.models import ImprovementPlan
from koers.improvement.states import OPEN_GROUP

logger = logging.getLogger(__name__)


@register_eraser("improvement", order=47)
def erase_improvement(plan: ErasurePlan) -> Erasure:
    erasure = Erasure()
    unchanged = Q(updated_at__lt=dt.datetime.combine(plan.cutoff, dt.time.min, tzinfo=dt.UTC))
    plans = ImprovementPlan.objects.filter(
        Q(employee__in=plan.leaver_ids)
        | Q(unchanged, ~Q(status__in=sorted(OPEN_GROUP)), organisation=plan.organisation))
    if not plan.dry_run and not may_erase_signed_records():
        signed = plans.exclude(seal="")
        kept = signed.count()
        if kept:
            logger.warning("retention: the database role may not erase signed records "
                           "(not a member of %s); %d improvement plans kept", ERASURE_ROLE,
                           kept)
            erasure.add("improvement_plans_kept_without_erasure_role", kept)
            plans = plans.exclude(pk__in=signed.values("pk"))
    with signed_rows_erasable():
        delete_counted(plans, erasure, "improvement_plans", dry_run=plan.dry_run,
                       chains=lambda pks: [chain_for(ImprovementPlan, pk) for pk in pks])
    return erasure
