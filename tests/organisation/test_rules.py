"""Rules about employment, each with the source that states it."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.organisation.models import SalarySystem
from koers.organisation.rules import (
    MAX_HOURS_IN_A_YEAR,
    WORKDAY_HOURS,
    default_salary_system,
    estimated_hours_worked,
    hours_worked_error,
    weekdays_between,
    work_year_error,
)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Prestatiemanagement / regulations.md [f11]: hired from 1 June 2024 → evaluation-based.
        (dt.date(2024, 5, 31), SalarySystem.SENIORITY),
        (dt.date(2024, 6, 1), SalarySystem.EVALUATION),
        (dt.date(1998, 9, 1), SalarySystem.SENIORITY),
        (dt.date(2026, 1, 5), SalarySystem.EVALUATION),
    ],
)
def test_default_salary_system_follows_1_june_2024(start, expected):
    assert default_salary_system(start) == expected


def test_a_flemish_working_day_is_7_hours_36():
    # regulations.md [f6]: 479 hours = 63 days × 7 h 36.
    assert Decimal("7.6") == WORKDAY_HOURS
    assert (63 * WORKDAY_HOURS).quantize(Decimal(1)) == 479


@given(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 800))
def test_weekdays_between_counts_monday_to_friday(first, length):
    last = first + dt.timedelta(days=length)
    naive = sum(1 for i in range(length + 1) if (first + dt.timedelta(days=i)).weekday() < 5)
    assert weekdays_between(first, last) == naive


def test_weekdays_between_is_zero_for_an_empty_span():
    assert weekdays_between(dt.date(2025, 3, 2), dt.date(2025, 3, 1)) == 0


def test_full_year_full_time_is_every_weekday_times_a_working_day():
    hours = estimated_hours_worked(
        year=2025,
        start_date=dt.date(2010, 1, 1),
        end_date=None,
        working_time_fraction=Decimal(1),
        absences=[],
    )
    assert hours == Decimal("1983.60")  # 261 weekdays in 2025 × 7.6 h


def test_estimate_prorates_part_time_and_clips_to_employment():
    hours = estimated_hours_worked(
        year=2025,
        start_date=dt.date(2025, 10, 1),
        end_date=None,
        working_time_fraction=Decimal("0.5"),
        absences=[],
    )
    assert hours == Decimal("250.80")  # 66 weekdays × 7.6 h × 0.5


def test_estimate_leaves_out_recorded_absences_inside_the_year():
    hours = estimated_hours_worked(
        year=2025,
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2025, 12, 31),
        working_time_fraction=Decimal(1),
        # 2024-12-30 … 2025-01-10: only the eight 2025 weekdays count.
        absences=[(dt.date(2024, 12, 30), dt.date(2025, 1, 10))],
    )
    assert hours == Decimal("1922.80")  # (261 − 8) × 7.6


def test_nobody_works_in_a_year_outside_employment():
    hours = estimated_hours_worked(
        year=2019,
        start_date=dt.date(2020, 1, 1),
        end_date=None,
        working_time_fraction=Decimal(1),
        absences=[],
    )
    assert hours == Decimal("0.00")


@pytest.mark.parametrize(("year", "allowed"), [
    (1999, False), (2000, True), (2026, True), (2027, False), (0, False), (99999, False)])
def test_hours_worked_are_kept_from_2000_to_the_running_year(year, allowed):
    assert (work_year_error(year, this_year=2026) is None) is allowed


@pytest.mark.parametrize(("hours", "allowed"), [
    ("0", True), ("8784", True), ("8784.01", False), ("-0.01", False), ("1e30", False),
    ("1e308", False), ("NaN", False), ("Infinity", False)])
def test_a_years_hours_worked_lie_between_0_and_366_days_of_24_hours(hours, allowed):
    assert MAX_HOURS_IN_A_YEAR == 366 * 24
    assert (hours_worked_error(Decimal(hours)) is None) is allowed
