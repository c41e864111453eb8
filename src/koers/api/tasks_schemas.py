"""The shape of the viewer's task list (``tasks.selectors``)."""

import datetime as dt

from ninja import Schema

from koers.api.common_schemas import PersonRef
from koers.api.pagination import PageOut
from koers.tasks.selectors import Task


class TaskOut(Schema):
    """One thing that waits for the caller: ``kind`` and ``record_id`` name the record
    (an evaluation, goal, conversation, work plan, access request, improvement or
    development plan, preparation) where it is done, ``step`` which step on it where a
    record has several (a development plan: ``sign`` or ``follow_up``; a federal stage,
    ``GET /api/v1/probations/{record_id}``: ``objectives``, ``planning``,
    ``functioning_<n>``, ``final`` or, for HR, ``outcome``);
    ``new_conversation``: a conversation to schedule with the person ``record_id``
    (``POST /api/v1/conversations`` with that ``employee_id``); ``planning``: the
    planning of participation ``record_id`` to sign (step ``sign``,
    ``POST /api/v1/participations/{record_id}/planning/signatures``)."""

    # evaluation, goal, conversation, work_plan, access_request, new_conversation,
    # unfitness, improvement_plan, development_plan, employee_preparation,
    # manager_preparation, stage, planning
    kind: str
    record_id: int
    step: str
    what: str  # in the caller's language
    person: PersonRef  # whose record it is (the caller's own or a team member's)
    due: dt.date | None
    overdue: bool
    when: str  # the due date in words: "3 days overdue", "due today", "in 5 days"

    @classmethod
    def of(cls, task: Task) -> "TaskOut":
        person = PersonRef.of(task.person)
        assert person is not None
        return cls(kind=task.kind.value, record_id=task.record_id, step=task.step,
                   what=task.what,
                   person=person, due=task.due, overdue=task.overdue, when=task.when)


class TaskPageOut(PageOut):
    items: list[TaskOut]
