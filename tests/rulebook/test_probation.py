"""The probation rules, each with its public source (docs/policies.md, Sources):

- [f18] Vlaamse overheid, "Interpretatie VPS: berekening eind proeftijd"
  (overheid.vlaanderen.be/Int_proeftijd_berekening_eind);
- [f19] "Vlimpershandleiding: Einde proeftijd statutair invoeren";
- [f20] "Interpretatie VPS: einde proeftijd — hoedanigheid van de ambtenaar op proef bij
  negatieve evaluatie"; [f5] "Raad van beroep";
- [f21] "Proeftijd en eedaflegging";
- Gemeente Heemstede, "Cyclus van jaargesprekken" (the Dutch probation assessment).
"""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from koers.organisation.models import EmploymentStatus
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH
from koers.rulebook.probation import (
    LATE_END_DAYS,
    ProbationReason,
    assessment_due,
    fixed_term_contract,
    is_workday,
    may_appeal_probation,
    mentor_error,
    probation_end,
    probation_ended_on,
    probation_evaluation_applies,
    workdays_to_perform,
)

D = dt.date


def workdays_between(start: dt.date, end: dt.date, days_off: frozenset[dt.date]) -> int:
    return sum(1 for n in range((end - start).days + 1)
               if is_workday(start + dt.timedelta(days=n), days_off))


# [f21] who ---------------------------------------------------------------------------------


def test_four_reasons_lead_to_a_probation():
    # [f21]: recruitment, statutory promotion, contractual→statutory, redeployment.
    assert set(ProbationReason.values) == {
        "recruitment", "promotion", "contractual_to_statutory", "redeployment"}


def test_the_mentor_is_not_an_evaluator():
    # [f21]: "een begeleider (meter of peter) en een evaluator": two roles.
    assert mentor_error(mentor_id=7, evaluator_ids=(7, 9)) is not None
    assert mentor_error(mentor_id=7, evaluator_ids=(9, None)) is None
    assert mentor_error(mentor_id=None, evaluator_ids=(9, 10)) is None


# [f18] length -----------------------------------------------------------------------------


def test_months_become_21_working_days_each():
    # [f18]: "6 maanden" proeftijd = 126 (= 6 × 21) werkdagen.
    assert workdays_to_perform(FLEMISH, months=6) == 126
    assert probation_evaluation_applies(FLEMISH)
    assert not probation_evaluation_applies(FEDERAL)
    assert not probation_evaluation_applies(DUTCH_MUNICIPAL)


def test_one_month_from_a_monday_ends_on_the_21st_working_day():
    # 3 March 2025 is a Monday: 21 working days later is Monday 31 March.
    assert probation_end(FLEMISH, starts_on=D(2025, 3, 3), months=1, days_off=()) == D(2025, 3, 31)


def test_a_part_time_day_counts_whole_and_a_day_not_worked_moves_the_end():
    # [f18]: "Bij deeltijds werken gebeurt geen pro rata berekening"; "Elke afwezigheid
    # die niet meetelt als werkdag, betekent een verschuiving van de effectieve einddatum".
    # The rule has no working regime to pro-rate by; only days not worked move the end.
    base = probation_end(FLEMISH, starts_on=D(2025, 3, 3), months=1, days_off=())
    moved = probation_end(FLEMISH, starts_on=D(2025, 3, 3), months=1,
                          days_off=frozenset({D(2025, 3, 12)}))
    assert (base, moved) == (D(2025, 3, 31), D(2025, 4, 1))


def test_a_leap_day_is_a_working_day_unless_off():
    # Thursday 29 February 2024 counts like any weekday.
    start = D(2024, 2, 26)
    assert probation_end(FLEMISH, starts_on=start, months=1, days_off=()) == D(2024, 3, 25)
    assert probation_end(FLEMISH, starts_on=start, months=1,
                         days_off=frozenset({D(2024, 2, 29)})) == D(2024, 3, 26)


starts = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))
# Leap days are drawn often: the span around 29 February is where a date rule slips.
leap_starts = st.sampled_from([D(2024, 2, 1), D(2024, 2, 29), D(2028, 2, 28), D(2000, 2, 29),
                               D(2096, 1, 31)])


@given(start=st.one_of(starts, leap_starts), months=st.integers(1, 24),
       offsets=st.sets(st.integers(0, 900), max_size=40))
def test_the_end_is_the_day_the_last_working_day_is_worked(start, months, offsets):
    days_off = frozenset(start + dt.timedelta(days=n) for n in offsets)
    end = probation_end(FLEMISH, starts_on=start, months=months, days_off=days_off)
    assert is_workday(end, days_off)
    assert workdays_between(start, end, days_off) == months * 21


@given(start=st.one_of(starts, leap_starts), months=st.integers(1, 24),
       offsets=st.sets(st.integers(0, 900), max_size=20), extra=st.integers(0, 900))
def test_one_more_day_off_moves_the_end_by_one_working_day_or_not_at_all(
        start, months, offsets, extra):
    days_off = frozenset(start + dt.timedelta(days=n) for n in offsets)
    end = probation_end(FLEMISH, starts_on=start, months=months, days_off=days_off)
    day = start + dt.timedelta(days=extra)
    more = probation_end(FLEMISH, starts_on=start, months=months, days_off=days_off | {day})
    if is_workday(day, days_off) and day <= end:
        # A working day lost within the probation: the next working day after the end.
        following = end + dt.timedelta(days=1)
        while not is_workday(following, days_off):
            following += dt.timedelta(days=1)
        assert more == following
    else:
        # A weekend, a day already off or a day after the end changes nothing.
        assert more == end


# [f19] the end -----------------------------------------------------------------------------


def test_signed_on_time_the_probation_ends_the_day_after_the_2nd_signature():
    assert probation_ended_on(computed_end=D(2025, 9, 2), conversation_on=D(2025, 8, 20),
                              second_signed_on=D(2025, 8, 28)) == D(2025, 8, 29)


def test_late_it_ends_on_the_31st_day_after_the_conversation():
    assert LATE_END_DAYS == 31
    assert probation_ended_on(computed_end=D(2025, 9, 2), conversation_on=D(2025, 8, 20),
                              second_signed_on=D(2025, 9, 5)) == D(2025, 9, 20)


def test_without_a_conversation_it_ends_on_the_31st_day_after_the_end():
    assert probation_ended_on(computed_end=D(2025, 9, 2), conversation_on=None,
                              second_signed_on=None) == D(2025, 10, 3)


# [f5][f20] a negative probation evaluation --------------------------------------------------


def test_only_a_statutory_probationer_appeals_a_negative_evaluation():
    statutory, contractual = EmploymentStatus.STATUTORY, EmploymentStatus.CONTRACTUAL
    assert may_appeal_probation(status=statutory, verdict="onvoldoende")
    assert not may_appeal_probation(status=statutory, verdict="voldoende")
    assert not may_appeal_probation(status=contractual, verdict="onvoldoende")


def test_a_three_month_contract_follows_from_the_next_working_day():
    # [f20], art. III 19: "met ingang van de eerste werkdag volgend op het verstrijken van
    # de termijn voor het instellen van beroep ... een arbeidsovereenkomst voor een
    # bepaalde duur van drie maanden". The term ends on Friday 10 October 2025.
    assert FLEMISH.probation_negative_contract_months == 3
    assert fixed_term_contract(FLEMISH, settled_on=D(2025, 10, 10), days_off=()) == (
        D(2025, 10, 13), D(2026, 1, 12))
    # 11 November (Armistice) is a public holiday: the contract starts the day after.
    assert fixed_term_contract(FLEMISH, settled_on=D(2025, 11, 10),
                               days_off=frozenset({D(2025, 11, 11)}))[0] == D(2025, 11, 12)


# Heemstede: the Dutch probation assessment --------------------------------------------------


def test_the_dutch_assessment_is_due_three_months_before_the_end():
    assert DUTCH_MUNICIPAL.probation_assessment_months_before_end == 3
    assert assessment_due(DUTCH_MUNICIPAL, probation_end=D(2026, 7, 31),
                          employed_from=D(2025, 8, 1)) == D(2026, 4, 30)
    # A probation shorter than the term is assessed from the first day.
    assert assessment_due(DUTCH_MUNICIPAL, probation_end=D(2026, 3, 1),
                          employed_from=D(2026, 1, 1)) == D(2026, 1, 1)
    assert assessment_due(FEDERAL, probation_end=D(2026, 3, 1), employed_from=None) is None


def test_the_flemish_evaluation_is_due_by_the_computed_end():
    # [f19]: signed on time, the probation ends the day after the 2nd signature.
    assert assessment_due(FLEMISH, probation_end=D(2025, 9, 2),
                          employed_from=D(2025, 3, 3)) == D(2025, 9, 2)
