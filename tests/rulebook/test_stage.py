"""The federal stage's rules, each with its public source (docs/policies.md, Sources):

- [b12] BOSA, "Evaluatieperiode stagiair" (bosa.belgium.be/nl/themas/werken-bij-de-
  overheid/loopbaan-en-statuut/evaluatie/stagiairs/evaluatieperiode-stagiair);
- [b13] BOSA, "Vermeldingen" (…/evaluatie/stagiairs/vermeldingen);
- [b14] Fedweb, "Stagiairs — Gesprekken" (fedweb.belgium.be/nl/evaluatie/
  evaluatiecyclus_voor_personeelsleden/stagiairs/gesprekken).
"""

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from koers.rulebook.calendar import add_months
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH
from koers.rulebook.probation import is_workday
from koers.rulebook.stage import (
    StageOutcome,
    StageStepKind,
    absent_workdays,
    dismissal_notice_ends,
    extended_end,
    outcome_error,
    outcomes_allowed,
    stage_applies,
    stage_end,
    stage_months_error,
    stage_steps,
)

D = dt.date
NO_HOLIDAYS: frozenset[dt.date] = frozenset()


def workdays(start: dt.date, end: dt.date, holidays: frozenset[dt.date]) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)
            if is_workday(start + dt.timedelta(days=n), holidays)]


# [b12] who and how long ---------------------------------------------------------------------


def test_only_the_federal_policy_has_a_stage():
    # [b12]: the stage of the federal stagiair; Flanders has its probation, the Dutch
    # municipalities their assessment.
    assert (stage_applies(FEDERAL), stage_applies(FLEMISH), stage_applies(DUTCH_MUNICIPAL)) \
        == (True, False, False)


def test_the_stage_lasts_at_least_one_year():
    # [b12]: "duurt minimum een jaar".
    assert stage_months_error(FEDERAL, 11) is not None
    assert stage_months_error(FEDERAL, 12) is None
    assert stage_months_error(FEDERAL, 16) is None


def test_a_stage_from_the_1st_ends_on_the_last_day_of_the_year():
    # [b12]: preferably from the 1st or the 15th; a year without absences.
    assert stage_end(FEDERAL, starts_on=D(2026, 1, 1), months=12, absences=(),
                     public_holidays=NO_HOLIDAYS) == D(2026, 12, 31)
    assert stage_end(FEDERAL, starts_on=D(2026, 3, 15), months=12, absences=(),
                     public_holidays=NO_HOLIDAYS) == D(2027, 3, 14)


def test_thirty_working_days_of_absence_do_not_extend_the_stage():
    # [b12]: "zonder rekening te houden met de eerste 30 werkdagen".
    thirty = workdays(D(2026, 2, 2), D(2026, 3, 31), NO_HOLIDAYS)[:30]
    assert stage_end(FEDERAL, starts_on=D(2026, 1, 1), months=12, absences=thirty,
                     public_holidays=NO_HOLIDAYS) == D(2026, 12, 31)


def test_absence_beyond_thirty_working_days_extends_the_stage_by_the_excess():
    # [b12]: more than 30 working days absent, in one or several times: the stage is
    # extended by those absences beyond the first 30 working days. 32 days: two working
    # days on from Thursday 31 December 2026 (1 January is a public holiday here).
    absent = workdays(D(2026, 2, 2), D(2026, 4, 30), NO_HOLIDAYS)[:32]
    holidays = frozenset({D(2027, 1, 1)})
    assert stage_end(FEDERAL, starts_on=D(2026, 1, 1), months=12, absences=absent,
                     public_holidays=holidays) == D(2027, 1, 5)


def test_weekends_and_public_holidays_are_no_working_days_of_absence():
    # [b12] counts working days: a recorded Saturday or public holiday is none.
    days = {D(2026, 5, 2), D(2026, 5, 1), D(2026, 5, 4)}  # Sat, holiday, Monday
    assert absent_workdays(starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31), absences=days,
                           public_holidays={D(2026, 5, 1)}) == 1


# [b14] the conversations ---------------------------------------------------------------------


def test_the_planning_is_due_in_the_first_month_then_three_functioning_and_the_final():
    # [b14]: planning in the first month, three functioning conversations spread evenly,
    # a final conversation at the end of the stage.
    steps = stage_steps(FEDERAL, starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    assert [(s.kind, s.number, s.due) for s in steps] == [
        (StageStepKind.PLANNING, 1, D(2026, 1, 31)),
        (StageStepKind.FUNCTIONING, 1, D(2026, 4, 2)),
        (StageStepKind.FUNCTIONING, 2, D(2026, 7, 2)),
        (StageStepKind.FUNCTIONING, 3, D(2026, 10, 1)),
        (StageStepKind.FINAL, 1, D(2026, 12, 31)),
    ]


@given(start=st.dates(D(2000, 1, 1), D(2090, 12, 31)), months=st.integers(12, 36),
       absent=st.sets(st.integers(0, 600), max_size=120))
def test_three_functioning_conversations_are_spread_evenly_over_any_stage(start, months,
                                                                             absent):
    # [b14]: "Drie functioneringsgesprekken worden evenwichtig gespreid over de hele
    # evaluatieperiode": whatever the start and the absences, the four parts of the stage
    # differ by at most a day, and the planning (month 1) comes before the first.
    absences = {start + dt.timedelta(days=n) for n in absent}
    end = stage_end(FEDERAL, starts_on=start, months=months, absences=absences,
                    public_holidays=NO_HOLIDAYS)
    steps = stage_steps(FEDERAL, starts_on=start, ends_on=end)
    assert [s.kind for s in steps] == [StageStepKind.PLANNING, *[StageStepKind.FUNCTIONING] * 3,
                                       StageStepKind.FINAL]
    assert steps[0].due == add_months(start, 1) - dt.timedelta(days=1)
    dues = [start] + [s.due for s in steps[1:]]
    parts = [(later - earlier).days for earlier, later in itertools.pairwise(dues)]
    assert max(parts) - min(parts) <= 1
    assert steps[0].due < steps[1].due
    assert steps[-1].due == end


@given(start=st.dates(D(2000, 1, 1), D(2090, 12, 31)),
       absent=st.sets(st.integers(0, 500), max_size=150),
       holidays=st.sets(st.integers(0, 700), max_size=20))
def test_the_stage_is_extended_by_exactly_the_working_days_absent_beyond_thirty(
        start, absent, holidays):
    # [b12]: the extension is the absence beyond the first 30 working days, counted in
    # working days (weekends and public holidays are none), absences in the extension
    # included: the working days from the normal end to the computed one are exactly
    # that excess.
    absences = {start + dt.timedelta(days=n) for n in absent}
    days_off = frozenset(start + dt.timedelta(days=n) for n in holidays)
    normal = add_months(start, 12) - dt.timedelta(days=1)
    end = stage_end(FEDERAL, starts_on=start, months=12, absences=absences,
                    public_holidays=days_off)
    excess = absent_workdays(starts_on=start, ends_on=end, absences=absences,
                             public_holidays=days_off) - 30
    assert len(workdays(normal + dt.timedelta(days=1), end, days_off)) == max(excess, 0)
    assert end == normal or is_workday(end, days_off)


# [b13] the outcome -----------------------------------------------------------------------


def test_the_stage_ends_in_appointment_extension_or_dismissal():
    # [b13]: at the end of the stage: extend, dismiss or appoint.
    assert set(outcomes_allowed(extended=False)) == {
        StageOutcome.APPOINT, StageOutcome.EXTEND, StageOutcome.DISMISS}


def test_after_an_extension_only_appointment_or_dismissal_remain():
    # [b13]: at the end of the extension: appoint or dismiss.
    assert set(outcomes_allowed(extended=True)) == {StageOutcome.APPOINT,
                                                    StageOutcome.DISMISS}
    assert "outcome" in outcome_error(FEDERAL, outcome=StageOutcome.EXTEND, extended=True,
                                      extension_months=2)


def test_the_commission_extends_by_at_most_four_months():
    # [b12]: "de stage te verlengen met maximum 4 maanden".
    assert outcome_error(FEDERAL, outcome=StageOutcome.EXTEND, extended=False,
                         extension_months=4) == {}
    assert "extension_months" in outcome_error(FEDERAL, outcome=StageOutcome.EXTEND,
                                               extended=False, extension_months=5)
    assert "extension_months" in outcome_error(FEDERAL, outcome=StageOutcome.EXTEND,
                                               extended=False, extension_months=None)
    assert "extension_months" in outcome_error(FEDERAL, outcome=StageOutcome.APPOINT,
                                               extended=False, extension_months=2)
    assert extended_end(ends_on=D(2026, 12, 31), extension_months=4) == D(2027, 4, 30)


def test_a_dismissal_has_three_months_notice_none_for_a_serious_fault():
    # [b13]: "een opzeggingstermijn van 3 maanden"; "Bij een ernstige fout … zonder".
    assert dismissal_notice_ends(FEDERAL, decided_on=D(2027, 1, 10),
                                 serious_fault=False) == D(2027, 4, 10)
    assert dismissal_notice_ends(FEDERAL, decided_on=D(2027, 1, 10),
                                 serious_fault=True) == D(2027, 1, 10)
