"""A person's goals with their history and follow-up notes, for their export (3 queries)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access.personal_data import (
    ExportContext,
    Part,
    Record,
    fields_of,
    item,
    person_name,
    register_exporter,
)
from koers.audit.services import chain_for
from koers.goals.models import Goal, GoalChange, GoalComment, PlanningSignature

FIELDS = ("kind", "title", "description", "measure", "means", "start_date", "deadline",
          "milestones", "status", "progress", "visibility", "team_goal", "cycle",
          "employee_confirmed_at", "evaluator_confirmed_at", "created_at", "updated_at")


@register_exporter("goals", order=30, covers=(Goal, GoalChange, GoalComment))
def goals_part(context: ExportContext) -> Part:
    goals = list(
        Goal.objects.filter(owner=context.person)
        .select_related("team_goal", "cycle")
        .prefetch_related(
            Prefetch("changes", queryset=GoalChange.objects.select_related("actor__person")),
            Prefetch("comments", queryset=GoalComment.objects.select_related("author__person")),
        )
        .order_by("created_at", "pk")
    )
    records = []
    for goal in goals:
        changes = [
            Record(change.get_kind_display(), [
                item("at", gettext_lazy("at"), change.at),
                item("kind", gettext_lazy("kind"), change.kind, change.get_kind_display()),
                item("by", gettext_lazy("by"), person_name(change.actor)),
                item("fields", gettext_lazy("changes"), change.fields),
                item("reason", gettext_lazy("reason"), change.reason),
            ])
            for change in goal.changes.all()
        ]
        comments = [
            Record(person_name(comment.author), [
                item("at", gettext_lazy("at"), comment.at),
                item("by", gettext_lazy("by"), person_name(comment.author)),
                item("text", gettext_lazy("text"), comment.text),
            ])
            for comment in goal.comments.all()
        ]
        records.append(Record(goal.title, fields_of(goal, FIELDS), parts=[
            Part("changes", _("History"), changes),
            Part("notes", _("Follow-up notes"), comments),
        ]))
    return Part("goals", _("Goals"), records,
                note=_("Your goals, every change to them and every follow-up note."),
                chains=[chain_for(Goal, goal.pk) for goal in goals])


@register_exporter("planning", order=31, covers=(PlanningSignature,))
def planning_part(context: ExportContext) -> Part:
    """The signatures "voor akkoord" under the person's planning of each period, with
    the goals each one covered (one query)."""
    signatures = list(
        PlanningSignature.objects.filter(participation__person=context.person)
        .select_related("participation__cycle__organisation")
        .order_by("signed_at", "pk"))
    records = [
        Record(f"{signature.participation.cycle.name}: {signature.signer_name}", [
            *fields_of(signature, ("role", "signer_name", "signed_at", "seal")),
            item("goals", gettext_lazy("goals"),
                 [goal.get("title", "") for goal in signature.content.get("goals", [])]),
        ])
        for signature in signatures
    ]
    return Part("planning", _("Planning signatures"), records,
                note=_("Every signature for agreement under your planning, with the goals "
                       "it covered."))
