"""Is the annual evaluation mandatory for a person in a period? With the reason shown.

Flanders: at least 479 hours effectively worked in the calendar year (leave and
holidays do not count), and not more than nine months in service without working
([f6], [f22]). Federal and Dutch: at least three whole months employed in the period
(PLOEG's "3 months", counted as in ``docs/policies.md``).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from koers.organisation.rules import hours_to_compare
from koers.rulebook.calendar import add_months
from koers.rulebook.presets import Eligibility, Policy


class Exemption(StrEnum):
    NOT_EMPLOYED = "not_employed"  # not employed at all in the period
    TOO_FEW_HOURS = "too_few_hours"
    TOO_FEW_MONTHS = "too_few_months"
    ABSENT_TOO_LONG = "absent_too_long"
    # Leaves before the evaluation without an agreement to be evaluated before (rulebook.leavers).
    LEAVES_BEFORE_EVALUATION = "leaves_before_evaluation"


@dataclass(frozen=True)
class Requirement:
    required: bool
    exemption: Exemption | None
    hours_worked: Decimal | None
    months_employed: int


def whole_months(first: dt.date, last: dt.date) -> int:
    """Whole months from ``first`` to ``last`` inclusive: 1 Jan–31 Mar is 3, 2 Jan–31 Mar 2."""
    if last < first:
        return 0
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    while months > 0 and add_months(first, months) > last + dt.timedelta(days=1):
        months -= 1
    return months


def evaluation_requirement(
    policy: Policy,
    *,
    period_start: dt.date,
    period_end: dt.date,
    employed_from: dt.date,
    employed_until: dt.date | None,
    hours_worked: Decimal,
    absent_days: int,
) -> Requirement:
    """Whether the evaluation of this period is mandatory, and if not, why not.

    ``absent_days``: calendar days in the period in service but not working (career
    break, long sickness…), used by the Flemish nine-month rule.
    """
    first = max(employed_from, period_start)
    last = min(employed_until or period_end, period_end)
    months = whole_months(first, last)
    if last < first:
        return Requirement(False, Exemption.NOT_EMPLOYED, hours_worked, 0)
    if policy.exempt_when_absent_months is not None:
        limit = (add_months(period_start, policy.exempt_when_absent_months) - period_start).days
        if absent_days > limit:
            return Requirement(False, Exemption.ABSENT_TOO_LONG, hours_worked, months)
    if policy.eligibility == Eligibility.HOURS:
        if hours_to_compare(hours_worked) < policy.minimum_hours:
            return Requirement(False, Exemption.TOO_FEW_HOURS, hours_worked, months)
        return Requirement(True, None, hours_worked, months)
    if months < policy.minimum_months:
        return Requirement(False, Exemption.TOO_FEW_MONTHS, hours_worked, months)
    return Requirement(True, None, hours_worked, months)
