"""A person's improvement plans for their personal-data export: each plan with its goals,
signatures, follow-ups with the progress per goal, and the decision (five queries)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access.personal_data import (
    ExportContext,
    Part,
    Record,
    fields_of,
    item,
    register_exporter,
)
from koers.audit.services import chain_for
from koers.improvement.models import (
    FollowUp,
    GoalProgress,
    ImprovementGoal,
    ImprovementPlan,
    ImprovementSignature,
)

PLAN_FIELDS = ("started_by", "grounds", "support", "period_start", "period_end",
               "follow_up_months", "status", "employee_remarks", "signed_on", "seal",
               "extensions", "decided_on", "decided_by", "motivation")


@register_exporter("improvement", order=47,
                   covers=(ImprovementPlan, ImprovementGoal, ImprovementSignature, FollowUp,
                           GoalProgress))
def improvement_part(context: ExportContext) -> Part:
    plans = list(
        ImprovementPlan.objects.filter(employee=context.person)
        .select_related("started_by", "decided_by")
        .prefetch_related(
            "goals",
            Prefetch("signatures", queryset=ImprovementSignature.objects.order_by("signed_at")),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("recorded_by")
                     .prefetch_related(Prefetch("progress", queryset=GoalProgress.objects
                                                .select_related("goal")))),
        ).order_by("period_start", "pk"))
    return Part("improvement", _("Improvement plans"), [_record(plan) for plan in plans],
                note=_("Your personal improvement plans: why, the expected improvements "
                       "with their indicators, the support, the signatures, every follow-up "
                       "conversation with the progress per goal, and the decision."),
                chains=[chain_for(ImprovementPlan, plan.pk) for plan in plans])


def _record(plan: ImprovementPlan) -> Record:
    goals = [Record(g.expected, fields_of(g, ("position", "expected", "indicators")))
             for g in plan.goals.all()]
    signatures = [Record(s.name, fields_of(s, ("role", "name", "signed_on", "seal")))
                  for s in plan.signatures.all()]
    follow_ups = [Record(str(f.number), [
        *fields_of(f, ("number", "due_on", "held_on", "actions", "recorded_by")),
        item("progress", gettext_lazy("progress"),
             [f"{p.goal.position}: {p.text}" for p in f.progress.all()])])
        for f in plan.follow_ups.all()]
    title = _("Improvement plan %(start)s – %(end)s") % {
        "start": plan.period_start.isoformat(), "end": plan.period_end.isoformat()}
    return Record(title, [*fields_of(plan, PLAN_FIELDS),
                          item("content", gettext_lazy("the plan as signed"), plan.content,
                               _("in the JSON download") if plan.content is not None else None)],
                  parts=[Part("goals", _("Expected improvements"), goals),
                         Part("signatures", _("Signatures"), signatures),
                         Part("follow_ups", _("Follow-up conversations"), follow_ups)])
