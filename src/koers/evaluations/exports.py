"""A person's evaluations, for their export (seven queries): what they themselves may
read.

The employee reads their own self-evaluation always, and the evaluators' report only once
it reached them (``evaluations.permissions.can_view_report``): the versions delivered to
them, and the draft sent to them for remarks in the written procedure. A version the
evaluators are writing, or signed by the 1st evaluator but not yet delivered, stays out,
with its items and signatures. Where the policy has the employee write the record of the
conversation, the version they are writing is theirs as well.
"""

from dataclasses import replace

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access.personal_data import (
    ExportContext,
    Field,
    Part,
    Record,
    fields_of,
    item,
    register_exporter,
)
from koers.audit.services import chain_for
from koers.evaluations import rules
from koers.evaluations.models import (
    Evaluation,
    EvaluationReport,
    Objection,
    Probation,
    ReportItem,
    SelfEvaluationItem,
    Signature,
)
from koers.evaluations.states import (
    EDITABLE_GROUP,
    EvaluationKind,
    EvaluationState,
    Role,
    kind_label,
    role_label,
    state_label,
)
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy
from koers.rulebook.terms import Terms, terms_for

FIELDS = ("kind", "period_start", "period_end", "state", "first_evaluator",
          "second_evaluator", "written_procedure", "due_on", "formal_reason",
          "self_evaluation")
REPORT_FIELDS = ("overall", "verdict", "advanced_evaluation_on", "delivered_at",
                 "correction_reason")


def _shown_to_employee(policy: Policy) -> QuerySet[EvaluationReport]:
    """The versions the employee may read: those delivered to them; and the current one
    while it is the draft sent to them for remarks, or while they write it themselves
    (where the policy makes the employee the author of the record)."""
    later = EvaluationReport.objects.filter(evaluation=OuterRef("evaluation"),
                                            number__gt=OuterRef("number"))
    authored = [kind for kind in EvaluationKind
                if rules.report_author(policy, kind=kind) == Role.EMPLOYEE]
    current = Q(evaluation__state=EvaluationState.DRAFT_SENT) | Q(
        evaluation__state__in=sorted(EDITABLE_GROUP), evaluation__kind__in=authored)
    return EvaluationReport.objects.filter(
        Q(delivered_at__isnull=False) | Q(current, ~Exists(later))
    ).order_by("number")


@register_exporter("evaluations", order=50,
                   covers=(Evaluation, SelfEvaluationItem, EvaluationReport, ReportItem,
                           Signature, Objection))
def evaluations_part(context: ExportContext) -> Part:
    evaluations = list(
        Evaluation.objects.filter(person=context.person)
        .select_related("first_evaluator", "second_evaluator", "improvement_conversation",
                        "person__organisation", "participation__cycle__organisation")
        .order_by("period_end", "pk")
    )
    if evaluations:  # the policy is read only for someone with evaluations
        prefetch_related_objects(
            evaluations,
            Prefetch("self_items", queryset=SelfEvaluationItem.objects.order_by("position")),
            # Only these versions: the items and signatures below are theirs alone.
            Prefetch("reports", queryset=_shown_to_employee(
                policy_for(context.person.organisation))),
            Prefetch("reports__items", queryset=ReportItem.objects.order_by("position")),
            Prefetch("reports__signatures",
                     queryset=Signature.objects.order_by("signed_at", "pk")),
            Prefetch("objections", queryset=Objection.objects.order_by("filed_on", "pk")),
        )
    terms = terms_for(context.person.organisation.policy_preset)  # the regime's words
    return Part("evaluations", _("Evaluations"), [_record(e, terms) for e in evaluations],
                note=_("Your evaluations: your self-evaluation, every version of the report "
                       "that was delivered to you (or sent to you as a draft for remarks) "
                       "with its signatures, and your objections. A report your evaluators "
                       "are still writing or signing is not yours to read yet."),
                chains=[chain_for(Evaluation, e.pk) for e in evaluations])


def _in_regime_words(fields: list[Field], terms: Terms) -> list[Field]:
    """The kind, the state, the evaluators' roles and a signer's role as the person's
    regime says them (``rulebook.terms``): "signed by the manager" in a Dutch
    municipality, "signed by the evaluator" in the federal administration. The codes
    stay the same in every regime."""
    result = []
    for field in fields:
        if field.name == "kind" and field.value:
            field = replace(field, shown=kind_label(field.value, terms))
        elif field.name == "state" and field.value:
            field = replace(field, shown=state_label(field.value, terms))
        elif field.name == "role" and field.value:
            field = replace(field, shown=role_label(field.value, terms))
        elif field.name in ("first_evaluator", "second_evaluator"):
            field = replace(field, label=capfirst(role_label(field.name, terms)))
        result.append(field)
    return result


def _record(evaluation: Evaluation, terms: Terms) -> Record:
    fields = _in_regime_words(fields_of(evaluation, FIELDS), terms)
    fields += [
        item("self_evaluation_submitted_at", gettext_lazy("self-evaluation submitted at"),
             evaluation.self_evaluation_submitted_at),
        item("draft_sent_on", gettext_lazy("draft sent on"), evaluation.draft_sent_on),
        item("draft_verdict", gettext_lazy("verdict in the draft"), evaluation.draft_verdict),
        *fields_of(evaluation, ("draft_remarks",)),
        item("draft_remarks_on", gettext_lazy("remarks on the draft sent on"),
             evaluation.draft_remarks_on),
        item("delivered_at", gettext_lazy("delivered at"), evaluation.delivered_at),
        item("employee_signature_due", gettext_lazy("to sign by"),
             evaluation.employee_signature_due),
        item("advanced_evaluation_earliest", gettext_lazy("advanced evaluation at the earliest"),
             evaluation.advanced_evaluation_earliest),
        item("improvement_conversation",
             gettext_lazy("progress conversation with improvement points"),
             evaluation.improvement_conversation.held_on
             if evaluation.improvement_conversation is not None else None),
        item("closed_reason", gettext_lazy("reason for cancelling"), evaluation.closed_reason),
        item("created_at", gettext_lazy("created at"), evaluation.created_at),
    ]
    self_items = [Record(entry.goal_title, fields_of(entry, ("goal_title", "text")))
                  for entry in evaluation.self_items.all()]
    reports: list[Record] = []
    report_items: list[Record] = []
    signatures: list[Record] = []
    for report in evaluation.reports.all():
        version = item("version", gettext_lazy("version"), report.number)
        reports.append(Record(_("Version %(number)s") % {"number": report.number}, [
            version, *fields_of(report, REPORT_FIELDS),
            item("created_at", gettext_lazy("created at"), report.created_at)]))
        report_items += [
            Record(entry.goal_title, [version, *fields_of(entry, ("goal_title", "text"))])
            for entry in report.items.all()]
        signatures += [
            Record(signature.signer_name, [
                version, *_in_regime_words(fields_of(
                    signature, ("role", "signer_name", "signed_at", "remarks")), terms),
                item("with_self_evaluation", gettext_lazy("with the self-evaluation"),
                     signature.with_self_evaluation),
                item("seal", gettext_lazy("seal (SHA-256)"), signature.seal)])
            for signature in report.signatures.all()]
    objections = [Record(str(objection.filed_on), fields_of(
        objection, ("filed_on", "text", "outcome", "decided_on", "decided_by_body",
                    "motivation")))
                  for objection in evaluation.objections.all()]
    title = f"{capfirst(kind_label(evaluation.kind, terms))}, {evaluation.period_name}"
    return Record(title, fields, parts=[
        Part("self_evaluation_items", _("Self-evaluation per goal"), self_items),
        Part("reports", _("Report versions"), reports),
        Part("report_items", _("Report per goal"), report_items),
        Part("signatures", _("Signatures"), signatures),
        Part("objections", _("Objections"), objections),
    ])


@register_exporter("probations", order=51, covers=(Probation,))
def probations_part(context: ExportContext) -> Part:
    """The person's probations: why, from when, how long, the mentor, the days not
    worked and the computed end (one query)."""
    probations = list(Probation.objects.filter(person=context.person)
                      .select_related("mentor").order_by("starts_on", "pk"))
    return Part("probations", _("Probations"), [
        Record(str(probation.starts_on), [
            *fields_of(probation, ("reason", "starts_on", "months", "mentor", "ends_on")),
            item("absences", gettext_lazy("days not worked"),
                 ", ".join(day.isoformat() for day in probation.absence_days)),
            item("created_at", gettext_lazy("created at"), probation.created_at)])
        for probation in probations],
        note=_("Your probations as HR recorded them; their evaluations are under "
               "Evaluations."),
        chains=[chain_for(Probation, probation.pk) for probation in probations])
