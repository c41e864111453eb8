"""The states of an appeal and of an objection, with their allowed moves.

    Appeal (beroep, to the appeal board):
        FILED ──record_hearing──▶ HEARD ──decide──▶ DECIDED
        FILED ──────────────decide──────────────▶ DECIDED   (decided on the file)
        HEARD ──record_hearing──▶ HEARD   (the hearing moved or its notes completed)
        HEARD ──advise──▶ ADVISED ──decide──▶ DECIDED
            (where an evaluation commission advises before the decision: the federal
            route, ``consequences.rules.advice_refusal`` and ``outcome_refusal``)

    Objection (tegenspraak, against a step-0 salary decision):
        FILED ──advise (advisory body)──▶ ADVISED ──decide (management body)──▶ DECIDED

Who may take each move is in ``consequences.permissions``; the rules of the sources
in ``consequences.rules``. ``check`` refuses a move the table does not list.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koers.core.errors import ValidationFailed


class AppealState(models.TextChoices):
    FILED = "filed", _("filed")  # ingediend
    HEARD = "heard", _("heard")  # gehoord
    ADVISED = "advised", _("advised")  # advies van de evaluatiecommissie gegeven
    DECIDED = "decided", _("decided")  # beslist


class AppealOutcome(models.TextChoices):
    """What the appeal led to: the verdict kept, or changed to ``voldoende``."""

    KEPT = "kept", _("verdict kept")
    CHANGED = "changed", _("verdict changed to voldoende")


class ObjectionState(models.TextChoices):
    FILED = "filed", _("filed")  # ingediend, before the advisory body
    ADVISED = "advised", _("advised")  # advies gegeven, before the management body
    DECIDED = "decided", _("decided")  # definitief beslist


class AppealMove(models.TextChoices):
    RECORD_HEARING = "record_hearing", _("record the hearing")
    ADVISE = "advise", _("record the commission's advice")
    DECIDE = "decide", _("record the outcome")


class ObjectionMove(models.TextChoices):
    ADVISE = "advise", _("give the advice")
    DECIDE = "decide", _("take the final decision")


APPEAL_ALLOWED: dict[AppealMove, frozenset[AppealState]] = {
    AppealMove.RECORD_HEARING: frozenset({AppealState.FILED, AppealState.HEARD}),
    AppealMove.ADVISE: frozenset({AppealState.HEARD}),
    AppealMove.DECIDE: frozenset({AppealState.FILED, AppealState.HEARD, AppealState.ADVISED}),
}
APPEAL_TARGET = {AppealMove.RECORD_HEARING: AppealState.HEARD,
                 AppealMove.ADVISE: AppealState.ADVISED,
                 AppealMove.DECIDE: AppealState.DECIDED}

OBJECTION_ALLOWED: dict[ObjectionMove, frozenset[ObjectionState]] = {
    ObjectionMove.ADVISE: frozenset({ObjectionState.FILED}),
    ObjectionMove.DECIDE: frozenset({ObjectionState.ADVISED}),
}
OBJECTION_TARGET = {ObjectionMove.ADVISE: ObjectionState.ADVISED,
                    ObjectionMove.DECIDE: ObjectionState.DECIDED}

# Named groups. An appeal is "before the board" until it is decided; an objection is
# before the advisory body until it advised, then before the management body.
APPEAL_PENDING = frozenset({AppealState.FILED, AppealState.HEARD, AppealState.ADVISED})
OBJECTION_BEFORE_ADVISORY_BODY = frozenset({ObjectionState.FILED})
OBJECTION_BEFORE_MANAGEMENT_BODY = frozenset({ObjectionState.ADVISED})
OBJECTION_PENDING = frozenset({ObjectionState.FILED, ObjectionState.ADVISED})


class WrongState(ValidationFailed):
    """The move is not possible in the case's present state; nothing was changed."""


def check_appeal(state: str, move: AppealMove) -> AppealState:
    """The state after ``move``, or ``WrongState``."""
    current = AppealState(state)
    if current not in APPEAL_ALLOWED[move]:
        raise WrongState(gettext("This appeal is %(state)s: “%(move)s” is not possible now.")
                         % {"state": current.label, "move": move.label})
    return APPEAL_TARGET[move]


def check_objection(state: str, move: ObjectionMove) -> ObjectionState:
    current = ObjectionState(state)
    if current not in OBJECTION_ALLOWED[move]:
        raise WrongState(gettext("This objection is %(state)s: “%(move)s” is not possible "
                                 "now.") % {"state": current.label, "move": move.label})
    return OBJECTION_TARGET[move]
