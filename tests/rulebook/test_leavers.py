"""Leavers: who may be evaluated before leaving, and the due dates that follow.

Source: Vlaams personeelsstatuut, Deel IV (evaluatie), hoofdstukken 1–2,
https://overheid.vlaanderen.be/BVR_Deel04-h1-h2 — staff who leave voluntarily or
retire may, with their agreement, be evaluated before they leave.
"""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.rulebook.deadlines import STEP_ORDER, Due, cycle_due_dates, period_for
from koers.rulebook.leavers import (
    LeavingReason,
    evaluated_before_leaving,
    leaves_before_evaluation,
    leaving_errors,
    may_be_evaluated_before_leaving,
)
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH

D = dt.date


@pytest.mark.parametrize(("policy", "reason", "allowed"), [
    (FLEMISH, LeavingReason.VOLUNTARY, True),  # leaving voluntarily
    (FLEMISH, LeavingReason.RETIREMENT, True),  # retiring
    (FLEMISH, LeavingReason.OTHER, False),  # dismissal, end of contract: not in the rule
    (FEDERAL, LeavingReason.RETIREMENT, False),  # not in the federal sources
    (DUTCH_MUNICIPAL, LeavingReason.VOLUNTARY, False),  # not in Heemstede
])
def test_who_may_be_evaluated_before_leaving(policy, reason, allowed):
    assert may_be_evaluated_before_leaving(policy, reason) is allowed


def _dues(year=2026):
    return cycle_due_dates(FLEMISH, year=year, period=period_for(FLEMISH, year=year),
                           probation_end=None)


def test_leaving_before_the_evaluation_is_before_31_march():
    dues = _dues()
    assert leaves_before_evaluation(dues, last_day=D(2027, 3, 30))
    assert not leaves_before_evaluation(dues, last_day=D(2027, 3, 31))
    assert not leaves_before_evaluation(dues, last_day=None)


def test_an_agreed_evaluation_falls_before_the_last_working_day_outside_the_window():
    moved = evaluated_before_leaving(_dues(), last_day=D(2026, 9, 30), first_day=D(2026, 1, 1))

    assert moved == {
        Due.PLANNING: D(2026, 3, 31),
        Due.EVALUATION_WINDOW_OPENS: D(2026, 1, 1),  # not 1 December
        Due.SELF_EVALUATION: D(2026, 9, 30),
        Due.EVALUATION: D(2026, 9, 30),  # not 31 March 2027
        Due.FIRST_SIGNATURE: D(2026, 9, 30),
        Due.SECOND_SIGNATURE: D(2026, 9, 30),
    }


def test_leaving_in_february_brings_the_planning_before_the_last_day():
    moved = evaluated_before_leaving(_dues(), last_day=D(2026, 2, 13), first_day=D(2026, 1, 1))
    assert moved[Due.PLANNING] == moved[Due.EVALUATION] == D(2026, 2, 13)


PERIOD = period_for(FLEMISH, year=2026)
LAST_DAY = D(2026, 9, 30)
LONG_AGO = D(2010, 1, 1)


def _errors(policy=FLEMISH, *, reason="retirement", day=LAST_DAY, agreed=True,
            start=LONG_AGO, end=None):
    return leaving_errors(policy, reason=reason, last_working_day=day, agreed=agreed,
                          period=PERIOD, start_date=start, end_date=end)


@pytest.mark.parametrize(("kwargs", "fields"), [
    ({}, set()),
    ({"reason": "voluntary"}, set()),
    ({"reason": "other", "agreed": False}, set()),
    ({"reason": "other"}, {"agreed"}),  # only voluntary leavers and retirees
    ({"policy": FEDERAL}, {"agreed"}),
    ({"policy": dataclasses.replace(FLEMISH, evaluation_before_leaving=False)}, {"agreed"}),
    ({"reason": "fired"}, {"reason"}),
    ({"day": D(2025, 12, 31)}, {"last_working_day"}),  # before the period
    ({"day": D(2026, 3, 1), "start": D(2026, 4, 1)}, {"last_working_day"}),  # before the start
    ({"day": D(2026, 9, 30), "end": D(2026, 8, 31)}, {"last_working_day"}),  # after the end
])
def test_what_a_record_of_leaving_may_say(kwargs, fields):
    assert set(_errors(**kwargs)) == fields


years = st.integers(2000, 2060)


@given(year=years, start_day=st.integers(0, 364), last=st.integers(0, 450))
def test_an_agreed_evaluation_keeps_every_due_date_between_the_start_and_the_last_day(
        year, start_day, last):
    period = period_for(FLEMISH, year=year)
    start = max(period.start, D(year, 1, 1) + dt.timedelta(days=start_day))
    if start > period.end:
        start = period.end
    last_day = start + dt.timedelta(days=last)
    dues = cycle_due_dates(FLEMISH, year=year, period=period, probation_end=None,
                           employed_from=start)
    if not leaves_before_evaluation(dues, last_day=last_day):
        return
    moved = evaluated_before_leaving(dues, last_day=last_day, first_day=start)
    assert min(moved.values()) >= start
    assert max(moved.values()) <= last_day
    for earlier, later in STEP_ORDER:
        if earlier in moved and later in moved:
            assert moved[earlier] <= moved[later], (earlier, later)
