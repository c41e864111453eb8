"""What waits for the viewer, whatever the room: one task list for the start page and the
API (``GET /api/v1/me/tasks``).

Each room says what waits for whom in it, by the rule its own pages ask, and this module
only puts the answers in one shape and one order (overdue first, then by due date, then
the rest oldest first):

- an evaluation step that is theirs today (``evaluations.steps.evaluation_tasks``: the
  same steps, due dates and hand-over rule as the evaluation's page and signing);
- a proposed goal waiting for their agreement (``goals.selectors
  .goals_awaiting_confirmation``);
- a planning to sign "voor akkoord" as its next signer, due by the planning's deadline
  (Flemish, ``goals.planning.plannings_awaiting_signature``: the rule its page asks);
- a conversation report waiting for their confirmation, and a work plan waiting for
  their comments or confirmation (``conversations.selectors``);
- HR's request to read a person's content, waiting for their decision as that person's
  2nd evaluator (``access.selectors.requests_to_decide``);
- a functioning conversation to schedule after someone they evaluate first came back
  from a long absence or changed work regime (federal,
  ``conversations.selectors.functioning_conversations_due``);
- for HR, two ``onvoldoende`` within the policy's years to answer (federal,
  ``consequences.selectors.unfitness_flags``);
- an improvement plan to sign, an extension to agree, a follow-up conversation to hold
  or the decision met / not met to take (``improvement.selectors.improvement_tasks``);
- a federal stage's next conversation for the stagiair's 1st evaluator, the development
  objectives to agree for the stagiair, and for HR how the stage goes on as its end nears
  (``evaluations.probation.stage_tasks``);
- a development plan (POP) round to sign, its follow-up conversation to hold once the
  window opened, and a preparation of the development conversation to finish and share
  (``development.selectors.development_tasks``).

A task disappears from the list as soon as it is done: the list is computed from the
records, never stored. The notification that announced it is resolved in the same
transaction (``notify.services.notifications_resolve``), so it leaves the new
notifications at the same moment. A fixed number of queries for the rooms together, plus one per
pending access request (its approver's line).
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.access.selectors import requests_to_decide
from koers.consequences.selectors import unfitness_flags
from koers.conversations.selectors import (
    functioning_conversations_due,
    reports_awaiting_confirmation,
    work_plans_awaiting,
)
from koers.core import clock
from koers.core.due import DueBy
from koers.development.selectors import DevelopmentStep, development_tasks
from koers.evaluations.probation import stage_tasks
from koers.evaluations.steps import evaluation_tasks
from koers.goals.planning import plannings_awaiting_signature
from koers.goals.selectors import goals_awaiting_confirmation
from koers.improvement.selectors import improvement_tasks
from koers.organisation.models import Person


class TaskKind(StrEnum):
    """What a task opens; the faces turn it and ``record_id`` into a link."""

    EVALUATION = "evaluation"
    GOAL = "goal"
    CONVERSATION = "conversation"
    WORK_PLAN = "work_plan"
    ACCESS_REQUEST = "access_request"
    NEW_CONVERSATION = "new_conversation"  # schedule one with the person (record: the person)
    UNFITNESS = "unfitness"  # answer a flag of two onvoldoende (record: the later evaluation)
    IMPROVEMENT_PLAN = "improvement_plan"
    DEVELOPMENT_PLAN = "development_plan"  # sign the open round, hold the follow-up
    EMPLOYEE_PREPARATION = "employee_preparation"  # share one's preparation
    MANAGER_PREPARATION = "manager_preparation"  # share one's preparation about an employee
    STAGE = "stage"  # a federal stage's conversation or objectives (record: the probation)
    PLANNING = "planning"  # sign the period's planning (record: the participation)


DEVELOPMENT_KINDS = {
    DevelopmentStep.SIGN: TaskKind.DEVELOPMENT_PLAN,
    DevelopmentStep.FOLLOW_UP: TaskKind.DEVELOPMENT_PLAN,
    DevelopmentStep.SHARE_PREPARATION: TaskKind.EMPLOYEE_PREPARATION,
    DevelopmentStep.SHARE_MANAGER_PREPARATION: TaskKind.MANAGER_PREPARATION,
}


@dataclass(frozen=True)
class Task(DueBy):
    """One thing the viewer must do: what (in the active language), for whom (whose
    record), by when, on which record."""

    kind: TaskKind
    what: str
    person: Person
    record_id: int
    due: dt.date | None
    today: dt.date
    step: str = ""  # which step on the record, where a record has several (sign, follow_up)


def _order(task: Task) -> tuple[int, dt.date]:
    return (0 if task.overdue else 1, task.due or dt.date.max)


def tasks_for(viewer: Viewer) -> list[Task]:
    """Everything that waits for the viewer today, the most urgent first."""
    me = viewer.person
    if me is None:
        return []
    today = clock.today()
    tasks = [
        Task(TaskKind.EVALUATION, step.what, step.evaluation.person, step.evaluation.pk,
             step.due, step.today)
        for step in evaluation_tasks(viewer)
    ]
    tasks += [
        Task(TaskKind.GOAL, _("Agree the proposed goal “%(title)s”") % {"title": goal.title},
             goal.owner, goal.pk, None, today)
        for goal in goals_awaiting_confirmation(viewer) if goal.owner is not None
    ]
    tasks += [
        Task(TaskKind.PLANNING, planning.what(), planning.person, planning.participation.pk,
             planning.due, today, "sign")
        for planning in plannings_awaiting_signature(viewer)
    ]
    tasks += [
        Task(TaskKind.CONVERSATION,
             _("Confirm the report of the conversation of %(day)s") % {
                 "day": date_format(conversation.held_on, "j F Y")},
             conversation.employee, conversation.pk, None, today)
        for conversation in reports_awaiting_confirmation(viewer)
        if conversation.held_on is not None  # always, once held (a constraint)
    ]
    tasks += [
        Task(TaskKind.WORK_PLAN,
             _("Comment on the work plan") if waits_for == "comment"
             else _("Confirm the work plan"),
             plan.employee, plan.pk, None, today)
        for plan, waits_for in work_plans_awaiting(viewer)
    ]
    tasks += [
        Task(TaskKind.ACCESS_REQUEST,
             _("Decide on HR's request to read the content of %(name)s") % {
                 "name": request.subject.full_name},
             request.subject, request.pk, None, today)
        for request in requests_to_decide(viewer)
    ]
    tasks += [
        Task(TaskKind.NEW_CONVERSATION, due.what, due.person, due.person.pk, due.due, today)
        for due in functioning_conversations_due(viewer)
    ]
    tasks += [
        Task(TaskKind.UNFITNESS,
             _("Answer the flag of two “onvoldoende”: professional unfitness?"),
             flag.person, flag.later.pk, None, today)
        for flag in unfitness_flags(viewer)
    ]
    tasks += [
        Task(TaskKind.IMPROVEMENT_PLAN, step.what, step.plan.employee, step.plan.pk, step.due,
             today)
        for step in improvement_tasks(viewer)
    ]
    tasks += [
        Task(DEVELOPMENT_KINDS[task.step], task.what, task.person, task.record_id, task.due,
             today, task.step.value)
        for task in development_tasks(viewer)
    ]
    tasks += [
        Task(TaskKind.STAGE, task.what, task.probation.person, task.probation.pk, task.due,
             today, task.step)
        for task in stage_tasks(viewer)
    ]
    return sorted(tasks, key=_order)
