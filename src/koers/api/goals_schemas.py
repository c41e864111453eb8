"""Shapes of the goal endpoints. Names follow the glossary (goal, team goal, success indicator)."""

import datetime as dt

from ninja import Schema

from koers.api.common_schemas import Input
from koers.api.pagination import PageOut
from koers.goals.models import Goal, GoalChange, GoalComment
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
