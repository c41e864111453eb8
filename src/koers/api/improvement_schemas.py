"""Shapes of the improvement plan endpoints. Names follow the glossary (persoonlijk
verbeterplan: ``ImprovementPlan``)."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from koers.api.common_schemas import Id, Input, PersonRef
from koers.api.pagination import PageOut
from koers.improvement.models import FollowUp, ImprovementPlan
from koers.improvement.selectors import PlanPage, PlanProposal


class ImprovementPlanOut(Schema):
    id: int
    employee_id: int
    period_start: dt.date
    period_end: dt.date
    status: str  # draft, running, met, not_met, cancelled

    @classmethod
    def of(cls, plan: ImprovementPlan) -> "ImprovementPlanOut":
        return cls(id=plan.pk, employee_id=plan.employee_id, period_start=plan.period_start,
                   period_end=plan.period_end, status=plan.status)


class ImprovementProposalOut(Schema):
    """A held conversation a new plan may start from: give its id in ``conversation_ids``
    and start from its ``grounds``."""

    conversation_id: int
    kind: str
    held_on: dt.date | None
    grounds: str

    @classmethod
    def of(cls, proposal: PlanProposal) -> "ImprovementProposalOut":
        conversation = proposal.conversation
        return cls(conversation_id=conversation.pk, kind=conversation.kind,
                   held_on=conversation.held_on, grounds=proposal.grounds)


class ImprovementGoalIn(Input):
    expected: str
    indicators: str


class ImprovementGoalOut(Schema):
    id: int
    position: int
    expected: str
    indicators: str


class ImprovementSignatureOut(Schema):
    role: str  # employee, evaluator
    name: str
    signed_on: dt.date
    seal: str


class ImprovementProgressOut(Schema):
    goal_id: int
    text: str


class ImprovementFollowUpOut(Schema):
    id: int
    number: int
    due_on: dt.date
    conversation_id: int | None
    held_on: dt.date | None
    progress: list[ImprovementProgressOut]
    actions: str
    recorded_by: PersonRef | None

    @classmethod
    def of(cls, follow_up: FollowUp) -> "ImprovementFollowUpOut":
        return cls(id=follow_up.pk, number=follow_up.number, due_on=follow_up.due_on,
                   conversation_id=follow_up.conversation_id, held_on=follow_up.held_on,
                   progress=[ImprovementProgressOut(goal_id=p.goal_id, text=p.text)
                             for p in follow_up.progress.all()],
                   actions=follow_up.actions, recorded_by=PersonRef.of(follow_up.recorded_by))


class ImprovementPlanDetailOut(ImprovementPlanOut):
    started_by: PersonRef
    evaluation_id: int | None
    conversation_ids: list[int]
    grounds: str
    goals: list[ImprovementGoalOut]
    support: str
    follow_up_months: int
    employee_remarks: str
    signatures: list[ImprovementSignatureOut]
    signed_on: dt.date | None
    seal: str
    follow_ups: list[ImprovementFollowUpOut]
    extension_until: dt.date | None
    extension_reason: str
    extensions: int
    decided_on: dt.date | None
    decided_by: PersonRef | None
    motivation: str
    actions: list[str] = Field(description=(
        "What the caller may do on the plan now: change, cancel, remark, sign, "
        "schedule_follow_up, record_follow_up, propose_extension, agree_extension, decide "
        "(the same the plan's page offers)."))
    decide_from: dt.date
    reference: str | None = Field(description=(
        "The record's reference number (organisation, year, sequence), from its first "
        "signature; null before it."))

    @classmethod
    def of_page(cls, page: PlanPage) -> "ImprovementPlanDetailOut":
        plan, actions = page.plan, page.actions
        started_by = PersonRef.of(plan.started_by)
        assert started_by is not None
        return cls(
            id=plan.pk, employee_id=plan.employee_id, period_start=plan.period_start,
            period_end=plan.period_end, status=plan.status, started_by=started_by,
            evaluation_id=plan.evaluation_id,
            conversation_ids=sorted(c.pk for c in plan.conversations.all()),
            grounds=plan.grounds,
            goals=[ImprovementGoalOut(id=g.pk, position=g.position, expected=g.expected,
                           indicators=g.indicators) for g in plan.goals.all()],
            support=plan.support, follow_up_months=plan.follow_up_months,
            employee_remarks=plan.employee_remarks,
            signatures=[ImprovementSignatureOut(role=s.role, name=s.name, signed_on=s.signed_on,
                                     seal=s.seal) for s in plan.signatures.all()],
            signed_on=plan.signed_on, seal=plan.seal,
            follow_ups=[ImprovementFollowUpOut.of(f) for f in plan.follow_ups.all()],
            extension_until=plan.extension_until, extension_reason=plan.extension_reason,
            extensions=plan.extensions, decided_on=plan.decided_on,
            decided_by=PersonRef.of(plan.decided_by), motivation=plan.motivation,
            actions=actions.names(), decide_from=actions.decide_from,
            reference=page.reference)


class ImprovementPlanIn(Input):
    employee_id: int
    grounds: str
    goals: list[ImprovementGoalIn]
    support: str
    period_start: dt.date
    period_end: dt.date
    evaluation_id: Id | None = None
    conversation_ids: list[Id] = Field(default_factory=list)


class ImprovementPlanChangeIn(Input):
    grounds: str
    goals: list[ImprovementGoalIn]
    support: str
    period_start: dt.date
    period_end: dt.date


class ImprovementRemarksIn(Input):
    employee_remarks: str


class ImprovementScheduleIn(Input):
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str = ""
    online_link: str = ""


class ImprovementProgressIn(Input):
    goal_id: Id
    text: str


class ImprovementFollowUpReportIn(Input):
    held_on: dt.date
    progress: list[ImprovementProgressIn]
    actions: str


class ImprovementExtensionIn(Input):
    until: dt.date
    reason: str


class ImprovementDecisionIn(Input):
    met: bool
    motivation: str


class ImprovementPlanPageOut(PageOut):
    items: list[ImprovementPlanOut]


class ImprovementProposalPageOut(PageOut):
    items: list[ImprovementProposalOut]
