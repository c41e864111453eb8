"""A person's appeals, salary decisions, objections, the bodies' reads of their files and
HR's answers to a flag of two onvoldoende, for their export (five queries)."""

from django.utils.translation import gettext as _

from koers.access.personal_data import ExportContext, Part, Record, fields_of, register_exporter
from koers.audit.services import chain_for
from koers.consequences.models import (
    Appeal,
    CaseFileRead,
    SalaryDecision,
    SalaryDecisionBatch,
    SalaryObjection,
    UnfitnessReview,
)
from koers.consequences.selectors import EVALUATION_PERIOD


@register_exporter("consequences", order=55,
                   covers=(Appeal, SalaryDecision, SalaryDecisionBatch, SalaryObjection,
                           CaseFileRead, UnfitnessReview))
def consequences_part(context: ExportContext) -> Part:
    person = context.person
    appeals = list(Appeal.objects.filter(person=person).select_related(*EVALUATION_PERIOD)
                   .order_by("filed_at", "pk"))
    decisions = list(SalaryDecision.objects.filter(person=person)
                     .select_related(*EVALUATION_PERIOD)
                     .order_by("decided_on", "pk"))
    objections = list(SalaryObjection.objects.filter(person=person).order_by("filed_at", "pk"))
    reads = list(CaseFileRead.objects.filter(subject=person).select_related("reader")
                 .order_by("read_at", "pk"))
    reviews = list(UnfitnessReview.objects.filter(person=person).order_by("reviewed_at", "pk"))
    records = [
        *(Record(_("Appeal against the verdict (%(period)s)") % {
            "period": a.evaluation.period_name}, fields_of(a, (
                "verdict", "grounds", "filed_at", "state", "hearing_on", "hearing_notes",
                "outcome", "decided_on", "decision_remarks"))) for a in appeals),
        *(Record(_("Salary decision on the evaluation (%(period)s)") % {
            "period": d.evaluation.period_name}, fields_of(d, ("verdict", "step", "decided_on")))
          for d in decisions),
        *(Record(_("Objection to a salary decision"), fields_of(o, (
            "grounds", "filed_at", "state", "advice", "advised_step", "advised_on",
            "final_step", "final_remarks", "decided_on"))) for o in objections),
        *(Record(_("Read by a member of a body"), fields_of(r, (
            "reader", "role", "record_label", "read_at"))) for r in reads),
        *(Record(_("HR's answer to two “onvoldoende”"), fields_of(r, (
            "worked_days", "decision", "remarks", "reviewed_at"))) for r in reviews),
    ]
    return Part("consequences", _("Appeals and salary decisions"), records,
                note=_("Your appeals, the salary decisions after your evaluations, your "
                       "objections, and every read of your files by a member of the appeal "
                       "board, the advisory body or the management body; HR's answer when "
                       "two “onvoldoende” flagged possible professional unfitness."),
                chains=[*(chain_for(Appeal, a.pk) for a in appeals),
                        *(chain_for(SalaryObjection, o.pk) for o in objections)])
