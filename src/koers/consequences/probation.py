"""A Flemish probation's outcome: the end of the probation ([f19]), the verdict that
counts after an appeal ([f5]), and what a negative one leads to ([f20]); for a federal
stage, its conversations and how it ends (``evaluations.probation.stage_progress``,
[b12]–[b14]). One read for the probation's page and the API; the rules are
``rulebook.probation`` and ``rulebook.stage``.
"""

import datetime as dt
from dataclasses import dataclass

from koers.access.policy import Viewer
from koers.consequences import permissions, rules, selectors
from koers.consequences.models import Appeal
from koers.consequences.states import AppealOutcome, AppealState
from koers.core.clock import today_for
from koers.evaluations import probation as records
from koers.evaluations.models import Evaluation, Probation, Signature
from koers.evaluations.rules import local_day
from koers.evaluations.states import DELIVERED_GROUP, Role
from koers.rulebook import probation as probation_rules
from koers.rulebook.policy import policy_for
from koers.rulebook.verdicts import NEGATIVE_VERDICTS


@dataclass(frozen=True)
class ProbationOutcome:
    """What the page shows of a probation on ``today``."""

    probation: Probation
    evaluation: Evaluation | None
    today: dt.date
    delivered_on: dt.date | None = None
    verdict: str = ""  # the verdict that counts (an appeal may have changed it)
    ended_on: dt.date | None = None  # [f19]; None while it runs
    may_appeal: bool = False  # a statutory probationer with a negative verdict
    appeal_due: dt.date | None = None
    appeal: Appeal | None = None  # the appeal, for whoever may see it
    contract_from: dt.date | None = None  # [f20] the fixed-term contract, once settled
    contract_until: dt.date | None = None
    stage: records.StageProgress | None = None  # the federal stage's steps and outcome

    @property
    def negative(self) -> bool:
        return self.verdict in NEGATIVE_VERDICTS

    @property
    def appeal_pending(self) -> bool:
        return self.appeal is not None and self.appeal.state != AppealState.DECIDED


def _second_signed_on(evaluation: Evaluation) -> dt.date | None:
    signed = (Signature.objects.filter(report__evaluation=evaluation,
                                       role=Role.SECOND_EVALUATOR)
              .order_by("-signed_at").values_list("signed_at", flat=True).first())
    if signed is None:
        return None
    return local_day(signed, evaluation.person.organisation.time_zone)


def probation_outcome(viewer: Viewer, probation: Probation) -> ProbationOutcome:
    """The probation's state for the viewer (who may see the probation; the caller
    checked it): a fixed number of queries."""
    person = probation.person
    policy = policy_for(person.organisation)
    today = today_for(person.organisation)
    evaluation = records.probation_evaluation(probation)
    stage = records.stage_progress(probation)
    if stage is not None:
        # The federal stage ends by HR's record of its outcome ([b13]), not by [f19]'s
        # days; the evaluation commission, not the appeal board, hears it.
        verdict = (selectors.report_verdict(evaluation)
                   if evaluation is not None and evaluation.state in DELIVERED_GROUP else "")
        return ProbationOutcome(probation, evaluation, today, verdict=verdict, stage=stage)
    held_on = (evaluation.conversation.held_on
               if evaluation is not None and evaluation.conversation is not None else None)
    if evaluation is None or evaluation.state not in DELIVERED_GROUP:
        ended = (probation_rules.probation_ended_on(
            computed_end=probation.ends_on, conversation_on=held_on, second_signed_on=None)
            if today > probation.ends_on + dt.timedelta(days=probation_rules.LATE_END_DAYS)
            else None)
        return ProbationOutcome(probation, evaluation, today, ended_on=ended, stage=stage)
    delivered_on = selectors.delivered_on(evaluation)
    appeal = selectors.appeal_of(evaluation)
    verdict = rules.effective_verdict(selectors.report_verdict(evaluation), appeal)
    ended = probation_rules.probation_ended_on(
        computed_end=probation.ends_on, conversation_on=held_on,
        second_signed_on=_second_signed_on(evaluation))
    may_appeal = probation_rules.may_appeal_probation(
        status=person.employment_status, verdict=selectors.report_verdict(evaluation)) \
        and policy.appeal_days is not None
    appeal_due = rules.appeal_due(policy, delivered_on) if may_appeal and delivered_on else None
    settled_on: dt.date | None = None
    if may_appeal and verdict in NEGATIVE_VERDICTS:
        if appeal is not None and appeal.state == AppealState.DECIDED \
                and appeal.outcome == AppealOutcome.KEPT:
            settled_on = appeal.decided_on
        elif appeal is None and appeal_due is not None and today > appeal_due:
            settled_on = appeal_due
    contract = (probation_rules.fixed_term_contract(
        policy, settled_on=settled_on,
        days_off=records.days_off(person, probation.absence_days, settled_on))
        if settled_on is not None and policy.probation_negative_contract_months else None)
    visible_appeal = appeal if appeal is not None and permissions.can_view_appeal(
        viewer, appeal) else None
    return ProbationOutcome(
        probation, evaluation, today, delivered_on=delivered_on, verdict=verdict,
        ended_on=ended, may_appeal=may_appeal, appeal_due=appeal_due, appeal=visible_appeal,
        contract_from=contract[0] if contract else None,
        contract_until=contract[1] if contract else None, stage=stage)
