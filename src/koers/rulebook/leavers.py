"""People who leave during a cycle: whether they are evaluated before they leave.

[f1] (Vlaams personeelsstatuut, Part IV): staff who leave voluntarily or retire may,
with their agreement, be evaluated before they leave; the evaluation may then be held
and signed outside the 1 December – 31 March window, before the last working day.
Whoever leaves before the evaluation without that agreement is not evaluated in the
cycle: the evaluation is no longer mandatory and never late, and the reason is shown.
Nothing here reads the database or the clock.
"""

import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext as _

from koers.rulebook.deadlines import Due, Period
from koers.rulebook.presets import Policy


class LeavingReason(StrEnum):
    VOLUNTARY = "voluntary"  # resignation, a move elsewhere
    RETIREMENT = "retirement"
    OTHER = "other"  # dismissal, the end of a contract…


# [f1]: who may be evaluated before leaving, with their agreement.
EARLY_EVALUATION_REASONS = frozenset({LeavingReason.VOLUNTARY, LeavingReason.RETIREMENT})

# The steps an agreement brings before the last working day: the first steps of the
# year (they precede the evaluation) and the evaluation with its signatures.
_BEFORE_LEAVING = (Due.PLANNING, Due.HALFWAY_PROGRESS, Due.SELF_EVALUATION, Due.EVALUATION,
                   Due.FIRST_SIGNATURE, Due.SECOND_SIGNATURE)


def may_be_evaluated_before_leaving(policy: Policy, reason: str) -> bool:
    return policy.evaluation_before_leaving and reason in EARLY_EVALUATION_REASONS


def leaves_before_evaluation(dues: dict[Due, dt.date], *, last_day: dt.date | None) -> bool:
    """Whether someone whose last working day is ``last_day`` leaves before the
    evaluation of the cycle is due (``None``: they do not leave)."""
    return last_day is not None and Due.EVALUATION in dues and last_day < dues[Due.EVALUATION]


def evaluated_before_leaving(
    dues: dict[Due, dt.date], *, last_day: dt.date, first_day: dt.date
) -> dict[Due, dt.date]:
    """The due dates of an evaluation agreed before leaving ([f1]).

    The evaluation and its signatures, and the first steps before them, are due on the
    last working day at the latest; the window opens on the first day of the period (or
    of employment), so the report may be signed outside the policy's window. The
    moments after the period (the evaluation lapsing) do not move.
    """
    moved = dict(dues)
    for due in _BEFORE_LEAVING:
        if due in moved:
            moved[due] = max(min(moved[due], last_day), first_day)
    if Due.EVALUATION_WINDOW_OPENS in moved:
        moved[Due.EVALUATION_WINDOW_OPENS] = first_day
    return moved


def leaving_errors(
    policy: Policy,
    *,
    reason: str,
    last_working_day: dt.date,
    agreed: bool,
    period: Period,
    start_date: dt.date,
    end_date: dt.date | None,
) -> dict[str, list[str]]:
    """Why this record of someone leaving is refused, by field (empty: it is allowed)."""
    errors: dict[str, list[str]] = {}
    if reason not in set(LeavingReason):
        errors["reason"] = [_("Choose why the person leaves.")]
    first = max(period.start, start_date)
    if last_working_day < first:
        errors["last_working_day"] = [
            _("The last working day cannot come before %(day)s, the first day of this "
              "cycle for this person.") % {"day": first.strftime("%d-%m-%Y")}]
    elif end_date is not None and last_working_day > end_date:
        errors["last_working_day"] = [
            _("The last working day cannot come after the end of employment (%(day)s).")
            % {"day": end_date.strftime("%d-%m-%Y")}]
    if agreed and not policy.evaluation_before_leaving:
        errors["agreed"] = [_("This policy has no evaluation before leaving.")]
    elif agreed and reason in set(LeavingReason) and reason not in EARLY_EVALUATION_REASONS:
        errors["agreed"] = [_("Only someone who leaves voluntarily or retires may be "
                              "evaluated before leaving.")]
    return errors
