"""The POP summary table as the POP guide lays it out (Bijlage 3 and 4), shared by the plan
page and its PDF so both always show the same thing.

Columns: source, competency, priority, development goals, their terms, means (with
their terms), actions for HR / the personnel service, success indicators, and
realisation / follow-up (→ new actions). The terms of the goals are given once per
competency, as Bijlage 4 writes "Einde van het jaar" once beside the three goals of
"ondersteunen": goals that share a term share one line; only when the goals of a
competency have different terms does each term name the goals it is for (by their
number in the goals column). A means or HR action that a follow-up entry
added appears under that entry, after an arrow, as in Bijlage 4 ("→ Marc will be
coached for six months by a colleague, Mr Gordon"), not among the means agreed in the
planning conversation. Under the table: per conversation (the planning conversation,
then each follow-up) its date and the participants' name, role and signature.
"""

import datetime as dt
from dataclasses import dataclass, field

from koers.development.models import (
    DevelopmentPlan,
    FollowUpEntry,
    HrAction,
    PlanGoal,
    PlanItem,
    PlanMeans,
    PlanRound,
    PlanSignature,
)
from koers.development.rules import REQUIRED_SIGNERS, SignerRole
from koers.development.states import RoundStatus
from koers.organisation import records

# The signers in the order the form lists them: the employee, then the manager.
SIGNER_ORDER = (SignerRole.EMPLOYEE, SignerRole.FIRST_EVALUATOR)


@dataclass(frozen=True)
class FollowUp:
    entry: FollowUpEntry
    new_means: list[PlanMeans]
    new_hr_actions: list[HrAction]


@dataclass(frozen=True)
class GoalTerm:
    """One term of a competency's goals and the goals it is for, numbered from 1."""
    term: dt.date | None
    note: str
    goals: list[int]


@dataclass(frozen=True)
class Row:
    item: PlanItem
    goals: list[PlanGoal]
    terms: list[GoalTerm]  # each distinct term once, in the order of the goals
    means: list[PlanMeans]  # agreed as means, not added by a follow-up entry
    hr_actions: list[HrAction]  # idem
    indicators: list[str]
    follow_ups: list[FollowUp]


@dataclass(frozen=True)
class SignatureLine:
    role: SignerRole
    signature: PlanSignature | None


@dataclass(frozen=True)
class RoundBlock:
    round: PlanRound
    lines: list[SignatureLine]

    @property
    def signed(self) -> bool:
        return self.round.status == RoundStatus.SIGNED


@dataclass(frozen=True)
class Summary:
    plan: DevelopmentPlan
    rows: list[Row]
    rounds: list[RoundBlock]
    priority_one: int = field(default=0)
    reference: str | None = None  # the record's reference number, from its first signature

    @property
    def last_signed_on(self) -> dt.date | None:
        signed = [block.round.signed_on for block in self.rounds if block.round.signed_on]
        return max(signed) if signed else None


def goal_terms(goals: list[PlanGoal]) -> list[GoalTerm]:
    """The distinct terms of a competency's goals (date and words), each once, with the
    numbers of the goals it is for."""
    numbers: dict[tuple[dt.date | None, str], list[int]] = {}
    for number, goal in enumerate(goals, start=1):
        numbers.setdefault((goal.term, goal.term_note), []).append(number)
    return [GoalTerm(term, note, goals) for (term, note), goals in numbers.items()]


def _row(item: PlanItem) -> Row:
    goals = list(item.goals.all())
    means = list(item.means.all())
    hr_actions = list(item.hr_actions.all())
    follow_ups = [
        FollowUp(entry,
                 [m for m in means if m.follow_up_id == entry.pk],
                 [h for h in hr_actions if h.follow_up_id == entry.pk])
        for entry in item.follow_ups.all()
    ]
    return Row(
        item=item,
        goals=goals,
        terms=goal_terms(goals),
        means=[m for m in means if m.follow_up_id is None],
        hr_actions=[h for h in hr_actions if h.follow_up_id is None],
        indicators=item.indicator_lines,
        follow_ups=follow_ups,
    )


def _round(round: PlanRound) -> RoundBlock:
    by_role = {signature.role: signature for signature in round.signatures.all()}
    return RoundBlock(round, [SignatureLine(role, by_role.get(role)) for role in SIGNER_ORDER
                              if role in REQUIRED_SIGNERS])


def summary(plan: DevelopmentPlan) -> Summary:
    """The table of a plan read by ``selectors.plan_with_rows`` (no further query)."""
    rows = [_row(item) for item in plan.items.all()]
    return Summary(
        plan=plan,
        reference=records.annotated_reference(plan, plan.organisation),
        rows=rows,
        rounds=[_round(round) for round in plan.rounds.all()],
        priority_one=sum(1 for row in rows if row.item.priority == 1),
    )
