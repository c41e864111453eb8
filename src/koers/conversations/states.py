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


class WorkPlanStatus(models.TextChoices):
    """The Dutch individual work plan (Heemstede): drafted, commented, fixed by both."""

    DRAFT = "draft", _("draft")  # concept: the employee writes it
    COMMENTED = "commented", _("commented")  # aangevuld met opmerkingen van de leidinggevende
    FIXED = "fixed", _("fixed")  # vastgesteld: definitief voor twaalf maanden


W = WorkPlanStatus

WORK_PLAN_ALLOWED: dict[WorkPlanStatus, frozenset[WorkPlanStatus]] = {
    # The 1st evaluator's comments move a draft on; editing keeps the status.
    W.DRAFT: frozenset({W.COMMENTED}),
    # Both confirm the same text: then it is fixed.
    W.COMMENTED: frozenset({W.FIXED}),
    # Fixed plans are read-only; changed agreements are amendments from a progress
    # conversation, not a new status.
    W.FIXED: frozenset(),
}

# The employee and the 1st evaluator may still change the text.
WORK_PLAN_OPEN_GROUP = frozenset({W.DRAFT, W.COMMENTED})


def work_plan_can_move(source: str, target: str) -> bool:
    return WorkPlanStatus(target) in WORK_PLAN_ALLOWED[WorkPlanStatus(source)]


class MediationStatus(models.TextChoices):
    """A mediation when the employee and their manager disagree (Heemstede)."""

    REQUESTED = "requested", _("requested")  # gevraagd: the mediator has not recorded it yet
    CLOSED = "closed", _("closed")  # afgesloten: held, its outcome recorded


class MediationOutcome(models.TextChoices):
    AGREED = "agreed", _("agreement reached")  # overeenstemming bereikt
    NOT_AGREED = "not_agreed", _("no agreement")  # geen overeenstemming


class MediatorKind(models.TextChoices):
    """Whom the employee asks to mediate (Heemstede: "de naast-hogere leidinggevende of
    een onafhankelijk iemand als de P&O-adviseur")."""

    NEXT_MANAGER = "next_manager", _("next-higher manager")  # naasthogere leidinggevende
    HR_ADVISER = "hr_adviser", _("HR adviser")  # P&O-adviseur


MEDIATION_ALLOWED: dict[MediationStatus, frozenset[MediationStatus]] = {
    # The mediator records the outcome once; a closed mediation is history.
    MediationStatus.REQUESTED: frozenset({MediationStatus.CLOSED}),
    MediationStatus.CLOSED: frozenset(),
}


def mediation_can_move(source: str, target: str) -> bool:
    return MediationStatus(target) in MEDIATION_ALLOWED[MediationStatus(source)]
