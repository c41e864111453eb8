"""Retention in the cycles room: participations of leavers and of periods that ended
before the cutoff are deleted (access/retention.py runs it)."""

from django.db.models import Q

from koers.access.personal_data import Erasure, ErasurePlan, delete_counted, register_eraser
from koers.audit.services import chain_for
from koers.cycles.models import Participation


@register_eraser("participations", order=20)
def erase_participations(plan: ErasurePlan) -> Erasure:
    erasure = Erasure()
    participations = Participation.objects.filter(
        Q(person__in=plan.leaver_ids)
        | Q(cycle__organisation=plan.organisation, period_end__lt=plan.cutoff))
    delete_counted(participations, erasure, "participations", dry_run=plan.dry_run,
                   chains=lambda pks: [chain_for(Participation, pk) for pk in pks])
    return erasure
