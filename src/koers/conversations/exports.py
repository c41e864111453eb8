"""A person's conversations with their agenda, goals discussed and report, for their
export (4 queries), and whether they have a private calendar link; their individual work
plans with the amendments recorded since (2 queries); the mediations they asked for
(1 query)."""

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
from koers.conversations.models import (
    AgendaItem,
    CalendarFeed,
    Conversation,
    Mediation,
    WorkPlan,
    WorkPlanAmendment,
)
from koers.core.models import User

FIELDS = ("kind", "starts_at", "ends_at", "location", "online_link", "in_writing", "status",
          "organiser", "invitee", "holder", "notes", "held_on", "report",
          "combined_with_planning", "agreements", "employee_confirmed_at",
          "evaluator_confirmed_at", "created_at", "updated_at")


@register_exporter("conversations", order=40, covers=(Conversation, AgendaItem, CalendarFeed))
def conversations_part(context: ExportContext) -> Part:
    conversations = list(
        Conversation.objects.filter(employee=context.person)
        .select_related("employee__organisation", "organiser", "invitee", "holder")
        .prefetch_related("agenda", "goals")
        .order_by("starts_at", "pk")
    )
    records = []
    for conversation in conversations:
        fields = fields_of(conversation, FIELDS)
        fields.append(item("goals", gettext_lazy("goals discussed"),
                           [goal.title for goal in conversation.goals.all()]))
        # Guiding questions in the language of the export, as on the page.
        agenda = [Record(entry.shown, [item("text", gettext_lazy("agenda item"), entry.shown)])
                  for entry in conversation.agenda.all()]
        records.append(Record(str(conversation), fields, parts=[
            Part("agenda", _("Agenda"), agenda)]))
    feed = CalendarFeed.objects.filter(user_id=context.person.user_id).first() \
        if context.person.user_id is not None else None
    note = _("Your conversations, their agendas and reports.")
    if feed is not None:
        note += " " + _("You have a private calendar link, made on %(day)s (the link itself "
                        "is a password and is not in this export).") % {
            "day": feed.created_at.date().isoformat()}
    return Part("conversations", _("Conversations"), records, note=note,
                chains=[chain_for(Conversation, c.pk) for c in conversations])


def _name_of(user: User | None) -> str | None:
    return person_name(user) if user is not None else None


WORK_PLAN_FIELDS = ("period_start", "period_end", "expected_performance", "competencies",
                    "development_wishes", "support", "manager_comments", "status")


@register_exporter("work_plans", order=45, covers=(WorkPlan, WorkPlanAmendment))
def work_plans_part(context: ExportContext) -> Part:
    plans = list(
        WorkPlan.objects.filter(employee=context.person)
        .select_related("commented_by__person", "evaluator_confirmed_by__person")
        .prefetch_related(Prefetch(
            "amendments", queryset=WorkPlanAmendment.objects.select_related(
                "conversation", "recorded_by__person").order_by("recorded_at", "pk")))
        .order_by("period_start", "pk")
    )
    records = []
    for plan in plans:
        fields = [
            *fields_of(plan, WORK_PLAN_FIELDS),
            item("commented_at", gettext_lazy("commented at"), plan.commented_at),
            item("commented_by", gettext_lazy("commented by"), _name_of(plan.commented_by)),
            item("employee_confirmed_at", gettext_lazy("confirmed by you at"),
                 plan.employee_confirmed_at),
            item("evaluator_confirmed_at", gettext_lazy("confirmed by the manager at"),
                 plan.evaluator_confirmed_at),
            item("evaluator_confirmed_by", gettext_lazy("confirmed by"),
                 _name_of(plan.evaluator_confirmed_by)),
            *fields_of(plan, ("fixed_at",)),
            item("created_at", gettext_lazy("created at"), plan.created_at),
        ]
        amendments = [
            Record(amendment.change, [
                item("conversation", gettext_lazy("progress conversation"),
                     amendment.conversation.held_on),
                *fields_of(amendment, ("change", "reason", "recorded_at")),
                item("by", gettext_lazy("by"), person_name(amendment.recorded_by)),
            ])
            for amendment in plan.amendments.all()
        ]
        title = _("Work plan %(start)s – %(end)s") % {
            "start": plan.period_start.isoformat(), "end": plan.period_end.isoformat()}
        records.append(Record(title, fields, parts=[
            Part("amendments", _("Changed agreements"), amendments)]))
    return Part("work_plans", _("Individual work plans"), records,
                note=_("Your individual work plans with your manager's comments and the "
                       "agreements changed since in a progress conversation."),
                chains=[chain_for(WorkPlan, plan.pk) for plan in plans])


MEDIATION_FIELDS = ("account", "mediator_kind", "status", "outcome", "outcome_text",
                    "requested_at", "recorded_at")


@register_exporter("mediations", order=46, covers=(Mediation,))
def mediations_part(context: ExportContext) -> Part:
    mediations = list(
        Mediation.objects.filter(employee=context.person)
        .select_related("mediator", "conversation", "work_plan", "recorded_by__person")
        .order_by("requested_at", "pk")
    )
    records = []
    for mediation in mediations:
        about = (str(mediation.conversation) if mediation.conversation is not None
                 else _("Work plan %(start)s – %(end)s") % {
                     "start": mediation.work_plan.period_start.isoformat(),
                     "end": mediation.work_plan.period_end.isoformat()}
                 if mediation.work_plan is not None else "")
        fields = [
            item("about", gettext_lazy("about"), about),
            *fields_of(mediation, MEDIATION_FIELDS),
            item("mediator", gettext_lazy("mediator"), mediation.mediator.full_name),
            item("recorded_by", gettext_lazy("recorded by"), _name_of(mediation.recorded_by)),
        ]
        records.append(Record(about, fields))
    return Part("mediations", _("Mediations"), records,
                note=_("The mediations you asked for when you and your manager disagreed, "
                       "with their outcome."),
                chains=[chain_for(Mediation, m.pk) for m in mediations])
