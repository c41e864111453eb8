"""The agreed period ([f1]): one calendar year, stretched by mutual agreement to at most
15 months in Flanders; 12 months (no stretch) federal and Dutch unless raised."""

import dataclasses
import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from koers.rulebook.calendar import add_months
from koers.rulebook.deadlines import Period, period_agreement_errors, period_for
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH

D = dt.date
FEDERAL_15 = dataclasses.replace(FEDERAL, maximum_period_months=15)
DUTCH_15 = dataclasses.replace(DUTCH_MUNICIPAL, maximum_period_months=15)
YEAR_2026 = Period(D(2026, 1, 1), D(2026, 12, 31))
# A federal person who started on 3 October: the period of the cycle of 2026.
FEDERAL_2026 = Period(D(2026, 10, 3), D(2027, 10, 2))

# What each refusal is about, as the English message says it.
ENDS_ON = "always ends on"
STRETCHES = "stretches the normal period"
TOO_LONG = "at most"


def _errors(policy, normal, start, end):
    with translation.override("en"):
        return period_agreement_errors(policy, normal=normal, start=start, end=end)


@pytest.mark.parametrize(("policy", "normal", "start", "end", "refusals"), [
    # [f1]: the newcomer of October 2025 is evaluated in 2026 over 15 months.
    (FLEMISH, YEAR_2026, D(2025, 10, 1), D(2026, 12, 31), ()),
    (FLEMISH, YEAR_2026, D(2025, 11, 17), D(2026, 12, 31), ()),
    (FLEMISH, YEAR_2026, D(2026, 1, 1), D(2026, 12, 31), ()),  # the normal period itself
    # One day more than 15 months.
    (FLEMISH, YEAR_2026, D(2025, 9, 30), D(2026, 12, 31), (TOO_LONG,)),
    # The calendar year ends on 31 December: the evaluation window belongs to it.
    (FLEMISH, YEAR_2026, D(2026, 1, 1), D(2027, 3, 31), (ENDS_ON,)),
    (FLEMISH, YEAR_2026, D(2025, 10, 1), D(2027, 3, 31), (ENDS_ON, TOO_LONG)),
    (FLEMISH, YEAR_2026, D(2025, 10, 1), D(2026, 11, 30), (ENDS_ON,)),
    # An agreed period stretches the normal one, it does not shorten it.
    (FLEMISH, YEAR_2026, D(2026, 2, 1), D(2026, 12, 31), (STRETCHES,)),
    # Federal and Dutch: 12 months, so no stretch at all by default ([b1], Heemstede) …
    (FEDERAL, FEDERAL_2026, D(2026, 9, 3), D(2027, 10, 2), (TOO_LONG,)),
    (FEDERAL, FEDERAL_2026, D(2026, 10, 3), D(2027, 10, 2), ()),
    (DUTCH_MUNICIPAL, YEAR_2026, D(2025, 12, 1), D(2026, 12, 31), (TOO_LONG,)),
    # … unless the organisation raises the maximum; then either end may move.
    (FEDERAL_15, FEDERAL_2026, D(2026, 7, 3), D(2027, 10, 2), ()),
    (FEDERAL_15, FEDERAL_2026, D(2026, 10, 3), D(2028, 1, 2), ()),
    (FEDERAL_15, FEDERAL_2026, D(2026, 9, 1), D(2027, 11, 30), ()),
    (FEDERAL_15, FEDERAL_2026, D(2026, 7, 2), D(2027, 10, 2), (TOO_LONG,)),
    (FEDERAL_15, FEDERAL_2026, D(2026, 10, 4), D(2027, 12, 31), (STRETCHES,)),
    (FEDERAL_15, FEDERAL_2026, D(2026, 10, 3), D(2027, 10, 1), (STRETCHES,)),
    (DUTCH_15, YEAR_2026, D(2026, 1, 1), D(2027, 3, 31), ()),
    (DUTCH_15, YEAR_2026, D(2025, 12, 31), D(2027, 3, 31), (TOO_LONG,)),
    # Start after the end: it cannot contain the normal period.
    (DUTCH_15, YEAR_2026, D(2026, 12, 31), D(2026, 1, 1), (STRETCHES,)),
])
def test_period_agreement_errors(policy, normal, start, end, refusals):
    errors = _errors(policy, normal, start, end)

    assert len(errors) == len(refusals)
    for error, refusal in zip(errors, refusals, strict=True):
        assert refusal in error


def test_the_messages_name_the_days_that_would_be_allowed():
    assert _errors(FLEMISH, YEAR_2026, D(2025, 9, 30), D(2026, 12, 31)) == [
        "The period may last at most 15 months by agreement: from 30-09-2025 it must end "
        "by 29-12-2026."]
    assert _errors(FLEMISH, YEAR_2026, D(2026, 1, 1), D(2027, 1, 31)) == [
        "Under this policy the period always ends on 31-12-2026; only its start can move "
        "earlier."]


def test_the_messages_speak_dutch():
    with translation.override("nl"):
        (error,) = period_agreement_errors(
            FLEMISH, normal=YEAR_2026, start=D(2025, 9, 30), end=D(2026, 12, 31))
    assert "maximaal 15 maanden" in error


@given(year=st.integers(1990, 2099), days_before=st.integers(0, 800))
def test_flanders_accepts_any_start_within_three_months_before_1_january(year, days_before):
    normal = period_for(FLEMISH, year=year)
    start = D(year, 1, 1) - dt.timedelta(days=days_before)

    errors = period_agreement_errors(FLEMISH, normal=normal, start=start, end=normal.end)

    assert (errors == []) == (start >= D(year - 1, 10, 1))


@given(cycle_start=st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
       maximum=st.integers(12, 24), earlier=st.integers(0, 500), later=st.integers(0, 500))
def test_a_stretched_period_is_allowed_exactly_when_it_fits_the_maximum(
    cycle_start, maximum, earlier, later
):
    policy = dataclasses.replace(FEDERAL, maximum_period_months=maximum)
    normal = period_for(policy, year=cycle_start.year, cycle_start=cycle_start)
    start = normal.start - dt.timedelta(days=earlier)
    end = normal.end + dt.timedelta(days=later)

    errors = period_agreement_errors(policy, normal=normal, start=start, end=end)

    # "At most N months": it ends before the same day N months after its start.
    assert (errors == []) == (end < add_months(start, maximum))
