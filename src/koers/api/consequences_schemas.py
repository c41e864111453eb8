"""Shapes of the appeal, salary-decision and objection endpoints.

What a caller sees follows ``consequences.permissions``, as on the pages: the grounds of
an appeal are read by the employee, the evaluators and the appeal board, not by HR; the
grounds and the advice of an objection by the employee and the bodies before which it
lies. Hidden texts are ``null``, never empty.
"""

import datetime as dt

from ninja import Schema

from koers.api.common_schemas import Input, PersonRef
from koers.api.evaluations_schemas import ReportOut, SelfEvaluationOut
from koers.api.pagination import PageOut
from koers.consequences.models import Appeal, SalaryDecision, SalaryObjection, UnfitnessReview
from koers.consequences.selectors import Candidate, UnfitnessFlag


class AppealIn(Input):
    grounds: str  # an appeal must be reasoned


class HearingIn(Input):
    hearing_on: dt.date
    notes: str = ""


class AppealOutcomeIn(Input):
    outcome: str  # "kept" or "changed" (to voldoende; a federal mention lifted)
    decided_on: dt.date
    remarks: str = ""


class AppealAdviceIn(Input):
    advice: str  # the evaluation commission's: "kept" or "changed"
    advised_on: dt.date
    remarks: str = ""


class ProcedureStepOut(Schema):
    what: str  # in the caller's language
    day: dt.date | None
    done: bool
    note: str
    due: dt.date | None = None  # the step's term, computed by the rules; null: none known
    source: str = ""  # the public source of that term


class AppealOut(Schema):
    id: int
    evaluation_id: int
    person: PersonRef
    unit: str
    verdict: str  # the verdict appealed: onvoldoende or loopbaanvertraging
    report_version: int
    state: str  # filed, heard, advised, decided
    filed_at: dt.datetime
    hearing_on: dt.date | None
    advice: str  # "", kept, changed: the evaluation commission's, where it advises
    advised_on: dt.date | None
    outcome: str  # "", kept, changed
    decided_on: dt.date | None
    grounds: str | None  # null when not the caller's to read
    hearing_notes: str | None
    advice_remarks: str | None
    decision_remarks: str | None
    # The steps from filing to decision (one appeal only; empty in a list).
    procedure: list[ProcedureStepOut] = []

    @classmethod
    def of(cls, appeal: Appeal, *, show_grounds: bool) -> "AppealOut":
        return cls(
            id=appeal.pk, evaluation_id=appeal.evaluation_id,
            person=PersonRef(id=appeal.person_id, name=appeal.person.full_name),
            unit=appeal.person.unit.name, verdict=appeal.verdict,
            report_version=appeal.report.number, state=appeal.state,
            filed_at=appeal.filed_at, hearing_on=appeal.hearing_on, advice=appeal.advice,
            advised_on=appeal.advised_on, outcome=appeal.outcome,
            decided_on=appeal.decided_on,
            grounds=appeal.grounds if show_grounds else None,
            hearing_notes=appeal.hearing_notes if show_grounds else None,
            advice_remarks=appeal.advice_remarks if show_grounds else None,
            decision_remarks=appeal.decision_remarks if show_grounds else None)


class AppealFileOut(Schema):
    """The evaluation file the appeal board reads: the version appealed with its
    signatures, and the self-evaluation when it was submitted."""

    appeal: AppealOut
    report: ReportOut
    self_evaluation: SelfEvaluationOut | None


class CandidateOut(Schema):
    evaluation_id: int
    person: PersonRef
    unit: str
    year: int  # the year the evaluated period ends in
    period: str  # the period's name, as on the pages and in the documents
    verdict: str  # the verdict that counts (voldoende after an appeal that changed it)
    steps: list[int]  # the steps the rules allow for this verdict
    refusal: str | None  # why it cannot be decided now

    @classmethod
    def of(cls, candidate: Candidate) -> "CandidateOut":
        person = candidate.person
        return cls(evaluation_id=candidate.evaluation.pk,
                   person=PersonRef(id=person.pk, name=person.full_name),
                   unit=person.unit.name, year=candidate.evaluation.period_end.year,
                   period=candidate.evaluation.period_name,
                   verdict=candidate.verdict, steps=list(candidate.steps),
                   refusal=candidate.refusal)


class WorklistOut(Schema):
    organisation_id: int
    candidates: list[CandidateOut]
    more: bool  # more than shown: decide these first


class StepIn(Input):
    evaluation_id: int
    step: int


class DecisionsIn(Input):
    decisions: list[StepIn]


class DecisionOut(Schema):
    id: int
    evaluation_id: int
    person: PersonRef
    verdict: str
    step: int
    decided_on: dt.date

    @classmethod
    def of(cls, decision: SalaryDecision) -> "DecisionOut":
        return cls(id=decision.pk, evaluation_id=decision.evaluation_id,
                   person=PersonRef(id=decision.person_id, name=decision.person.full_name),
                   verdict=decision.verdict, step=decision.step, decided_on=decision.decided_on)


class SalaryObjectionIn(Input):
    grounds: str


class AdviceIn(Input):
    advice: str
    advised_step: int | None = None


class FinalDecisionIn(Input):
    final_step: int
    remarks: str = ""


class SalaryObjectionOut(Schema):
    id: int
    decision: DecisionOut
    person: PersonRef
    state: str  # filed, advised, decided
    filed_at: dt.datetime
    grounds: str | None  # null when not the caller's to read
    advice: str | None
    advised_step: int | None
    advised_on: dt.date | None
    final_step: int | None
    final_remarks: str | None
    decided_on: dt.date | None

    @classmethod
    def of(cls, objection: SalaryObjection, *, show_file: bool) -> "SalaryObjectionOut":
        return cls(
            id=objection.pk, decision=DecisionOut.of(objection.decision),
            person=PersonRef(id=objection.person_id, name=objection.person.full_name),
            state=objection.state, filed_at=objection.filed_at,
            grounds=objection.grounds if show_file else None,
            advice=objection.advice if show_file else None,
            advised_step=objection.advised_step if show_file else None,
            advised_on=objection.advised_on, final_step=objection.final_step,
            final_remarks=objection.final_remarks if show_file else None,
            decided_on=objection.decided_on)


class UnfitnessFlagOut(Schema):
    """Two ``onvoldoende`` that may start the procedure for professional unfitness (a
    flag for HR; the decision stays HR's and the authority's)."""

    person: PersonRef
    earlier_evaluation_id: int
    later_evaluation_id: int
    delivered_on: list[dt.date]  # the two days of delivery
    worked_days: int
    contract: bool
    warning_conversation_ids: list[int]  # contract staff: held, with improvement points

    @classmethod
    def of(cls, flag: UnfitnessFlag) -> "UnfitnessFlagOut":
        return cls(person=PersonRef(id=flag.person.pk, name=flag.person.full_name),
                   earlier_evaluation_id=flag.earlier.pk, later_evaluation_id=flag.later.pk,
                   delivered_on=list(flag.delivered), worked_days=flag.worked_days,
                   contract=flag.contract,
                   warning_conversation_ids=[c.pk for c in flag.warnings])


class UnfitnessReviewIn(Input):
    decision: str  # start, not_now
    remarks: str = ""


class UnfitnessReviewOut(Schema):
    id: int
    evaluation_id: int
    earlier_evaluation_id: int
    worked_days: int
    decision: str
    remarks: str
    reviewed_at: dt.datetime

    @classmethod
    def of(cls, review: UnfitnessReview) -> "UnfitnessReviewOut":
        return cls(id=review.pk, evaluation_id=review.evaluation_id,
                   earlier_evaluation_id=review.earlier_id, worked_days=review.worked_days,
                   decision=review.decision, remarks=review.remarks,
                   reviewed_at=review.reviewed_at)


class AppealPageOut(PageOut):
    items: list[AppealOut]


class SalaryObjectionPageOut(PageOut):
    items: list[SalaryObjectionOut]


class UnfitnessFlagPageOut(PageOut):
    items: list[UnfitnessFlagOut]
