"""Where someone who leaves stands in a cycle, said in words (the timeline, the API).

The state comes from the computed participation (``cycles.services``, by the rule of
``rulebook.leavers``): evaluated before leaving with their agreement, or leaving before
the evaluation and therefore not evaluated in this cycle, with the reason why.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from koers.cycles.models import LeavingReason, Participation
from koers.organisation.models import Person
from koers.rulebook.eligibility import Exemption
from koers.rulebook.leavers import EARLY_EVALUATION_REASONS
from koers.rulebook.presets import Policy


class LeavingState(StrEnum):
    EVALUATED_BEFORE_LEAVING = "evaluated_before_leaving"
    LEAVES_BEFORE_EVALUATION = "leaves_before_evaluation"


@dataclass(frozen=True)
class Leaving:
    state: LeavingState
    last_day: dt.date
    reason: str  # why, in the active language

    @property
    def label(self) -> str:
        if self.state == LeavingState.EVALUATED_BEFORE_LEAVING:
            return _("Evaluated before leaving")
        return _("Leaves before the evaluation")


def _day(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")  # as the pages show dates


def leaving_of(participation: Participation, person: Person, policy: Policy) -> Leaving | None:
    """The leaving state of a participation, or None when the person does not leave
    before the cycle's evaluation."""
    days = [day for day in (person.end_date, participation.last_working_day) if day]
    if not days:
        return None
    last_day = min(days)
    why = LeavingReason(participation.leaving_reason).label if participation.leaving_reason \
        else ""
    values = {"day": _day(last_day), "why": why}
    if participation.exemption == Exemption.LEAVES_BEFORE_EVALUATION:
        if not participation.leaving_reason:
            reason = _("Leaves on %(day)s, before the evaluation is due; nobody recorded an "
                       "agreement to be evaluated before leaving.") % values
        elif not policy.evaluation_before_leaving:
            reason = _("Leaves on %(day)s (%(why)s), before the evaluation is due; this "
                       "policy has no evaluation before leaving.") % values
        elif participation.leaving_reason not in EARLY_EVALUATION_REASONS:
            reason = _("Leaves on %(day)s (%(why)s), before the evaluation is due; only "
                       "someone who leaves voluntarily or retires may be evaluated before "
                       "leaving.") % values
        else:
            reason = _("Leaves on %(day)s (%(why)s), before the evaluation is due, and did "
                       "not agree to be evaluated before leaving.") % values
        return Leaving(LeavingState.LEAVES_BEFORE_EVALUATION, last_day, reason)
    if participation.evaluated_before_leaving and participation.closed_on is None \
            and participation.evaluation_required:
        reason = _("Agreed to be evaluated before leaving (%(why)s): the evaluation may be "
                   "held and signed outside the evaluation window, by the last working day, "
                   "%(day)s.") % values
        return Leaving(LeavingState.EVALUATED_BEFORE_LEAVING, last_day, reason)
    return None
