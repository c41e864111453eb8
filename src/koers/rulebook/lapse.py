"""The late evaluation of the federal regime: when a period's evaluation lapses.

BOSA, "Evaluatie – contractuelen en statutairen" [b2]: a federal employee who has not
been evaluated 3 months after the end of the evaluation cycle, and was not absent, is
not evaluated for that cycle: the next cycle is activated without a mention. The
number of months is the policy's ``late_evaluation_months`` (federal: 3; Flemish and
Dutch: none, so nothing ever lapses there).

Conventions the source leaves open (our choices, ``docs/cycles.md``):

- the lapse day is ``late_evaluation_months`` after the period's last day, counted as
  ``calendar.add_months`` counts (the 31st becomes the month's last day): a period ending
  on 31 December lapses on 31 March, one ending on 30 November on 28 or 29 February;
- "evaluated" is an evaluation conversation held or a report signed by the evaluator
  (the participation's ``evaluation_held_on`` or ``first_signed_on``): from then on
  the evaluation goes its way, whatever the day;
- "absent" is an absence that stops the work (sickness, career break, parental leave,
  other; not annual leave, as for the hours worked) on any day of the closing months,
  from the day after the period ended up to and including the lapse day: the
  evaluation could not be held, so it stays due.

Pure: no database, no clock; callers pass the facts.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from koers.organisation.models import AbsenceKind
from koers.rulebook.calendar import add_months
from koers.rulebook.presets import Policy

# The kinds of absence that stop the work (annual leave does not: cycles.services).
STOPS_WORK = frozenset({
    AbsenceKind.SICKNESS, AbsenceKind.CAREER_BREAK, AbsenceKind.PARENTAL_LEAVE,
    AbsenceKind.OTHER,
})

Absence = tuple[str, dt.date, dt.date]  # kind, first day, last day


@dataclass(frozen=True)
class Lapse:
    lapses: bool  # the evaluation lapsed: the next cycle starts without a mention
    day: dt.date | None  # the lapse day (None: the policy has no late evaluation)


def lapse_day(policy: Policy, *, period_end: dt.date) -> dt.date | None:
    """The day a period's evaluation lapses if not held, or None where nothing lapses."""
    months = policy.late_evaluation_months
    if not months:
        return None
    return add_months(period_end, months)


def absent_in_closing_months(absences: Iterable[Absence], *, period_end: dt.date,
                             day: dt.date) -> bool:
    """Whether an absence that stops the work meets the closing months: from the day
    after ``period_end`` up to and including the lapse ``day``."""
    first = period_end + dt.timedelta(days=1)
    return any(kind in STOPS_WORK and start <= day and end >= first
               for kind, start, end in absences)


def evaluation_lapse(policy: Policy, *, period_end: dt.date, today: dt.date,
                     evaluated: bool, absences: Iterable[Absence] = ()) -> Lapse:
    """Whether the evaluation of the period ending ``period_end`` has lapsed on ``today``.

    It lapses on the lapse day (``lapse_day``) when by then nobody has evaluated the
    person (``evaluated``: conversation held or report signed) and the person was not
    absent in the closing months (``absences``: the person's absences, any period).
    """
    day = lapse_day(policy, period_end=period_end)
    if day is None:
        return Lapse(lapses=False, day=None)
    lapses = (today >= day and not evaluated
              and not absent_in_closing_months(absences, period_end=period_end, day=day))
    return Lapse(lapses=lapses, day=day)
