"""Retention in the consequences room: the cases of leavers, and cases closed before the
cutoff, go with the bodies' reads of them (access/retention.py runs it). Its order lies
above the evaluations room's, so the appeals and decisions that protect an evaluation go
first."""

from django.db.models import Q

from koers.access.personal_data import Erasure, ErasurePlan, delete_counted, register_eraser
from koers.audit.services import chain_for
from koers.consequences.models import Appeal, CaseFileRead, SalaryDecision, SalaryObjection
from koers.consequences.states import AppealState, ObjectionState


@register_eraser("consequences", order=55)
def erase_consequences(plan: ErasurePlan) -> Erasure:
    erasure = Erasure()
    leavers, cutoff, organisation = plan.leaver_ids, plan.cutoff, plan.organisation
    delete_counted(
        CaseFileRead.objects.filter(
            Q(subject__in=leavers)
            | Q(subject__organisation=organisation, read_at__date__lt=cutoff)),
        erasure, "case_file_reads", dry_run=plan.dry_run)
    delete_counted(
        SalaryObjection.objects.filter(
            Q(person__in=leavers)
            | Q(organisation=organisation, state=ObjectionState.DECIDED,
                decided_on__lt=cutoff)),
        erasure, "salary_objections", dry_run=plan.dry_run,
        chains=lambda pks: [chain_for(SalaryObjection, pk) for pk in pks])
    delete_counted(
        SalaryDecision.objects.filter(
            Q(person__in=leavers) | Q(organisation=organisation, decided_on__lt=cutoff)),
        erasure, "salary_decisions", dry_run=plan.dry_run)
    delete_counted(
        Appeal.objects.filter(
            Q(person__in=leavers)
            | Q(organisation=organisation, state=AppealState.DECIDED, decided_on__lt=cutoff)),
        erasure, "appeals", dry_run=plan.dry_run,
        chains=lambda pks: [chain_for(Appeal, pk) for pk in pks])
    return erasure
