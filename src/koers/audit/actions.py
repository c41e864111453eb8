"""The registry of audit actions: every event names one of these, so a typo fails loudly.

Rooms register their actions here, next to each other, so the history page and the
documentation have one list to read. The label is what the history shows.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise


_REGISTRY: dict[str, Action] = {}


class UnknownAction(LookupError):
    """An event named an action nobody registered (a programming error, not a user's)."""


def register(name: str, *, label: str | Promise) -> Action:
    if name in _REGISTRY:
        raise ValueError(f"audit action {name!r} is registered twice")
    action = Action(name=name, label=label)
    _REGISTRY[name] = action
    return action


def get(name: str) -> Action:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownAction(f"unknown audit action {name!r}; register it in audit/actions.py") \
            from None


def label(name: str) -> str:
    """The label of an action, or its name for an action no longer registered."""
    action = _REGISTRY.get(name)
    return str(action.label) if action is not None else name


register("unit.created", label=_("Unit created"))
register("unit.changed", label=_("Unit changed"))
register("unit.deleted", label=_("Unit removed"))
register("person.created", label=_("Person created"))
register("person.changed", label=_("Person changed"))
register("person.other_evaluation_recorded",
         label=_("Evaluated in another form: top manager or mandate holder"))
register("person.other_evaluation_cleared", label=_("Back in the annual evaluation"))
register("evaluator_override.created", label=_("Evaluators set by hand"))
register("evaluator_override.ended", label=_("Evaluator override ended"))
register("effective_work.corrected", label=_("Hours worked corrected"))
register("policy.setting_changed", label=_("Policy settings changed"))
register("organisation.look_changed", label=_("Organisation's colour or logo changed"))
register("employer_sign_in.changed", label=_("Employer sign-in changed"))
register("employer_sign_in.linked", label=_("Linked to the employer sign-in"))
register("cycle.opened", label=_("Cycle opened"))
register("cycle.resumed", label=_("Opening of the cycle continued"))
register("participation.period_agreed", label=_("Agreed evaluated period recorded"))
register("participation.period_agreement_cleared", label=_("Back to the normal period"))
register("participation.leaving_recorded", label=_("Leaving recorded"))
register("participation.leaving_cleared", label=_("Record of leaving cleared"))
register("participation.late_reminder", label=_("HR reminded who must act of a late step"))
register("goal.proposed", label=_("Goal proposed"))
register("goal.confirmed", label=_("Goal confirmed"))
register("goal.adjusted", label=_("Goal adjusted"))
register("goal.status", label=_("Goal status changed"))
register("planning.signed", label=_("Planning signed for agreement"))
register("conversation.scheduled", label=_("Conversation scheduled"))
register("conversation.rescheduled", label=_("Conversation moved"))
register("conversation.agenda_item_added", label=_("Agenda item added to a conversation"))
register("conversation.cancelled", label=_("Conversation cancelled"))
register("conversation.held", label=_("Conversation held"))
register("conversation.report_written", label=_("Conversation report written"))
register("conversation.report_confirmed", label=_("Conversation report confirmed"))
# Dutch policy: the 1st evaluator designates who holds a conversation, or withdraws it.
register("conversation.holder_designated", label=_("Person designated to hold a conversation"))
register("conversation.holder_withdrawn", label=_("Designation to hold a conversation withdrawn"))
# The Dutch individual work plan: drafted by the employee, commented by the 1st
# evaluator, confirmed by both (then fixed), amended in a progress conversation.
register("work_plan.drafted", label=_("Work plan drafted"))
register("work_plan.written", label=_("Work plan changed"))
register("work_plan.commented", label=_("Work plan commented"))
register("work_plan.confirmed", label=_("Work plan confirmed"))
register("work_plan.fixed", label=_("Work plan fixed"))
register("work_plan.amended", label=_("Work plan agreement changed"))
register("mediation.requested", label=_("Mediation requested"))
register("mediation.recorded", label=_("Mediation outcome recorded"))
register("calendar_feed.renewed", label=_("New calendar link"))
register("access_request.created", label=_("Access to content requested"))
register("access_request.granted", label=_("Access to content granted"))
register("access_request.refused", label=_("Access to content refused"))
register("access_request.read", label=_("Content read under a granted request"))
register("director.read", label=_("Reports read by the director of the department"))
# Personal API tokens (access/tokens.py), made and revoked by their owner.
register("api_token.created", label=_("API token made"))
register("api_token.revoked", label=_("API token revoked"))
# Personal data and retention (access/personal_data.py, access/retention.py).
register("personal_data.exported", label=_("Own data downloaded"))
register("person.pseudonymised", label=_("Person pseudonymised after the retention period"))
register("retention.applied", label=_("Retention period applied"))
# The accounting of an erasure run: which run, how many events it emptied (audit.redact).
register("audit.redacted", label=_("Audit details erased after the retention period"))
# Bulk writes: one summary event per batch, with counts (no event per row).
register("import.applied", label=_("File imported"))
register("cycle.participations_added", label=_("Participations added to the cycle"))
register("cycle.participations_synced", label=_("Participations recomputed"))
register("participation.synced", label=_("Participation recomputed"))
register("cycle.evaluations_lapsed",
         label=_("Late evaluations lapsed (the next cycle started without a mention)"))
# Evaluations (evaluations.services): one per transition and per edit of the machine.
register("evaluation.opened", label=_("Evaluation opened"))
register("probation.recorded", label=_("Probation recorded"))
register("probation.absences_set", label=_("Days not worked in the probation recorded"))
register("stage.extended", label=_("Stage extended"))
register("stage.ended", label=_("End of the stage recorded"))
register("evaluation.evaluators_changed", label=_("Evaluators of the evaluation updated"))
register("evaluation.self_evaluation_saved", label=_("Self-evaluation saved"))
register("evaluation.self_evaluation_submitted", label=_("Self-evaluation submitted"))
register("evaluation.report_saved", label=_("Evaluation report saved"))
register("evaluation.written_procedure_set", label=_("Written procedure chosen"))
register("evaluation.draft_sent", label=_("Draft report sent for remarks"))
register("evaluation.draft_remarks_added", label=_("Remarks on the draft report sent"))
register("evaluation.sign_first", label=_("Signed by the 1st evaluator"))
register("evaluation.sign_second", label=_("Signed by the 2nd evaluator"))
register("evaluation.sign_employee", label=_("Signed by the employee"))
register("evaluation.advanced_evaluation_moved",
         label=_("Advanced evaluation moved to the earliest day allowed"))
register("evaluation.corrected", label=_("Evaluation report corrected (new version)"))
register("evaluation.closed_unsigned", label=_("Evaluation closed without the employee's "
                                                "signature"))
register("evaluation.cancelled", label=_("Evaluation cancelled"))
register("evaluation.objection_recorded", label=_("Objection recorded"))
register("evaluation.objection_decided", label=_("Decision on the objection recorded"))
# Development (POP): catalogues, preparations, plans and the training demand.
register("development_catalogue.seeded", label=_("Catalogues seeded from the sources"))
register("competency_cluster.created", label=_("Competency cluster added"))
register("competency_cluster.changed", label=_("Competency cluster changed"))
register("competency.created", label=_("Competency added"))
register("competency.changed", label=_("Competency changed"))
register("development_action.created", label=_("Development action added"))
register("development_action.changed", label=_("Development action changed"))
register("recommendation.changed", label=_("Recommendation changed"))
register("competency_profile.saved", label=_("Competency profile saved"))
register("competency_profile.deleted", label=_("Competency profile removed"))
register("training_plan.created", label=_("Training plan added"))
register("training_plan.changed", label=_("Training plan changed"))
register("training_plan.removed", label=_("Training plan removed"))
register("self_scan.saved", label=_("Self-scan saved"))  # names the fields, not the text
register("pop_preparation.created", label=_("Preparation started"))
register("pop_preparation.changed", label=_("Preparation changed"))
register("pop_preparation.shared", label=_("Preparation shared"))
register("development_plan.created", label=_("Development plan started"))
register("development_plan.changed", label=_("Development plan changed"))
register("development_plan.round_started", label=_("Development plan follow-up started"))
register("development_plan.signed", label=_("Development plan signed"))
register("development_plan.sealed", label=_("Development plan signed by both"))
register("development_plan.closed", label=_("Development plan closed"))
register("development_plan.cancelled", label=_("Development plan cancelled"))
register("improvement_plan.started", label=_("Improvement plan started"))
register("improvement_plan.changed", label=_("Improvement plan changed"))
register("improvement_plan.remarks", label=_("Remarks on the improvement plan"))
register("improvement_plan.signed", label=_("Improvement plan signed"))
register("improvement_plan.sealed", label=_("Improvement plan signed by both"))
register("improvement_plan.cancelled", label=_("Improvement plan cancelled"))
register("improvement_plan.follow_up_scheduled",
         label=_("Improvement plan follow-up scheduled"))
register("improvement_plan.follow_up_recorded",
         label=_("Improvement plan follow-up recorded"))
register("improvement_plan.extension_proposed",
         label=_("Improvement plan extension proposed"))
register("improvement_plan.extended", label=_("Improvement plan extended"))
register("improvement_plan.decided", label=_("Improvement plan decided"))
register("hr_action.arranged", label=_("HR action arranged"))
register("hr_action.reopened", label=_("HR action back to requested"))
# Consequences (consequences.services): appeals, salary decisions, objections.
register("appeal.filed", label=_("Appeal to the appeal board filed"))
register("appeal.hearing_recorded", label=_("Hearing of the appeal recorded"))
register("appeal.advised", label=_("Advice of the evaluation commission on the appeal recorded"))
register("unfitness.reviewed", label=_("Two “onvoldoende” reviewed for professional unfitness"))
register("appeal.decided", label=_("Outcome of the appeal recorded"))
# One event per batch of salary decisions, listing each decision (docs/consequences.md).
register("salary_decision.batch_taken", label=_("Salary decisions taken"))
register("salary_objection.filed", label=_("Objection to a salary decision filed"))
register("salary_objection.advised", label=_("Advice on the objection recorded"))
register("salary_objection.decided", label=_("Final decision on the objection taken"))
# A member of the appeal board, advisory or management body read a case file.
register("case_file.read", label=_("Case file read by a member of a body"))
