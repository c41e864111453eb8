"""A conversation's kind and status, the allowed transitions and their named groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConversationKind(models.TextChoices):
    PLANNING = "planning", _("planning conversation")  # planningsgesprek
    FOLLOW_UP = "follow_up", _("follow-up conversation")  # opvolgingsgesprek
    PROGRESS = "progress", _("progress conversation")  # voortgangsgesprek
    FUNCTIONING = "functioning", _("functioning conversation")  # functioneringsgesprek
    EVALUATION = "evaluation", _("evaluation conversation")  # evaluatiegesprek
    CAREER = "career", _("career conversation")  # loopbaangesprek
    TALENT = "talent", _("talent conversation")  # talentgesprek
    REMEDIATION = "remediation", _("remediation conversation")  # remediëringsgesprek
    POP_FOLLOW_UP = "pop_follow_up", _("POP follow-up conversation")  # opvolging van het POP
    FORMAL_ASSESSMENT = "formal_assessment", _("formal assessment")  # formele beoordeling


class ConversationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")  # gepland
    HELD = "held", _("held")  # gehouden
    CANCELLED = "cancelled", _("cancelled")  # geannuleerd


S = ConversationStatus

ALLOWED: dict[ConversationStatus, frozenset[ConversationStatus]] = {
    # Rescheduling keeps a conversation scheduled (a new SEQUENCE, not a new status).
    S.SCHEDULED: frozenset({S.HELD, S.CANCELLED}),
    # A held conversation is history; its report is confirmed, not its status changed.
    S.HELD: frozenset(),
    S.CANCELLED: frozenset(),
}

# Still in the calendar: may be moved, cancelled or held.
OPEN_GROUP = frozenset({S.SCHEDULED})
CLOSED_GROUP = frozenset({S.HELD, S.CANCELLED})

# Kinds that count as a follow-up for the cycle's milestones.
FOLLOW_UP_KINDS = frozenset({
    ConversationKind.FOLLOW_UP, ConversationKind.PROGRESS, ConversationKind.FUNCTIONING,
})


def can_move(source: str, target: str) -> bool:
    return ConversationStatus(target) in ALLOWED[ConversationStatus(source)]
