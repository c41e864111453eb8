"""Is the annual evaluation mandatory for a person in a period? With the reason shown.

Flanders: at least 479 hours effectively worked in the calendar year (leave and
holidays do not count), and not more than nine months in service without working
([f6], [f22]). Federal and Dutch: at least three whole months employed in the period
(PLOEG's "3 months", counted as in ``docs/policies.md``).

Top managers and mandate holders (Flanders only): Vlaamse overheid, "Planning, opvolging
en evaluatie (PLOEG)" (overheid.vlaanderen.be): "Voor topkaderfuncties bestaan andere
evaluatievormen", so whoever HR recorded as such is not in the annual evaluation of a
period that ends on or after the day recorded (at its end they hold the function, and
the top-management evaluation covers them), with that function as the reason. A
middle manager stays in the annual evaluation: "Voor het middenkader is er naast PLOEG
ook nog een mandaatevaluatie om de 6 jaar" (the same page).
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
    # Evaluated in other forms (PLOEG, Flanders only): the values of
    # ``organisation.models.OtherEvaluation``.
    TOP_MANAGER = "top_manager"
    MANDATE_HOLDER = "mandate_holder"


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
    other_evaluation: str = "",
    other_evaluation_from: dt.date | None = None,
) -> Requirement:
    """Whether the evaluation of this period is mandatory, and if not, why not.

    ``absent_days``: calendar days in the period in service but not working (career
    break, long sickness…), used by the Flemish nine-month rule. ``other_evaluation``
    and ``other_evaluation_from``: the top-management function HR recorded, if any, and
    from which day (``other_evaluation_exemption``).
    """
    first = max(employed_from, period_start)
    last = min(employed_until or period_end, period_end)
    months = whole_months(first, last)
    if last < first:
        return Requirement(False, Exemption.NOT_EMPLOYED, hours_worked, 0)
    other = other_evaluation_exemption(policy, function=other_evaluation,
                                       valid_from=other_evaluation_from, period_end=period_end)
    if other is not None:
        return Requirement(False, other, hours_worked, months)
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


OTHER_EVALUATION_EXEMPTIONS = {
    Exemption.TOP_MANAGER.value: Exemption.TOP_MANAGER,
    Exemption.MANDATE_HOLDER.value: Exemption.MANDATE_HOLDER,
}


def other_evaluation_exemption(
    policy: Policy, *, function: str, valid_from: dt.date | None, period_end: dt.date
) -> Exemption | None:
    """The exemption of a top manager or mandate holder (PLOEG: other evaluation forms),
    or None: the policy has no such forms, nothing was recorded, or the function starts
    after the period's last day."""
    if not policy.other_evaluation_forms or valid_from is None or valid_from > period_end:
        return None
    return OTHER_EVALUATION_EXEMPTIONS.get(function)
