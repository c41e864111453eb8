"""States of a development plan, its rounds, HR actions and preparations; the allowed
transitions and their named groups.

A plan is built and signed in rounds (the POP guide, Bijlage 3): round 1 in the planning
conversation, one more after each follow-up conversation (or an amendment between
two). While a round is open the content may change; once employee and 1st evaluator
both signed it, the round is sealed and the plan is ``signed`` until the next round
opens.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # ontwerp: the first round is open
    SIGNED = "signed", _("signed")  # ondertekend: the last round is sealed
    REVISING = "revising", _("being followed up")  # in opvolging: a later round is open
    CLOSED = "closed", _("closed")  # afgesloten: its period is over
    CANCELLED = "cancelled", _("cancelled")  # geannuleerd: never signed


P = PlanStatus

ALLOWED: dict[PlanStatus, frozenset[PlanStatus]] = {
    P.DRAFT: frozenset({P.SIGNED, P.CANCELLED}),
    P.SIGNED: frozenset({P.REVISING, P.CLOSED}),
    P.REVISING: frozenset({P.SIGNED}),
    # A closed plan is history; the next period gets a new plan.
    P.CLOSED: frozenset(),
    P.CANCELLED: frozenset(),
}

# At most one of these per employee (a partial unique constraint says so).
OPEN_GROUP = frozenset({P.DRAFT, P.SIGNED, P.REVISING})
# A round is open: the content may change.
EDITABLE_GROUP = frozenset({P.DRAFT, P.REVISING})
# Signed at least once: its HR actions count as the organisation's training demand.
AGREED_GROUP = frozenset({P.SIGNED, P.REVISING, P.CLOSED})


def can_move(source: str, target: str) -> bool:
    return PlanStatus(target) in ALLOWED[PlanStatus(source)]


class RoundKind(models.TextChoices):
    PLANNING = "planning", _("planning conversation")  # planningsgesprek
    FOLLOW_UP = "follow_up", _("follow-up conversation")  # opvolgingsgesprek
    AMENDMENT = "amendment", _("amendment")  # wijziging tussen twee gesprekken


# Rounds held in a conversation: they restart the follow-up rhythm (the POP guide, Stap 3).
CONVERSATION_ROUNDS = frozenset({RoundKind.PLANNING, RoundKind.FOLLOW_UP})


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    SIGNED = "signed", _("signed")


class HrActionStatus(models.TextChoices):
    """What HR (the personnel service) did about an action asked of it."""

    REQUESTED = "requested", _("requested")  # gevraagd
    ARRANGED = "arranged", _("arranged")  # geregeld (e.g. the registration is done)


HR_ALLOWED: dict[HrActionStatus, frozenset[HrActionStatus]] = {
    HrActionStatus.REQUESTED: frozenset({HrActionStatus.ARRANGED}),
    # Undo a mistaken "arranged" (the registration fell through).
    HrActionStatus.ARRANGED: frozenset({HrActionStatus.REQUESTED}),
}


class RecommendationValue(models.TextChoices):
    """One cell of the competency × development action matrix (the POP guide, Bijlage 1).

    The source leaves the second half of the matrix empty for its last nine
    competencies: those cells are ``unknown`` ("no recommendation yet") until HR fills
    them in, which is not the same as "not recommended".
    """

    RECOMMENDED = "recommended", _("recommended")  # aanbevolen
    NOT_RECOMMENDED = "not_recommended", _("not recommended")  # niet aanbevolen
    UNKNOWN = "unknown", _("no recommendation yet")  # nog geen aanbeveling
