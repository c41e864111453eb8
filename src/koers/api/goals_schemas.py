"""Shapes of the goal endpoints. Names follow the glossary (goal, team goal, success indicator)."""

import datetime as dt

from ninja import Schema

from koers.api.common_schemas import Input, PersonRef
from koers.api.pagination import PageOut
from koers.goals.models import Goal, GoalChange, GoalComment, PlanningSignature
from koers.goals.planning import Planning
from koers.goals.smart import Advice


class Milestone(Input):
    date: dt.date
    text: str


class ChangeOut(Schema):
    kind: str  # proposed, confirmed, adjusted, status
    actor: str
    at: dt.datetime
    # field → [before, after]
    fields: dict[str, list[object]]
    reason: str

    @classmethod
    def of(cls, change: GoalChange) -> "ChangeOut":
        return cls(kind=change.kind, actor=change.actor.email, at=change.at,
                   fields=change.fields, reason=change.reason)


class CommentOut(Schema):
    author: str
    at: dt.datetime
    text: str

    @classmethod
    def of(cls, comment: GoalComment) -> "CommentOut":
        return cls(author=comment.author.email, at=comment.at, text=comment.text)


class AdviceOut(Schema):
    flag: str  # no_owner, no_measure, no_deadline, past_deadline, vague
    message: str

    @classmethod
    def of(cls, advice: Advice) -> "AdviceOut":
        return cls(flag=advice.flag.value, message=advice.message)


class GoalOut(Schema):
    """A person's goal (``owner_id``) or a team goal (``unit_id``)."""

    id: int
    owner_id: int | None
    unit_id: int | None
    team_goal_id: int | None
    kind: str  # performance, process, learning, career
    title: str
    description: str
    measure: str
    means: str
    start_date: dt.date | None
    deadline: dt.date | None
    milestones: list[Milestone]
    status: str  # proposed, agreed, in_progress, achieved, not_achieved, cancelled
    progress: int
    visibility: str  # private, shared
    employee_confirmed_at: dt.datetime | None
    evaluator_confirmed_at: dt.datetime | None
    revision: int  # give it as ``expected_revision`` when changing the goal
    advice: list[AdviceOut]

    @classmethod
    def of(cls, goal: Goal, advice: list[Advice]) -> "GoalOut":
        return cls(
            id=goal.pk, owner_id=goal.owner_id, unit_id=goal.unit_id,
            team_goal_id=goal.team_goal_id, kind=goal.kind, title=goal.title,
            description=goal.description, measure=goal.measure, means=goal.means,
            start_date=goal.start_date, deadline=goal.deadline,
            milestones=[Milestone(**step) for step in goal.milestones], status=goal.status,
            progress=goal.progress, visibility=goal.visibility,
            employee_confirmed_at=goal.employee_confirmed_at,
            evaluator_confirmed_at=goal.evaluator_confirmed_at, revision=goal.revision,
            advice=[AdviceOut.of(item) for item in advice],
        )


class GoalDetailOut(GoalOut):
    history: list[ChangeOut]
    comments: list[CommentOut]


class GoalIn(Input):
    # Left out: my own goal. A 1st evaluator passes the team member's id.
    owner_id: int | None = None
    kind: str
    title: str
    description: str = ""
    measure: str = ""
    means: str = ""
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    milestones: list[Milestone] = []
    visibility: str = "private"
    team_goal_id: int | None = None


class GoalPatch(Input):
    """Only the fields given change; ``reason`` is needed once the goal is agreed.
    ``expected_revision`` is the goal's ``revision`` the change starts from: if someone
    changed the goal since, nothing is saved (409, with what is saved now)."""

    expected_revision: int

    kind: str | None = None
    title: str | None = None
    description: str | None = None
    measure: str | None = None
    means: str | None = None
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    milestones: list[Milestone] | None = None
    visibility: str | None = None
    team_goal_id: int | None = None
    progress: int | None = None
    reason: str = ""


class StatusIn(Input):
    status: str
    reason: str = ""


class CommentIn(Input):
    text: str


class TeamGoalOut(GoalOut):
    """A team goal with the members' goals linked to it that the caller may see."""

    linked_goal_ids: list[int]


class TeamGoalIn(Input):
    unit_id: int  # a unit the caller manages
    kind: str
    title: str
    description: str = ""
    measure: str = ""
    means: str = ""
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    milestones: list[Milestone] = []


class GoalPageOut(PageOut):
    items: list[GoalOut]


class TeamGoalPageOut(PageOut):
    items: list[TeamGoalOut]


class PlanningSignatureOut(Schema):
    role: str  # employee, first_evaluator, second_evaluator
    signer: str  # the name as it was when signing
    signed_at: dt.datetime
    seal: str  # SHA-256 of what was signed (``content``)
    current: bool  # under the planning as it is now; false: an earlier version
    content: dict[str, object]  # the agreed goals it covered, as sealed

    @classmethod
    def of(cls, signature: PlanningSignature, *, current_seal: str) -> "PlanningSignatureOut":
        return cls(role=signature.role, signer=signature.signer_name,
                   signed_at=signature.signed_at, seal=signature.seal,
                   current=signature.seal == current_seal, content=signature.content)


class PlanningGoalOut(Schema):
    id: int
    title: str
    deadline: dt.date | None


class PlanningOut(Schema):
    """A person's planning of one period (Flemish regime): its agreed goals, its seal as
    it is now, who signed it "voor akkoord" and who signs next."""

    participation_id: int
    person: PersonRef
    period: str  # the period's name in the caller's language
    due: dt.date | None  # sign by (the planning's deadline)
    signable: bool  # the period's goals are agreed: at least one, none still proposed
    complete: bool  # every signer signed the planning as it is now
    next_signers: list[str]  # the roles that may sign now
    may_sign: bool  # the caller is one of them
    seal: str
    goals: list[PlanningGoalOut]
    signatures: list[PlanningSignatureOut]  # every signature, oldest first

    @classmethod
    def of(cls, planning: Planning) -> "PlanningOut":
        person = PersonRef.of(planning.person)
        assert person is not None
        return cls(
            participation_id=planning.participation.pk, person=person,
            period=planning.participation.cycle.name, due=planning.due,
            signable=planning.signable, complete=planning.complete,
            next_signers=[signer.value for signer in planning.next_signers],
            may_sign=planning.may_sign, seal=planning.seal,
            goals=[PlanningGoalOut(id=goal.pk, title=goal.title, deadline=goal.deadline)
                   for goal in planning.goals],
            signatures=[PlanningSignatureOut.of(signature, current_seal=planning.seal)
                        for signature in planning.signatures],
        )
