"""Is the annual evaluation mandatory? Table-driven cases and properties for any dates."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from koers.rulebook.calendar import add_months
from koers.rulebook.deadlines import period_for
from koers.rulebook.eligibility import Exemption, Requirement, evaluation_requirement, whole_months
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH

D = dt.date
dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
leap_days = st.sampled_from([D(year, 2, 29) for year in range(1992, 2100, 4)])
any_day = st.one_of(dates, leap_days, st.sampled_from(
    [D(2023, m, 1) - dt.timedelta(days=1) for m in range(2, 13)] + [D(2024, 1, 31)]))


# Whole months (federal and Dutch "3 months worked") --------------------------------------

@pytest.mark.parametrize(("first", "last", "expected"), [
    (D(2025, 1, 1), D(2025, 3, 31), 3),
    (D(2025, 1, 2), D(2025, 3, 31), 2),  # one day short of the third month
    (D(2025, 1, 1), D(2025, 12, 31), 12),
    (D(2025, 10, 1), D(2025, 12, 31), 3),  # joined 1 October: evaluated
    (D(2025, 10, 2), D(2025, 12, 31), 2),  # joined 2 October: not
    (D(2025, 1, 15), D(2025, 4, 14), 3),  # any day to the day before, months later
    (D(2025, 1, 15), D(2025, 4, 13), 2),
    (D(2025, 1, 31), D(2025, 2, 27), 1),  # a month from 31 January ends before 28 Feb
    (D(2025, 2, 1), D(2025, 2, 28), 1),
    (D(2024, 2, 1), D(2024, 2, 29), 1),  # leap year
    (D(2024, 2, 1), D(2024, 2, 28), 0),
    (D(2024, 2, 29), D(2025, 2, 27), 12),  # 29 Feb + 12 months is 28 Feb 2025
    (D(2024, 2, 29), D(2024, 5, 28), 3),
    (D(2025, 3, 1), D(2025, 3, 1), 0),  # one day
    (D(2025, 3, 2), D(2025, 3, 1), 0),  # nothing
])
def test_whole_months(first, last, expected):
    assert whole_months(first, last) == expected


@given(first=any_day, months=st.integers(0, 60))
def test_n_months_from_any_day_to_the_day_before_are_n_whole_months(first, months):
    last = add_months(first, months) - dt.timedelta(days=1)
    assert whole_months(first, last) == months
    assert whole_months(first, last - dt.timedelta(days=1)) == max(months - 1, 0)


@given(first=any_day, last=any_day, extra=st.integers(0, 400))
def test_more_time_never_gives_fewer_months(first, last, extra):
    later_last = last + dt.timedelta(days=extra)
    earlier_first = first - dt.timedelta(days=extra)
    assert whole_months(first, later_last) >= whole_months(first, last)
    assert whole_months(earlier_first, last) >= whole_months(first, last)


@given(first=any_day, last=any_day)
def test_whole_months_are_bounded_by_the_days(first, last):
    assume(last >= first)
    days = (last - first).days + 1
    months = whole_months(first, last)
    assert 28 * months <= days < 31 * (months + 1) + 1


# The Flemish rules: 479 hours [f6], more than nine months absent [f22] ----------------------

YEAR = period_for(FLEMISH, year=2025)
LEAP_YEAR = period_for(FLEMISH, year=2024)


LONG_AGO = D(2010, 1, 1)


def flemish(hours: str, absent_days: int = 0, *, start=LONG_AGO, until=None,
            period=YEAR) -> Requirement:
    return evaluation_requirement(
        FLEMISH, period_start=period.start, period_end=period.end, employed_from=start,
        employed_until=until, hours_worked=Decimal(hours), absent_days=absent_days,
    )


@pytest.mark.parametrize(("kwargs", "required", "exemption"), [
    ({"hours": "479"}, True, None),  # [f6]: at least 479 hours
    # [f6]: 63 working days of 7 h 36 are 478.8 h, which the 479 hours round.
    ({"hours": "478.8"}, True, None),
    ({"hours": "478.49"}, False, Exemption.TOO_FEW_HOURS),
    ({"hours": "471.2"}, False, Exemption.TOO_FEW_HOURS),  # 62 working days
    ({"hours": "0"}, False, Exemption.TOO_FEW_HOURS),
    # [f6]: part-timers too: hours, not months, count; 479 hours in 4 months suffice.
    ({"hours": "479", "start": D(2025, 9, 1)}, True, None),
    # [f22]: more than nine months in service without working exempts. Nine months
    # from 1 January are 273 days in 2025, 274 in 2024.
    ({"hours": "600", "absent_days": 273}, True, None),
    ({"hours": "600", "absent_days": 274}, False, Exemption.ABSENT_TOO_LONG),
    ({"hours": "600", "absent_days": 274, "period": LEAP_YEAR}, True, None),
    ({"hours": "600", "absent_days": 275, "period": LEAP_YEAR}, False,
     Exemption.ABSENT_TOO_LONG),
    ({"hours": "0", "start": D(2026, 1, 1)}, False, Exemption.NOT_EMPLOYED),
    ({"hours": "0", "until": D(2024, 12, 31)}, False, Exemption.NOT_EMPLOYED),
])
def test_flemish_requirement(kwargs, required, exemption):
    result = flemish(**kwargs)
    assert (result.required, result.exemption) == (required, exemption)


def test_the_requirement_shows_its_facts():
    assert flemish("500", start=D(2025, 4, 1)) == Requirement(True, None, Decimal(500), 9)


@given(hours=st.decimals(0, 2000, places=2), absent_days=st.integers(0, 365))
def test_flemish_required_exactly_with_479_hours_and_at_most_nine_months_absent(
        hours, absent_days):
    result = flemish(str(hours), absent_days)
    # [f6]: the threshold in whole hours (478.8 h, 63 working days, is 479).
    assert result.required == (hours >= Decimal("478.5") and absent_days <= 273)
    assert (result.exemption is None) == result.required


# Federal and Dutch: three whole months employed in the period ------------------------------

@pytest.mark.parametrize(("policy", "period", "start", "until", "required", "months"), [
    (DUTCH_MUNICIPAL, period_for(DUTCH_MUNICIPAL, year=2025), D(2025, 10, 1), None, True, 3),
    (DUTCH_MUNICIPAL, period_for(DUTCH_MUNICIPAL, year=2025), D(2025, 10, 2), None, False, 2),
    (DUTCH_MUNICIPAL, period_for(DUTCH_MUNICIPAL, year=2025), D(2020, 1, 1), D(2025, 3, 31),
     True, 3),  # left at the end of March
    (DUTCH_MUNICIPAL, period_for(DUTCH_MUNICIPAL, year=2025), D(2020, 1, 1), D(2025, 3, 30),
     False, 2),
    # [b1]: a federal period is the person's own twelve months.
    (FEDERAL, period_for(FEDERAL, year=2025, cycle_start=D(2023, 7, 1)), D(2026, 4, 1), None,
     True, 3),
    (FEDERAL, period_for(FEDERAL, year=2025, cycle_start=D(2023, 7, 1)), D(2026, 4, 2), None,
     False, 2),
    (FEDERAL, period_for(FEDERAL, year=2024, cycle_start=D(2020, 2, 29)), D(2024, 11, 29), None,
     True, 3),  # period 29 Feb 2024 – 27 Feb 2025
])
def test_months_requirement(policy, period, start, until, required, months):
    result = evaluation_requirement(
        policy, period_start=period.start, period_end=period.end, employed_from=start,
        employed_until=until, hours_worked=Decimal(0), absent_days=0,
    )
    assert (result.required, result.months_employed) == (required, months)
    assert result.exemption == (None if required else Exemption.TOO_FEW_MONTHS)


def test_the_months_rule_ignores_hours_and_absence():
    period = period_for(DUTCH_MUNICIPAL, year=2025)
    result = evaluation_requirement(
        DUTCH_MUNICIPAL, period_start=period.start, period_end=period.end,
        employed_from=D(2020, 1, 1), employed_until=None, hours_worked=Decimal(0),
        absent_days=360,
    )
    assert result.required


@given(cycle_start=any_day, year=st.integers(1995, 2095), start=dates,
       until=st.none() | dates, minimum=st.integers(0, 12))
def test_months_rule_matches_whole_months_in_the_period(cycle_start, year, start, until,
                                                         minimum):
    assume(until is None or until >= start)
    policy = dataclasses.replace(FEDERAL, minimum_months=minimum)
    period = period_for(policy, year=year, cycle_start=cycle_start)
    result = evaluation_requirement(
        policy, period_start=period.start, period_end=period.end, employed_from=start,
        employed_until=until, hours_worked=Decimal(0), absent_days=0,
    )
    first, last = max(start, period.start), min(until or period.end, period.end)
    if last < first:
        assert (result.required, result.exemption) == (False, Exemption.NOT_EMPLOYED)
    else:
        assert result.months_employed == whole_months(first, last)
        assert result.required == (result.months_employed >= minimum)
