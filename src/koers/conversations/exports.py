"""A person's conversations with their agenda, goals discussed and report, for their
export (4 queries), and whether they have a private calendar link."""

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
from koers.conversations.models import AgendaItem, CalendarFeed, Conversation

FIELDS = ("kind", "starts_at", "ends_at", "location", "online_link", "in_writing", "status",
          "organiser", "invitee", "notes", "held_on", "report", "employee_confirmed_at",
          "evaluator_confirmed_at", "created_at", "updated_at")


@register_exporter("conversations", order=40, covers=(Conversation, AgendaItem, CalendarFeed))
def conversations_part(context: ExportContext) -> Part:
    conversations = list(
        Conversation.objects.filter(employee=context.person)
        .select_related("organiser", "invitee")
        .prefetch_related("agenda", "goals")
        .order_by("starts_at", "pk")
    )
    records = []
    for conversation in conversations:
        fields = fields_of(conversation, FIELDS)
        fields.append(item("goals", gettext_lazy("goals discussed"),
                           [goal.title for goal in conversation.goals.all()]))
        agenda = [Record(entry.text, [item("text", gettext_lazy("agenda item"), entry.text)])
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
