"""A person's participations in the annual cycles, for their export (one query)."""

from django.utils.text import capfirst
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
from koers.cycles.labels import step_label
from koers.cycles.milestones import STEPS
from koers.cycles.models import LateReminder, Participation

FIELDS = ("period_start", "period_end", "evaluation_required", "exemption", "hours_worked",
          "months_employed", "on_probation", "follow_ups_held", "closed_on",
          "agreed_period_start", "agreed_period_end", "period_agreement_note",
          "leaving_reason", "last_working_day", "evaluated_before_leaving", "lapsed_on")


@register_exporter("participations", order=20, covers=(Participation,))
def participations_part(context: ExportContext) -> Part:
    participations = list(Participation.objects.filter(person=context.person)
                          .select_related("cycle__organisation").order_by("cycle__year", "pk"))
    preset = context.person.organisation.policy_preset  # the regime names the signers
    records = []
    for participation in participations:
        fields = fields_of(participation, FIELDS)
        for step in STEPS:
            due = getattr(participation, step.due_field)
            if due is None:
                continue
            fields.append(item(step.due_field, _("%(step)s: due") % {
                "step": step_label(step.due, preset)}, due))
            if step.done_field is not None:
                fields.append(item(step.done_field, _("%(step)s: done") % {
                    "step": step_label(step.due, preset)}, getattr(participation, step.done_field)))
        records.append(Record(capfirst(participation.cycle.name),
                              [item("year", gettext_lazy("year"), participation.cycle.year),
                               *fields]))
    return Part("participations", _("Annual cycles"), records,
                note=_("Your period in each cycle, whether the evaluation was mandatory, "
                       "and every due date with the day it was done."),
                chains=[chain_for(Participation, p.pk) for p in participations])


@register_exporter("late_reminders", order=21, covers=(LateReminder,))
def late_reminders_part(context: ExportContext) -> Part:
    """The reminders HR sent about the person's late steps (who was told, not what HR
    wrote: the reminder's text is the step and its due date)."""
    reminders = list(LateReminder.objects.filter(person=context.person)
                     .order_by("sent_at", "pk"))
    preset = context.person.organisation.policy_preset
    records = [Record(_("Reminder of %(day)s") % {"day": reminder.sent_on.isoformat()},
                      [item("step", gettext_lazy("step"), step_label(reminder.step, preset)),
                       item("due", gettext_lazy("due by"), reminder.due),
                       item("sent_on", gettext_lazy("sent on"), reminder.sent_on)])
               for reminder in reminders]
    return Part("late_reminders", _("Reminders about late steps"), records,
                note=_("Each time HR reminded whoever had to act that a step of yours was "
                       "late: the step, its due date and the day of the reminder."))
