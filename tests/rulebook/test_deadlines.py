"""The deadline engine: table-driven cases from the sources, and properties for any date."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.core import clock
from koers.core.clock import today_for
from koers.organisation.models import Organisation
from koers.rulebook.calendar import YearDay, add_months, first_of_month, halfway
from koers.rulebook.deadlines import (
    Due,
    Period,
    advanced_evaluation_earliest,
    cycle_due_dates,
    employee_signature_due,
    period_for,
    second_evaluator_task_starts,
    written_remarks_due,
)
from koers.rulebook.eligibility import whole_months
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH, AdvancedCounting

D = dt.date
DATE_TO_DATE = dataclasses.replace(
    FLEMISH, advanced_evaluation_counting=AdvancedCounting.DATE_TO_DATE)
RECEIPT_DAY_COUNTS = dataclasses.replace(FLEMISH, receipt_day_counts=True)

dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
leap_days = st.sampled_from([D(year, 2, 29) for year in range(1992, 2100, 4)])
any_day = st.one_of(dates, leap_days, st.sampled_from(  # month ends, where clamping bites
    [D(2023, m, 1) - dt.timedelta(days=1) for m in range(2, 13)] + [D(2024, 1, 31)]))


# Calendar arithmetic --------------------------------------------------------------

@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2025, 1, 15), 1, D(2025, 2, 15)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),  # clamped to the month's last day
    (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    (D(2025, 3, 31), -1, D(2025, 2, 28)),
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    (D(2025, 12, 15), 1, D(2026, 1, 15)),
    (D(2025, 1, 15), -1, D(2024, 12, 15)),
    (D(2025, 8, 31), 6, D(2026, 2, 28)),
    (D(2025, 5, 31), 0, D(2025, 5, 31)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@given(day=any_day, months=st.integers(-60, 60))
def test_add_months_moves_whole_months_and_clamps_only_past_the_months_end(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day
                                     and (result + dt.timedelta(days=1)).day == 1)


@given(day=any_day, months=st.integers(0, 36))
def test_add_months_never_goes_back_in_time(day, months):
    assert add_months(day, months) >= add_months(day, months - 1) if months else True
    assert add_months(day, months) >= day


@pytest.mark.parametrize(("start", "end", "expected"), [
    (D(2025, 1, 1), D(2025, 12, 31), D(2025, 7, 2)),
    (D(2024, 1, 1), D(2024, 12, 31), D(2024, 7, 1)),  # leap year: 366 days
    (D(2025, 9, 1), D(2026, 8, 31), D(2026, 3, 2)),
    (D(2025, 3, 1), D(2025, 3, 1), D(2025, 3, 1)),
])
def test_halfway(start, end, expected):
    assert halfway(start, end) == expected


@given(start=dates, length=st.integers(0, 1000))
def test_halfway_lies_in_the_middle(start, length):
    end = start + dt.timedelta(days=length)
    middle = halfway(start, end)
    assert start <= middle <= end
    assert 0 <= (end - middle).days - (middle - start).days <= 1


@given(month=st.integers(1, 12), day=st.integers(1, 28), offset=st.integers(-1, 1),
       year=st.integers(1990, 2100))
def test_a_year_day_survives_json_and_lands_in_its_year(month, day, offset, year):
    year_day = YearDay(month, day, offset)
    assert YearDay.from_json(year_day.to_json()) == year_day
    assert year_day.in_year(year) == D(year + offset, month, day)


def test_29_february_is_no_year_day():
    # Not every year has it, so a policy cannot name it.
    with pytest.raises(ValueError, match="day is out of range"):
        YearDay(2, 29)


def test_a_year_day_with_a_two_digit_offset_reads_back():
    assert YearDay.from_json("+10-03-15") == YearDay(3, 15, 10)


# Periods --------------------------------------------------------------------------

@pytest.mark.parametrize(("policy", "year", "cycle_start", "expected"), [
    (FLEMISH, 2025, None, Period(D(2025, 1, 1), D(2025, 12, 31))),  # [f1]
    (FLEMISH, 2024, None, Period(D(2024, 1, 1), D(2024, 12, 31))),
    (DUTCH_MUNICIPAL, 2025, None, Period(D(2025, 1, 1), D(2025, 12, 31))),
    # [b1]: federal periods are per person, not tied to the calendar year.
    (FEDERAL, 2025, D(2022, 7, 1), Period(D(2025, 7, 1), D(2026, 6, 30))),
    (FEDERAL, 2025, D(2025, 3, 15), Period(D(2025, 3, 15), D(2026, 3, 14))),
    (FEDERAL, 2025, D(2024, 1, 31), Period(D(2025, 1, 31), D(2026, 1, 30))),
    # A cycle started on 29 February: 28 February in common years, and no day lost
    # or counted twice around a leap year.
    (FEDERAL, 2025, D(2024, 2, 29), Period(D(2025, 2, 28), D(2026, 2, 27))),
    (FEDERAL, 2027, D(2024, 2, 29), Period(D(2027, 2, 28), D(2028, 2, 28))),
    (FEDERAL, 2028, D(2024, 2, 29), Period(D(2028, 2, 29), D(2029, 2, 27))),
])
def test_period_for(policy, year, cycle_start, expected):
    assert period_for(policy, year=year, cycle_start=cycle_start) == expected


def test_a_per_person_period_needs_the_persons_start():
    with pytest.raises(ValueError, match="cycle start"):
        period_for(FEDERAL, year=2025)


@given(cycle_start=any_day, year=st.integers(1990, 2099))
def test_federal_periods_follow_each_other_without_gap_or_overlap(cycle_start, year):
    this = period_for(FEDERAL, year=year, cycle_start=cycle_start)
    following = period_for(FEDERAL, year=year + 1, cycle_start=cycle_start)
    assert following.start == this.end + dt.timedelta(days=1)
    assert this.start.year == year
    assert (this.start.month, this.start.day) == (cycle_start.month, cycle_start.day) or (
        (cycle_start.month, cycle_start.day) == (2, 29) and this.start == D(year, 2, 28))
    assert whole_months(this.start, this.end) == 12
    assert 365 <= (this.end - this.start).days + 1 <= 366


@given(month=st.integers(1, 12), day=st.integers(1, 28), year=st.integers(1990, 2099))
def test_organisation_wide_periods_are_twelve_months_from_the_chosen_day(month, day, year):
    policy = dataclasses.replace(DUTCH_MUNICIPAL, period_starts=YearDay(month, day))
    period = period_for(policy, year=year)
    assert period.start == D(year, month, day)
    assert period.end == D(year + 1, month, day) - dt.timedelta(days=1)
    assert whole_months(period.start, period.end) == 12


# Due dates of a cycle ---------------------------------------------------------------

def test_flemish_due_dates_of_the_2025_cycle():
    period = period_for(FLEMISH, year=2025)

    dues = cycle_due_dates(FLEMISH, year=2025, period=period, probation_end=None)

    assert dues == {
        Due.PLANNING: D(2025, 3, 31),  # [f8]: filed in January, at the latest end of March
        Due.EVALUATION_WINDOW_OPENS: D(2025, 12, 1),  # PLOEG: between 1 December …
        Due.EVALUATION: D(2026, 3, 31),  # … and 31 March
        Due.SELF_EVALUATION: D(2026, 3, 15),  # choice: by the 1st signature day
        Due.FIRST_SIGNATURE: D(2026, 3, 15),  # Prestatiemanagement
        Due.SECOND_SIGNATURE: D(2026, 3, 31),  # Prestatiemanagement
    }


def test_flemish_planning_stays_in_the_period_when_it_starts_later():
    policy = dataclasses.replace(FLEMISH, period_starts=YearDay(4, 1))
    dues = cycle_due_dates(policy, year=2025, period=period_for(policy, year=2025),
                           probation_end=None)
    assert dues[Due.PLANNING] == D(2025, 6, 30)


def test_dutch_due_dates_of_the_2025_cycle():
    period = period_for(DUTCH_MUNICIPAL, year=2025)

    dues = cycle_due_dates(DUTCH_MUNICIPAL, year=2025, period=period, probation_end=None)

    assert dues == {
        Due.PLANNING: D(2025, 1, 31),  # choice: within the first month of the plan
        Due.HALFWAY_PROGRESS: D(2025, 7, 2),  # Heemstede: at least once, halfway
        Due.EVALUATION: D(2025, 12, 31),  # Heemstede: at the end of the plan year
        Due.SELF_EVALUATION: D(2025, 12, 31),
    }


def test_federal_due_dates_follow_the_persons_own_period():
    period = period_for(FEDERAL, year=2025, cycle_start=D(2023, 7, 1))

    dues = cycle_due_dates(FEDERAL, year=2025, period=period, probation_end=None,
                           employed_from=D(2023, 7, 1))

    # BOSA, "De evaluatiecyclus" [b4]: one cycle conversation closes the cycle and plans
    # the next, so a later period has no planning step of its own.
    assert dues == {
        Due.EVALUATION: D(2026, 6, 30),  # [b1]: 12 months per person
        Due.SELF_EVALUATION: D(2026, 6, 30),
        Due.EVALUATION_LAPSES: D(2026, 9, 30),  # [b2]: 3 months after the end
    }


def test_a_federal_first_period_plans_in_its_first_month():
    """fedweb, stagiairs, "Gesprekken" [b14]: the planning conversation in the first
    month; no earlier cycle conversation planned someone's first period."""
    period = period_for(FEDERAL, year=2025, cycle_start=D(2025, 7, 1))

    dues = cycle_due_dates(FEDERAL, year=2025, period=period, probation_end=None,
                           employed_from=D(2025, 7, 1))

    assert dues[Due.PLANNING] == D(2025, 7, 31)


@pytest.mark.parametrize(("probation_end", "expected"), [
    (D(2025, 9, 30), D(2025, 6, 30)),  # Heemstede: 3 months before the end
    (D(2025, 5, 31), D(2025, 2, 28)),  # clamped
    (D(2024, 5, 31), None),  # long over
    (D(2025, 3, 31), None),  # 31 December 2024: the previous cycle's
    (D(2026, 3, 31), D(2025, 12, 31)),  # the last day of this period
    (D(2026, 4, 1), None),  # 1 January 2026: the next cycle's, not this one's too
])
def test_dutch_probation_assessment(probation_end, expected):
    period = period_for(DUTCH_MUNICIPAL, year=2025)

    dues = cycle_due_dates(DUTCH_MUNICIPAL, year=2025, period=period,
                           probation_end=probation_end)

    assert dues.get(Due.PROBATION_ASSESSMENT) == expected


def test_flemish_probation_is_evaluated_by_its_end_not_three_months_before():
    # Not the Dutch term (Heemstede): the Flemish probation evaluation is due by the
    # computed end, so that the probation ends the day after the 2nd signature ([f19]).
    dues = cycle_due_dates(FLEMISH, year=2025, period=period_for(FLEMISH, year=2025),
                           probation_end=D(2025, 9, 30))
    assert dues[Due.PROBATION_ASSESSMENT] == D(2025, 9, 30)
    assert Due.PROBATION_ASSESSMENT not in cycle_due_dates(
        FEDERAL, year=2025, period=period_for(FEDERAL, year=2025, cycle_start=D(2025, 1, 1)),
        probation_end=D(2025, 9, 30))


@given(start=any_day, probation_end=dates)
def test_each_probation_assessment_belongs_to_exactly_one_of_consecutive_cycles(
        start, probation_end):
    policy = dataclasses.replace(FEDERAL, probation_assessment_months_before_end=3)
    assessment = add_months(probation_end, -3)
    holders = []
    for year in range(start.year, start.year + 3):
        period = period_for(policy, year=year, cycle_start=start)
        dues = cycle_due_dates(policy, year=year, period=period, probation_end=probation_end)
        if Due.PROBATION_ASSESSMENT in dues:
            assert dues[Due.PROBATION_ASSESSMENT] == assessment
            assert period.start <= assessment <= period.end
            holders.append(year)
    first = period_for(policy, year=start.year, cycle_start=start).start
    last = period_for(policy, year=start.year + 2, cycle_start=start).end
    assert len(holders) == (1 if first <= assessment <= last else 0)


@given(month=st.integers(1, 12), day=st.integers(1, 28), year=st.integers(1990, 2099))
def test_dutch_halfway_conversation_lies_inside_the_plan_year(month, day, year):
    policy = dataclasses.replace(DUTCH_MUNICIPAL, period_starts=YearDay(month, day))
    period = period_for(policy, year=year)
    dues = cycle_due_dates(policy, year=year, period=period, probation_end=None)
    assert period.start < dues[Due.PLANNING] < dues[Due.HALFWAY_PROGRESS] \
        < dues[Due.EVALUATION] == period.end


@given(year=st.integers(1990, 2099))
def test_flemish_deadlines_keep_their_order_every_year(year):
    dues = cycle_due_dates(FLEMISH, year=year, period=period_for(FLEMISH, year=year),
                           probation_end=None)
    assert dues[Due.PLANNING] < dues[Due.EVALUATION_WINDOW_OPENS] \
        < dues[Due.FIRST_SIGNATURE] < dues[Due.SECOND_SIGNATURE] == dues[Due.EVALUATION]
    assert dues[Due.SELF_EVALUATION] == dues[Due.FIRST_SIGNATURE]


# Terms counted in days after receipt --------------------------------------------------

@pytest.mark.parametrize(("policy", "received", "expected"), [
    # PLOEG: "binnen de 15 kalenderdagen na ontvangst"; the day after receipt is day 1.
    (FLEMISH, D(2026, 3, 31), D(2026, 4, 15)),
    (FLEMISH, D(2026, 4, 1), D(2026, 4, 16)),
    (FLEMISH, D(2024, 2, 20), D(2024, 3, 6)),  # through 29 February
    (FLEMISH, D(2025, 2, 20), D(2025, 3, 7)),
    (FLEMISH, D(2025, 12, 24), D(2026, 1, 8)),  # across the new year
    (DUTCH_MUNICIPAL, D(2025, 6, 2), D(2025, 6, 16)),  # [n8]: two weeks
    (RECEIPT_DAY_COUNTS, D(2026, 3, 31), D(2026, 4, 14)),  # the other convention
])
def test_employee_signature_due(policy, received, expected):
    assert employee_signature_due(policy, received_on=received) == expected


@given(received=any_day, days=st.integers(1, 60), receipt_counts=st.booleans())
def test_a_term_of_n_days_has_exactly_n_days(received, days, receipt_counts):
    policy = dataclasses.replace(FLEMISH, employee_signature_days=days,
                                 written_procedure_remark_days=days,
                                 receipt_day_counts=receipt_counts)
    due = employee_signature_due(policy, received_on=received)
    first_day = received if receipt_counts else received + dt.timedelta(days=1)
    assert (due - first_day).days + 1 == days
    assert written_remarks_due(policy, draft_sent_on=received) == due


def test_written_procedure_remarks_within_15_days():
    # [f2]: 15 calendar days for remarks on the draft report.
    assert written_remarks_due(FLEMISH, draft_sent_on=D(2026, 2, 1)) == D(2026, 2, 16)


# Advanced evaluation after "onvoldoende" ------------------------------------------------

@pytest.mark.parametrize(("acknowledged", "calendar_months", "date_to_date"), [
    # PLOEG: "vanaf de 6de maand die volgt op de datum waarop je kennis nam".
    (D(2025, 4, 10), D(2025, 10, 1), D(2025, 9, 10)),
    (D(2025, 4, 1), D(2025, 10, 1), D(2025, 9, 1)),
    (D(2025, 4, 30), D(2025, 10, 1), D(2025, 9, 30)),
    (D(2025, 8, 31), D(2026, 2, 1), D(2026, 1, 31)),
    (D(2025, 9, 30), D(2026, 3, 1), D(2026, 2, 28)),  # clamped
    (D(2023, 9, 30), D(2024, 3, 1), D(2024, 2, 29)),  # clamped in a leap year
    (D(2024, 2, 29), D(2024, 8, 1), D(2024, 7, 29)),
    (D(2025, 12, 31), D(2026, 6, 1), D(2026, 5, 31)),
])
def test_advanced_evaluation_earliest(acknowledged, calendar_months, date_to_date):
    assert (advanced_evaluation_earliest(FLEMISH, acknowledged_on=acknowledged),
            advanced_evaluation_earliest(DATE_TO_DATE, acknowledged_on=acknowledged)) \
        == (calendar_months, date_to_date)


@given(acknowledged=any_day, months=st.integers(1, 24))
def test_both_readings_fall_in_the_nth_month_and_calendar_months_is_never_earlier(
        acknowledged, months):
    by_calendar = advanced_evaluation_earliest(
        dataclasses.replace(FLEMISH, advanced_evaluation_months=months),
        acknowledged_on=acknowledged)
    by_date = advanced_evaluation_earliest(
        dataclasses.replace(DATE_TO_DATE, advanced_evaluation_months=months),
        acknowledged_on=acknowledged)

    def month_index(day: dt.date) -> int:
        return day.year * 12 + day.month

    # Calendar months: the 1st of the Nth calendar month after the month of the date.
    assert by_calendar.day == 1
    assert month_index(by_calendar) - month_index(acknowledged) == months
    # Date to date: the Nth month counted from the date starts N - 1 months later.
    assert by_date == add_months(acknowledged, months - 1)
    assert acknowledged <= by_date < by_calendar
    assert by_calendar == first_of_month(add_months(by_date, 1))


# Hand-over to the 2nd evaluator [f7] ----------------------------------------------------

@pytest.mark.parametrize(("self_evaluation", "first_report", "expected"), [
    (D(2026, 2, 10), D(2026, 2, 20), D(2026, 2, 20)),  # both in: the later of the two
    (D(2026, 3, 1), D(2026, 2, 20), D(2026, 3, 1)),
    (None, D(2026, 2, 20), D(2026, 3, 15)),  # no self-evaluation: waits for 15 March
    (None, D(2026, 3, 20), D(2026, 3, 20)),  # after 15 March the report alone suffices
    (D(2026, 3, 25), D(2026, 3, 10), D(2026, 3, 15)),  # 15 March beats a late self-eval.
    (D(2026, 3, 1), None, None),  # nothing without the 1st evaluator's report
    (None, None, None),
])
def test_second_evaluator_task_starts(self_evaluation, first_report, expected):
    assert second_evaluator_task_starts(
        FLEMISH, year=2025, self_evaluation_submitted=self_evaluation,
        first_report_submitted=first_report,
    ) == expected


def test_without_a_handover_day_both_must_be_in():
    assert second_evaluator_task_starts(
        DUTCH_MUNICIPAL, year=2025, self_evaluation_submitted=None,
        first_report_submitted=D(2025, 12, 1)) is None


@given(self_evaluation=st.none() | dates, first_report=dates)
def test_the_handover_never_precedes_the_first_report_nor_waits_past_15_march(
        self_evaluation, first_report):
    starts = second_evaluator_task_starts(
        FLEMISH, year=2025, self_evaluation_submitted=self_evaluation,
        first_report_submitted=first_report)
    assert starts is not None
    assert starts >= first_report
    assert starts <= max(first_report, D(2026, 3, 15))
    if self_evaluation is not None:
        assert starts <= max(first_report, self_evaluation)


# Today in the organisation's time zone --------------------------------------------------

UTC = dt.UTC


def organisation(time_zone: str) -> Organisation:
    return Organisation(name="X", slug="x", policy_preset="flemish", time_zone=time_zone)


@pytest.mark.parametrize(("moment", "expected"), [
    # Winter time (UTC+1) around midnight and the new year.
    (dt.datetime(2025, 12, 31, 22, 59, 59, tzinfo=UTC), D(2025, 12, 31)),
    (dt.datetime(2025, 12, 31, 23, 0, tzinfo=UTC), D(2026, 1, 1)),
    # Summer time starts on 30 March 2025 at 01:00 UTC (02:00 → 03:00 local).
    (dt.datetime(2025, 3, 29, 22, 59, 59, tzinfo=UTC), D(2025, 3, 29)),
    (dt.datetime(2025, 3, 29, 23, 0, tzinfo=UTC), D(2025, 3, 30)),
    (dt.datetime(2025, 3, 30, 0, 59, 59, tzinfo=UTC), D(2025, 3, 30)),
    (dt.datetime(2025, 3, 30, 1, 0, tzinfo=UTC), D(2025, 3, 30)),
    (dt.datetime(2025, 3, 30, 21, 59, 59, tzinfo=UTC), D(2025, 3, 30)),
    (dt.datetime(2025, 3, 30, 22, 0, tzinfo=UTC), D(2025, 3, 31)),  # UTC+2 now
    # The 2nd signature deadline: 31 March ends at 22:00 UTC in summer time.
    (dt.datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC), D(2026, 3, 31)),
    (dt.datetime(2026, 3, 31, 22, 0, tzinfo=UTC), D(2026, 4, 1)),
    # Summer time ends on 26 October 2025 at 01:00 UTC (03:00 → 02:00 local).
    (dt.datetime(2025, 10, 25, 21, 59, 59, tzinfo=UTC), D(2025, 10, 25)),
    (dt.datetime(2025, 10, 25, 22, 0, tzinfo=UTC), D(2025, 10, 26)),
    (dt.datetime(2025, 10, 26, 22, 59, 59, tzinfo=UTC), D(2025, 10, 26)),  # UTC+1 again
    (dt.datetime(2025, 10, 26, 23, 0, tzinfo=UTC), D(2025, 10, 27)),
])
@pytest.mark.parametrize("time_zone", ["Europe/Brussels", "Europe/Amsterdam"])
def test_today_for_an_organisation_in_its_own_time_zone(time_zone, moment, expected):
    with clock.frozen(moment):
        assert today_for(organisation(time_zone)) == expected
        assert clock.today_in(time_zone) == expected


def test_the_organisations_zone_wins_over_the_servers(settings):
    settings.TIME_ZONE = "UTC"
    with clock.frozen(dt.datetime(2026, 3, 31, 22, 30, tzinfo=UTC)):
        assert (clock.today(), today_for(organisation("Europe/Brussels"))) \
            == (D(2026, 3, 31), D(2026, 4, 1))


def test_a_report_received_half_past_midnight_local_time_counts_from_that_day():
    # 00:30 in Brussels on 1 April is still 31 March in UTC; the term runs from 1 April.
    with clock.frozen(dt.datetime(2026, 3, 31, 22, 30, tzinfo=UTC)):
        received = today_for(organisation("Europe/Brussels"))
    assert employee_signature_due(FLEMISH, received_on=received) == D(2026, 4, 16)


@given(moment=st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 1, 1),
                           timezones=st.just(UTC)),
       time_zone=st.sampled_from(["Europe/Brussels", "Europe/Amsterdam"]))
def test_the_local_date_is_the_utc_date_or_the_next_one(moment, time_zone):
    with clock.frozen(moment):
        today = today_for(organisation(time_zone))
    offset = moment.astimezone(ZoneInfo(time_zone)).utcoffset()
    assert offset in {dt.timedelta(hours=1), dt.timedelta(hours=2)}
    assert today == (moment + offset).date()
    assert today - moment.date() in {dt.timedelta(0), dt.timedelta(days=1)}
    seconds_into_the_utc_day = moment.hour * 3600 + moment.minute * 60 + moment.second
    assert (today > moment.date()) == (
        seconds_into_the_utc_day >= 24 * 3600 - offset.total_seconds())
