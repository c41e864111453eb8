"""The late evaluation: a federal evaluation not held 3 months after the period lapses.

Source [b2]: BOSA, "Evaluatie – contractuelen en statutairen",
https://bosa.belgium.be/nl/themas/werken-bij-de-overheid/loopbaan-en-statuut/evaluatie/contractuelen-en-statutairen-3
— "not evaluated 3 months after the end of the cycle and not absent: the next cycle is
activated without a mention".
"""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.rulebook.calendar import add_months
from koers.rulebook.lapse import absent_in_closing_months, evaluation_lapse, lapse_day
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH

D = dt.date
DAY = dt.timedelta(days=1)
period_ends = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


def test_federal_evaluation_lapses_three_months_after_the_period() -> None:
    # [b2]: three months after the end of the cycle.
    end = D(2026, 12, 31)
    day = lapse_day(FEDERAL, period_end=end)
    assert day == D(2027, 3, 31)
    assert FEDERAL.late_evaluation_months == 3
    assert not evaluation_lapse(FEDERAL, period_end=end, today=day - DAY, evaluated=False).lapses
    lapse = evaluation_lapse(FEDERAL, period_end=end, today=day, evaluated=False)
    assert lapse.lapses
    assert lapse.day == day


def test_the_lapse_day_follows_add_months_at_the_end_of_a_month() -> None:
    # A period ending on 30 November lapses on the last day of February.
    assert lapse_day(FEDERAL, period_end=D(2026, 11, 30)) == D(2027, 2, 28)
    assert lapse_day(FEDERAL, period_end=D(2027, 11, 30)) == D(2028, 2, 29)


def test_an_evaluated_person_does_not_lapse() -> None:
    # [b2]: only someone "not evaluated" lapses.
    end = D(2026, 6, 30)
    later = add_months(end, 6)
    assert not evaluation_lapse(FEDERAL, period_end=end, today=later, evaluated=True).lapses


@pytest.mark.parametrize(("kind", "offset_start", "offset_end", "lapses"), [
    ("sickness", 1, 1, False),  # the first day of the closing months
    ("sickness", 90, 90, False),  # the lapse day itself (31 Dec + 3 months = 31 Mar)
    ("career_break", -30, 5, False),  # began in the period, reached the closing months
    ("parental_leave", 40, 50, False),
    ("other", 40, 50, False),
    ("sickness", -30, 0, True),  # ended with the period
    ("sickness", 91, 120, True),  # began the day after the lapse day (31 March)
    ("annual_leave", 10, 20, True),  # annual leave does not stop the work
])
def test_someone_absent_in_the_closing_months_does_not_lapse(
    kind: str, offset_start: int, offset_end: int, lapses: bool
) -> None:
    # [b2]: only someone "not absent" lapses.
    end = D(2026, 12, 31)
    absence = (kind, end + offset_start * DAY, end + offset_end * DAY)
    day = lapse_day(FEDERAL, period_end=end)
    assert day == D(2027, 3, 31)
    assert absent_in_closing_months([absence], period_end=end, day=day) is not lapses
    result = evaluation_lapse(FEDERAL, period_end=end, today=add_months(day, 1),
                              evaluated=False, absences=[absence])
    assert result.lapses is lapses


@pytest.mark.parametrize("policy", [FLEMISH, DUTCH_MUNICIPAL], ids=["flemish", "dutch"])
def test_nothing_lapses_outside_the_federal_regime(policy: object) -> None:
    # The late evaluation is a federal rule [b2]; the other presets have none.
    end = D(2026, 12, 31)
    lapse = evaluation_lapse(policy, period_end=end, today=add_months(end, 24),  # type: ignore[arg-type]
                             evaluated=False)
    assert lapse == type(lapse)(lapses=False, day=None)


@given(period_ends, st.integers(min_value=0, max_value=800))
def test_the_lapse_day_is_three_calendar_months_on_and_never_moves(
    end: dt.date, days_after: int
) -> None:
    day = lapse_day(FEDERAL, period_end=end)
    assert day is not None
    # Three months on, clamped to the month's last day, never earlier than 89 days.
    assert (day.year * 12 + day.month) - (end.year * 12 + end.month) == 3
    assert day.day == min(end.day, (add_months(day.replace(day=1), 1) - DAY).day)
    assert 89 <= (day - end).days <= 92
    today = end + dt.timedelta(days=days_after)
    lapse = evaluation_lapse(FEDERAL, period_end=end, today=today, evaluated=False)
    assert lapse.day == day
    assert lapse.lapses is (today >= day)
