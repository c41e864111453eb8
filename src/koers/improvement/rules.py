"""The rules of the personal improvement plan (persoonlijk verbeterplan).

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" (overheid.vlaanderen.be),
with its guidelines for managers ("Richtlijnen PLOEG voor leidinggevenden",
https://overheid.vlaanderen.be/personeel/loopbaan/richtlijnen-ploeg-voor-leidinggevenden):
when an employee does not (yet) perform as expected, the manager may start a personal
improvement plan that says why, describes the expected improvement and the support
offered; progress on the actions and agreements is followed up in conversations, monthly
(the policy's ``improvement_plan_follow_up_months``); at the end the manager decides
whether the plan's goals were met, and if so the employee returns to the normal cycle.

How long a plan runs is not found in the sources: the plan states its own period. That
it may be extended once, by agreement of both, is this product's rule.
"""

import datetime as dt

from koers.rulebook.calendar import add_months

# A plan may be extended once, by agreement of the employee and the evaluator.
EXTENSIONS_ALLOWED = 1
# A plan states at least one expected improvement (a goal with its indicators).
MIN_GOALS = 1
MAX_GOALS = 10


def follow_up_due_dates(*, start: dt.date, end: dt.date, every_months: int) -> list[dt.date]:
    """The latest day of each follow-up conversation: every ``every_months`` months after
    the start, within the period. The decision falls on the end (``decision_from``)."""
    if every_months < 1:
        raise ValueError("a plan is followed up at least every month or more")
    days: list[dt.date] = []
    number = 1
    while (day := add_months(start, number * every_months)) <= end:
        days.append(day)
        number += 1
    return days


def decision_from(*, end: dt.date) -> dt.date:
    """The manager decides "met" or "not met" at the end of the plan: from its last day."""
    return end
