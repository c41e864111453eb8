"""Retention in the development room (access/retention.py runs it):

- the development plans (POP) of leavers, and plans closed, cancelled or whose period
  ended, not changed since before the cutoff, go with their rows, goals, means,
  follow-up entries, rounds and signatures, and with their HR actions (the training
  demand);
- the self-scans and employee preparations of leavers, the 1st evaluators'
  preparations about leavers, and the general preparations leavers wrote as managers;
  and every one of those not changed since before the cutoff.

The catalogues, the recommendation matrix, the competency profiles and the training
plans are the organisation's, not a person's: they stay."""

import datetime as dt
import logging

from django.db.models import Q

from koers.access.personal_data import Erasure, ErasurePlan, delete_counted, register_eraser
from koers.audit.services import chain_for
from koers.core.erasure import ERASURE_ROLE, may_erase_signed_records, signed_rows_erasable
from koers.development.models import (
    DepartmentPreparation,
    DevelopmentPlan,
    EmployeePreparation,
    ManagerPreparation,
    SelfScan,
)
from koers.development.states import OPEN_GROUP, RoundStatus

logger = logging.getLogger(__name__)


@register_eraser("development", order=60)
def erase_development(plan: ErasurePlan) -> Erasure:
    erasure = Erasure()
    leavers, organisation, dry = plan.leaver_ids, plan.organisation, plan.dry_run
    unchanged = Q(updated_at__lt=dt.datetime.combine(plan.cutoff, dt.time.min, tzinfo=dt.UTC))
    plans = DevelopmentPlan.objects.filter(
        Q(employee__in=leavers)
        | Q(unchanged, ~Q(status__in=OPEN_GROUP) | Q(period_end__lt=plan.cutoff),
            organisation=organisation))
    if not dry and not may_erase_signed_records():
        # Signed rounds are guarded (development 0005): without the erasure role the
        # plans that have one stay, counted and logged; the others go.
        signed = plans.filter(rounds__status=RoundStatus.SIGNED).distinct()
        kept = signed.count()
        if kept:
            logger.warning("retention: the database role may not erase signed records "
                           "(not a member of %s); %d development plans kept", ERASURE_ROLE,
                           kept)
            erasure.add("development_plans_kept_without_erasure_role", kept)
            plans = plans.exclude(pk__in=signed.values("pk"))
    with signed_rows_erasable():
        delete_counted(plans, erasure, "development_plans", dry_run=dry,
                       chains=lambda pks: [chain_for(DevelopmentPlan, pk) for pk in pks])
    delete_counted(
        ManagerPreparation.objects.filter(
            Q(employee__in=leavers) | Q(unchanged, employee__organisation=organisation)),
        erasure, "manager_preparations", dry_run=dry,
        chains=lambda pks: [chain_for(ManagerPreparation, pk) for pk in pks])
    delete_counted(
        DepartmentPreparation.objects.filter(
            Q(author__in=leavers) | Q(unchanged, author__organisation=organisation)),
        erasure, "department_preparations", dry_run=dry,
        chains=lambda pks: [chain_for(DepartmentPreparation, pk) for pk in pks])
    delete_counted(
        EmployeePreparation.objects.filter(
            Q(employee__in=leavers) | Q(unchanged, employee__organisation=organisation)),
        erasure, "employee_preparations", dry_run=dry,
        chains=lambda pks: [chain_for(EmployeePreparation, pk) for pk in pks])
    delete_counted(
        SelfScan.objects.filter(
            Q(employee__in=leavers) | Q(unchanged, employee__organisation=organisation)),
        erasure, "self_scans", dry_run=dry,
        chains=lambda pks: [chain_for(SelfScan, pk) for pk in pks])
    return erasure
