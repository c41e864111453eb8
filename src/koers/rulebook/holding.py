"""Who holds a Dutch conversation, and the evaluation combined with the next planning.

Gemeente Heemstede, regeling "Cyclus van jaargesprekken":

- "Het plannings- en evaluatiegesprek kan ook in een gesprek worden gecombineerd: eerst
  terugkijken met elkaar en vervolgens dit vertalen in afspraken naar de toekomst." So an
  evaluation conversation may be marked combined with the planning of the next period:
  held, it is both this period's evaluation and the next period's planning, and its
  report has both parts (looking back; agreements for the next period). The policy's
  ``combined_planning_evaluation`` allows it (the Dutch preset does).
- "Het planningsgesprek vindt plaats met de directe leidinggevende of een door hem/haar
  aangewezen persoon", and the progress conversation "door de direct leidinggevende of
  met een door hem/haar aangewezen persoon". So the 1st evaluator may designate a
  colleague to hold one planning, progress or evaluation conversation. The policy's
  ``designated_conversation_holder`` allows it (the Dutch preset does).

Each function returns the refusal in the user's language, or ``None``.
"""

from django.utils.translation import gettext as _

from koers.rulebook.appeals import Source
from koers.rulebook.presets import Policy

HOLDING_SOURCE = Source(
    'Gemeente Heemstede, regeling "Cyclus van jaargesprekken"',
    "https://lokaleregelgeving.overheid.nl/",
)

# The kinds a designated person may hold (values of ``conversations.states.ConversationKind``):
# the source names the planning and the progress conversation; the evaluation
# conversation is "weer een opstap voor het planningsgesprek", the same cycle, so we
# allow it too (docs/conversations.md).
DESIGNATED_KINDS = ("planning", "progress", "evaluation")

# Only an evaluation conversation is combined with the next planning.
COMBINED_KIND = "evaluation"


def combined_refusal(policy: Policy, kind: str) -> str | None:
    """Why a conversation of ``kind`` cannot be combined with the next planning."""
    if not policy.combined_planning_evaluation:
        return _("Your organisation's policy does not combine the evaluation conversation "
                 "with the planning of the next period.")
    if kind != COMBINED_KIND:
        return _("Only an evaluation conversation is combined with the planning of the "
                 "next period.")
    return None


def designation_refusal(policy: Policy, kind: str) -> str | None:
    """Why a conversation of ``kind`` cannot be held by a designated person."""
    if not policy.designated_conversation_holder:
        return _("Your organisation's policy has the conversations held by the manager: "
                 "nobody else can be designated.")
    if kind not in DESIGNATED_KINDS:
        return _("Only a planning, progress or evaluation conversation can be held by a "
                 "designated person.")
    return None
