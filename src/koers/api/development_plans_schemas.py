"""Shapes of the POP plans endpoints: the plan with its rows, rounds and signatures, and
HR's training demand. Names follow the glossary; catalogue texts come in the caller's
language (Dutch when there is no English text)."""

import datetime as dt
from collections.abc import Sequence

from ninja import Schema

from koers.api.common_schemas import Input
from koers.api.development_schemas import Ref, ref_of
from koers.api.goals_schemas import AdviceOut
from koers.api.pagination import PageOut
from koers.development.models import (
    DevelopmentPlan,
    FollowUpEntry,
    HrAction,
    PlanGoal,
    PlanMeans,
)
from koers.development.selectors import DemandGroup, Review
from koers.development.summary import RoundBlock, Row, Summary
from koers.goals.smart import Advice

# The plan -----------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    employee_id: int
    period_start: dt.date
    period_end: dt.date
    status: str  # draft, signed, revising, closed, cancelled
    follow_up_earliest: dt.date | None
    follow_up_due: dt.date | None

    @classmethod
    def of(cls, plan: DevelopmentPlan) -> "PlanOut":
        return cls(id=plan.pk, employee_id=plan.employee_id, period_start=plan.period_start,
                   period_end=plan.period_end, status=plan.status,
                   follow_up_earliest=plan.follow_up_earliest, follow_up_due=plan.follow_up_due)


class PlanIn(Input):
    employee_id: int | None = None  # default: me
    planning_conversation_id: int | None = None
    held_on: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class PlanPatch(Input):
    """``expected_revision``: the plan's ``revision`` the remarks start from (409 when
    they changed since, with what is saved now)."""

    expected_revision: int
    employee_remarks: str


class PlanGoalOut(Schema):
    id: int
    text: str
    term: dt.date | None
    term_note: str
    revision: int  # give it as ``expected_revision`` when changing it
    advice: list[AdviceOut]

    @classmethod
    def of(cls, goal: PlanGoal, advice: Sequence[Advice]) -> "PlanGoalOut":
        return cls(id=goal.pk, text=goal.text, term=goal.term, term_note=goal.term_note,
                   revision=goal.revision, advice=[AdviceOut.of(a) for a in advice])


class MeansOut(Schema):
    id: int
    action: Ref | None
    description: str
    term: dt.date | None
    term_note: str
    supporter_id: int | None
    follow_up_id: int | None
    revision: int  # give it as ``expected_revision`` when changing it

    @classmethod
    def of(cls, means: PlanMeans) -> "MeansOut":
        return cls(id=means.pk, action=ref_of(means.action), description=means.description,
                   term=means.term, term_note=means.term_note, supporter_id=means.supporter_id,
                   follow_up_id=means.follow_up_id, revision=means.revision)


class HrActionOut(Schema):
    id: int
    description: str
    action: Ref | None
    term: dt.date | None
    status: str  # requested, arranged
    arranged_on: dt.date | None
    arranged_note: str
    follow_up_id: int | None
    revision: int  # give it as ``expected_revision`` when changing it

    @classmethod
    def of(cls, hr_action: HrAction) -> "HrActionOut":
        return cls(id=hr_action.pk, description=hr_action.description,
                   action=ref_of(hr_action.action), term=hr_action.term, status=hr_action.status,
                   arranged_on=hr_action.arranged_on, arranged_note=hr_action.arranged_note,
                   follow_up_id=hr_action.follow_up_id, revision=hr_action.revision)


class FollowUpOut(Schema):
    id: int
    round: int
    written_on: dt.date
    text: str
    revision: int  # give it as ``expected_revision`` when changing it
    new_means: list[MeansOut]
    new_hr_actions: list[HrActionOut]

    @classmethod
    def of(cls, entry: FollowUpEntry, new_means: list[PlanMeans],
           new_hr_actions: list[HrAction]) -> "FollowUpOut":
        return cls(id=entry.pk, round=entry.round.number, written_on=entry.written_on,
                   text=entry.text, revision=entry.revision,
                   new_means=[MeansOut.of(m) for m in new_means],
                   new_hr_actions=[HrActionOut.of(h) for h in new_hr_actions])


class RowOut(Schema):
    """One row of the summary table (the POP guide, Bijlage 3)."""

    id: int
    position: int
    source: int  # 1–6
    competency: Ref
    priority: int  # 1–3
    goals: list[PlanGoalOut]
    means: list[MeansOut]  # agreed as means; those a follow-up added are under it
    hr_actions: list[HrActionOut]
    success_indicators: list[str]
    follow_ups: list[FollowUpOut]
    revision: int  # give it as ``expected_revision`` when changing it

    @classmethod
    def of(cls, row: Row, review: Review | None = None) -> "RowOut":
        item = row.item
        advice = review.goal_advice if review is not None else {}
        competency = ref_of(item.competency)
        assert competency is not None
        return cls(
            id=item.pk, position=item.position, source=item.source, competency=competency,
            priority=item.priority, revision=item.revision,
            goals=[PlanGoalOut.of(goal, advice.get(goal.pk, [])) for goal in row.goals],
            means=[MeansOut.of(m) for m in row.means],
            hr_actions=[HrActionOut.of(h) for h in row.hr_actions],
            success_indicators=row.indicators,
            follow_ups=[FollowUpOut.of(f.entry, f.new_means, f.new_hr_actions)
                        for f in row.follow_ups],
        )


class PlanSignatureOut(Schema):
    role: str  # employee, first_evaluator
    name: str | None
    signed_on: dt.date | None
    seal: str | None


class RoundOut(Schema):
    number: int
    kind: str  # planning, follow_up, amendment
    held_on: dt.date
    status: str  # open, signed
    seal: str
    signatures: list[PlanSignatureOut]

    @classmethod
    def of(cls, block: RoundBlock) -> "RoundOut":
        r = block.round
        return cls(number=r.number, kind=r.kind, held_on=r.held_on, status=r.status,
                   seal=r.seal, signatures=[
                       PlanSignatureOut(role=line.role.value,
                                    name=line.signature.name if line.signature else None,
                                    signed_on=line.signature.signed_on if line.signature
                                    else None,
                                    seal=line.signature.seal if line.signature else None)
                       for line in block.lines])


class PlanDetailOut(PlanOut):
    employee_remarks: str
    revision: int  # of the remarks: give it as ``expected_revision`` when changing them
    warnings: list[str]  # the rules that advise (more than three at priority 1, …)
    follow_up_overdue: bool
    # The record's reference number (organisation, year, sequence), from its first
    # signature; null before.
    reference: str | None
    rows: list[RowOut]
    rounds: list[RoundOut]

    @classmethod
    def of_summary(cls, table: Summary, review: Review) -> "PlanDetailOut":
        plan = table.plan
        return cls(**PlanOut.of(plan).dict(), employee_remarks=plan.employee_remarks,
                   revision=plan.revision, warnings=list(review.warnings),
                   follow_up_overdue=review.follow_up_overdue, reference=table.reference,
                   rows=[RowOut.of(row, review) for row in table.rows],
                   rounds=[RoundOut.of(block) for block in table.rounds])


class SavedRowOut(Schema):
    """A saved row with what the rules advise (warnings never refuse)."""

    id: int
    revision: int  # give it as ``expected_revision`` when changing the row
    warnings: list[str]


class RowIn(Input):
    competency_id: int
    source: int
    priority: int
    success_indicators: str = ""


class RowPatch(Input):
    """``expected_revision``: its ``revision`` the change starts from (409 when it
    changed since, with what is saved now)."""

    expected_revision: int
    competency_id: int | None = None
    source: int | None = None
    priority: int | None = None
    success_indicators: str | None = None
    position: int | None = None


class PlanGoalIn(Input):
    text: str
    term: dt.date | None = None
    term_note: str = ""


class PlanGoalPatch(Input):
    """``expected_revision``: its ``revision`` the change starts from (409 when it
    changed since, with what is saved now)."""

    expected_revision: int
    text: str | None = None
    term: dt.date | None = None
    term_note: str | None = None


class MeansIn(Input):
    action_id: int | None = None
    description: str = ""
    term: dt.date | None = None
    term_note: str = ""
    supporter_id: int | None = None


class MeansPatch(Input):
    """``expected_revision``: its ``revision`` the change starts from (409 when it
    changed since, with what is saved now)."""

    expected_revision: int
    action_id: int | None = None
    description: str | None = None
    term: dt.date | None = None
    term_note: str | None = None
    supporter_id: int | None = None


class HrActionIn(Input):
    description: str
    action_id: int | None = None
    term: dt.date | None = None


class HrActionPatch(Input):
    """``expected_revision``: its ``revision`` the change starts from (409 when it
    changed since, with what is saved now)."""

    expected_revision: int
    description: str | None = None
    action_id: int | None = None
    term: dt.date | None = None


class FollowUpIn(Input):
    """Realisation / follow-up of a row, with the new means and HR actions it leads to."""

    text: str
    new_means: list[MeansIn] = []
    new_hr_actions: list[HrActionIn] = []


class FollowUpSavedOut(Schema):
    id: int
    text: str
    written_on: dt.date
    revision: int  # give it as ``expected_revision`` when changing it


class FollowUpPatch(Input):
    """The new text of a follow-up entry of the open round; ``expected_revision``: its
    ``revision`` the change starts from (409 when it changed since, with what is saved
    now)."""

    expected_revision: int
    text: str


class RoundIn(Input):
    kind: str = "follow_up"  # follow_up, amendment
    conversation_id: int | None = None
    held_on: dt.date | None = None


class SavedRoundOut(Schema):
    number: int
    kind: str
    held_on: dt.date
    warnings: list[str]


# HR -----------------------------------------------------------------------------------


class DemandGroupOut(Schema):
    """The HR actions asked for one development action and one competency."""

    action: Ref | None  # None: an action without a learning form (a pretest, …)
    competency: Ref
    count: int
    requested: int
    arranged: int
    first_term: dt.date | None
    last_term: dt.date | None
    hr_actions: list[HrActionOut]
    employee_ids: list[int]

    @classmethod
    def of(cls, group: DemandGroup) -> "DemandGroupOut":
        competency = ref_of(group.competency)
        assert competency is not None
        return cls(action=ref_of(group.action), competency=competency, count=group.count,
                   requested=group.requested, arranged=group.arranged,
                   first_term=group.first_term, last_term=group.last_term,
                   hr_actions=[HrActionOut.of(h) for h in group.rows],
                   employee_ids=[h.item.plan.employee_id for h in group.rows])


class HrActionStatusIn(Input):
    status: str  # arranged, requested
    note: str = ""


class PlanPageOut(PageOut):
    items: list[PlanOut]


class DemandGroupPageOut(PageOut):
    items: list[DemandGroupOut]
