"""Rules about people and employment from the sources, each in one place.

Each rule names its source; a test in ``tests/organisation/test_rules.py`` fails if
the rule changes.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _

from koers.organisation.models import PolicyPreset, SalarySystem

# Staff hired from 1 June 2024 are in the evaluation-based salary system; earlier
# staff stay seniority-based unless they switch (voluntarily or by promotion).
# Source: Prestatiemanagement; [f11] (BVR 29 March 2024; docs/policies.md, Sources).
EVALUATION_SALARY_SYSTEM_FROM = dt.date(2024, 6, 1)

# One Flemish working day is 7 h 36 min; the 479-hour rule is 63 such days.
# Source: regulations.md [f6] (advice of 8 December 2016 on art. IV 1 §1).
WORKDAY_HOURS = Decimal("7.6")

# Hours worked are kept per calendar year, from the first year Koers takes in (the
# oldest figure an eligibility question can still need) up to the running year: a year
# that has not begun has no hours worked yet.
FIRST_WORK_YEAR = 2000
# A calendar year has at most 366 days of 24 hours.
MAX_HOURS_IN_A_YEAR = Decimal(366 * 24)


# Public holidays are no working days. Whose: the region of the organisation's regime,
# by its preset (the country and, for Belgium, the community as the ``holidays``
# package calls it). Flemish staff follow the Flemish community's calendar, federal
# staff Belgium's, Dutch municipalities the Netherlands'.
HOLIDAY_REGION: dict[str, tuple[str, str | None]] = {
    PolicyPreset.FLEMISH: ("BE", "Flemish"),
    PolicyPreset.FEDERAL: ("BE", None),
    PolicyPreset.DUTCH_MUNICIPAL: ("NL", None),
}


@lru_cache(maxsize=256)
def public_holidays(preset: str, year: int) -> frozenset[dt.date]:
    """The public holidays of ``year`` in the region of the ``preset``'s regime."""
    country, community = HOLIDAY_REGION[preset]
    return frozenset(holidays.country_holidays(country, subdiv=community, years=year))


def hours_to_compare(hours: Decimal) -> Decimal:
    """Hours as a threshold in whole hours compares them: rounded to the hour.

    [f6] states the Flemish threshold as 479 hours, the 478.8 hours of 63 working days
    of 7 h 36 rounded; so 63 full working days meet it, as the "three months" they
    stand for do, and 62 (471.2 hours) do not."""
    return hours.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def default_salary_system(start_date: dt.date) -> SalarySystem:
    """The salary system a person has unless HR records a switch."""
    if start_date >= EVALUATION_SALARY_SYSTEM_FROM:
        return SalarySystem.EVALUATION
    return SalarySystem.SENIORITY


def work_year_error(year: int, *, this_year: int) -> str | None:
    """Why hours worked cannot be kept for ``year`` (``None``: they can)."""
    if FIRST_WORK_YEAR <= year <= this_year:
        return None
    return _("The year must lie between %(first)d and %(last)d.") % {
        "first": FIRST_WORK_YEAR, "last": this_year}


def hours_worked_error(hours: Decimal) -> str | None:
    """Why ``hours`` cannot be a year's hours worked (``None``: it can)."""
    if hours.is_finite() and Decimal(0) <= hours <= MAX_HOURS_IN_A_YEAR:
        return None
    return _("The hours worked in a year lie between 0 and %(most)d.") % {
        "most": MAX_HOURS_IN_A_YEAR}


def weekdays_between(first: dt.date, last: dt.date) -> int:
    """Monday-to-Friday days from ``first`` to ``last``, both included (0 if empty)."""
    if last < first:
        return 0
    days = (last - first).days + 1
    whole_weeks, rest = divmod(days, 7)
    count = whole_weeks * 5
    start_weekday = first.weekday()
    count += sum(1 for offset in range(rest) if (start_weekday + offset) % 7 < 5)
    return count


def estimated_hours_worked(
    *,
    year: int,
    start_date: dt.date,
    end_date: dt.date | None,
    working_time_fraction: Decimal,
    absences: list[tuple[dt.date, dt.date]],
    preset: str,
) -> Decimal:
    """Estimate hours effectively worked in ``year`` when no time registration is imported.

    Counts the working days of employment in the year (Monday to Friday, less the
    public holidays of the ``preset``'s region, ``public_holidays``), less the working
    days of recorded absences (leave, sickness, career break…), times a working day of
    7 h 36 and the working-time fraction. It does not know leave that was not recorded,
    so it errs high; HR corrects it or imports the real figure.
    """
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = max(start_date, year_start)
    last = min(end_date or year_end, year_end)
    days = weekdays_between(first, last)
    off = {day for day in public_holidays(preset, year)
           if first <= day <= last and day.weekday() < 5}
    for absence_start, absence_end in absences:
        day = max(absence_start, first)
        while day <= min(absence_end, last):
            if day.weekday() < 5:
                off.add(day)
            day += dt.timedelta(days=1)
    worked_days = max(days - len(off), 0)
    hours = Decimal(worked_days) * WORKDAY_HOURS * working_time_fraction
    return hours.quantize(Decimal("0.01"))


def worked_days_between(*, first: dt.date, last: dt.date, preset: str,
                        absences: list[tuple[dt.date, dt.date]]) -> int:
    """The days actually worked from ``first`` to ``last`` inclusive: Monday to Friday,
    not a public holiday of the ``preset``'s region, not inside a recorded absence.

    BOSA, "De evaluatiecyclus" [b1] counts "effectief gewerkte dagen" between two
    conversations; Koers knows no more of a day than this (leave that was not recorded
    counts as worked)."""
    if last < first:
        return 0
    holidays_off: set[dt.date] = set()
    for year in range(first.year, last.year + 1):
        holidays_off |= public_holidays(preset, year)
    count, day = 0, first
    while day <= last:
        if (day.weekday() < 5 and day not in holidays_off
                and not any(start <= day <= end for start, end in absences)):
            count += 1
        day += dt.timedelta(days=1)
    return count
