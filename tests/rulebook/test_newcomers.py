"""A newcomer's due dates follow their start date.

Sources (docs/policies.md, Sources):
- PLOEG-gesprekken, https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken:
  the planning is filed in January, at the latest at the end of March.
- Gemeente Heemstede, regeling "Cyclus van jaargesprekken" (lokaleregelgeving.overheid.nl):
  for new employees "het planningsgesprek vroeg in het eerste jaar", the progress
  conversation "een aantal maanden na indiensttreding"; planning and evaluation may be
  combined in one conversation.
- BOSA, stagiairs, gesprekken,
  https://fedweb.belgium.be/nl/evaluatie/evaluatiecyclus_voor_personeelsleden/stagiairs/gesprekken:
  the planning conversation in the first month.
"""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.rulebook.deadlines import (
    STEP_ORDER,
    Due,
    cycle_due_dates,
    days_after_start,
    period_for,
)
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH, PRESETS, Policy

D = dt.date


def dues_of(policy: Policy, *, year: int, start: dt.date, probation_end: dt.date | None = None,
            cycle_start: dt.date | None = None) -> dict[Due, dt.date]:
    period = period_for(policy, year=year, cycle_start=cycle_start or start)
    return cycle_due_dates(policy, year=year, period=period, probation_end=probation_end,
                           employed_from=start)


def test_a_flemish_newcomer_in_september_plans_within_90_days_of_the_start():
    # PLOEG-gesprekken: planning by the end of March, the year's first 90 days; someone
    # starting on 19 September 2026 gets 90 days from then, not 31 March 2026.
    dues = dues_of(FLEMISH, year=2026, start=D(2026, 9, 19))

    assert dues[Due.PLANNING] == D(2026, 12, 17)
    assert dues[Due.EVALUATION_WINDOW_OPENS] == D(2026, 12, 1)
    assert dues[Due.EVALUATION] == D(2027, 3, 31)


def test_a_dutch_newcomer_in_july_plans_early_and_progresses_months_after_the_start():
    # Heemstede: planning early in the first year (within 30 days), progress some months
    # after the start (90 days), not 31 January and 2 July.
    dues = dues_of(DUTCH_MUNICIPAL, year=2026, start=D(2026, 7, 23))

    assert dues[Due.PLANNING] == D(2026, 8, 21)
    assert dues[Due.HALFWAY_PROGRESS] == D(2026, 10, 20)
    assert dues[Due.EVALUATION] == D(2026, 12, 31)


def test_a_dutch_newcomer_in_december_plans_at_the_latest_with_the_evaluation():
    # Heemstede: planning and evaluation may be one conversation.
    dues = dues_of(DUTCH_MUNICIPAL, year=2026, start=D(2026, 12, 10))

    assert dues[Due.PLANNING] == dues[Due.HALFWAY_PROGRESS] == D(2026, 12, 31)
    assert dues[Due.EVALUATION] == D(2026, 12, 31)


def test_a_flemish_newcomer_in_late_december_plans_by_the_1st_signature_day():
    dues = dues_of(FLEMISH, year=2026, start=D(2026, 12, 28))

    assert dues[Due.EVALUATION_WINDOW_OPENS] == D(2026, 12, 28)  # not before the start
    assert dues[Due.PLANNING] == D(2027, 3, 15) == dues[Due.FIRST_SIGNATURE]


def test_an_early_newcomer_is_not_held_to_an_earlier_planning_than_everyone():
    # Starting on 2 January: 90 days from then is 1 April, after everyone's 31 March.
    assert dues_of(FLEMISH, year=2026, start=D(2026, 1, 2))[Due.PLANNING] == D(2026, 4, 1)
    # A Dutch start on 3 January: 1 February, after everyone's 31 January.
    assert dues_of(DUTCH_MUNICIPAL, year=2026, start=D(2026, 1, 3))[Due.PLANNING] == D(
        2026, 2, 1)
    # The halfway conversation stays halfway when that is later than 90 days after.
    assert dues_of(DUTCH_MUNICIPAL, year=2026, start=D(2026, 1, 3))[
        Due.HALFWAY_PROGRESS] == D(2026, 7, 2)


def test_someone_employed_before_the_period_keeps_everyones_dates():
    period = period_for(FLEMISH, year=2026)
    everyone = cycle_due_dates(FLEMISH, year=2026, period=period, probation_end=None)

    assert cycle_due_dates(FLEMISH, year=2026, period=period, probation_end=None,
                           employed_from=D(2026, 1, 1)) == everyone
    assert cycle_due_dates(FLEMISH, year=2026, period=period, probation_end=None,
                           employed_from=D(2019, 5, 6)) == everyone


@pytest.mark.parametrize(("setting", "days", "due", "expected"), [
    ("newcomer_planning_days", 60, Due.PLANNING, D(2026, 9, 20)),
    ("newcomer_progress_days", 120, Due.HALFWAY_PROGRESS, D(2026, 11, 19)),
])
def test_the_days_after_the_start_are_the_policys(setting, days, due, expected):
    policy = dataclasses.replace(DUTCH_MUNICIPAL, **{setting: days})

    assert dues_of(policy, year=2026, start=D(2026, 7, 23))[due] == expected


def test_a_short_dutch_probation_is_assessed_at_the_earliest_on_the_first_day():
    # Heemstede: 3 months before the end; a two-month probation from 1 March 2026
    # would put that before the start.
    dues = dues_of(DUTCH_MUNICIPAL, year=2026, start=D(2026, 3, 1),
                   probation_end=D(2026, 4, 30))

    assert dues[Due.PROBATION_ASSESSMENT] == D(2026, 3, 1)


def test_the_start_day_is_day_one():
    assert days_after_start(D(2026, 7, 23), 1) == D(2026, 7, 23)
    assert days_after_start(D(2028, 2, 1), 29) == D(2028, 2, 29)  # leap year


years = st.integers(2000, 2060)
presets = st.sampled_from(sorted(PRESETS))


@given(preset=presets, year=years, day_of_year=st.integers(0, 365),
       long_ago=st.integers(0, 4000), probation_months=st.one_of(st.none(), st.integers(1, 24)))
def test_no_due_date_precedes_the_start_and_the_steps_keep_their_order(
        preset, year, day_of_year, long_ago, probation_months):
    policy = PRESETS[preset]
    # The federal period is the person's own: their start anniversary in ``year``.
    if policy is FEDERAL:
        start = D(year, 1, 1) + dt.timedelta(days=day_of_year) - dt.timedelta(days=long_ago)
        cycle_year = max(year, start.year)
    else:
        start = D(year, 1, 1) + dt.timedelta(days=day_of_year)
        cycle_year = year
        if start.year != year:  # 31 December + 1 in a year of 365 days
            start = D(year, 12, 31)
    probation_end = (start + dt.timedelta(days=30 * probation_months)
                     if probation_months else None)

    dues = dues_of(policy, year=cycle_year, start=start, probation_end=probation_end)

    assert min(dues.values()) >= start
    for earlier, later in STEP_ORDER:
        if earlier in dues and later in dues:
            assert dues[earlier] <= dues[later], (earlier, later)


@given(preset=presets, year=years)
def test_everyones_due_dates_keep_the_step_order(preset, year):
    policy = PRESETS[preset]
    period = period_for(policy, year=year, cycle_start=D(year - 3, 2, 28))

    dues = cycle_due_dates(policy, year=year, period=period, probation_end=None)

    for earlier, later in STEP_ORDER:
        if earlier in dues and later in dues:
            assert dues[earlier] <= dues[later], (earlier, later)


@given(year=st.sampled_from([y for y in range(2000, 2100, 4)]),
       day=st.integers(0, 365))
def test_a_newcomer_in_a_leap_year_plans_90_days_after_the_start(year, day):
    start = D(year, 1, 2) + dt.timedelta(days=day)
    if start.year != year:
        return
    dues = dues_of(FLEMISH, year=year, start=start)
    expected = max(D(year, 3, 31), start + dt.timedelta(days=89))
    assert dues[Due.PLANNING] == min(expected, D(year + 1, 3, 15))
