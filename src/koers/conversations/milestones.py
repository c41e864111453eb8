"""A held conversation moves the running cycle's milestones of the employee, and settles
the reminders of a federal stage's conversation of its kind.

Called by ``conversation_hold`` inside its transaction, so the milestone and the held
conversation are written together or not at all.
"""

from django.db.models import F

from koers.conversations.models import Conversation
from koers.conversations.states import FOLLOW_UP_KINDS, ConversationKind, ConversationStatus
from koers.cycles.milestones import steps_done
from koers.cycles.models import Cycle, CycleState, Participation
from koers.notify.services import notifications_resolve
from koers.rulebook.calendar import add_months
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


# An evaluation conversation combined with the next planning (Dutch policy,
# ``rulebook.holding``) is the planning of the participation whose planning is due on or
# after the day it was held and whose period starts at most this many months after it.
# Our choice (docs/conversations.md): the evaluation falls in the last months of a period,
# at the latest in the first month of the next, when its planning is due.
COMBINED_PLANS_MONTHS = 6


def record_next_planning(conversation: Conversation,
                         evaluated: Participation | None) -> Participation | None:
    """The combined conversation settles the planning of the employee's next
    participation, if it exists yet (else ``plan_from_combined`` does when the next
    cycle opens); that participation, or ``None``."""
    day = conversation.held_on
    assert day is not None
    candidates = Participation.objects.filter(
        person_id=conversation.employee_id, closed_on__isnull=True,
        planning_done_on__isnull=True, planning_due__gte=day,
        period_start__lte=add_months(day, COMBINED_PLANS_MONTHS),
    ).select_for_update(of=("self",))
    if evaluated is not None:
        candidates = candidates.exclude(pk=evaluated.pk).filter(
            period_start__gt=evaluated.period_start)
    planned = candidates.order_by("period_start").first()
    if planned is None:
        return None
    planned.planning_done_on = day
    planned.save(update_fields=["planning_done_on"])
    steps_done(planned, ["planning_done_on"])
    return planned


def plan_from_combined(*, cycle: Cycle) -> None:
    """New participations of ``cycle``: the planning of those whose employee held an
    evaluation conversation combined with it is done (``cycles.changes``). One query
    for the conversations, one update for each found (few: the Dutch policy only)."""
    held = (Conversation.objects.filter(
        employee__participations__cycle=cycle, employee__participations__planning_done_on=None,
        combined_with_planning=True, status=ConversationStatus.HELD)
        .values_list("employee_id", "held_on"))
    for employee_id, day in held:
        assert day is not None  # held
        Participation.objects.filter(
            cycle=cycle, person_id=employee_id, planning_done_on__isnull=True,
            planning_due__gte=day, period_start__lte=add_months(day, COMBINED_PLANS_MONTHS),
        ).update(planning_done_on=day)


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
