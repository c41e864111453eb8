"""Retention in the conversations room: the conversations of leavers, and conversations
that ended and were not changed since before the cutoff, go with their agendas; the
individual work plans of leavers, and work plans whose period ended before the cutoff,
go with their amendments; a leaver's calendar link goes too (access/retention.py runs
it). A conversation another record still protects (an evaluation's) stays until that
record goes."""

import datetime as dt

from django.db.models import Q

from koers.access.personal_data import Erasure, ErasurePlan, delete_counted, register_eraser
from koers.audit.services import chain_for
from koers.conversations.models import CalendarFeed, Conversation, WorkPlan


@register_eraser("conversations", order=40)
def erase_conversations(plan: ErasurePlan) -> Erasure:
    erasure = Erasure()
    cutoff = dt.datetime.combine(plan.cutoff, dt.time.min, tzinfo=dt.UTC)
    # First: a work plan's amendments protect the conversations they were recorded in.
    work_plans = WorkPlan.objects.filter(
        Q(employee__in=plan.leaver_ids)
        | Q(employee__organisation=plan.organisation, period_end__lt=plan.cutoff))
    delete_counted(work_plans, erasure, "work_plans", dry_run=plan.dry_run,
                   chains=lambda pks: [chain_for(WorkPlan, pk) for pk in pks])
    conversations = Conversation.objects.filter(
        Q(employee__in=plan.leaver_ids)
        | Q(employee__organisation=plan.organisation, ends_at__lt=cutoff,
            updated_at__lt=cutoff))
    delete_counted(conversations, erasure, "conversations", dry_run=plan.dry_run,
                   chains=lambda pks: [chain_for(Conversation, pk) for pk in pks])
    delete_counted(CalendarFeed.objects.filter(user__person__in=plan.leaver_ids), erasure,
                   "calendar_links", dry_run=plan.dry_run)
    return erasure
