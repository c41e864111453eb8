"""A held conversation moves the running cycle's milestones of the employee, and settles
the reminders of a federal stage's conversation of its kind.

Called by ``conversation_hold`` inside its transaction, so the milestone and the held
conversation are written together or not at all.
"""

from django.db.models import F

from koers.conversations.models import Conversation
from koers.conversations.states import FOLLOW_UP_KINDS, ConversationKind
from koers.cycles.milestones import steps_done
from koers.cycles.models import CycleState, Participation
from koers.notify.services import notifications_resolve
from koers.rulebook.policy import policy_for


def running_participation(conversation: Conversation) -> Participation | None:
    """The employee's participation whose period holds the day it was held, in a running
    cycle; else their latest open participation in a running cycle."""
    assert conversation.held_on is not None
    day = conversation.held_on
    running = Participation.objects.filter(
        person_id=conversation.employee_id, closed_on__isnull=True,
        cycle__state__in=[CycleState.OPEN, CycleState.OPENING],
    ).select_for_update(of=("self",))
    return (
        running.filter(period_start__lte=day, period_end__gte=day).order_by("-period_start").first()
        or running.order_by("-period_start").first()
    )


def record_held(conversation: Conversation) -> Participation | None:
    """Update the participation's milestone fields; the participation, or None without one."""
    participation = running_participation(conversation)
    if participation is None:
        return None
    day = conversation.held_on
    kind = conversation.kind
    fields: list[str] = []
    if kind == ConversationKind.PLANNING and participation.planning_done_on is None:
        participation.planning_done_on = day
        fields.append("planning_done_on")
    elif kind in FOLLOW_UP_KINDS:
        participation.follow_ups_held = F("follow_ups_held") + 1
        participation.last_follow_up_on = day
        fields += ["follow_ups_held", "last_follow_up_on"]
        if (
            kind == ConversationKind.PROGRESS
            and participation.halfway_progress_done_on is None
            and policy_for(conversation.employee.organisation).halfway_progress_conversation
        ):
            participation.halfway_progress_done_on = day
            fields.append("halfway_progress_done_on")
    elif kind == ConversationKind.EVALUATION and participation.evaluation_held_on is None:
        participation.evaluation_held_on = day
        fields.append("evaluation_held_on")
    if fields:
        participation.save(update_fields=fields)
        participation.refresh_from_db(fields=fields)
        steps_done(participation, fields)
    return participation


# The conversations of a federal stage ([b14]) are matched to its steps by kind, in the
# order they are held (``evaluations.probation``): holding one settles the next step of
# that kind, so its reminders name the employee and the kind.
STAGE_KINDS = frozenset({ConversationKind.PLANNING, ConversationKind.FUNCTIONING,
                         ConversationKind.EVALUATION})


def stage_step_task(employee_id: int, kind: str) -> str:
    """The task a reminder of a stage's conversation of ``kind`` names
    (``evaluations.reminders``); an empty ``kind``: every task of the employee's stage."""
    return f"stage:{employee_id}:{kind}"


def record_stage_step_held(conversation: Conversation) -> None:
    """The held conversation is the stage's next of its kind: its reminders are done.

    One query; a conversation of another kind, or of someone with no stage, resolves
    nothing."""
    if conversation.kind in STAGE_KINDS:
        notifications_resolve(task=stage_step_task(conversation.employee_id, conversation.kind))
