"""Shapes of the evaluation endpoints.

What a caller sees follows the evaluation's permissions, as on the page: the
self-evaluation is the employee's own until submitted, and the employee sees the
evaluators' report only from the draft sent for remarks (written procedure) or the
delivery on. Hidden parts are ``null``, never empty texts, so a client can tell
"not written yet" from "not yours to see".
"""

import datetime as dt
from typing import Any

from ninja import Schema

from koers.api.common_schemas import Input, PersonRef
from koers.api.pagination import PageOut
from koers.consequences.probation import ProbationOutcome
from koers.evaluations.models import (
    Evaluation,
    EvaluationReport,
    Objection,
    Probation,
    ReportItem,
    SelfEvaluationItem,
    Signature,
)
from koers.evaluations.probation import PersonProbation, StageProgress
from koers.evaluations.selectors import EvaluationPage, Offer
from koers.evaluations.steps import Step
from koers.rulebook.verdicts import verdict_criteria


class ItemOut(Schema):
    position: int
    goal_id: int | None
    goal_title: str  # as it stood when the evaluation was opened
    text: str

    @classmethod
    def of(cls, item: ReportItem | SelfEvaluationItem) -> "ItemOut":
        return cls(position=item.position, goal_id=item.goal_id, goal_title=item.goal_title,
                   text=item.text)


class SelfEvaluationOut(Schema):
    overall: str
    items: list[ItemOut]
    revision: int  # pass it back as ``expected_revision`` when saving
    submitted_at: dt.datetime | None

    @classmethod
    def of(cls, evaluation: Evaluation) -> "SelfEvaluationOut":
        """Expects ``self_items`` prefetched."""
        return cls(overall=evaluation.self_evaluation,
                   items=[ItemOut.of(item) for item in evaluation.self_items.all()],
                   revision=evaluation.self_evaluation_revision,
                   submitted_at=evaluation.self_evaluation_submitted_at)


class SignatureOut(Schema):
    role: str  # first_evaluator, second_evaluator, employee
    signer: PersonRef
    signed_at: dt.datetime
    remarks: str  # the employee's, at signing
    seal: str  # SHA-256 hex of exactly what was signed (``koers verify-report``)

    @classmethod
    def of(cls, signature: Signature) -> "SignatureOut":
        return cls(role=signature.role,
                   signer=PersonRef(id=signature.signer_id, name=signature.signer_name),
                   signed_at=signature.signed_at, remarks=signature.remarks,
                   seal=signature.seal)


class ReportOut(Schema):
    """One version of the evaluators' report; signed versions never change."""

    number: int
    overall: str
    verdict: str  # a legal term, in Dutch: voldoende, onvoldoende, loopbaanvertraging
    items: list[ItemOut]
    advanced_evaluation_on: dt.date | None
    revision: int  # pass it back as ``expected_revision`` when saving
    correction_reason: str  # why this version replaced the one before
    # The language the version is written in (nl, en, fr, de): the employee's, fixed
    # when the version opened and sealed with it; null on versions opened before Koers
    # recorded it.
    language: str | None
    created_at: dt.datetime
    signatures: list[SignatureOut]

    @classmethod
    def of(cls, report: EvaluationReport) -> "ReportOut":
        """Expects ``items`` and ``signatures`` prefetched."""
        return cls(number=report.number, overall=report.overall, verdict=report.verdict,
                   items=[ItemOut.of(item) for item in report.items.all()],
                   advanced_evaluation_on=report.advanced_evaluation_on,
                   revision=report.revision, correction_reason=report.correction_reason,
                   language=report.language, created_at=report.created_at,
                   signatures=[SignatureOut.of(s) for s in report.signatures.all()])


class ObjectionOut(Schema):
    id: int
    filed_on: dt.date
    text: str
    created_at: dt.datetime
    # The decision on it (Algemene wet bestuursrecht, art. 6:6 and 7:11): upheld,
    # partly_upheld, rejected or inadmissible; empty while not decided.
    outcome: str = ""
    decided_on: dt.date | None = None
    decided_by: str = ""  # the body that decided
    motivation: str = ""

    @classmethod
    def of(cls, objection: Objection) -> "ObjectionOut":
        return cls(id=objection.pk, filed_on=objection.filed_on, text=objection.text,
                   created_at=objection.created_at, outcome=objection.outcome,
                   decided_on=objection.decided_on, decided_by=objection.decided_by_body,
                   motivation=objection.motivation)


class EvaluationSummaryOut(Schema):
    id: int
    person: PersonRef
    kind: str  # annual, advanced, formal_assessment
    state: str  # draft, draft_sent, first_signed, delivered, completed, closed_unsigned, cancelled
    period_start: dt.date
    period_end: dt.date
    first_evaluator: PersonRef | None
    second_evaluator: PersonRef | None
    written_procedure: bool
    due_on: dt.date | None  # an advanced evaluation: the day it is planned for
    delivered_at: dt.datetime | None
    employee_signature_due: dt.date | None

    @classmethod
    def fields_of(cls, evaluation: Evaluation) -> dict[str, Any]:
        """Expects ``person`` and the evaluators selected."""
        return {
            "id": evaluation.pk, "person": PersonRef.of(evaluation.person),
            "kind": evaluation.kind, "state": evaluation.state,
            "period_start": evaluation.period_start, "period_end": evaluation.period_end,
            "first_evaluator": PersonRef.of(evaluation.first_evaluator),
            "second_evaluator": PersonRef.of(evaluation.second_evaluator),
            "written_procedure": evaluation.written_procedure, "due_on": evaluation.due_on,
            "delivered_at": evaluation.delivered_at,
            "employee_signature_due": evaluation.employee_signature_due,
        }

    @classmethod
    def of(cls, evaluation: Evaluation) -> "EvaluationSummaryOut":
        return cls(**cls.fields_of(evaluation))


class OfferOut(Schema):
    """Something the caller may do now, or the reason it is not possible yet."""

    action: str  # koers.evaluations.states.Action: sign_first, save_report, ...
    label: str
    available: bool
    reason: str  # why not (yet), e.g. "the 2nd evaluator's task starts on …"

    @classmethod
    def of(cls, offer: Offer) -> "OfferOut":
        return cls(action=offer.action, label=str(offer.label), available=offer.available,
                   reason=offer.reason)


class StepOut(Schema):
    """One thing someone must do next (``evaluations.steps``, as on the page)."""

    role: str  # employee, first_evaluator, second_evaluator
    person: PersonRef | None
    action: str  # the action that settles it: sign_second, submit_self_evaluation, ...
    label: str  # in the caller's language
    due: dt.date | None  # from the participation's due dates or the evaluation's terms
    overdue: bool
    actionable: bool  # a task to do today; false: the policy does not allow it yet
    note: str  # from when it is possible, or what follows the due date

    @classmethod
    def fields_of(cls, step: Step) -> dict[str, Any]:
        return {"role": step.role, "person": PersonRef.of(step.person), "action": step.action,
                "label": step.what, "due": step.due, "overdue": step.overdue,
                "actionable": step.actionable, "note": step.note}

    @classmethod
    def of(cls, step: Step) -> "StepOut":
        return cls(**cls.fields_of(step))


class EvaluationTaskOut(StepOut):
    """A step that waits for the caller today, with its evaluation."""

    evaluation: EvaluationSummaryOut

    @classmethod
    def of(cls, step: Step) -> "EvaluationTaskOut":
        return cls(**cls.fields_of(step), evaluation=EvaluationSummaryOut.of(step.evaluation))


class EvaluationOut(EvaluationSummaryOut):
    participation_id: int | None
    policy_version: str
    formal_reason: str  # formal assessment: why it is held
    improvement_conversation_id: int | None
    follows_id: int | None  # an advanced evaluation: the evaluation it follows
    draft_sent_on: dt.date | None
    draft_remarks: str
    draft_remarks_on: dt.date | None
    advanced_evaluation_earliest: dt.date | None
    closed_reason: str
    # The record's reference number (organisation, year, sequence), from its first
    # signature; null before.
    reference: str | None
    verdicts: list[str]  # the verdicts the policy allows for this person (none: no verdict)
    # When a verdict is given, where the regime says so (federal onvoldoende, [b2]).
    verdict_criteria: dict[str, str]
    self_evaluation_questions: list[str]  # guiding questions, in the caller's language
    # null: not the caller's to see (yet); see the module docstring.
    self_evaluation: SelfEvaluationOut | None
    report: ReportOut | None  # the current version
    objections: list[ObjectionOut]
    actions: list[OfferOut]  # what the caller may do now, or why not yet
    next_steps: list[StepOut]  # who must act next, by when (everyone's, as on the page)

    @classmethod
    def of_page(cls, page: EvaluationPage, *, show_self_evaluation: bool, show_report: bool,
                offers: list[Offer], steps: list[Step]) -> "EvaluationOut":
        """``page`` from ``evaluations.selectors.evaluation_page``: nothing more is read."""
        evaluation = page.evaluation
        return cls(
            **cls.fields_of(evaluation),
            participation_id=evaluation.participation_id,
            policy_version=evaluation.policy_version, formal_reason=evaluation.formal_reason,
            improvement_conversation_id=evaluation.improvement_conversation_id,
            follows_id=evaluation.follows_id, draft_sent_on=evaluation.draft_sent_on,
            draft_remarks=evaluation.draft_remarks,
            draft_remarks_on=evaluation.draft_remarks_on,
            advanced_evaluation_earliest=evaluation.advanced_evaluation_earliest,
            closed_reason=evaluation.closed_reason, reference=page.reference,
            verdicts=list(page.verdicts),
            verdict_criteria={code: text for code in page.verdicts
                              if (text := verdict_criteria(page.policy, code))},
            self_evaluation_questions=[str(q) for q in page.self_evaluation_questions],
            self_evaluation=SelfEvaluationOut.of(evaluation) if show_self_evaluation else None,
            report=ReportOut.of(page.report) if show_report else None,
            objections=[ObjectionOut.of(objection) for objection in page.objections],
            actions=[OfferOut.of(offer) for offer in offers],
            next_steps=[StepOut.of(step) for step in steps],
        )


class EvaluationOpenIn(Input):
    kind: str = "annual"  # annual, formal_assessment, advanced, probation
    participation_id: int | None = None  # annual: default the cycle running today
    written_procedure: bool = False
    # A formal assessment (Dutch policy): why it is held (employee_request,
    # manager_request, negative_decision) and the progress conversation in which
    # improvement points were raised.
    formal_reason: str = ""
    improvement_conversation_id: int | None = None
    # An advanced evaluation: the evaluation it follows and the day it is planned for.
    follows_id: int | None = None
    due_on: dt.date | None = None


class SelfEvaluationIn(Input):
    overall: str = ""
    items: dict[int, str] = {}  # goal position → text
    expected_revision: int  # the ``revision`` the text was loaded with


class ReportIn(Input):
    overall: str = ""
    items: dict[int, str] = {}  # goal position → text
    verdict: str = ""  # one of the policy's verdicts for this person; empty for none
    advanced_evaluation_on: dt.date | None = None  # after onvoldoende
    expected_revision: int


class WrittenProcedureIn(Input):
    written: bool


class RemarksIn(Input):
    remarks: str


class SignIn(Input):
    remarks: str = ""  # the employee's remarks, signing for receipt
    # Only when the caller holds several roles in this evaluation: first_evaluator,
    # second_evaluator or employee; otherwise the state says which signature is due.
    role: str | None = None
    # The report's ``number`` and ``revision`` the signer read: when given and the report
    # changed since, nothing is signed and the answer is 409.
    expected_version: int | None = None
    expected_revision: int | None = None


class ReasonIn(Input):
    reason: str


class ObjectionIn(Input):
    filed_on: dt.date
    text: str


class ObjectionDecisionIn(Input):
    outcome: str  # upheld, partly_upheld, rejected, inadmissible
    decided_on: dt.date
    body: str  # the body that decided, e.g. the college van burgemeester en wethouders
    motivation: str



# Probation ---------------------------------------------------------------------------------


class ProbationIn(Input):
    reason: str  # recruitment, promotion, contractual_to_statutory, redeployment
    starts_on: dt.date
    months: int
    mentor_id: int | None = None
    absences: list[dt.date] = []  # whole days not worked; public holidays count already


class AbsencesIn(Input):
    absences: list[dt.date] = []


class StageOutcomeIn(Input):
    outcome: str  # appoint, extend, dismiss ([b13])
    extension_months: int | None = None  # only for an extension, at most 4 ([b12])
    serious_fault: bool = False  # a dismissal without notice ([b13])


class StageStepOut(Schema):
    """A conversation of the federal stage ([b14]): computed due date, day held."""

    step: str  # planning, functioning, final
    number: int
    what: str
    due: dt.date
    held_on: dt.date | None
    overdue: bool


class StageOut(Schema):
    """A federal stage's conversations and how it ends ([b12]–[b14])."""

    steps: list[StageStepOut]
    objectives: int  # agreed development (learning) goals since the start
    objectives_needed: int
    outcomes: list[str]  # what HR may record today (POST …/outcome)
    extension_months: int | None
    extended_on: dt.date | None
    outcome: str | None  # appoint, dismiss
    decided_on: dt.date | None
    serious_fault: bool
    notice_ends: dt.date | None

    @classmethod
    def of(cls, probation: Probation, progress: StageProgress) -> "StageOut":
        return cls(
            steps=[StageStepOut(step=done.step.kind.value, number=done.step.number,
                                what=done.step.what, due=done.step.due,
                                held_on=done.held_on, overdue=done.overdue)
                   for done in progress.steps],
            objectives=progress.objectives, objectives_needed=progress.objectives_needed,
            outcomes=list(progress.outcomes), extension_months=probation.extension_months,
            extended_on=probation.extended_on, outcome=probation.outcome or None,
            decided_on=probation.decided_on, serious_fault=probation.serious_fault,
            notice_ends=progress.notice_ends)


class ProbationOut(Schema):
    """A Flemish probation and, once its evaluation is delivered, its outcome: when it
    ends ([f19]), the verdict that counts, the appeal's term and the fixed-term contract
    that follows a negative evaluation that stands ([f20]); or a federal stage with its
    conversations and how it ends (``stage``, [b12]–[b14])."""

    id: int
    person: PersonRef
    reason: str
    starts_on: dt.date
    months: int
    mentor: PersonRef | None
    absences: list[dt.date]
    ends_on: dt.date  # computed: months × 21 working days [f18]
    evaluation_id: int | None
    evaluation_state: str | None
    verdict: str | None
    ended_on: dt.date | None
    may_appeal: bool
    appeal_due: dt.date | None
    appeal_id: int | None
    contract_from: dt.date | None
    contract_until: dt.date | None
    stage: StageOut | None  # the federal stage; null for a Flemish probation

    @classmethod
    def of(cls, outcome: ProbationOutcome) -> "ProbationOut":
        probation, evaluation = outcome.probation, outcome.evaluation
        return cls(
            id=probation.pk, person=PersonRef(id=probation.person_id,
                                              name=probation.person.full_name),
            reason=probation.reason, starts_on=probation.starts_on, months=probation.months,
            mentor=PersonRef.of(probation.mentor), absences=probation.absence_days,
            ends_on=probation.ends_on,
            evaluation_id=evaluation.pk if evaluation else None,
            evaluation_state=evaluation.state if evaluation else None,
            verdict=outcome.verdict or None, ended_on=outcome.ended_on,
            may_appeal=outcome.may_appeal, appeal_due=outcome.appeal_due,
            appeal_id=outcome.appeal.pk if outcome.appeal else None,
            contract_from=outcome.contract_from, contract_until=outcome.contract_until,
            stage=StageOut.of(probation, outcome.stage) if outcome.stage else None)


class PersonProbationOut(Schema):
    """A person's probation: the Flemish probations recorded, or the Dutch assessment's
    due date; the probation evaluations; what the caller may do."""

    flemish: bool
    stage: bool  # federal stages are recorded
    assessment_due: dt.date | None
    probation_ids: list[int]
    evaluation_ids: list[int]
    may_record: bool
    may_open: bool

    @classmethod
    def of(cls, page: PersonProbation) -> "PersonProbationOut":
        return cls(flemish=page.flemish, stage=page.stage, assessment_due=page.dutch_due,
                   probation_ids=[p.pk for p in page.probations],
                   evaluation_ids=[e.pk for e in page.evaluations],
                   may_record=page.may_record, may_open=page.may_open)


class EvaluationSummaryPageOut(PageOut):
    items: list[EvaluationSummaryOut]


class EvaluationTaskPageOut(PageOut):
    items: list[EvaluationTaskOut]


class ReportPageOut(PageOut):
    items: list[ReportOut]
