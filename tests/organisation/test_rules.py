"""Rules about employment, each with the source that states it."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.organisation.models import PolicyPreset, SalarySystem
from koers.organisation.rules import (
    MAX_HOURS_IN_A_YEAR,
    WORKDAY_HOURS,
    default_salary_system,
    estimated_hours_worked,
    hours_to_compare,
    hours_worked_error,
    public_holidays,
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
        preset=PolicyPreset.FLEMISH,
    )
    # 261 weekdays in 2025, less 9 public holidays on a weekday (1 January, Easter
    # Monday, 1 May, Ascension, Whit Monday, 21 July, 15 August, 11 November,
    # Christmas; 1 November is a Saturday) × 7.6 h
    assert hours == Decimal("1915.20")


def test_estimate_prorates_part_time_and_clips_to_employment():
    hours = estimated_hours_worked(
        year=2025,
        start_date=dt.date(2025, 10, 1),
        end_date=None,
        working_time_fraction=Decimal("0.5"),
        absences=[],
        preset=PolicyPreset.FLEMISH,
    )
    assert hours == Decimal("243.20")  # (66 weekdays − 11 Nov, 25 Dec) × 7.6 h × 0.5


def test_estimate_leaves_out_recorded_absences_inside_the_year():
    hours = estimated_hours_worked(
        year=2025,
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2025, 12, 31),
        working_time_fraction=Decimal(1),
        # 2024-12-30 … 2025-01-10: only the eight 2025 weekdays count.
        absences=[(dt.date(2024, 12, 30), dt.date(2025, 1, 10))],
        preset=PolicyPreset.FLEMISH,
    )
    # (261 − 9 holidays − 7 absent weekdays besides 1 January) × 7.6: a holiday inside
    # an absence counts once.
    assert hours == Decimal("1862.00")


def test_nobody_works_in_a_year_outside_employment():
    hours = estimated_hours_worked(
        year=2019,
        start_date=dt.date(2020, 1, 1),
        end_date=None,
        working_time_fraction=Decimal(1),
        absences=[],
        preset=PolicyPreset.FLEMISH,
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


# Working days: the public holidays of the region are not worked -----------------------
# Sources (docs/policies.md, Sources): [f6] Vlimpers, "Aan de slag met de module PLOEG",
# https://www.vlaanderen.be/intern/vlimpers-voor-personeelsleden/aan-de-slag-met-de-module-ploeg
# (3 months = 479 hours = 63 working days of 7 h 36, hours effectively worked).


def _estimate(first, last, preset=PolicyPreset.FLEMISH, year=None):
    return estimated_hours_worked(
        year=year or first.year, start_date=first, end_date=last,
        working_time_fraction=Decimal(1), absences=[], preset=preset)


@pytest.mark.parametrize("preset", list(PolicyPreset))
def test_the_estimate_does_not_count_1_january(preset):
    # 1 and 2 January 2026 are a Thursday and a Friday: one working day.
    assert _estimate(dt.date(2026, 1, 1), dt.date(2026, 1, 2), preset) == Decimal("7.60")


def test_each_region_has_its_own_holidays():
    # Belgium: 21 July (national day), 11 November; the Netherlands: King's Day.
    assert {dt.date(2026, 7, 21), dt.date(2026, 11, 11)} <= public_holidays(
        PolicyPreset.FLEMISH, 2026)
    assert {dt.date(2026, 7, 21), dt.date(2026, 11, 11)} <= public_holidays(
        PolicyPreset.FEDERAL, 2026)
    assert dt.date(2026, 4, 27) in public_holidays(PolicyPreset.DUTCH_MUNICIPAL, 2026)
    assert dt.date(2026, 7, 21) not in public_holidays(PolicyPreset.DUTCH_MUNICIPAL, 2026)
    assert _estimate(dt.date(2026, 7, 20), dt.date(2026, 7, 24)) == Decimal("30.40")
    assert _estimate(dt.date(2026, 7, 20), dt.date(2026, 7, 24),
                     PolicyPreset.DUTCH_MUNICIPAL) == Decimal("38.00")


def test_63_full_working_days_meet_the_479_hours_and_62_do_not():
    # [f6]: 479 hours are 63 working days of 7 h 36 (478.8 h), the "three months".
    # From 1 October 2026 to 31 December 2026: 66 weekdays, less 11 November and
    # Christmas: 64 working days; from 2 October, 63; from 5 October, 62.
    sixty_three = _estimate(dt.date(2026, 10, 2), dt.date(2026, 12, 31))
    sixty_two = _estimate(dt.date(2026, 10, 5), dt.date(2026, 12, 31))
    assert sixty_three == 63 * WORKDAY_HOURS == Decimal("478.80")
    assert hours_to_compare(sixty_three) >= 479
    assert hours_to_compare(sixty_two) < 479


@given(st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31)), st.integers(0, 400))
def test_the_estimate_counts_weekdays_that_are_no_public_holiday(first, length):
    last = min(first + dt.timedelta(days=length), dt.date(first.year, 12, 31))
    off = public_holidays(PolicyPreset.FLEMISH, first.year)
    expected = sum(1 for i in range((last - first).days + 1)
                   if (day := first + dt.timedelta(days=i)).weekday() < 5 and day not in off)
    assert _estimate(first, last) == expected * WORKDAY_HOURS
