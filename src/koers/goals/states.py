"""A goal's status, the allowed transitions and their named groups.

A goal becomes ``agreed`` only through ``goal_confirm`` (both sides confirmed), never
through a status change; the table says so by listing no ``→ agreed`` edge.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GoalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")  # voorgesteld
    AGREED = "agreed", _("agreed")  # afgesproken
    IN_PROGRESS = "in_progress", _("in progress")  # lopend
    ACHIEVED = "achieved", _("achieved")  # behaald
    NOT_ACHIEVED = "not_achieved", _("not achieved")  # niet behaald
    CANCELLED = "cancelled", _("cancelled")  # geannuleerd


S = GoalStatus

ALLOWED: dict[GoalStatus, frozenset[GoalStatus]] = {
    S.PROPOSED: frozenset({S.CANCELLED}),
    S.AGREED: frozenset({S.IN_PROGRESS, S.ACHIEVED, S.NOT_ACHIEVED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.ACHIEVED, S.NOT_ACHIEVED, S.CANCELLED}),
    # A closed goal is history; a new goal starts the next attempt.
    S.ACHIEVED: frozenset(),
    S.NOT_ACHIEVED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Both sides confirmed the content: the acceptable in SMART.
AGREED_GROUP = frozenset({S.AGREED, S.IN_PROGRESS, S.ACHIEVED, S.NOT_ACHIEVED})
# Still being worked on: content and progress may change.
OPEN_GROUP = frozenset({S.PROPOSED, S.AGREED, S.IN_PROGRESS})
CLOSED_GROUP = frozenset({S.ACHIEVED, S.NOT_ACHIEVED, S.CANCELLED})
# Judging the result is the evaluator's.
EVALUATOR_ONLY = frozenset({S.ACHIEVED, S.NOT_ACHIEVED})


def can_move(source: str, target: str) -> bool:
    return GoalStatus(target) in ALLOWED[GoalStatus(source)]


def evaluator_decides(source: str, target: str) -> bool:
    """Judging the result, and cancelling what both agreed, is the 1st evaluator's."""
    return GoalStatus(target) in EVALUATOR_ONLY or (
        target == S.CANCELLED and GoalStatus(source) in AGREED_GROUP
    )
